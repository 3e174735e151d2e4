"""Imported records' first history entry, written lazily.

An import writes no `record_history` row for the records it creates: one snapshot row per
record cost more than the COPY of the records themselves (200k rows: ~10.5 s of a 43 s
import against 7.6 s for the rows). Their "imported" entry is instead

- synthesised on read while the record is unchanged (`imported_entry`): version 1, action
  `import`, no field changes, at the record's `_created_at`, by its `_created_by` — what the
  import's own row said;
- written for real, from the row as it was before, by the first change to the record
  (`first_versions` + `first_version_rows`): update, delete, bulk update and delete, and an
  update by a later import all call it before writing their own history row, so restoring
  version 1 and the timeline read exactly as if the import had written it.

The record itself is the marker: every other way of creating a record (the API, bulk create,
templates' demo data, rules) writes its version-1 row in the same statement as the record, so
a record with no version-1 row was imported. A record that is still at version 1 with no
history row at all is one an import created and nobody has changed since.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ARRAY, Uuid, any_, bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t

IMPORT = "import"


def unchanged_import(row: Mapping[str, Any]) -> dict[str, Any]:
    """The stored columns of an imported record as the import wrote them, from the row as it
    is now or just after its first change: that change may have bumped `_version` and the
    `_updated_*` columns already (a delete's RETURNING), which an import sets to version 1 and
    to its `_created_*` values."""
    return {**row, "_version": 1, "_updated_at": row["_created_at"],
            "_updated_by": row["_created_by"]}


async def first_versions(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str,
                         form_key: str, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    """Of `rows` (stored rows before their first change, `_version` 1), the ids of those with
    no version-1 history row yet: imported records whose entry is still to be written. One
    indexed query; none at all when no row is at version 1."""
    ids = [r["_id"] for r in rows if r["_version"] == 1]
    if not ids:
        return []
    h = t.record_history
    have = set((await conn.execute(select(h.c.record_id).where(
        h.c.tenant_id == tenant_id, h.c.app_key == app_key, h.c.form_key == form_key,
        h.c.version == 1,
        h.c.record_id == any_(bindparam("ids", ids, type_=ARRAY(Uuid())))))).scalars())
    return [i for i in ids if i not in have]


def unwritten(table: Any, app_key: str, form_key: str) -> Any:
    """Rows of `table` with no version-1 history row: imported records whose first change
    has not come yet (with `_version == 1`), or whose entry it must write first."""
    h = t.record_history
    return ~exists().where(
        h.c.tenant_id == table.c.tenant_id, h.c.app_key == app_key, h.c.form_key == form_key,
        h.c.record_id == table.c._id, h.c.version == 1)


def first_version_row(tenant_id: uuid.UUID, app_key: str, form_key: str,
                      row: Mapping[str, Any], snapshot: dict[str, Any]) -> dict[str, Any]:
    """The `record_history` row an import would have written for `row` (its snapshot built by
    the caller from the unchanged record, child rows included)."""
    return {"tenant_id": tenant_id, "app_key": app_key, "form_key": form_key,
            "record_id": row["_id"], "version": 1, "action": IMPORT, "changes": {},
            "snapshot": snapshot, "actor_id": row["_created_by"], "at": row["_created_at"]}


async def imported_entry(conn: AsyncConnection, table: Any, tenant_id: uuid.UUID,
                         record_id: uuid.UUID) -> dict[str, Any] | None:
    """The timeline entry of an imported record's version 1 when no row holds it, or None
    when there is no such record (live or in the recycle bin)."""
    u = t.users
    found = (await conn.execute(
        select(table.c._created_at, table.c._created_by, u.c.name)
        .outerjoin(u, u.c.id == table.c._created_by)
        .where(table.c.tenant_id == tenant_id, table.c._id == record_id))).first()
    if found is None:
        return None
    return {"version": 1, "action": IMPORT, "at": found._created_at.isoformat(),
            "actor": {"id": str(found._created_by) if found._created_by else None,
                      "name": found.name},
            "changes": {}}
