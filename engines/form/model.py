"""The plain data the form engine takes and returns. No behaviour beyond small helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.types import TypeEngine


@dataclass(frozen=True)
class ColumnSpec:
    """One user column of a form table. The platform adds the system columns.

    ``unique_ci``: unique ignoring case (the platform builds a unique index on ``lower(col)``).
    ``references_form``: the column holds the ``_id`` of a record of that form (foreign key).
    """

    name: str
    type: TypeEngine[Any]
    nullable: bool = True
    unique: bool = False
    unique_ci: bool = False
    index: bool = False
    references_form: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """The user columns of a form's table, and its child tables.

    ``kind`` is ``"form"`` for the form's own table, ``"subform"`` for a sub-form's rows and
    ``"link"`` for the link table of a multiple relation (one ``target`` column). Child tables
    (subform and link alike) get from the platform: ``_id``, ``tenant_id``, ``_parent_id``
    (FK to the parent's ``_id``, ON DELETE CASCADE) and ``_row_order`` (int, order of the rows).
    """

    key: str
    columns: list[ColumnSpec]
    children: list[TableSpec] = field(default_factory=list)
    kind: str = "form"

    def column(self, name: str) -> ColumnSpec:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def child(self, key: str) -> TableSpec:
        for ch in self.children:
            if ch.key == key:
                return ch
        raise KeyError(key)


@dataclass(frozen=True)
class DefinitionError:
    """A problem in a form definition, at an exact path: ``forms[1].fields[3].type``."""

    path: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class FieldError:
    """A problem in submitted record data: path ``amount`` or ``items[2].qty``; stable ``code``."""

    path: str
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reference:
    """Something the platform must check exists (and may read), since the engine does no I/O.

    kind: ``"user"``, ``"department"``, ``"file"`` or ``"record"`` (then ``form`` is the target
    form key). ``params`` carries constraints to check with it, e.g. ``{"image": True}`` for a
    file of an image field.
    """

    path: str
    kind: str
    id: Any
    form: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SerialRequest:
    """A serial number to allocate. The platform increments the counter ``counter_key`` (scoped
    by tenant and app) atomically, then puts ``render(n)`` into ``values[field]``."""

    path: str
    field: str
    counter_key: str
    pattern: str
    at: dt.datetime  # local time the prefix was taken from

    def render(self, seq: int) -> str:
        from engines.form.types.computed import render_pattern

        return render_pattern(self.pattern, self.at, seq)


@dataclass(frozen=True)
class LinkageRequest:
    """A data-linkage default the platform resolves: find one record of ``form`` matching
    ``filter`` (an expression over that form's fields, this record's values already put in),
    then take its field ``take`` as the value of ``field`` (run that value through
    ``validate_record`` like any input)."""

    path: str
    field: str
    form: str
    filter: dict[str, Any]
    take: str


@dataclass(frozen=True)
class ReadPlan:
    """How to read a field that has no column (``lookup``, ``rollup``), for the platform's
    queries: read ``target_field`` of the records of ``source_form`` linked through the
    relation field ``relation``, which lives on this form (``reverse=False``: this record
    points at them) or on ``source_form`` (``reverse=True``: they point at this record).
    ``multiple``: that relation is a link table. ``agg`` (rollups) is one of count,
    count_distinct, sum, avg, min, max; ``filter`` an expression over the source records."""

    field: str
    kind: str
    source_form: str
    relation: str
    reverse: bool
    multiple: bool
    target_field: str | None = None
    agg: str | None = None
    filter: Any = None


@dataclass
class RecordContext:
    """What a record is validated against besides its data. ``now`` is injectable for tests."""

    now: dt.datetime | None = None
    timezone: str = "Asia/Shanghai"
    locale: str = "zh-CN"
    user_id: Any = None
    department_id: Any = None
    # set by the engine for sub-form rows: the record's JSON view, which row expressions see
    outer: Mapping[str, Any] | None = None
    # set by the engine for sub-form rows: the stored record (sub-form key -> child rows with
    # their `_id`), so a saved row's locked cells (editable_when) are checked against its
    # stored values, not against nothing
    stored: Mapping[str, Any] | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def current_time(self) -> dt.datetime:
        """Aware ``now`` in the context's time zone."""
        now = self.now if self.now is not None else dt.datetime.now(dt.UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=self.tz)
        return now.astimezone(self.tz)


@dataclass
class RecordResult:
    """What ``validate_record`` returns. ``ok`` when ``errors`` is empty."""

    values: dict[str, Any] = field(default_factory=dict)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    serials: list[SerialRequest] = field(default_factory=list)
    linkages: list[LinkageRequest] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
