"""The import pipeline, one batch of rows at a time, in the caller's transaction.

Per batch: cells -> JSON input (`convert`), references by title / e-mail / name resolved with
one query per kind, every row through the form engine (`validate_record`: create semantics
for new rows, partial-update semantics against the stored row for updates), the references the
engine reports checked with one query per kind, unique values checked against the file so far
and against the table (one query per unique field), serial numbers allocated with one
statement per counter, then the good rows written: new rows with one COPY into the form table
(text-format data built in a thread, `copytext`; asyncpg's `copy_records_to_table` for forms
with a column type it does not write), updates with one executemany per set of changed
columns. All-or-nothing inserts skip the table's side of the unique check and let the unique
indexes refuse a taken value under a savepoint, checking as above only then
(`Importer._optimistic`): the same errors, one query less per batch.

Every problem becomes a `CellError` (row number, column, field, code, message, the cell as
given); nothing a file contains makes the pipeline raise.

Sub-forms: columns `<sub-form>.<field>` feed a sub-form's rows. `Importer.group` folds the
file's rows into records the way Excel and Jiandaoyun users lay them out: a row whose
record columns are all empty (merged cells read that way), or repeat the record's key (the
`key_field`, else the first mapped unique field, else every record column), adds a sub-form
row to the record above. A sub-form cell's error names its own file row and column
(`field` is the engine's path, `items[2].qty`). Updates replace the sub-form rows of the
sub-forms the file gives rows for, and keep the others.

History: a record an import creates gets no `record_history` row — writing one snapshot
per record cost more than the COPY of the records. Its "imported" entry (version 1, action
`import`) is synthesised on read while the record is unchanged, and written from the row as
it was by the record's first change (`tessera.records.lazy_history`), so the timeline and
restoring the imported version read as if the import had written it. Updates made by an
import get a normal history row with the field diff (after the version-1 row of a record an
import created and nothing has changed since).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Text,
    any_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import NullType

from engines.form import RecordContext, RecordResult, field_types, to_json, validate_record
from engines.form.types.base import Invalid, jsonable
from tessera.apps.service import PublishedApp
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.imports.convert import REFERRING, Pending, Refused, as_text, convert_cell
from tessera.imports.copytext import copy_data, encoders
from tessera.imports.mapping import Column, subform_columns
from tessera.imports.messages import text_for
from tessera.permissions import FormAccess, form_access
from tessera.records.lazy_history import first_version_row, first_versions
from tessera.records.references import existing_ids as existing_references
from tessera.storage.tables import SYSTEM_FIELDS, AppTables

BATCH = 5000
SYSTEM_COLUMNS = frozenset({"tenant_id", "_id", "_owner", "_department", "_created_by",
                            "_created_at", "_updated_by", "_updated_at", "_version",
                            "_flow_status"})  # what `Importer._records` sets itself
OPTIMISTIC_UNIQUE = True  # see `Importer._optimistic`; tests turn it off to compare
MODES = ("insert", "upsert", "update")
_SUB_PATH = re.compile(r"^\w+\[(\d+)\](?:\.(\w+))?")


@dataclass
class ImportOptions:
    mode: str = "insert"
    key_field: str | None = None
    atomic: bool = True  # all-or-nothing; False: write exactly the good rows
    mapping: dict[str, Any] | None = None
    sheet: str | None = None
    encoding: str | None = None
    header_row: int = 1
    locale: str = "zh-CN"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class CellError:
    row: int
    column: str | None
    field: str | None
    code: str
    message: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        return without_nul({"row": self.row, "column": self.column, "field": self.field,
                            "code": self.code, "message": self.message, "value": self.value})


@dataclass
class Row:
    number: int
    cells: list[Any]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    key: Any = None
    stored: Mapping[str, Any] | None = None  # the record an update changes
    result: RecordResult | None = None
    record_id: uuid.UUID | None = None
    unresolved: set[str] = field(default_factory=set)  # fields whose reference failed
    extra: list[tuple[int, list[Any]]] = field(default_factory=list)  # further sub-form rows
    sub_numbers: dict[str, list[int]] = field(default_factory=dict)  # sub-form row -> file row
    checked: bool = False  # converted and validated by `RowChecker.check`: only DB checks left

    @property
    def span(self) -> int:
        """File rows this record takes."""
        return 1 + len(self.extra)

    @property
    def last(self) -> int:
        return self.extra[-1][0] if self.extra else self.number

    def lines(self) -> list[tuple[int, list[Any]]]:
        return [(self.number, self.cells), *self.extra]

    @property
    def checkable(self) -> bool:
        """Worth running through the engine: every error so far is an unresolved reference
        (the other cells still get checked, so one pass reports all of a row's problems)."""
        return not self.errors or all(e.field in self.unresolved for e in self.errors)


@dataclass
class Outcome:
    rows: list[Row]
    inserted: int = 0
    updated: int = 0

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.errors]


