"""Every problem the platform can raise has Chinese texts (tessera.api.problem_text), so a new
error cannot ship English-only; and the catalogue's texts fill as the raise sites give them.

The codes are read from the source, not listed by hand: `code="…"` of every call, the `code`
of every ApiError subclass, the code argument of the helpers that build field problems
(FieldProblem, Row.fail, views' _problem, the planner's Blocker) and of the exceptions that
become problems (TokenProblem, FileProblem, TemplateProblem), and `("code", "A sentence…")`
pairs, the form in which services hand (code, message) back to a route."""

from __future__ import annotations

import ast
import re
import string
import typing
from pathlib import Path

import pydantic_core.core_schema as pydantic_schema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.api import problem_text
from tessera.api.errors import HTTP_CODES, ApiError, FieldProblem, NotFound, ValidationFailed

PLATFORM = Path(__file__).resolve().parents[2] / "platform" / "tessera"
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
FIELD_MAKERS = {"FieldProblem", "_problem", "fail", "Blocker"}  # (path, code, message, …)
PROBLEM_FIRST = {"TokenProblem", "FileProblem"}  # (code, message): a problem's code
FIELD_FIRST = {"TemplateProblem"}  # (code, message): a field's code (`template`)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _sentence(node: ast.expr) -> bool:
    """An English message: an f-string, a text with a space, or one such text plus more."""
    if isinstance(node, ast.BinOp):
        return _sentence(node.left)
    return isinstance(node, ast.JoinedStr) or " " in (_literal(node) or "")


def _class_codes(node: ast.ClassDef) -> tuple[set[str], set[int]]:
    """`code = "…"` or `status, code, title = …, "…", …` in a class body, and the ids of the
    tuples so assigned (they are not (code, message) pairs)."""
    codes, tuples = set(), set()
    for stmt in node.body:
        if not isinstance(stmt, ast.Assign):
            continue
        for target in stmt.targets:
            if isinstance(target, ast.Name) and target.id == "code" and _literal(stmt.value):
                codes.add(str(_literal(stmt.value)))
            elif isinstance(target, ast.Tuple) and isinstance(stmt.value, ast.Tuple):
                tuples.add(id(stmt.value))
                for name, value in zip(target.elts, stmt.value.elts, strict=False):
                    if isinstance(name, ast.Name) and name.id == "code" and _literal(value):
                        codes.add(str(_literal(value)))
    return codes, tuples


def collect(source: str) -> tuple[set[str], set[str]]:
    """(problem codes, field codes) that one module's source can raise."""
    problems: set[str] = set()
    fields: set[str] = set()
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            codes, tuples = _class_codes(node)
            problems |= codes
            skip |= tuples
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            makes_field = name in FIELD_MAKERS
            for keyword in node.keywords:
                if keyword.arg == "code" and _literal(keyword.value):
                    (fields if makes_field else problems).add(str(_literal(keyword.value)))
            if makes_field and len(node.args) >= 2 and _literal(node.args[1]):
                fields.add(str(_literal(node.args[1])))
            if name in PROBLEM_FIRST | FIELD_FIRST and node.args and _literal(node.args[0]):
                (problems if name in PROBLEM_FIRST else fields).add(str(_literal(node.args[0])))
        elif isinstance(node, ast.Tuple) and id(node) not in skip:
            for first, second in zip(node.elts, node.elts[1:], strict=False):
                code = _literal(first)
                if code and CODE.match(code) and _sentence(second):
                    fields.add(code)
    return problems, fields


def platform_codes() -> tuple[set[str], set[str]]:
    problems: set[str] = set(HTTP_CODES.values())
    fields: set[str] = set()
    for path in sorted(PLATFORM.rglob("*.py")):
        found = collect(path.read_text(encoding="utf-8"))
        problems |= found[0]
        fields |= found[1]
    return problems, fields


PROBLEM_CODES, FIELD_CODES = platform_codes()


def test_the_walk_finds_the_platforms_codes() -> None:
    # a walk that found little would pass every check below: hold it to known codes
    assert {"unknown_app", "duplicate_email", "validation_failed", "invalid_request",
            "link_owner_inactive", "token_expired", "unreadable_file", "method_not_allowed",
            "sso_failed"} <= PROBLEM_CODES
    assert {"unknown_user", "duplicate", "not_an_image", "file_type_not_accepted",
            "unknown_column", "template_syntax", "duplicates_exist", "version_conflict",
            "unknown_view_type"} <= FIELD_CODES
    assert len(PROBLEM_CODES) > 90 and len(FIELD_CODES) > 70


def test_the_walk_sees_a_new_code() -> None:
    source = '''
class Gone(ApiError):
    status, code, title = 410, "brand_new_class_code", "Gone"

def f(x):
    raise Conflict("Taken.", code="brand_new_code", errors=[
        FieldProblem("a", "brand_new_field", "No.")])

def g():
    return "brand_new_pair", f"Not {1}."
'''
    problems, fields = collect(source)
    assert problems == {"brand_new_class_code", "brand_new_code"}
    assert fields == {"brand_new_field", "brand_new_pair"}


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_every_problem_code_has_chinese(code: str) -> None:
    assert code in problem_text.PROBLEMS, f"add {code!r} to problem_text.PROBLEMS"


@pytest.mark.parametrize("code", sorted(FIELD_CODES))
def test_every_field_code_has_chinese(code: str) -> None:
    assert code in problem_text.FIELDS, f"add {code!r} to problem_text.FIELDS"


