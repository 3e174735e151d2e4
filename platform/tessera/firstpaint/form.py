"""Which fields the form shows, with which values, as the browser's record form decides on its
first render (frontend/src/form/RecordForm.tsx `visibleFieldsOf`, values.ts, visibility.ts):

- the values: a saved record's as the API answers them; a new record's from the fields'
  literal `default` (`?prefill=` sets it for the fields the caller may fill), else their
  `default_formula`, then the formulas computed over them (`withFirstFormulas`);
- what conditions read: those values by field key (`valuesForExpressions`);
- shown: `visible_when` true (a condition that fails shows the field); a new record shows only
  the fields one can fill and the formulas the browser computes;
- required: `required`, or `required_when` true (not on a new record for a field the server
  fills when left empty); disabled: read-only for the caller (field permission) or, on a saved
  record, `editable_when` false.

Conditions go through the engines' expression language (`engines.form.record.condition`, the
same defaults as the browser's: visible, not required, editable when one fails).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engines.form import RecordContext, field_types
from engines.form import expr as form_expr
from engines.form.record import compute_order, condition
from engines.form.types.base import Invalid, jsonable, outer_readable
from tessera.firstpaint.templates import CannotDraw

FieldDef = Mapping[str, Any]
#: defaults the server applies on create to a field left empty (visibility.ts SERVER_DEFAULTS)
SERVER_DEFAULTS = ("default", "default_formula", "default_current", "default_linkage")
CONDITIONS = ("visible_when", "required_when", "editable_when")


@dataclass(frozen=True)
class Shown:
    """One field the form shows, with its value (API shape) and state."""

    field: FieldDef
    value: Any
    required: bool
    disabled: bool


def editable(fdef: FieldDef) -> bool:
    """registry.ts `isEditable`: the browser has an editor for it (not computed by the server)."""
    try:
        return not field_types.get(fdef["type"]).read_only
    except Exception:
        return False  # a type this server does not know: the browser shows it read-only


def _tree(expression: Any) -> Any:
    """An expression as the browser holds it after `withTrees`: formula text becomes the
    server's parse of it; text it cannot parse is None (the browser drops it)."""
    if expression is None or not isinstance(expression, str):
        return expression
    try:
        return form_expr.to_tree(expression)
    except Exception:
        return None


def computes_here(fdef: FieldDef) -> bool:
    """formulas.ts `computesHere`: a formula the browser evaluates (it has its tree)."""
    return fdef["type"] == "formula" and _tree(fdef.get("formula")) is not None


def new_values(fields: Sequence[FieldDef], prefill: Mapping[str, Any], readonly: frozenset[str],
               ctx: RecordContext) -> dict[str, Any]:
    """A new record's first values (`withPrefill`, `defaultValues`, `withFirstFormulas`)."""
    values: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for fdef in fields:
        key = fdef["key"]
        default = fdef.get("default")
        if key in prefill and editable(fdef) and key not in readonly:
            default = prefill[key]
        if default is not None:
            if not isinstance(default, Mapping):  # an object default is never taken
                values[key] = data[key] = default
            continue
        tree = _tree(fdef.get("default_formula")) if editable(fdef) else None
        if tree is None:
            continue
        try:
            raw = form_expr.evaluate(tree, data, ctx)
        except Exception:
            continue  # as on the server: a default that cannot be computed stays empty
        if raw is not None:
            values[key] = data[key] = _as_field_json(fdef, jsonable(raw), ctx)
    return _with_formulas(fields, values, ctx)


def _as_field_json(fdef: FieldDef, raw: Any, ctx: RecordContext) -> Any:
    """A computed value in the field's JSON shape, as the server stores it (formulaResult.ts
    is the browser's port of the same steps)."""
    field_type = field_types.get(fdef["type"])
    try:
        return field_type.to_json(fdef, field_type.normalise(fdef, raw, ctx))
    except Invalid:
        raise CannotDraw(f"a default the field {fdef['key']!r} would not take") from None


def _with_formulas(fields: Sequence[FieldDef], values: dict[str, Any],
                   ctx: RecordContext) -> dict[str, Any]:
    """The formulas the browser computes, over the first values, in the server's order."""
    view = {f["key"]: values.get(f["key"]) for f in fields}
    for fdef in filter(computes_here, compute_order(list(fields))):
        values[fdef["key"]] = view[fdef["key"]] = _formula_json(fdef, view, ctx)
    return values


def _formula_json(fdef: FieldDef, view: Mapping[str, Any], ctx: RecordContext) -> Any:
    """One formula's value as the server would store and answer it (None when it fails)."""
    formula = field_types.get("formula")
    try:
        return formula.to_json(fdef, formula.compute(fdef, view, ctx))
    except Invalid:
        return None


def expression_data(fields: Sequence[FieldDef], values: Mapping[str, Any],
                    record: Mapping[str, Any] | None) -> dict[str, Any]:
    """values.ts `valuesForExpressions`: every field's value, the record's system keys too."""
    data = dict(record or {})
    for fdef in fields:
        data[fdef["key"]] = values.get(fdef["key"])
    return data


def condition_holds(expression: Any, data: Mapping[str, Any], ctx: RecordContext, *,
                    default: bool) -> bool:
    """A condition as the browser evaluates it (its tree, `default` when it fails)."""
    return condition(_tree(expression), data, ctx, default=default)


def record_view(fields: Sequence[FieldDef], data: Mapping[str, Any]) -> dict[str, Any]:
    """visibility.ts `recordView`: what a sub-form row's expressions read of the record, its
    outer-readable fields (None when empty), as engines/form record.py `record_view`."""
    return {fdef["key"]: data.get(fdef["key"]) for fdef in fields if outer_readable(fdef)}


def shown_fields(fields: Sequence[FieldDef], values: Mapping[str, Any],
                 record: Mapping[str, Any] | None, readonly: frozenset[str],
                 ctx: RecordContext) -> list[Shown]:
    """The fields the form draws, in order, with their values and state."""
    creating = record is None
    data = expression_data(fields, values, record)
    out = []
    for fdef in fields:
        if "visible_when" in fdef and not condition_holds(fdef["visible_when"], data, ctx,
                                                          default=True):
            continue
        can_edit = editable(fdef)
        if creating and not (can_edit or computes_here(fdef)):
            continue
        out.append(Shown(field=fdef, value=values.get(fdef["key"]),
                         required=required(fdef, data, creating, can_edit, ctx),
                         disabled=fdef["key"] in readonly or (
                             not creating and locked(fdef, data, ctx))))
    return out


def required(fdef: FieldDef, data: Mapping[str, Any], creating: bool, can_edit: bool,
              ctx: RecordContext) -> bool:
    """FieldItem's mark: `required` with an editor, or `withRequired`'s `required_when`."""
    if fdef.get("required"):
        return can_edit
    when = _tree(fdef.get("required_when"))
    if when is None or (creating and any(fdef.get(k) is not None for k in SERVER_DEFAULTS)):
        return False
    return can_edit and condition(when, data, ctx, default=False)


def locked(fdef: FieldDef, data: Mapping[str, Any], ctx: RecordContext) -> bool:
    """visibility.ts `isLocked`: a saved record's field whose `editable_when` is false now."""
    when = _tree(fdef.get("editable_when"))
    return when is not None and not condition(when, data, ctx, default=True)
