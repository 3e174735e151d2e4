"""Record validation: ``validate_record`` turns submitted JSON into column-ready values,
child rows, errors, references and serial requests; ``to_json`` goes back.

The per-type work lives on the types; this module only orchestrates, in named passes:
accept input -> apply defaults (create) -> compute formulas -> conditions and required ->
form-level rules -> references and serials.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial as bind
from typing import Any

from engines.form import expr
from engines.form.messages import message
from engines.form.model import (
    FieldError,
    LinkageRequest,
    RecordContext,
    RecordResult,
)
from engines.form.types import field_types
from engines.form.types.base import FieldType, Invalid, RowErrors, jsonable, outer_readable

ROW_ID = "_id"  # a sub-form row may carry its own _id, so the platform can keep that row
_CONDITIONS = ("visible_when", "editable_when", "required_when")


@dataclass(frozen=True)
class _Shape:
    """What the passes need to know about a list of fields, worked out once per list.

    Definitions are immutable once published, and the platform hands the same list object to
    every record of a version, so this is computed once and then looked up by identity.
    """

    fields: Any  # the list itself: keeps its id from being reused while cached
    by_key: dict[str, Mapping[str, Any]]
    types: dict[str, FieldType]
    late: frozenset[str]  # fields that read the record (sub-forms with row formulas)
    conditional: frozenset[str]  # fields with visible_when / editable_when / required_when
    allocating: tuple[Mapping[str, Any], ...]
    live: tuple[tuple[Mapping[str, Any], frozenset[str]], ...]  # see live_formulas


_SHAPES: dict[int, _Shape] = {}
_SHAPES_BY_KEY: dict[int, _Shape] = {}


def shape(fields: Any) -> _Shape:
    cached = _SHAPES.get(id(fields))
    if cached is not None and cached.fields is fields:
        return cached
    by_key = {f["key"]: f for f in fields}
    types = {k: field_types.get(f["type"]) for k, f in by_key.items()}
    made = _Shape(
        fields=fields, by_key=by_key, types=types,
        late=frozenset(k for k, ft in types.items() if ft.reads_record),
        conditional=frozenset(k for k, f in by_key.items() if any(c in f for c in _CONDITIONS)),
        allocating=tuple(f for k, f in by_key.items() if types[k].allocates),
        live=_live(fields, types))
    if len(_SHAPES) > 2048:
        _SHAPES.clear()
        _SHAPES_BY_KEY.clear()
    _SHAPES[id(fields)] = made
    _SHAPES_BY_KEY[id(by_key)] = made
    return made


@dataclass
class Rows:
    """What one pass over a list of fields produced, before it is placed into a result."""

    values: dict[str, Any] = field(default_factory=dict)  # normalised values of given fields
    merged: dict[str, Any] = field(default_factory=dict)  # existing + values + computed
    problems: list[tuple[str, Invalid]] = field(default_factory=list)

    def fail(self, path: str, exc: Invalid) -> None:
        self.problems.append((path, exc))

    def take(self, key: str, produce: Callable[[], Any]) -> None:
        """Store what ``produce`` gives as ``key``'s value, or its errors under ``key``."""
        try:
            self.values[key] = produce()
        except Invalid as exc:
            self.fail(key, exc)
        except RowErrors as exc:
            for sub, inner in exc.errors:
                self.fail(key + sub, inner)


def validate_record(
    form: Mapping[str, Any],
    data: Mapping[str, Any],
    *,
    existing: Mapping[str, Any] | None = None,
    partial: bool = False,
    context: RecordContext | None = None,
) -> RecordResult:
    """Validate one record of a checked form.

    ``existing``: the stored record (column values by key, sub-form key -> list of child rows)
    for an update; ``None`` on create (then defaults apply and serials are requested).
    ``partial``: PATCH, only keys present are validated and written; otherwise fields absent
    from ``data`` are written as empty.
    """
    ctx = context or RecordContext()
    fields = form.get("fields") or []
    creating = existing is None
    result = RecordResult()
    if not isinstance(data, Mapping):
        result.errors.append(_error("", Invalid("invalid_type", expected="object"), ctx))
        return result
    rows = validate_fields(fields, data, existing=existing or {}, partial=partial,
                           creating=creating, ctx=ctx)
    if creating:
        result.linkages = _linkages(fields, data, rows.merged)
    _form_rules(form, rows, ctx)
    known = shape(fields)
    for key, value in rows.values.items():
        f, ft = known.by_key[key], known.types[key]
        place(ft, f, value, result)
        result.references += ft.references(f, value, key)
    if creating:
        for f in known.allocating:
            ft = known.types[f["key"]]
            result.serials.append(ft.request(f, form.get("key", ""), ctx))
    result.errors = [_error(path, exc, ctx) for path, exc in rows.problems]
    return result


