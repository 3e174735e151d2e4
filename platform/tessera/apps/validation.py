"""Validating an app definition: the JSON Schema envelope, then each engine's own checks.

Every error names the exact path in the definition (`forms[1].fields[3].type: unknown type
'nubmer'`), so the designer can point at the offending field and an import can say what to fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tessera.api.errors import FieldProblem, ValidationFailed

SCHEMA_PATH = Path(__file__).with_name("app.schema.json")
SYSTEM_FIELD_TYPES = {"_owner": "member", "_department": "department",
                      "_created_by": "member", "_updated_by": "member",
                      "_created_at": "datetime", "_updated_at": "datetime"}
SECTIONS = ("forms", "views", "flows", "rules", "reports", "dashboards", "roles")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def format_path(parts: Iterable[Any]) -> str:
    """deque(['forms', 1, 'fields', 3, 'type']) -> 'forms[1].fields[3].type'."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _schema_problems(definition: Any) -> list[FieldProblem]:
    problems = []
    for error in sorted(_validator().iter_errors(definition), key=lambda e: list(e.path)):
        path = format_path(error.absolute_path) or "$"
        problems.append(FieldProblem(path, f"schema.{error.validator}", error.message))
    return problems


def _duplicate_keys(definition: dict[str, Any]) -> list[FieldProblem]:
    problems = []
    for section in SECTIONS:
        seen: dict[str, int] = {}
        for i, item in enumerate(definition.get(section) or []):
            key = item.get("key") if isinstance(item, dict) else None
            if key in seen:
                problems.append(FieldProblem(
                    f"{section}[{i}].key", "duplicate_key",
                    f"{section[:-1]} key {key!r} is already used by {section}[{seen[key]}]",
                    {"key": key}))
            elif key is not None:
                seen[key] = i
    return problems


def _form_problems(definition: dict[str, Any]) -> list[FieldProblem]:
    from engines.form import check_form

    forms = {f["key"]: f for f in definition.get("forms", []) if isinstance(f, dict) and "key" in f}
    problems = []
    for i, form in enumerate(definition.get("forms", [])):
        for err in check_form(form, path=f"forms[{i}]", forms=forms):
            # the form engine's own codes and English words for the designer: kept as they
            # are (locale "en"), not matched against the platform's codes of the same name
            problems.append(FieldProblem(err.path, err.code, err.message, locale="en"))
    return problems


def _print_template_problems(definition: dict[str, Any]) -> list[FieldProblem]:
    """A print template that does not compile is refused at import, with its line."""
    from tessera.printing.sandbox import compile_problem

    problems = []
    for i, form in enumerate(definition.get("forms", [])):
        for j, template in enumerate(form.get("print_templates") or []):
            problem = compile_problem(template.get("template", ""))
            if problem is not None:
                line = f" (line {problem.line})" if problem.line else ""
                problems.append(FieldProblem(f"forms[{i}].print_templates[{j}].template",
                                             problem.code, problem.message + line))
    return problems


def _role_problems(definition: dict[str, Any]) -> list[FieldProblem]:
    """Roles name forms, actions, scopes and fields that must exist (a typo in a permission
    would otherwise silently grant or hide nothing)."""
    from engines.rules import check
    from tessera.permissions import ACTIONS, APP_ADMIN_ROLE, CALLER_VARIABLES, SCOPES

    forms = {f["key"]: f for f in definition.get("forms", [])}
    problems = []
    for r, role in enumerate(definition.get("roles") or []):
        if role["key"] == APP_ADMIN_ROLE:
            problems.append(FieldProblem(f"roles[{r}].key", "reserved_key",
                                         "'admin' is the built-in app administrator role"))
        for p, perm in enumerate(role.get("permissions") or []):
            path = f"roles[{r}].permissions[{p}]"
            form = forms.get(perm.get("form"))
            if form is None:
                problems.append(FieldProblem(f"{path}.form", "unknown_form",
                                             f"unknown form {perm.get('form')!r}",
                                             {"form": perm.get("form")}))
                continue
            for a, action in enumerate(perm.get("actions") or []):
                if action not in ACTIONS:
                    problems.append(FieldProblem(f"{path}.actions[{a}]", "unknown_action",
                                                 f"unknown action {action!r}",
                                                 {"action": action}))
            scope = perm.get("scope", "own")
            if isinstance(scope, dict):
                types = {**CALLER_VARIABLES, **SYSTEM_FIELD_TYPES,
                         **{f["key"]: f["type"] for f in form.get("fields", [])}}
                for err in check(scope, types):
                    problems.append(FieldProblem(f"{path}.scope", "invalid_expression",
                                                 f"{format_path(err.path)}: {err.message}"))
            elif scope not in SCOPES:
                problems.append(FieldProblem(f"{path}.scope", "unknown_scope",
                                             f"unknown scope {scope!r}", {"scope": scope}))
            keys = {f["key"] for f in form.get("fields", [])}
            for kind in ("hidden", "readonly"):
                for i, key in enumerate((perm.get("fields") or {}).get(kind) or []):
                    if key not in keys:
                        problems.append(FieldProblem(f"{path}.fields.{kind}[{i}]",
                                                     "unknown_field", f"unknown field {key!r}",
                                                     {"field": key}))
    return problems


def _view_problems(definition: dict[str, Any]) -> list[FieldProblem]:
    """Views name a form and fields of it (columns, filter, sort, kanban grouping, calendar
    dates): a typo would show an empty board or fail for every user, so it is refused here."""
    from tessera.views.spec import config_problems

    forms = {f["key"]: f for f in definition.get("forms", [])}
    problems = []
    for v, view in enumerate(definition.get("views") or []):
        form = forms.get(view.get("form"))
        if form is None:
            problems.append(FieldProblem(f"views[{v}].form", "unknown_form",
                                         f"unknown form {view.get('form')!r}",
                                         {"form": view.get("form")}))
            continue
        problems += config_problems(view, form, prefix=f"views[{v}].")
    return problems


def definition_problems(definition: Any) -> list[FieldProblem]:
    problems = _schema_problems(definition)
    if problems:  # engines may assume the envelope's shape
        return problems
    return (_duplicate_keys(definition) + _form_problems(definition)
            + _role_problems(definition) + _view_problems(definition)
            + _print_template_problems(definition))


def validate_definition(definition: Any) -> dict[str, Any]:
    problems = definition_problems(definition)
    if problems:
        summary = "; ".join(f"{p.path}: {p.message}" for p in problems[:5])
        raise ValidationFailed(f"The app definition is not valid: {summary}",
                               code="invalid_definition", errors=problems)
    return definition