def without_nul(value: Any) -> Any:
    """JSON for a jsonb column: Postgres refuses the NUL character (\\u0000) that a file's
    cells, headers or names may hold."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(v) for v in value]
    return value


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a batch is checked or unpacked: those allocate a
    dozen containers per row that live on (rows, their data and results), and the collector,
    run every 700 allocations, kept scanning them and everything older — measured: the full
    collections alone cost more than validating (48 -> 30 µs a row on 50k rows). Reference
    counting still frees everything a batch drops; cycles wait for the next collection, which
    runs as usual once this block ends. Synchronous code only: no other task runs meanwhile."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def batches(rows: Iterable[tuple[Any, ...]], size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    """Lists of `size` items: file rows `(number, cells)`, or grouped records
    `(number, cells, further rows)`."""
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _jsonable_cell(cell: Any) -> Any:
    return None if cell is None else as_text(cell)


def _cell_text(cells: list[Any], index: int) -> str | None:
    """A cell as text for comparing rows; None when empty."""
    cell = cells[index] if index < len(cells) else None
    if cell is None:
        return None
    text = as_text(cell).strip()
    return text or None


class RowChecker:
    """The part of importing a row that needs no database: cells -> JSON input (`convert`),
    references refused by the converters, and — when nothing the database answers must come
    first — the form engine. Pure and picklable (the form definition, the column mapping, the
    options and a `RecordContext`; no tables, no connection), so that the same object checks
    batches in the job's process or, for big files, in a worker process (`CheckedBatches`)
    while the job's process writes the previous batch: one code path either way.

    `check` validates a row when the import inserts (an update validates against the stored
    record, which `Importer.finish` loads first) and the row has no cell to resolve by title,
    e-mail or name; it marks such rows `checked`. The others are only prepared, and
    `Importer.finish` resolves, loads and validates them in the order it always did."""

    def __init__(self, form: dict[str, Any], columns: list[Column], options: ImportOptions,
                 ctx: RecordContext, *, key_ci: bool = False) -> None:
        self.form, self.options, self.ctx, self.key_ci = form, options, ctx, key_ci
        self.fields = {f["key"]: f for f in form.get("fields") or []}
        sub_specs = {pf["key"]: pf for f in self.fields.values() if f["type"] == "subform"
                     for pf in subform_columns(f)}
        main = [c for c in columns if c.field and c.field in self.fields]
        self.mapped = [(c.index, c.header, self.fields[c.field]) for c in main]
        self.header_of = {c.field: c.header for c in columns if c.field}
        self.index_of = {c.field: c.index for c in columns if c.field}
        # sub-form key -> converters of its mapped columns (keyed by the sub-form field's key)
        sub_cells: dict[str, list[CellConverter]] = defaultdict(list)
        for c in columns:
            if c.field and c.field in sub_specs:
                spec = sub_specs[c.field]
                sub_cells[spec["subform"]].append(CellConverter(c.index, spec, key=spec["child"]))
        self.sub_cells = dict(sub_cells)
        self.cells = [CellConverter(i, f) for i, _h, f in self.mapped]
        # only converters of these types return Pending / Refused: other rows skip the walk
        self.may_refer = any(f["type"] in REFERRING for _i, _h, f in self.mapped) or any(
            c.field["type"] in REFERRING for cs in self.sub_cells.values() for c in cs)
        self.early = options.mode == "insert"

    # ---- a batch --------------------------------------------------------------------------
    def check(self, batch: list[tuple[Any, ...]]) -> list[Row]:
        """A batch's file rows (or grouped records) as prepared rows, validated where that
        needs no database (see the class)."""
        with paused_gc():
            return self._check(batch)

    def _check(self, batch: list[tuple[Any, ...]]) -> list[Row]:
        rows = [self.prepare(*item) for item in batch]
        if self.early:
            for row in rows:
                if self.may_refer:
                    cells = list(self.references(row))
                    if any(isinstance(value, Pending) for *_rest, value in cells):
                        continue  # Importer.finish resolves it, then validates
                    for holder, key, path, value in cells:
                        self.refuse(row, holder, key, path, value)
                if row.checkable:
                    self.validate(row)
                row.checked = True
        return rows

    # ---- errors ---------------------------------------------------------------------------
    def error(self, row: Row, path: str, code: str, message: str | None = None,
               **params: Any) -> None:
        key = path.split(".")[0].split("[")[0] if path else None
        """A `CellError` on the row: the column and cell of `path` (a field, or a sub-form
        cell), the message in the import's locale unless given."""
        message = message or text_for(code, params, self.options.locale)
        if key in self.sub_cells:
            row.errors.append(self.sub_error(row, key, path, code, message))
            return
        column = self.header_of.get(key) if key else None
        value = None
        if column is not None:
            index = self.index_of[key]
            value = _jsonable_cell(row.cells[index] if index < len(row.cells) else None)
        row.errors.append(CellError(row.number, column, key or None, code, message, value))

    def sub_error(self, row: Row, key: str, path: str, code: str, message: str) -> CellError:
        """An error inside a sub-form: on the file row that holds that sub-form row, in the
        column of the sub-form field (the sub-form's first column for the whole sub-form)."""
        numbers = row.sub_numbers.get(key, [])
        match = _SUB_PATH.match(path)
        number, child = row.number, None
        if match:
            position = int(match.group(1))
            number = numbers[position] if position < len(numbers) else row.number
            child = match.group(2)
        column_key = f"{key}.{child}" if child else None
        if column_key not in self.index_of:
            column_key = f"{key}.{self.sub_cells[key][0].key}"
        cells = dict(row.lines()).get(number, row.cells)
        index = self.index_of[column_key]
        value = _jsonable_cell(cells[index] if index < len(cells) else None) if child else None
        return CellError(number, self.header_of[column_key], path, code, message, value)

    # ---- cells -> input ------------------------------------------------------------------
    def prepare(self, number: int, cells: list[Any],
                extra: list[tuple[int, list[Any]]] | None = None) -> Row:
        """One record's cells converted (its sub-form rows folded in) and its key read."""
        row = Row(number, cells)
        width = len(cells)
        for converter in self.cells:
            row.data[converter.key] = converter(cells[converter.index]
                                                if converter.index < width else None)
        if self.sub_cells:
            row.extra = extra or []
            self.prepare_subforms(row)
        key_field = self.options.key_field
        if key_field and self.options.mode != "insert":
            raw = row.data.get(key_field)
            try:
                f = self.fields[key_field]
                row.key = field_types.get(f["type"]).normalise(f, raw, self.ctx)
            except Invalid as exc:
                self.error(row, key_field, exc.code, **exc.params)
                return row
            if row.key is None:
                self.error(row, key_field, "key_required")
            elif isinstance(row.key, str) and self.key_ci:
                row.key = row.key.lower()
        return row

    def prepare_subforms(self, row: Row) -> None:
        """Each sub-form's rows from the record's file rows (a file row with no cell for a
        sub-form adds no row to it); record cells of a further row that differ from the
        record's first row are errors (`conflicting_main_value`)."""
        lines = row.lines()
        for key, converters in self.sub_cells.items():
            items, numbers = [], []
            for number, cells in lines:
                width = len(cells)
                item = {}
                for c in converters:
                    value = c(cells[c.index] if c.index < width else None)
                    if value is not None and value != []:
                        item[c.key] = value
                if item:
                    items.append(item)
                    numbers.append(number)
            row.sub_numbers[key] = numbers
            if items:
                row.data[key] = items
        for number, cells in row.extra:
            for index, header, f in self.mapped:
                given = _cell_text(cells, index)
                if given is not None and given != _cell_text(row.cells, index):
                    row.errors.append(CellError(
                        number, header, f["key"], "conflicting_main_value",
                        text_for("conflicting_main_value", {"first_row": row.number},
                                 self.options.locale), given))

    def references(self, row: Row) -> Iterator[tuple[dict[str, Any], str, str, Any]]:
        """(holder, key, error path, value) of each cell still to resolve or refuse, sub-form
        cells included."""
        subs = self.sub_cells
        for key, value in row.data.items():
            if isinstance(value, Pending | Refused):
                yield row.data, key, key, value
            elif subs and key in subs and isinstance(value, list):
                for i, item in enumerate(value):
                    for child, cell in item.items():
                        if isinstance(cell, Pending | Refused):
                            yield item, child, f"{key}[{i}].{child}", cell

    def refuse(self, row: Row, holder: dict[str, Any], key: str, path: str, value: Any) -> bool:
        """A cell a converter refused (`Refused`): its error, and the cell left empty for the
        engine; False for any other value (a `Pending` reference)."""
        if not isinstance(value, Refused):
            return False
        self.error(row, path, value.code, value=value.text)
        row.unresolved.add(path)
        holder[key] = None
        return True

    # ---- the form engine ------------------------------------------------------------------
    def validate(self, row: Row) -> None:
        """The row through the form engine: create semantics, or partial-update semantics
        against the stored record; errors of cells already reported as unresolved are not
        repeated."""
        given = {k: v for k, v in row.data.items()
                 if v is not None and v != [] and k not in row.unresolved}
        if row.stored is None:
            result = validate_record(self.form, given, context=self.ctx)
        else:  # an update: empty cells leave the stored values alone
            result = validate_record(self.form, given, existing=row.stored, partial=True,
                                     context=self.ctx)
        for error in result.errors:
            if (error.path.split(".")[0].split("[")[0] not in row.unresolved
                    and error.path not in row.unresolved):
                self.error(row, error.path, error.code, error.message)
        row.result = result