def test_every_pydantic_error_type_has_chinese() -> None:
    missing = set(typing.get_args(pydantic_schema.ErrorType)) - set(problem_text.PYDANTIC)
    assert not missing, f"add to problem_text.PYDANTIC: {sorted(missing)}"


def _alternatives() -> list[tuple[str, str]]:
    tables = {"PROBLEMS": problem_text.PROBLEMS, "FIELDS": problem_text.FIELDS,
              "PYDANTIC": problem_text.PYDANTIC, "TITLES": problem_text.TITLES}
    return [(f"{table}[{code}]", template) for table, entries in tables.items()
            for code, text in entries.items()
            for template in ((text,) if isinstance(text, str) else text)]


@pytest.mark.parametrize(("where", "template"), _alternatives())
def test_every_text_is_chinese_and_fills(where: str, template: str) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in template), where
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    assert template.format_map(dict.fromkeys(names, "x")), where


def test_alternatives_go_from_most_to_least_specific() -> None:
    text = problem_text.FIELDS["unknown_user"]
    assert problem_text.field_message("unknown_user", {"email": "a@b.c"}, "zh-CN", "x") == \
        "找不到邮箱为“a@b.c”的成员"
    assert problem_text.field_message("unknown_user", {}, "zh-CN", "x") == text[-1]


def test_english_is_left_as_raised() -> None:
    error = NotFound("There is no app 'crm'.", code="unknown_app", params={"app": "crm"})
    body = error.body(locale="en")
    assert (body["title"], body["detail"]) == ("Not found", "There is no app 'crm'.")
    zh = error.body(locale="zh-CN")
    assert (zh["title"], zh["detail"]) == ("未找到", "没有标识为“crm”的应用。")


def test_a_message_already_in_the_callers_language_is_kept() -> None:
    error = ValidationFailed("The record is not valid.", errors=[
        FieldProblem("data.title", "required", "必须填写标题", locale="zh-CN"),
        FieldProblem("data.qty", "required", "Required.")])
    messages = [e["message"] for e in error.body(locale="zh-CN")["errors"]]
    assert messages == ["必须填写标题", "此项为必填项"]


def test_param_values_that_are_words_of_the_api_are_translated() -> None:
    error = ApiError("You may not delete this record.", code="permission_denied", status=403,
                     extra={"action": "delete"})
    body = error.body(locale="zh-CN")
    assert body["detail"] == "你没有删除权限。" and body["action"] == "delete"


def test_a_code_without_chinese_keeps_its_english() -> None:
    error = ApiError("Teapot.", code="http_418", status=418, title="I'm a teapot")
    assert error.body(locale="zh-CN")["detail"] == "Teapot."


@pytest.mark.parametrize(("header", "locale"), [
    ("", "en"), (None, "en"), ("*", "en"), ("fr-FR", "en"),  # no language named: the default
    ("zh-CN,zh;q=0.9", "zh-CN"), ("en-US,en;q=0.9,zh;q=0.8", "en"),
    ("fr-FR, zh-TW;q=0.5", "zh-CN"), ("EN-gb", "en"), ("zh-Hant-TW", "zh-CN"),
    ("en;q=0.5, zh-CN", "zh-CN"),  # the weight decides, not the order
    ("zh;q=0.8, en;q=0.8", "zh-CN"), ("en ; Q=0.8 , zh;q=0.8", "en"),  # a tie keeps the order
    ("zh-CN;q=0, en;q=0.1", "en"),  # q=0: not acceptable at all
    ("zh;q=abc, en;q=0.1", "en"), ("zh;q=2, en;q=0.1", "en"),  # a malformed weight loses
    ("es, eo;q=0.9, zh;q=0.1", "zh-CN"), ("zh-CN;level=1;q=0.4, en;q=0.3", "zh-CN")])
def test_caller_locale(header: str | None, locale: str) -> None:
    assert problem_text.caller_locale(header) == locale


LANGUAGES = {"en": "en", "en-US": "en", "en-GB": "en", "zh": "zh-CN", "zh-CN": "zh-CN",
             "zh-TW": "zh-CN", "fr": None, "de-DE": None, "ja": None, "*": None}


@given(st.lists(st.tuples(st.sampled_from(sorted(LANGUAGES)),
                          st.none() | st.integers(0, 1000).map(lambda n: n / 1000)),
                max_size=6),
       st.sampled_from([",", ", ", " ,  "]))
def test_caller_locale_follows_the_weights(entries: list[tuple[str, float | None]],
                                           separator: str) -> None:
    """Any header built from tags and weights: the English or Chinese entry of the highest
    non-zero weight (no weight is 1), the earliest of equals; else the one default."""
    header = separator.join(tag if q is None else f"{tag};q={q:.3f}" for tag, q in entries)
    ranked = [(1.0 if q is None else q, -i, LANGUAGES[tag])
              for i, (tag, q) in enumerate(entries) if LANGUAGES[tag] and q != 0]
    expected = max(ranked)[2] if ranked else problem_text.DEFAULT_LOCALE
    assert problem_text.caller_locale(header) == expected


@given(st.text(max_size=60))
def test_caller_locale_never_fails(header: str) -> None:
    """A header is whatever a client sent: never an error, always one of the two languages."""
    assert problem_text.caller_locale(header) in {"en", "zh-CN"}
