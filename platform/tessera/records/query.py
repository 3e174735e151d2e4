"""List queries over a form table: filter (an expression compiled to SQL), sort, keyset cursor.

The cursor is keyset-based (the last row's sort values plus `_id`), never OFFSET, so page 10,000
of a million records costs what page 1 costs. NULLs sort last ascending and first descending
(Postgres's defaults), and the keyset condition below spells that order out explicitly.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from engines.form import field_types
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.permissions.links import link_arrays, link_membership

SORT_TOKEN = re.compile(r"^-?[a-z_][a-z0-9_]{0,62}$")
MAX_LIMIT = 1000
SORTABLE_SYSTEM = ("_id", "_created_at", "_updated_at", "_owner", "_department", "_created_by",
                   "_updated_by", "_version", "_flow_status")


def filter_columns(form: Mapping[str, Any], table: Table,
                   hidden: frozenset[str] | set[str]) -> dict[str, Any]:
    """Columns a filter, sort or scope expression may name, in lists and exports alike:
    hidden fields are absent, so they cannot be probed by filtering or sorting either.
    Multiple relations are their arrays of linked ids (`permissions.links`)."""
    columns: dict[str, Any] = {key: table.c[key] for key in SORTABLE_SYSTEM}
    links = link_arrays(table)
    for f in form.get("fields") or []:
        ft = field_types.get(f["type"])
        if not (ft.filterable and ft.stored) or f["key"] in hidden:
            continue
        if f["key"] in table.c:
            columns[f["key"]] = table.c[f["key"]]
        elif f["key"] in links:
            columns[f["key"]] = links[f["key"]]
    return columns


def compile_filter(expression: Any, table: Table, columns: dict[str, Any]) -> Any:
    """A filter expression as SQL over `columns` of `table`. "Links to record X" tests on
    multiple relations, at any depth, become EXISTS semi-joins on the link table's `target`
    index (permissions.links): read as arrays they cost every row's links (a 200k-row form:
    3.3 s to count, against 10 ms). An expression the compiler refuses is a 422 naming the
    place in the filter."""
    if expression is None:
        return None
    from engines.rules import ExpressionError, to_sql

    try:
        return to_sql(expression, columns, membership=link_membership(table))
    except ExpressionError as exc:
        path = getattr(exc, "path", "") or ""
        raise ValidationFailed(f"The filter cannot be used: {exc}", code="invalid_filter",
                               errors=[FieldProblem("filter" + (f".{path}" if path else ""),
                                                    "invalid_filter", str(exc))]) from None


@dataclass(frozen=True)
class SortKey:
    key: str
    column: Any
    descending: bool


def parse_sort(sort: str | None, table: Table, sortable: set[str]) -> list[SortKey]:
    keys: list[SortKey] = []
    for i, token in enumerate(t.strip() for t in (sort or "").split(",") if t.strip()):
        if not SORT_TOKEN.match(token):
            raise ValidationFailed(f"Cannot sort by {token!r}.", code="invalid_sort",
                                   params={"field": token},
                                   errors=[FieldProblem(f"sort[{i}]", "invalid_sort",
                                                        "Not a field key.")])
        key = token.lstrip("-")
        if key not in sortable or key not in table.c:
            raise ValidationFailed(f"Cannot sort by {key!r}.", code="invalid_sort",
                                   params={"field": key},
                                   errors=[FieldProblem(f"sort[{i}]", "unknown_field",
                                                        f"No sortable field {key!r}.",
                                                        {"field": key})])
        keys.append(SortKey(key, table.c[key], token.startswith("-")))
    if not any(k.key == "_id" for k in keys):
        # the tie-breaker that makes the order total; uuid7 ids make it creation order
        keys.append(SortKey("_id", table.c["_id"], not keys or keys[-1].descending))
    return keys


def order_by(keys: list[SortKey]) -> list[Any]:
    return [k.column.desc().nulls_first() if k.descending else k.column.asc().nulls_last()
            for k in keys]


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        tag, raw = next(iter(value.items()))
        return {"$uuid": uuid.UUID, "$dt": dt.datetime.fromisoformat,
                "$d": dt.date.fromisoformat, "$dec": decimal.Decimal}[tag](raw)
    return value


def encode_cursor(keys: list[SortKey], row: Any) -> str:
    payload = [_jsonable(row[k.key]) for k in keys]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[SortKey]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = [_from_jsonable(v) for v in json.loads(raw)]
        if len(values) != len(keys):
            raise ValueError("cursor does not match the sort")
        return values
    except (ValueError, KeyError, TypeError, StopIteration):
        raise ValidationFailed("The cursor is not valid for this query; start from the first "
                               "page.", code="invalid_cursor",
                               errors=[FieldProblem("cursor", "invalid_cursor",
                                                    "Malformed or from another sort.")]) from None


def _after(key: SortKey, value: Any) -> ColumnElement[bool]:
    col = key.column
    if key.descending:  # order: NULLs, then high to low
        return col.is_not(None) if value is None else col < value
    return false() if value is None else or_(col > value, col.is_(None))


def _equal(key: SortKey, value: Any) -> ColumnElement[bool]:
    return key.column.is_(None) if value is None else key.column == value


def keyset_condition(keys: list[SortKey], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys`."""
    clauses = []
    for i, key in enumerate(keys):
        prefix = [_equal(k, v) for k, v in zip(keys[:i], values[:i], strict=True)]
        clauses.append(and_(*prefix, _after(key, values[i])))
    return or_(*clauses) if clauses else true()


def parse_filter(raw: str | None) -> Any:
    """The `filter` query parameter (URL-encoded JSON expression) of lists, counts, exports."""
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationFailed("The filter is not JSON.", code="invalid_filter",
                               errors=[FieldProblem("filter", "malformed_json", str(exc))]
                               ) from None


def clamp_limit(limit: int | None, default: int = 50) -> int:
    if limit is None:
        return default
    if limit < 1 or limit > MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT}.", code="invalid_limit",
                               params={"max": MAX_LIMIT},
                               errors=[FieldProblem("limit", "out_of_range",
                                                    f"1..{MAX_LIMIT}", {"max": MAX_LIMIT})])
    return limit