def place(ft: FieldType, field: Mapping[str, Any], value: Any, result: RecordResult) -> None:
    """Put a value where it is stored: a column of the parent table or child rows."""
    if ft.in_child_table(field):
        result.children[field["key"]] = ft.child_rows(field, value)
    elif ft.stored:
        result.values[field["key"]] = value


def validate_fields(
    fields: list[Mapping[str, Any]],
    data: Mapping[str, Any],
    *,
    existing: Mapping[str, Any],
    partial: bool,
    creating: bool,
    ctx: RecordContext,
    allow_row_id: bool = False,
) -> Rows:
    """The passes over one list of fields: a record's, or one sub-form row's."""
    known = shape(fields)
    by_key = known.by_key
    rows = Rows(merged=dict(existing))
    late = known.late
    _accept(by_key, {k: v for k, v in data.items() if k not in late}, rows, ctx, allow_row_id)
    rows.merged.update(rows.values)
    if creating:
        _defaults(fields, data, rows, ctx)  # a default formula sees the values given
    if late:  # sub-form rows see the record's values (their formulas may read them)
        outer = replace(ctx, outer=record_view(fields, rows.merged), stored=existing)
        _accept(by_key, {k: v for k, v in data.items() if k in late}, rows, outer, allow_row_id)
        if partial and not creating:
            _rederive(fields, data, existing, rows, outer)
    if not partial:  # a full write: what is not given is empty
        for key, ft in known.types.items():
            if not ft.read_only:
                rows.values.setdefault(key, None)
    rows.merged.update(rows.values)
    _compute(fields, rows, ctx)
    _conditions(fields, data, existing, rows, partial, creating, ctx)
    return rows


def _rederive(
    fields: list[Mapping[str, Any]],
    data: Mapping[str, Any],
    existing: Mapping[str, Any],
    rows: Rows,
    outer: RecordContext,
) -> None:
    """On a PATCH of record fields that stored sub-form rows read (a row formula using the
    order's discount), the stored rows are derived again and written back whole."""
    for f in fields:
        key = f["key"]
        ft = field_types.get(f["type"])
        if not ft.reads_record or key in data or not existing.get(key):
            continue
        if not ft.record_reads(f) & set(data):
            continue
        rows.take(key, bind(ft.rederive, f, existing[key], outer))


def record_view(fields: list[Mapping[str, Any]], merged: Mapping[str, Any]) -> dict[str, Any]:
    """The record's values a sub-form row may read, as JSON."""
    return {
        f["key"]: field_types.get(f["type"]).to_json(f, merged.get(f["key"]))
        for f in fields
        if outer_readable(f)
    }


