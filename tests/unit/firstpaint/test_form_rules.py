"""Which fields a first paint shows, with which values and state (firstpaint.form), the page's
language (firstpaint.locale) and the templates file (firstpaint.templates): the browser's
rules, through the engines' real expression language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engines.form import RecordContext
from tessera.firstpaint.form import new_values, shown_fields
from tessera.firstpaint.locale import page_locale
from tessera.firstpaint.templates import CannotDraw, TemplateFile, parse

CTX = RecordContext()
FIELDS: list[dict[str, Any]] = [
    {"key": "kind", "type": "select", "default": "a",
     "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
    {"key": "qty", "type": "number", "default": 2},
    {"key": "price", "type": "money", "default_formula": "qty * 10"},
    {"key": "total", "type": "formula", "formula": "qty * price", "result_type": "number"},
    {"key": "broken", "type": "formula", "formula": "qty *", "result_type": "number"},
    {"key": "count", "type": "rollup", "via": {"form": "x", "relation": "y"}, "agg": "count"},
    {"key": "only_b", "type": "text", "visible_when": {"==": [{"var": "kind"}, "b"]}},
    {"key": "note", "type": "text", "required_when": {"==": [{"var": "kind"}, "a"]}},
    {"key": "owner", "type": "member", "default_current": True,
     "required_when": {"==": [{"var": "kind"}, "a"]}},
    {"key": "locked", "type": "text", "editable_when": {"==": [{"var": "kind"}, "b"]}},
    {"key": "odd", "type": "text", "visible_when": {"nonsense_operator": [1]}},
    {"key": "meta", "type": "text", "default": {"not": "taken"}},
]


def keys(shown: list[Any]) -> list[str]:
    return [item.field["key"] for item in shown]


def test_a_new_record_starts_from_defaults_and_computes_its_formulas() -> None:
    values = new_values(FIELDS, {}, frozenset(), CTX)
    # no object default, no owner (the server fills it), no formula the browser cannot parse
    assert values == {"kind": "a", "qty": 2, "price": 20, "total": 40}


def test_prefill_sets_the_fields_the_caller_may_fill() -> None:
    values = new_values(FIELDS, {"kind": "b", "qty": 3, "total": 1}, frozenset({"qty"}), CTX)
    assert values["kind"] == "b" and values["qty"] == 2  # qty is read-only for the caller
    assert values["total"] == 40  # a formula is not filled by a prefill


def test_a_new_record_shows_what_one_fills_and_the_formulas_computed_here() -> None:
    values = new_values(FIELDS, {}, frozenset(), CTX)
    shown = shown_fields(FIELDS, values, None, frozenset({"qty"}), CTX)
    assert keys(shown) == ["kind", "qty", "price", "total", "note", "owner", "locked", "odd",
                           "meta"]
    state = {item.field["key"]: item for item in shown}
    assert state["qty"].disabled and not state["kind"].disabled
    assert state["note"].required  # required_when holds
    assert not state["owner"].required  # the server's default satisfies it on create
    assert not state["locked"].disabled  # editable_when locks only a saved record


def test_a_saved_record_shows_its_computed_fields_and_locks_by_editable_when() -> None:
    record = {"_id": "r", "kind": "b", "qty": 1, "price": 5, "total": 5, "count": 0,
              "only_b": "yes", "owner": "u1"}
    shown = shown_fields(FIELDS, record, record, frozenset(), CTX)
    assert keys(shown) == ["kind", "qty", "price", "total", "broken", "count", "only_b", "note",
                           "owner", "locked", "odd", "meta"]
    state = {item.field["key"]: item for item in shown}
    assert not state["locked"].disabled and not state["note"].required
    saved_a = {**record, "kind": "a"}
    state = {i.field["key"]: i for i in shown_fields(FIELDS, saved_a, saved_a, frozenset(), CTX)}
    assert state["locked"].disabled and state["note"].required and state["owner"].required
    assert "only_b" not in state


@pytest.mark.parametrize(("cookie", "header", "expected"), [
    ("en", "zh-CN,zh;q=0.9", "en"),
    ("zh-CN", "en-US", "zh-CN"),
    ("fr", "zh-TW,en;q=0.5", "zh-CN"),
    (None, "en-US,zh-CN;q=0.9", "en"),
    (None, "zh", "zh-CN"),
    (None, None, "en"),
    (None, "de-DE", "en"),
])
def test_the_language_is_the_picked_one_else_the_browsers_first(
        cookie: str | None, header: str | None, expected: str) -> None:
    assert page_locale(cookie, header) == expected


def test_the_templates_file_is_read_per_build(tmp_path: Path) -> None:
    templates = TemplateFile(tmp_path)
    assert templates.load() is None  # no file: no first paint
    target = tmp_path / "first-paint" / "templates.json"
    target.parent.mkdir()
    target.write_text("{not json", encoding="utf-8")
    assert templates.load() is None
    target.write_text(json.dumps({"format": 1, "locales": {"en": {
        "page": {"form": "<main>{{ page.title }}</main>"},
        "fields": {"text": "<i>{{ f.text }}</i>"},
        "messages": {"form.newTitle": "New {form}"}}}}), encoding="utf-8")
    loaded = templates.load()
    assert loaded is not None
    en = loaded.of("en")
    assert en.field("text").render(f={"text": "<b>"}) == "<i>&lt;b&gt;</i>"
    assert en.message("form.newTitle", form="Deal") == "New Deal"
    for missing in (lambda: en.field("number"), lambda: en.message("nope"),
                    lambda: en.page("public"), lambda: loaded.of("zh-CN")):
        with pytest.raises(CannotDraw):
            missing()
    with pytest.raises(CannotDraw):
        parse({"format": 2, "locales": {}})
