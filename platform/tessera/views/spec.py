"""What a view may say, checked the same way for a definition's `views` and for saved views.

A view is a way of looking at one form's records: a table (columns), a kanban (columns of cards
grouped by a select field) or a calendar (records placed on the days of a date field), each
with an optional filter and sort. A view that names a missing field would show an empty column
or fail at run time, so every field it names is checked here, with the exact path, before it is
stored. Pure: no database, no request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tessera.api.errors import FieldProblem

VIEW_TYPES = ("table", "kanban", "calendar")
DATE_TYPES = ("date", "datetime")
SYSTEM_COLUMNS = {"_created_at": "datetime", "_updated_at": "datetime", "_owner": "member",
                  "_created_by": "member", "_updated_by": "member", "_department": "department",
                  "_flow_status": "text", "_version": "number", "_id": "text"}
CONFIG_KEYS = ("type", "columns", "filter", "sort", "group_by", "date_field", "end_field")
# sub-forms are a table of their own: no column, sort, group or date can be one of them
NOT_SORTABLE = {"subform", "lookup", "rollup", "address", "location", "attachment", "image",
                "signature", "multiselect", "members", "departments", "richtext"}


def field_types_of(form: Mapping[str, Any], hidden: Iterable[str] = ()) -> dict[str, str]:
    """Field key -> type, without the fields hidden from the caller (a view may not name them)."""
    gone = set(hidden)
    return {f["key"]: f["type"] for f in form.get("fields", [])
            if isinstance(f, Mapping) and "key" in f and f["key"] not in gone}


def _problem(path: str, code: str, message: str,
             params: dict[str, Any] | None = None) -> FieldProblem:
    return FieldProblem(path, code, message, params or {})


def _field_ref(types: Mapping[str, str], key: Any, path: str, *, allowed: tuple[str, ...],
               what: str) -> list[FieldProblem]:
    if not isinstance(key, str) or key not in types:
        return [_problem(path, "unknown_field", f"unknown field {key!r}", {"field": key})]
    if types[key] not in allowed:
        return [_problem(path, "wrong_field_type",
                         f"{key!r} is a {types[key]} field; {what}", {"field": key})]
    return []


def _columns(config: Mapping[str, Any], types: Mapping[str, str], prefix: str) -> list:
    columns = config.get("columns")
    if columns is None:
        return []
    if not isinstance(columns, list):
        return [_problem(f"{prefix}columns", "invalid", "a list of field keys")]
    problems = []
    for i, key in enumerate(columns):
        if not (isinstance(key, str) and (key in types or key in SYSTEM_COLUMNS)):
            problems.append(_problem(f"{prefix}columns[{i}]", "unknown_field",
                                     f"unknown field {key!r}", {"field": key}))
    return problems


def _sort(config: Mapping[str, Any], types: Mapping[str, str], prefix: str) -> list:
    sort = config.get("sort")
    if sort is None or sort == "":
        return []
    if not isinstance(sort, str):
        return [_problem(f"{prefix}sort", "invalid", "a text like 'a,-b'")]
    problems = []
    for i, token in enumerate(t.strip() for t in sort.split(",")):
        key = token.lstrip("-")
        if key in SYSTEM_COLUMNS:
            continue
        if key not in types:
            problems.append(_problem(f"{prefix}sort[{i}]", "unknown_field",
                                     f"unknown field {key!r}", {"field": key}))
        elif types[key] in NOT_SORTABLE:
            problems.append(_problem(f"{prefix}sort[{i}]", "not_sortable",
                                     f"a {types[key]} field cannot be sorted by"))
    return problems


def _filter(config: Mapping[str, Any], types: Mapping[str, str], prefix: str) -> list:
    expression = config.get("filter")
    if expression is None:
        return []
    from engines.rules import check
    from tessera.apps.validation import format_path

    return [_problem(f"{prefix}filter", "invalid_filter",
                     f"{format_path(err.path)}: {err.message}" if err.path else err.message)
            for err in check(expression, dict(types))]


def _by_type(config: Mapping[str, Any], types: Mapping[str, str], prefix: str) -> list:
    kind = config.get("type", "table")
    if kind not in VIEW_TYPES:
        return [_problem(f"{prefix}type", "unknown_view_type",
                         f"unknown view type {kind!r}; one of {', '.join(VIEW_TYPES)}")]
    if kind == "kanban":
        if config.get("group_by") is None:
            return [_problem(f"{prefix}group_by", "required",
                             "a kanban needs group_by: a select field")]
        return _field_ref(types, config["group_by"], f"{prefix}group_by", allowed=("select",),
                          what="a kanban groups by a select field")
    if kind == "calendar":
        if config.get("date_field") is None:
            return [_problem(f"{prefix}date_field", "required",
                             "a calendar needs date_field: a date or datetime field")]
        problems = _field_ref({**types, "_created_at": "datetime", "_updated_at": "datetime"},
                              config["date_field"], f"{prefix}date_field",
                              allowed=DATE_TYPES, what="a calendar needs a date or datetime")
        if config.get("end_field") is not None:
            problems += _field_ref(types, config["end_field"], f"{prefix}end_field",
                                   allowed=DATE_TYPES, what="an end needs a date or datetime")
        return problems
    return []


def config_problems(config: Mapping[str, Any], form: Mapping[str, Any], *, prefix: str = "",
                    hidden: Iterable[str] = ()) -> list[FieldProblem]:
    """Every problem of one view's settings against its form; [] when it can be used.

    `prefix` is the path of the view (`views[2].`, or '' for a request body); `hidden` are the
    fields the caller may not see, which a saved view may then not name either."""
    types = field_types_of(form, hidden)
    return (_by_type(config, types, prefix) + _columns(config, types, prefix)
            + _sort(config, types, prefix) + _filter(config, types, prefix))


def fields_named(config: Mapping[str, Any]) -> set[str]:
    """The fields a view's filter, sort, grouping and dates read (not its columns): a member
    who may not see one of them cannot use the view at all."""
    from engines.rules import fields_read

    named = {config.get("group_by"), config.get("date_field"), config.get("end_field")}
    named |= {t.strip().lstrip("-") for t in (config.get("sort") or "").split(",")}
    if config.get("filter") is not None:
        try:
            named |= {path.split(".")[0] for path in fields_read(config["filter"])}
        except Exception:  # an expression stored before a rule change: treat as unusable
            named.add("\0")
    return {n for n in named if n}


def view_for_caller(view: Mapping[str, Any], hidden: frozenset[str] | set[str]
                    ) -> dict[str, Any] | None:
    """A view as a member who may not see `hidden` may use it: hidden columns left out; None
    when its filter, sort, grouping or dates read a hidden field (it could not run for them,
    and showing it would name the field)."""
    if not hidden:
        return dict(view)
    if fields_named(view) & set(hidden):
        return None
    out = dict(view)
    if "columns" in out:
        out["columns"] = [c for c in out["columns"] if c not in hidden]
    return out
