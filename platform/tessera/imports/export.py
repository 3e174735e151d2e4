"""Export what the caller may see of a form as xlsx or csv.

Rows are read with a server-side cursor (`conn.stream`, 2,000 at a time) under the caller's
view scope (`FormAccess.row_condition(table, "view")` in the WHERE) and an optional filter and
sort; fields hidden from the caller are never selected. Cells are written as people read
them and as the importer reads them back: option labels, a related record's title, members
and departments by name, dates as dates, 是/否 (yes/no in English) for checkboxes, multiple
values joined with ", ". xlsx is an openpyxl write-only workbook (constant memory per row);
csv is UTF-8 with a byte-order mark, which Excel needs to show Chinese text.

Not exported: sub-forms and multiple relations (child rows), files (attachment, image,
signature; their ids mean nothing in a sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from engines.form import field_types
from engines.form.types.base import jsonable
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.apps.service import PublishedApp
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.imports.convert import label_texts
from tessera.imports.report import text_cell
from tessera.permissions import FormAccess
from tessera.records import query as q
from tessera.storage.tables import AppTables

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SKIPPED_TYPES = {"subform", "attachment", "image", "signature"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UNGUARDED_TYPES = {"number", "money", "percent", "rating", "date", "datetime", "time",
                   "checkbox"}


def defuse(value: Any) -> Any:
    """A csv cell that Excel would run as a formula (`=HYPERLINK(…)`, `+cmd|…`) is written
    with a leading apostrophe, which Excel shows as text; the importer takes it off again."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
ZONE = ZoneInfo("Asia/Shanghai")
XLSX_MAX_ROWS = 1_048_576


def localised(label: Any, locale: str, fallback: str) -> str:
    if isinstance(label, Mapping):
        return str(label.get(locale) or label.get(locale.split("-")[0]) or label.get("zh-CN")
                   or label.get("en") or next(iter(label.values()), fallback))
    return str(label) if label else fallback


def exported_fields(form: Mapping[str, Any], access: FormAccess,
                    read_through: set[str]) -> list[Mapping[str, Any]]:
    out = []
    for f in form.get("fields") or []:
        if f["key"] in access.hidden or f["type"] in SKIPPED_TYPES:
            continue
        if f["type"] == "relation" and f.get("multiple"):
            continue
        if f["type"] in ("lookup", "rollup") and f["key"] not in read_through:
            continue
        if f["type"] not in ("lookup", "rollup") and not field_types.get(f["type"]).stored:
            continue
        out.append(f)
    return out