class UniqueRefused(Exception):
    """An all-or-nothing batch written without the table's side of the unique check
    (`Importer._optimistic`) that a unique index refused. The import's transaction is aborted,
    and nothing it wrote will be kept anyway: the job checks this batch again with
    `Importer.refused`, and the rest of the file with `write=False`, in a new transaction."""

    def __init__(self, rows: list[Row], error: BaseException) -> None:
        super().__init__(str(error))
        self.rows, self.error = rows, error


class Importer:
    """Imports rows of one file into one form: the database side (references by title, the
    stored records of updates, reference and unique checks, writing). Holds what spans
    batches: the unique values and keys seen so far in the file, and the counts. The pure
    side, cells to checked records, is its `checker` (a `RowChecker`)."""

    def __init__(self, principal: Principal, app: PublishedApp, tables: AppTables,
                 form: dict[str, Any], access: FormAccess, columns: list[Column],
                 options: ImportOptions) -> None:
        self.principal, self.app, self.tables, self.form = principal, app, tables, form
        self.access, self.options = access, options
        self.ft = tables.forms[form["key"]]
        self.table = self.ft.table
        key_spec = self.ft.spec.column(options.key_field) if (
            options.key_field and options.mode != "insert"
            and options.key_field in {c.name for c in self.ft.spec.columns}) else None
        self.checker = RowChecker(
            form, columns, options,
            RecordContext(user_id=principal.user_id, department_id=principal.department_id,
                          locale=options.locale),
            key_ci=bool(key_spec is not None and key_spec.unique_ci))
        self.fields, self.mapped = self.checker.fields, self.checker.mapped
        self.sub_cells, self.index_of = self.checker.sub_cells, self.checker.index_of
        self.unique = [c for c in self.ft.spec.columns if c.unique or c.unique_ci]
        self.seen_unique: dict[str, dict[Any, int]] = {c.name: {} for c in self.unique}
        self.seen_keys: dict[Any, int] = {}
        self._target_access: dict[str, FormAccess] = {}
        self.columns = [c.name for c in self.table.c if c.name != "_deleted_at"]
        self._blank_row = dict.fromkeys(self.columns)
        self._as_tuple = itemgetter(*self.columns)
        # the raw connection's jsonb codec (SQLAlchemy's) takes JSON text
        self._jsonb = [c.name for c in self.table.c if isinstance(c.type, JSONB)]
        self._text_copy = encoders([self.table.c[name].type for name in self.columns])
        # the system columns `_records` sets alike for a whole batch
        self._batch_constant = {i for i, name in enumerate(self.columns)
                                if name in SYSTEM_COLUMNS and name != "_id"}

    def _error(self, row: Row, path: str, code: str, message: str | None = None,
               **params: Any) -> None:
        self.checker.error(row, path, code, message, **params)

    # ---- records of the file --------------------------------------------------------------
    def group(self, rows: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[Any, ...]]:
        """The file's rows as records: `(number, cells)` when no sub-form column is mapped
        (the plain path, untouched), else `(number, cells, further rows)`, a further row being
        one whose record columns are empty or repeat the record's key."""
        if not self.sub_cells:
            yield from rows
            return
        main = [i for i, _h, _f in self.mapped]
        yield from group_rows(rows, main, self._group_key(main))

    def _group_key(self, main: list[int]) -> int | None:
        """Position (among the record columns) of the column whose repeated value continues a
        record: the key field, else the first mapped unique field; None: all of them."""
        unique = {c.name for c in self.unique}
        wanted = self.options.key_field if self.options.mode != "insert" else next(
            (f["key"] for _i, _h, f in self.mapped if f["key"] in unique), None)
        if wanted is None or wanted not in self.index_of:
            return None
        return main.index(self.index_of[wanted])

    # ---- the batch ------------------------------------------------------------------------
    async def run(self, conn: AsyncConnection, batch: list[tuple[Any, ...]], *,
                  write: bool) -> Outcome:
        return await self.finish(conn, self.checker.check(batch), write=write)

    async def finish(self, conn: AsyncConnection, rows: list[Row], *, write: bool) -> Outcome:
        """The database side of a batch `RowChecker.check` made (here or in a worker
        process): the rows it could not check without the database are resolved, loaded and
        validated first, in the order `run` always had."""
        pending = [r for r in rows if not r.checked]
        await self._resolve(conn, pending)
        if self.options.mode != "insert":
            await self._load_stored(conn, pending)
        for row in pending:
            if row.checkable:
                self.checker.validate(row)
        await self._check_references(conn, rows)
        outcome = Outcome(rows)
        if write and self._optimistic(rows):
            try:
                await self._write(conn, rows, outcome)
            except Exception as exc:
                if is_unique_violation(exc):
                    raise UniqueRefused(rows, exc) from exc  # the transaction is lost: see there
                raise
            self._claim_unique(rows)
            return outcome
        await self._check_unique(conn, rows)
        if write:
            await self._write(conn, rows, outcome)
        return outcome

    async def refused(self, conn: AsyncConnection, refused: UniqueRefused) -> Outcome:
        """The batch a unique index refused (`UniqueRefused`), checked against the table as `finish`
        checks any batch, on `conn`, a transaction of its own: the errors are the ones
        checking first would have found. Nothing is written: the import has failed."""
        await self._check_unique(conn, refused.rows)
        if not any(r.errors for r in refused.rows):
            raise refused.error  # not a value of the table (a concurrent writer): as before
        return Outcome(refused.rows)

    def _optimistic(self, rows: list[Row]) -> bool:
        """All-or-nothing inserts of a batch with no bad row so far, whose unique values
        repeat nothing of the file: written without asking the table about its unique values
        first, the unique indexes refusing a taken one (then `UniqueRefused`). A value the table
        already holds is rare in a file to insert, and that query was ~10 % of an import.
        No savepoint: a batch under one would give the import's transaction a subtransaction
        id per batch, and past 64 every other session's snapshots overflow to pg_subtrans."""
        if not OPTIMISTIC_UNIQUE or not self.options.atomic or self.options.mode != "insert":
            return False
        if any(r.errors or r.result is None or r.stored is not None for r in rows):
            return False
        for spec in self.unique:
            values = [v for v in self._unique_values(spec, rows) if v is not None]
            here, seen = set(values), self.seen_unique[spec.name]
            # not `here.isdisjoint(seen)`: with a dict it walks all the file's values so far
            if len(here) < len(values) or any(v in seen for v in here):
                return False
        return True

    def _unique_values(self, spec: Any, rows: list[Row]) -> list[Any]:
        """The rows' values of a unique field as its index compares them (None: empty)."""
        name = spec.name
        values = [r.result.values.get(name) for r in rows]  # type: ignore[union-attr]
        if spec.unique_ci:
            return [v.lower() if isinstance(v, str) else v for v in values]
        return values

    async def _write(self, conn: AsyncConnection, rows: list[Row], outcome: Outcome) -> None:
        """The batch's good rows: serial numbers, then new records and updates."""
        good = [r for r in rows if not r.errors]
        if not good:
            return
        new = [r for r in good if r.stored is None]
        changed = [r for r in good if r.stored is not None]
        await self._allocate_serials(conn, new)
        outcome.inserted = await self._insert(conn, new)
        outcome.updated = await self._update(conn, changed)

    # ---- references by title, e-mail, name ------------------------------------------------
    async def _resolve(self, conn: AsyncConnection, rows: list[Row]) -> None:
        if not self.checker.may_refer:
            return
        references = self.checker.references
        wanted: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        for row in rows:
            for _holder, _key, _path, value in references(row):
                if isinstance(value, Pending):
                    wanted[(value.kind, value.form)].update(value.texts)
        found: dict[tuple[str, str | None], dict[str, list[Any]]] = {}
        for (kind, form), texts in wanted.items():
            found[(kind, form)] = await self._lookup(conn, kind, form, sorted(texts))
        for row in rows:
            for holder, key, path, value in list(references(row)):
                if self.checker.refuse(row, holder, key, path, value):
                    continue
                matches = found[(value.kind, value.form)]
                ids: list[str] = []
                for text_value in value.texts:
                    hits = matches.get(text_value) or matches.get(text_value.casefold()) or []
                    if len(hits) == 1:
                        ids.append(str(hits[0]))
                    elif len(hits) > 1:
                        self._error(row, path, "ambiguous_reference", value=text_value,
                                    count=len(hits))
                        row.unresolved.add(path)
                    elif _is_uuid(text_value):
                        ids.append(text_value)  # an id: the engine's reference check decides
                    else:
                        self._error(row, path, f"unknown_{value.kind}", value=text_value)
                        row.unresolved.add(path)
                holder[key] = ids if value.many else (ids[0] if ids else None)

    async def _lookup(self, conn: AsyncConnection, kind: str, form: str | None,
                      texts: list[str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = defaultdict(list)
        tid = self.principal.tenant_id
        texts = [x for x in texts if "\x00" not in x]  # Postgres text cannot hold NUL
        if kind == "user":
            u = t.users
            lowered = [x.casefold() for x in texts]
            rows = (await conn.execute(select(u.c.id, u.c.email, u.c.name).where(
                u.c.tenant_id == tid, u.c.is_active,
                or_(among(func.lower(u.c.email), lowered), among(u.c.name, texts))))).all()
            by_email = {r.email.casefold(): r.id for r in rows}
            for x in texts:
                if x.casefold() in by_email:
                    out[x] = [by_email[x.casefold()]]
                else:
                    out[x] = [r.id for r in rows if r.name == x]
        elif kind == "department":
            d = t.departments
            rows = (await conn.execute(select(d.c.id, d.c.key, d.c.name).where(
                d.c.tenant_id == tid, or_(among(d.c.key, texts), among(d.c.name, texts))))).all()
            for x in texts:
                by_key = [r.id for r in rows if r.key == x]
                out[x] = by_key or [r.id for r in rows if r.name == x]
        elif kind == "record" and form in self.tables.forms:
            target = next(f for f in self.app.definition["forms"] if f["key"] == form)
            title = target.get("title_field")
            table = self.tables.forms[form].table
            if not title or title not in table.c:
                return out
            column = table.c[title]
            if not isinstance(column.type, Text):
                column = column.cast(Text)
            access = self._target_access.get(form)
            if access is None:
                access = await form_access(conn, self.principal, self.app.definition, form)
                self._target_access[form] = access
            rows = (await conn.execute(select(table.c._id, column.label("title")).where(
                table.c.tenant_id == tid, table.c._deleted_at.is_(None), among(column, texts),
                access.row_condition(table, "view")))).all()
            for r in rows:
                out[r.title].append(r._id)
        return out

    # ---- the records an update changes ----------------------------------------------------
    async def _load_stored(self, conn: AsyncConnection, rows: list[Row]) -> None:
        key_field = self.options.key_field
        assert key_field is not None
        keyed = []
        for row in rows:
            if row.errors or row.key is None:
                continue
            first = self.seen_keys.get(row.key)
            if first is not None:
                self._error(row, key_field, "duplicate_key_in_file", first_row=first)
                continue
            self.seen_keys[row.key] = row.number
            keyed.append(row)
        if not keyed:
            return
        column = self.table.c[key_field]
        match = func.lower(column) if self.ft.spec.column(key_field).unique_ci else column
        editable = self.access.row_condition(self.table, "edit").label("_editable")
        stored = (await conn.execute(
            select(self.table, editable).where(
                self.table.c.tenant_id == self.principal.tenant_id,
                self.table.c._deleted_at.is_(None),
                among(match, sorted({r.key for r in keyed}, key=str)))
            .with_for_update(of=self.table))).mappings().all()
        by_key = {}
        for s in stored:
            value = s[key_field]
            by_key[value.lower() if isinstance(value, str) and match is not column
                   else value] = s
        for row in keyed:
            hit = by_key.get(row.key)
            if hit is None:
                if self.options.mode == "update":
                    self._error(row, key_field, "record_not_found", value=as_text(row.key))
                continue
            if not hit["_editable"]:
                self._error(row, key_field, "not_editable_record")
                continue
            row.stored = {k: v for k, v in hit.items()
                          if k not in ("_editable", "tenant_id", "_deleted_at")}
            row.record_id = hit["_id"]
        await self._load_children(conn, [r for r in keyed if r.stored is not None])

    async def _load_children(self, conn: AsyncConnection, rows: list[Row]) -> None:
        """The stored sub-form rows and links of the records an update changes: the engine
        recomputes formulas over them (`SUM(items.amount)`) and history diffs them."""
        if not rows or not self.ft.children:
            return
        by_id = {r.record_id: r for r in rows}
        for r in rows:
            assert r.stored is not None
            r.stored = {**r.stored, **{key: [] for key in self.ft.children}}
        for key, table in self.ft.children.items():
            stored = (await conn.execute(
                select(table).where(among(table.c._parent_id, list(by_id)))
                .order_by(table.c._parent_id, table.c._row_order))).mappings().all()
            for child in stored:
                holder = by_id[child["_parent_id"]].stored
                assert holder is not None
                holder[key].append({k: v for k, v in child.items()
                                    if k not in ("tenant_id", "_parent_id", "_row_order")})

    async def _check_references(self, conn: AsyncConnection, rows: list[Row]) -> None:
        groups: dict[tuple[str, str | None], set[Any]] = defaultdict(set)
        for row in rows:
            if row.result is not None and not row.errors:
                for ref in row.result.references:
                    groups[(ref.kind, ref.form)].add(ref.id)
        found = {}
        for (kind, form), ids in groups.items():
            found[(kind, form)] = await existing_references(
                conn, self.principal.tenant_id, self.tables, kind, form, ids)
        for row in rows:
            if row.result is None or row.errors:
                continue
            for ref in row.result.references:
                if ref.id not in found[(ref.kind, ref.form)]:
                    self._error(row, ref.path, f"unknown_{ref.kind}", value=str(ref.id))

    async def _check_unique(self, conn: AsyncConnection, rows: list[Row]) -> None:
        for spec in self.unique:
            name = spec.name
            seen = self.seen_unique[name]
            candidates: dict[Any, list[Row]] = defaultdict(list)
            for row in rows:
                if row.errors or row.result is None:
                    continue
                value = row.result.values.get(name)
                if value is None:
                    continue
                if row.stored is not None and row.stored.get(name) == value:
                    continue  # unchanged by this update
                norm = value.lower() if spec.unique_ci and isinstance(value, str) else value
                if norm in seen:
                    self._error(row, name, "duplicate_in_file", first_row=seen[norm])
                    continue
                candidates[norm].append(row)
            if not candidates:
                continue
            column = self.table.c[name]
            match = func.lower(column) if spec.unique_ci else column
            taken = {(v.lower() if spec.unique_ci and isinstance(v, str) else v): i
                     for i, v in (await conn.execute(select(self.table.c._id, column).where(
                         self.table.c.tenant_id == self.principal.tenant_id,
                         self.table.c._deleted_at.is_(None),
                         among(match, list(candidates))))).all()}
            for norm, group in candidates.items():
                for i, row in enumerate(group):
                    if i > 0:
                        self._error(row, name, "duplicate_in_file", first_row=group[0].number)
                    elif norm in taken and taken[norm] != row.record_id:
                        self._error(row, name, "duplicate_value", existing=str(taken[norm]))
        self._claim_unique(rows)

    def _claim_unique(self, rows: list[Row]) -> None:
        """Only rows that will be written claim their unique values for the rest of the file
        (the first row of a value keeps it)."""
        rows = [r for r in rows if not r.errors and r.result is not None]
        for spec in self.unique:
            seen = self.seen_unique[spec.name]
            for row, norm in zip(rows, self._unique_values(spec, rows), strict=True):
                if norm is not None and norm not in seen:
                    seen[norm] = row.number

    # ---- writing --------------------------------------------------------------------------
    async def _allocate_serials(self, conn: AsyncConnection, rows: list[Row]) -> None:
        wanted: dict[str, list[tuple[Row, Any]]] = defaultdict(list)
        for row in rows:
            assert row.result is not None
            for request in row.result.serials:
                wanted[f"{self.app.key}.{request.counter_key}"].append((row, request))
        for counter, requests in wanted.items():
            n = len(requests)
            last = (await conn.execute(text(
                "insert into serial_counters (tenant_id, counter_key, value) values (:t, :k, :n) "
                "on conflict (tenant_id, counter_key) do update "
                "set value = serial_counters.value + :n returning value"),
                {"t": self.principal.tenant_id, "k": counter, "n": n})).scalar_one()
            for offset, (row, request) in enumerate(requests):
                assert row.result is not None
                row.result.values[request.field] = request.render(last - n + 1 + offset)

    async def _insert(self, conn: AsyncConnection, rows: list[Row]) -> int:
        if not rows:
            return 0
        # building a batch's COPY data is ~0.1 s of CPU: in a thread, off the event loop
        records, data = await asyncio.to_thread(self._copy, rows)
        raw = (await conn.get_raw_connection()).driver_connection
        if data is not None:
            await raw.copy_to_table(self.table.name, schema_name=self.tables.schema,
                                    columns=self.columns, source=_once(data), format="text")
        else:
            await raw.copy_records_to_table(self.table.name, schema_name=self.tables.schema,
                                            columns=self.columns, records=records)
        await self._insert_children(conn, rows)
        return len(rows)

    def _copy(self, rows: list[Row]) -> tuple[list[tuple[Any, ...]], bytes | None]:
        """The batch's COPY records and, when every column's type has a text encoder, their
        text-format COPY data (`copytext`); None also for a value its encoder refuses (a
        record that reaches Postgres in the binary format gets Postgres's own answer)."""
        records = self._records(rows)
        if self._text_copy is None:
            return records, None
        try:
            return records, copy_data(records, self._text_copy, self._batch_constant)
        except (TypeError, AttributeError, ValueError):
            return records, None

    def _records(self, rows: list[Row]) -> list[tuple[Any, ...]]:
        """The COPY records of new rows (their ids given here), in `self.columns` order."""
        now = datetime.now(UTC)
        user, tenant = self.principal.user_id, self.principal.tenant_id
        system = {"tenant_id": tenant, "_owner": user, "_department": self.principal.department_id,
                  "_created_by": user, "_created_at": now, "_updated_by": user,
                  "_updated_at": now, "_version": 1, "_flow_status": None}
        assert set(system) | {"_id"} == SYSTEM_COLUMNS
        records = []
        for row, record_id in zip(rows, record_ids(len(rows)), strict=True):
            assert row.result is not None
            row.record_id = record_id
            values = {**self._blank_row, **row.result.values, **system, "_id": row.record_id}
            if self._jsonb:
                values.update({k: json.dumps(jsonable(values[k]), ensure_ascii=False)
                               for k in self._jsonb if values[k] is not None})
            records.append(self._as_tuple(values))
        return records

    async def _insert_children(self, conn: AsyncConnection, rows: list[Row]) -> None:
        """Child rows of the records: sub-form rows (from the file, or a sub-form's default
        rows) and the links of multiple relations; one multi-row INSERT per child table."""
        by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            assert row.result is not None
            for key, children in row.result.children.items():
                by_table[key] += [{**{k: v for k, v in child.items() if k != "_id"},
                                   "_id": child.get("_id") or uuid7(),
                                   "tenant_id": self.principal.tenant_id,
                                   "_parent_id": row.record_id, "_row_order": i}
                                  for i, child in enumerate(children)]
        for key, children in by_table.items():
            if children and key in self.ft.children:
                await conn.execute(insert(self.ft.children[key]), children)

    async def _update(self, conn: AsyncConnection, rows: list[Row]) -> int:
        if not rows:
            return 0
        now = datetime.now(UTC)
        user = self.principal.user_id
        groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for row in rows:
            assert row.result is not None
            groups[tuple(sorted(row.result.values))].append(row)
        skip = frozenset(c.name for c in self.tables.read_through(self.form["key"]))
        for keys, group in groups.items():
            statement = update(self.table).where(self.table.c._id == bindparam("pk_id")).values(
                {**{k: bindparam(f"v_{k}") for k in keys},
                 "_version": self.table.c._version + 1, "_updated_at": now,
                 "_updated_by": user})
            await conn.execute(statement, [
                {"pk_id": r.record_id, **{f"v_{k}": r.result.values[k] for k in keys}}
                for r in group if r.result is not None])
        for key, table in self.ft.children.items():  # given sub-forms and links: replaced
            replaced = [r.record_id for r in rows
                        if r.result is not None and key in r.result.children]
            if replaced:
                await conn.execute(delete(table).where(among(table.c._parent_id, replaced)))
        await self._insert_children(conn, rows)
        tenant, app_key, form_key = self.principal.tenant_id, self.app.key, self.form["key"]
        first = set(await first_versions(conn, tenant, app_key, form_key,
                                         [r.stored for r in rows if r.stored is not None]))
        firsts, history = [], []
        for row in rows:
            assert row.stored is not None and row.result is not None
            before = to_json(self.form, {k: v for k, v in row.stored.items()
                                         if k not in skip})
            if row.record_id in first:  # imported and unchanged until now: its version 1
                firsts.append(first_version_row(tenant, app_key, form_key, row.stored, before))
            after = {**before, **to_json(self.form, row.result.values),
                     **to_json(self.form, row.result.children)}
            changes = {k: {"old": before.get(k), "new": after[k]} for k in after
                       if k not in SYSTEM_FIELDS and before.get(k) != after[k]}
            history.append({"tenant_id": self.principal.tenant_id, "app_key": self.app.key,
                            "form_key": self.form["key"], "record_id": row.record_id,
                            "version": row.stored["_version"] + 1, "action": "import",
                            "changes": changes, "snapshot": after, "actor_id": user})
        if firsts:
            await conn.execute(insert(t.record_history), firsts)
        await conn.execute(insert(t.record_history), history)
        return len(rows)


_last_ms = 0


def record_ids(n: int) -> list[uuid.UUID]:
    """`n` time-ordered UUIDv7 record ids at once, in order (as `tessera.db.ids.uuid7`: 48-bit
    milliseconds, a 12-bit counter started at random, 62 random bits), with one random read
    for all of them and no lock: `uuid7()` once per row cost ~11 µs of an import's row."""
    global _last_ms
    ms = max(time.time_ns() // 1_000_000, _last_ms + 1)
    counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
    noise = os.urandom(8 * n)
    out = []
    for i in range(n):
        if counter > 0xFFF:  # the counter is spent: borrow the next millisecond
            ms, counter = ms + 1, 0
        out.append(uuid.UUID(int=((ms & _MS) << 80) | _V7 | (counter << 64) | _VARIANT
                             | (int.from_bytes(noise[8 * i:8 * i + 8]) & _RAND)))
        counter += 1
    _last_ms = ms
    return out


_MS, _V7, _VARIANT, _RAND = (1 << 48) - 1, 0x7 << 76, 0b10 << 62, (1 << 62) - 1


async def _once(data: bytes) -> AsyncIterator[bytes]:
    """`data` as the asynchronous iterable asyncpg's `copy_to_table` streams."""
    yield data


def is_unique_violation(exc: BaseException) -> bool:
    """A unique index refused a write (asyncpg's own error from a COPY, or SQLAlchemy's
    wrapping of it): SQLSTATE 23505."""
    return getattr(getattr(exc, "orig", exc), "sqlstate", None) == "23505"


def group_rows(rows: Iterable[tuple[int, list[Any]]], main: list[int],
               key_position: int | None) -> Iterator[tuple[int, list[Any], list[Any]]]:
    """File rows -> `(number, cells, further rows)` records. Pure. `main`: the indexes of the
    record's own columns; a row continues the record above when those cells are all empty,
    or when the cell at `key_position` among them repeats the record's first row (with
    `key_position` None: when all of them repeat it)."""
    current: tuple[int, list[Any], list[tuple[int, list[Any]]]] | None = None
    first: list[str | None] = []
    for number, cells in rows:
        values = [_cell_text(cells, i) for i in main]
        if current is not None and (
                all(v is None for v in values)
                or (values == first if key_position is None
                    else values[key_position] is not None
                    and values[key_position] == first[key_position])):
            current[2].append((number, cells))
            continue
        if current is not None:
            yield current
        current, first = (number, cells, []), values
    if current is not None:
        yield current


def among(expr: Any, values: list[Any]) -> Any:
    """`expr = ANY(:array)`: one parameter however many values (an IN list of a batch's
    values could pass the 32,767 parameters a Postgres statement may have)."""
    sqltype = Text() if isinstance(expr.type, NullType) else expr.type  # lower(…) is text
    return expr == any_(bindparam(None, list(values), type_=ARRAY(sqltype)))


class CellConverter:
    """`convert_cell` for one column, remembering the conversions of its first MEMO distinct
    cells: most columns of business sheets repeat a few values (stages, dates, flags, customer
    names), and a column that does not stops being remembered."""

    MEMO = 4096

    def __init__(self, index: int, f: Mapping[str, Any], key: str | None = None) -> None:
        self.index, self.field, self.key = index, f, key or f["key"]
        self.memo: dict[Any, Any] | None = {}

    def __call__(self, cell: Any) -> Any:
        memo = self.memo
        if memo is None:
            return convert_cell(self.field, cell)
        key = (cell.__class__, cell)  # 1, 1.0 and True are equal keys, not equal cells
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = convert_cell(self.field, cell)
            if len(memo) > self.MEMO:
                self.memo = None
            return value
        except TypeError:  # an unhashable cell
            return convert_cell(self.field, cell)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def key_problem(form: Mapping[str, Any], tables: AppTables, options: ImportOptions,
                mapped_fields: set[str]) -> tuple[str, str, str] | None:
    """Why the options' mode / key field cannot work, as (path, code, message), or None."""
    if options.mode not in MODES:
        return ("mode", "invalid_mode", f"mode is one of {', '.join(MODES)}.")
    if options.mode == "insert":
        return None
    key = options.key_field
    if not key:
        return ("key_field", "key_field_required",
                f"mode {options.mode} needs key_field, a unique field that finds the record.")
    spec_columns = {c.name: c for c in tables.forms[form["key"]].spec.columns}
    spec = spec_columns.get(key)
    if spec is None or not (spec.unique or spec.unique_ci):
        return ("key_field", "key_field_not_unique",
                f"{key!r} is not a unique field of this form.")
    if key not in mapped_fields:
        return ("key_field", "key_field_not_mapped", f"No column of the file feeds {key!r}.")
    return None
