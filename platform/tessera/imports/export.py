"""Export what the caller may see of a form as xlsx or csv.

Rows are read with a server-side cursor (`conn.stream`, 2,000 at a time) under the caller's
view scope (`FormAccess.row_condition(table, "view")` in the WHERE) and an optional filter and
sort; fields hidden from the caller are never selected. Cells are written as people read
them and as the importer reads them back: option labels, a related record's title (the
titles of a multiple relation joined with ", "), members and departments by name, dates as
dates, 是/否 (yes/no in English) for checkboxes, addresses as `浙江省/杭州市/西湖区/文三路90号`
(in English `Zhejiang / Hangzhou / Xihu District, 文三路90号`, as the browser shows them; both
read back, `places.parse`), locations as `120.1551,30.2741 <address>`, multiple values joined
with ", ". xlsx is an openpyxl write-only workbook (constant memory per row); csv is UTF-8
with a byte-order mark, which Excel needs to show Chinese text.

Sub-forms: a column per sub-form field, headed `<sub-form label>.<field label>`; a record
takes as many file rows as its longest sub-form, its own cells on the first of them only —
the layout the importer folds back into one record. Sub-form rows are read per 2,000
records, one query per sub-form.

Not exported: files (attachment, image, signature; their ids mean nothing in a sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import Text, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncConnection

from engines.form import field_types
from engines.form.types.base import jsonable
from tessera.apps.service import PublishedApp
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.imports.convert import label_texts
from tessera.imports.mapping import joined_label
from tessera.imports.places import format_address
from tessera.imports.report import text_cell
from tessera.permissions import FormAccess
from tessera.records import query as q
from tessera.storage.tables import AppTables

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SKIPPED_TYPES = {"attachment", "image", "signature"}
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
    """The form's exported fields in order; a sub-form stands for its own exported fields."""
    out = []
    for f in form.get("fields") or []:
        if f["key"] in access.hidden or f["type"] in SKIPPED_TYPES:
            continue
        if f["type"] == "subform":
            if child_fields(f):
                out.append(f)
            continue
        if f["type"] in ("lookup", "rollup") and f["key"] not in read_through:
            continue
        if f["type"] not in ("lookup", "rollup") and not field_types.get(f["type"]).stored:
            continue
        out.append(f)
    return out


def child_fields(sub: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for c in sub.get("fields") or [] if c["type"] not in SKIPPED_TYPES
            and field_types.has(c["type"]) and field_types.get(c["type"]).stored]


def title_column(app: PublishedApp, tables: AppTables, f: Mapping[str, Any], table: Any,
                 links: Mapping[str, Any]) -> Any:
    """What a relation column exports: the related record's title (for a multiple relation,
    the titles in link order), or the id when the target form has no title field."""
    target_form = next(x for x in app.definition["forms"] if x["key"] == f["target"])
    title = target_form.get("title_field")
    target = tables.forms[f["target"]].table
    key = f["key"]
    if f.get("multiple"):
        link = links[key]
        shown = target.c[title] if title and title in target.c else target.c._id
        return (select(func.array_agg(aggregate_order_by(shown.cast(Text()),
                                                         link.c._row_order)))
                .select_from(link.join(target, target.c._id == link.c.target))
                .where(link.c._parent_id == table.c._id).scalar_subquery().label(key))
    if title and title in target.c:
        return select(target.c[title]).where(target.c._id == table.c[key]) \
            .scalar_subquery().label(key)
    return table.c[key]


def _degrees(value: Any) -> str:
    """7 decimal places at most (what the location type keeps), never `1e-05`."""
    return f"{float(value):.7f}".rstrip("0").rstrip(".")


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
            return format_address(value, self.locale) or json.dumps(value, ensure_ascii=False)
        return self._generic(value)

    def _location(self, f: Mapping[str, Any], value: Any) -> Any:
        if isinstance(value, Mapping) and "lng" in value and "lat" in value:
            point = f"{_degrees(value['lng'])},{_degrees(value['lat'])}"
            return f"{point} {value['address']}" if value.get("address") else point
        return self._generic(value)

    def _relation(self, f: Mapping[str, Any], value: Any) -> Any:
        if isinstance(value, list | tuple):  # a multiple relation's titles
            return ", ".join(str(v) for v in value if v is not None)
        return self._generic(value)


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
        elif f["type"] == "subform":
            continue  # its rows are read per page (`_subform_rows`)
        elif f["type"] == "relation":
            columns.append(title_column(app, tables, f, table, ft.children))
        else:
            columns.append(table.c[key])
    visible = q.filter_columns(form, table, access.hidden)
    query = select(*columns).where(table.c.tenant_id == principal.tenant_id,
                                   table.c._deleted_at.is_(None),
                                   access.row_condition(table, "view", visible))
    if expression is not None:
        query = query.where(q.compile_filter(expression, table, visible))
    sortable = {k for k in visible if k in q.SORTABLE_SYSTEM or field_types.get(
        next(f["type"] for f in form["fields"] if f["key"] == k)).sortable}
    keys = q.parse_sort(sort or "_id", table, sortable)
    return query.order_by(*q.order_by(keys)), fields