class Formatter:
    """Stored value -> the cell written, per field type."""

    def __init__(self, locale: str, users: dict[Any, str], departments: dict[Any, str],
                 xlsx: bool) -> None:
        self.locale, self.users, self.departments, self.xlsx = locale, users, departments, xlsx
        self.yes, self.no = ("是", "否") if locale.startswith("zh") else ("yes", "no")

    def for_field(self, f: Mapping[str, Any]) -> Callable[[Any], Any]:
        kind = f["type"]
        if kind == "formula":
            kind = f.get("result_type", "number")
        handler = getattr(self, f"_{kind}", None)
        if handler is None:
            return self._generic
        return lambda value: None if value is None else handler(f, value)

    def _generic(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return value if self.xlsx else format(value, "f")
        value = jsonable(value)
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return value

    def _number(self, f: Mapping[str, Any], value: Any) -> Any:
        if self.xlsx:
            return value
        return format(value.normalize() if value == value.to_integral_value() else value, "f")

    _money = _percent = _number

    def _date(self, f: Mapping[str, Any], value: Any) -> Any:
        return value if self.xlsx else value.isoformat()

    def _datetime(self, f: Mapping[str, Any], value: Any) -> Any:
        local = value.astimezone(ZONE).replace(tzinfo=None)
        return local if self.xlsx else local.isoformat(sep=" ")

    def _time(self, f: Mapping[str, Any], value: Any) -> Any:
        return value if self.xlsx else value.isoformat()

    def _checkbox(self, f: Mapping[str, Any], value: Any) -> Any:
        return self.yes if value else self.no

    def _label(self, f: Mapping[str, Any], value: str) -> str:
        for option in f.get("options") or []:
            if option.get("value") == value:
                texts = label_texts(option.get("label"))
                return localised(option.get("label"), self.locale, value) if texts else value
        return value

    def _select(self, f: Mapping[str, Any], value: Any) -> Any:
        return self._label(f, value)

    def _multiselect(self, f: Mapping[str, Any], value: Any) -> Any:
        return ", ".join(self._label(f, v) for v in value)

    def _member(self, f: Mapping[str, Any], value: Any) -> Any:
        return self.users.get(value, str(value))

    def _members(self, f: Mapping[str, Any], value: Any) -> Any:
        return ", ".join(self.users.get(v, str(v)) for v in value)

    def _department(self, f: Mapping[str, Any], value: Any) -> Any:
        return self.departments.get(value, str(value))

    def _departments(self, f: Mapping[str, Any], value: Any) -> Any:
        return ", ".join(self.departments.get(v, str(v)) for v in value)

    def _address(self, f: Mapping[str, Any], value: Any) -> Any:
        if isinstance(value, Mapping):
            return value.get("text") or json.dumps(value, ensure_ascii=False)
        return self._generic(value)


def filter_columns(form: Mapping[str, Any], table: Any, hidden: frozenset[str]) -> dict:
    columns = {key: table.c[key] for key in q.SORTABLE_SYSTEM}
    for f in form.get("fields") or []:
        ft = field_types.get(f["type"])
        if (ft.filterable and ft.stored and not ft.in_child_table(f) and f["key"] in table.c
                and f["key"] not in hidden):
            columns[f["key"]] = table.c[f["key"]]
    return columns


def compile_filter(expression: Any, columns: dict[str, Any]) -> Any:
    from engines.rules import ExpressionError, to_sql

    try:
        return to_sql(expression, columns)
    except ExpressionError as exc:
        raise ValidationFailed(f"The filter cannot be used: {exc}", code="invalid_filter",
                               errors=[FieldProblem("filter", "invalid_filter", str(exc))]
                               ) from None


def export_query(app: PublishedApp, tables: AppTables, form: Mapping[str, Any],
                 access: FormAccess, principal: Principal, *, expression: Any = None,
                 sort: str | None = None) -> tuple[Any, list[Mapping[str, Any]]]:
    ft = tables.forms[form["key"]]
    table = ft.table
    read_through = {c.name: c for c in tables.read_through(form["key"])}
    fields = exported_fields(form, access, set(read_through))
    columns: list[Any] = [table.c._id]
    for f in fields:
        key = f["key"]
        if key in read_through:
            columns.append(read_through[key])
        elif f["type"] == "relation":
            target_form = next(x for x in app.definition["forms"] if x["key"] == f["target"])
            title = target_form.get("title_field")
            target = tables.forms[f["target"]].table
            if title and title in target.c:
                columns.append(select(target.c[title]).where(target.c._id == table.c[key])
                               .scalar_subquery().label(key))
            else:
                columns.append(table.c[key])
        else:
            columns.append(table.c[key])
    visible = filter_columns(form, table, access.hidden)
    query = select(*columns).where(table.c.tenant_id == principal.tenant_id,
                                   table.c._deleted_at.is_(None),
                                   access.row_condition(table, "view", visible))
    if expression is not None:
        query = query.where(compile_filter(expression, visible))
    sortable = {k for k in visible if k in q.SORTABLE_SYSTEM or field_types.get(
        next(f["type"] for f in form["fields"] if f["key"] == k)).sortable}
    keys = q.parse_sort(sort or "_id", table, sortable)
    return query.order_by(*q.order_by(keys)), fields


async def _names(conn: AsyncConnection, principal: Principal,
                 fields: list[Mapping[str, Any]]) -> tuple[dict, dict]:
    kinds = {f["type"] for f in fields}
    users: dict[Any, str] = {}
    departments: dict[Any, str] = {}
    if kinds & {"member", "members"}:
        users = dict((await conn.execute(select(t.users.c.id, t.users.c.name).where(
            t.users.c.tenant_id == principal.tenant_id))).all())
    if kinds & {"department", "departments"}:
        departments = dict((await conn.execute(select(t.departments.c.id, t.departments.c.name)
                                               .where(t.departments.c.tenant_id
                                                      == principal.tenant_id))).all())
    return users, departments


async def write_export(conn: AsyncConnection, app: PublishedApp, tables: AppTables,
                       form: Mapping[str, Any], access: FormAccess, principal: Principal, *,
                       fmt: str, locale: str = "zh-CN", expression: Any = None,
                       sort: str | None = None,
                       progress: Callable[[int], Any] | None = None) -> tuple[bytes, int]:
    """The whole file as bytes and the number of records in it."""
    query, fields = export_query(app, tables, form, access, principal, expression=expression,
                                 sort=sort)
    users, departments = await _names(conn, principal, fields)
    fmt_ = Formatter(locale, users, departments, xlsx=fmt == "xlsx")
    formatters = [fmt_.for_field(f) for f in fields]
    if fmt == "csv":
        formatters = [g if f["type"] in UNGUARDED_TYPES or f.get("result_type") in
                      UNGUARDED_TYPES else (lambda v, g=g: defuse(g(v)))
                      for f, g in zip(fields, formatters, strict=True)]
    keys = [f["key"] for f in fields]
    headers = [localised(f.get("label"), locale, f["key"]) for f in fields]
    count = 0
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        title = localised(form.get("name"), locale, form["key"]).translate(
            str.maketrans("[]:*?/\\", "_______"))
        sheets = [book.create_sheet(title[:31])]
        sheets[0].append(headers)
        written = [1]

        def emit(cells: list[Any]) -> None:
            if written[0] >= XLSX_MAX_ROWS:  # a sheet holds 1,048,576 rows: go on in another
                sheets.append(book.create_sheet(f"{title[:26]} ({len(sheets) + 1})"))
                sheets[-1].append(headers)
                written[0] = 1
            sheets[-1].append([text_cell(sheets[-1], c) for c in cells])
            written[0] += 1
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        emit = writer.writerow
    result = await conn.stream(query)
    async for part in result.mappings().partitions(2000):
        for row in part:
            emit([fmt(row[k]) for fmt, k in zip(formatters, keys, strict=True)])
        count += len(part)
        if progress is not None:
            await progress(count)
    if fmt == "xlsx":
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), count
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def export_filename(form: Mapping[str, Any], fmt: str) -> str:
    stamp = dt.datetime.now(ZONE).strftime("%Y%m%d-%H%M%S")
    return f"{form['key']}-{stamp}.{fmt}"