def _by_key(fields: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return shape(fields).by_key


def shape_types(by_key: Mapping[str, Mapping[str, Any]]) -> dict[str, FieldType]:
    """The types of a by_key map that came from `shape` (the common case), else resolved."""
    cached = _SHAPES_BY_KEY.get(id(by_key))
    if cached is not None and cached.by_key is by_key:
        return cached.types
    return {k: field_types.get(f["type"]) for k, f in by_key.items()}


def _accept(
    by_key: Mapping[str, Mapping[str, Any]],
    data: Mapping[str, Any],
    rows: Rows,
    ctx: RecordContext,
    allow_row_id: bool,
) -> None:
    types = shape_types(by_key)
    for key, raw in data.items():
        if allow_row_id and key == ROW_ID:
            try:
                rows.values[ROW_ID] = parse_uuid(raw)
            except Invalid as exc:
                rows.fail(key, exc)
            continue
        if not isinstance(key, str) or key.startswith("_"):
            rows.fail(str(key), Invalid("system_field", field=key))
            continue
        f = by_key.get(key)
        if f is None:
            rows.fail(key, Invalid("unknown_field", field=key))
            continue
        ft = types[key]
        if ft.read_only:
            rows.fail(key, Invalid("read_only", field=key))
            continue
        rows.take(key, bind(ft.normalise, f, raw, ctx))


def _defaults(
    fields: list[Mapping[str, Any]], data: Mapping[str, Any], rows: Rows, ctx: RecordContext
) -> None:
    """On create, fields not given take their static default or default formula."""
    types = shape(fields).types
    for f in fields:
        key = f["key"]
        ft = types[key]
        if key in data or ft.read_only:
            continue
        try:
            if "default" in f:
                rows.values[key] = ft.normalise(f, f["default"], ctx)
            elif ft.dynamic_default(f, ctx) is not None:
                rows.values[key] = ft.normalise(f, ft.dynamic_default(f, ctx), ctx)
            elif "default_formula" in f and expr.available():
                raw = expr.evaluate(f["default_formula"], _view(fields, rows.merged, ctx), ctx)
                rows.values[key] = ft.normalise(f, jsonable(raw), ctx)
            else:
                continue
            rows.merged[key] = rows.values[key]
        except (Invalid, RowErrors):
            continue  # a default that does not fit is left out, the field stays empty
        except Exception:
            continue


def _compute(fields: list[Mapping[str, Any]], rows: Rows, ctx: RecordContext) -> None:
    """Computed fields, each after the computed fields it reads."""
    for f in compute_order(fields):
        ft = field_types.get(f["type"])
        try:
            value = ft.compute(f, _view(fields, rows.merged, ctx), ctx)
        except Invalid as exc:
            rows.fail(f["key"], exc)
            value = None
        rows.values[f["key"]] = value
        rows.merged[f["key"]] = value


def compute_order(fields: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Computed fields in dependency order (a cycle is a definition error; here it just stops)."""
    computed = {
        f["key"]: f for f in fields if field_types.get(f["type"]).computed
    }
    order: list[Mapping[str, Any]] = []
    state: dict[str, int] = {}

    def visit(key: str) -> None:
        if state.get(key):
            return
        state[key] = 1
        f = computed[key]
        for dep in field_types.get(f["type"]).depends_on(f):
            if dep in computed:
                visit(dep)
        state[key] = 2
        order.append(f)

    for key in computed:
        visit(key)
    return order


def _live(fields: Any, types: Mapping[str, FieldType]
          ) -> tuple[tuple[Mapping[str, Any], frozenset[str]], ...]:
    read_through = {k for k, ft in types.items() if not ft.stored}
    reads: dict[str, frozenset[str]] = {}  # live formula -> read-through fields it reaches
    for f in compute_order(list(fields)):
        ft = types[f["key"]]
        if ft.allocates:
            continue
        deps = ft.depends_on(f)
        reached = (deps & read_through).union(*(reads[d] for d in deps if d in reads))
        if reached:
            reads[f["key"]] = frozenset(reached)
    return tuple((f, reads[f["key"]]) for f in compute_order(list(fields)) if f["key"] in reads)


def live_formulas(form: Mapping[str, Any]) -> list[str]:
    """Formulas that read, directly or through other formulas, a field shown from other
    records (lookup, rollup). What they read changes without this record being saved, so
    their stored value is only right as of the last save: `refresh_live` computes them
    again over a record as it is read."""
    return [f["key"] for f, _ in shape(form.get("fields") or []).live]


def refresh_live(form: Mapping[str, Any], record: Mapping[str, Any],
                 ctx: RecordContext | None = None) -> dict[str, Any]:
    """`record` (JSON values, as `to_json` gives) with its live formulas computed again from
    the lookups and rollups it carries. A formula whose read-through fields are not all in
    `record` (not read, or hidden from the caller) keeps its stored value."""
    live = shape(form.get("fields") or []).live
    out = dict(record)
    if not live:
        return out
    ctx = ctx or RecordContext()
    view = {**(ctx.outer or {}), **out}
    for f, reached in live:
        if not reached <= out.keys():
            continue
        ft = field_types.get(f["type"])
        try:
            value = ft.to_json(f, ft.compute(f, view, ctx))
        except Invalid:
            value = None
        out[f["key"]] = view[f["key"]] = value
    return out


def _conditions(
    fields: list[Mapping[str, Any]],
    data: Mapping[str, Any],
    existing: Mapping[str, Any],
    rows: Rows,
    partial: bool,
    creating: bool,
    ctx: RecordContext,
) -> None:
    """visible_when / editable_when / required_when and ``required``."""
    view: dict[str, Any] | None = None
    known = shape(fields)
    for f in fields:
        key = f["key"]
        ft = known.types[key]
        # A PATCH that leaves a field out may still make it required: "stage → lost" needs
        # a lost reason even when the edit does not touch `lost_reason`.
        absent = partial and key not in data
        if ft.read_only or (absent and "required_when" not in f):
            continue
        if key in known.conditional and view is None:
            view = _view(fields, rows.merged, ctx)
        locked = (
            key in data
            and not creating
            and "editable_when" in f
            and not condition(f["editable_when"], view, ctx, default=True)
        )
        if locked and ft.to_json(f, rows.values.get(key)) != ft.to_json(f, existing.get(key)):
            rows.fail(key, Invalid("not_editable", field=key))
            continue
        required = (bool(f.get("required")) and not absent) or (
            "required_when" in f and condition(f["required_when"], view, ctx, default=False)
        )
        visible = "visible_when" not in f or condition(f["visible_when"], view, ctx, default=True)
        failed = bool(rows.problems) and any(p == key or p.startswith(key + "[")
                                             for p, _ in rows.problems)
        if required and visible and not failed and ft.is_empty(rows.merged.get(key)):
            rows.fail(key, Invalid("required", field=key))


def condition(
    expression: Any, view: Mapping[str, Any] | None, ctx: RecordContext, *, default: bool
) -> bool:
    """Evaluate a condition; without the rules engine, or when it fails, use ``default``."""
    if not expr.available():
        return default
    try:
        return expr.truthy(expr.evaluate(expression, view or {}, ctx))
    except Exception:
        return default


def _view(
    fields: list[Mapping[str, Any]], merged: Mapping[str, Any], ctx: RecordContext | None
) -> dict[str, Any]:
    """The record as expressions see it: JSON values by field key (system keys included)."""
    known = shape(fields)
    out: dict[str, Any] = dict(ctx.outer or {}) if ctx is not None else {}
    for key, value in merged.items():
        f = known.by_key.get(key)
        out[key] = jsonable(value) if f is None else known.types[key].to_json(f, value)
    return out


def _form_rules(form: Mapping[str, Any], rows: Rows, ctx: RecordContext) -> None:
    rules = form.get("validations") or []
    if not rules or not expr.available() or rows.problems:
        return
    view = _view(list(form.get("fields") or []), rows.merged, ctx)
    for i, rule in enumerate(rules):
        try:
            ok = expr.truthy(expr.evaluate(rule["expr"], view, ctx))
        except Exception as exc:
            rows.fail(rule.get("path", ""), Invalid("expression_error", reason=str(exc), rule=i))
            continue
        if not ok:
            msg = rule.get("message") or {}
            rows.fail(rule.get("path", ""), Invalid("rule_failed", rule=i, message=msg))


def _linkages(
    fields: list[Mapping[str, Any]], data: Mapping[str, Any], merged: Mapping[str, Any]
) -> list[LinkageRequest]:
    out = []
    for f in fields:
        link = f.get("default_linkage")
        if not link or f["key"] in data:
            continue
        pairs = [(their, merged.get(ours)) for their, ours in link["match"].items()]
        if any(v is None for _, v in pairs):
            continue
        clauses = [{"==": [{"var": their}, jsonable(v)]} for their, v in pairs]
        out.append(LinkageRequest(path=f["key"], field=f["key"], form=link["form"],
                                  filter=clauses[0] if len(clauses) == 1 else {"and": clauses},
                                  take=link["take"]))
    return out


def _error(path: str, exc: Invalid, ctx: RecordContext) -> FieldError:
    params = dict(exc.params)
    msg = params.get("message") if exc.code == "rule_failed" else None
    if isinstance(msg, Mapping) and msg:
        text = msg.get(ctx.locale) or msg.get("en") or next(iter(msg.values()))
    else:
        text = message(exc.code, params, ctx.locale)
    return FieldError(path=path, code=exc.code, message=text, params=jsonable(params))


def parse_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise Invalid("invalid_id")


def to_json(form: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """DB values of a record -> JSON values. Keys that are not fields (system columns) are
    converted generically; a sub-form key holding child rows is converted row by row."""
    by_key = _by_key(list(form.get("fields") or []))
    out: dict[str, Any] = {}
    for key, value in row.items():
        f = by_key.get(key)
        out[key] = jsonable(value) if f is None else field_types.get(f["type"]).to_json(f, value)
    return out