async def _names(conn: AsyncConnection, principal: Principal,
                 fields: list[Mapping[str, Any]]) -> tuple[dict, dict]:
    kinds = {f["type"] for f in fields} | {c["type"] for f in fields if f["type"] == "subform"
                                           for c in child_fields(f)}
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
    guard = fmt == "csv"
    plan = [_Column.of(f, c, fmt_, guard, locale) for f in fields
            for c in (child_fields(f) if f["type"] == "subform" else [None])]
    headers = [c.header for c in plan]
    subs = [f for f in fields if f["type"] == "subform"]
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
    main = [(c.format, c.key) for c in plan]
    result = await conn.stream(query)
    async for part in result.mappings().partitions(2000):
        if not subs:
            for row in part:
                emit([fmt(row[k]) for fmt, k in main])
        else:
            children = await _subform_rows(conn, app, tables, form, subs,
                                           [row["_id"] for row in part])
            for row in part:
                for cells in _record_lines(plan, row, children.get(row["_id"], {})):
                    emit(cells)
        count += len(part)
        if progress is not None:
            await progress(count)
    if fmt == "xlsx":
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), count
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


@dataclass(frozen=True)
class _Column:
    """One column of the file: a field of the form (`sub` None) or of a sub-form."""

    header: str
    key: str
    sub: str | None
    format: Callable[[Any], Any]

    @classmethod
    def of(cls, f: Mapping[str, Any], child: Mapping[str, Any] | None, fmt: Formatter,
           guard: bool, locale: str) -> _Column:
        shown = child or f
        plain = fmt.for_field(shown)
        write = plain
        if guard and shown["type"] not in UNGUARDED_TYPES \
                and shown.get("result_type") not in UNGUARDED_TYPES:
            def write(value: Any) -> Any:
                return defuse(plain(value))
        if child is None:
            return cls(localised(f.get("label"), locale, f["key"]), f["key"], None, write)
        label = joined_label(f.get("label"), child.get("label"), f["key"], child["key"])
        return cls(localised(label, locale, f"{f['key']}.{child['key']}"), child["key"],
                   f["key"], write)


def _record_lines(plan: list[_Column], row: Mapping[str, Any],
                  children: Mapping[str, list[Mapping[str, Any]]]) -> Iterator[list[Any]]:
    """A record's file rows: its own cells on the first, one sub-form row per line."""
    height = max([1, *(len(rows) for rows in children.values())])
    for i in range(height):
        cells = []
        for c in plan:
            if c.sub is None:
                cells.append(c.format(row[c.key]) if i == 0 else None)
            else:
                rows = children.get(c.sub, [])
                cells.append(c.format(rows[i][c.key]) if i < len(rows) else None)
        yield cells


async def _subform_rows(conn: AsyncConnection, app: PublishedApp, tables: AppTables,
                        form: Mapping[str, Any], subs: list[Mapping[str, Any]],
                        ids: list[Any]) -> dict[Any, dict[str, list[Mapping[str, Any]]]]:
    """The sub-form rows of a page of records: one query per sub-form."""
    ft = tables.forms[form["key"]]
    out: dict[Any, dict[str, list[Mapping[str, Any]]]] = {}
    for sub in subs:
        table = ft.children[sub["key"]]
        columns = [title_column(app, tables, c, table, {}) if c["type"] == "relation"
                   else table.c[c["key"]] for c in child_fields(sub) if c["key"] in table.c]
        rows = (await conn.execute(
            select(table.c._parent_id, *columns)
            .where(table.c._parent_id == any_(bindparam("ids", ids,
                                                        type_=ARRAY(PgUUID(as_uuid=True)))))
            .order_by(table.c._parent_id, table.c._row_order))).mappings().all()
        for r in rows:
            out.setdefault(r["_parent_id"], {}).setdefault(sub["key"], []).append(r)
    return out


def export_filename(form: Mapping[str, Any], fmt: str) -> str:
    stamp = dt.datetime.now(ZONE).strftime("%Y%m%d-%H%M%S")
    return f"{form['key']}-{stamp}.{fmt}"

