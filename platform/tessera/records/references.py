"""Checking the references the form engine reported (it does no I/O): members, departments
and related records must exist in the caller's tenant. One query per kind, not per value."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from engines.form import RecordResult, Reference
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.db import tables as t
from tessera.storage.tables import AppTables

MESSAGES = {
    "user": ("unknown_user", "No such member."),
    "department": ("unknown_department", "No such department."),
    "record": ("unknown_record", "No such record."),
    "file": ("unknown_file", "No such uploaded file, or it does not fit this field."),
}


async def existing_ids(conn: AsyncConnection, tenant_id: uuid.UUID, tables: AppTables,
                    kind: str, form: str | None, ids: set[Any],
                    params: dict[str, Any] | None = None) -> set[Any]:
    if kind == "user":
        table, col = t.users, t.users.c.id
        query = select(col).where(table.c.tenant_id == tenant_id, col.in_(ids))
    elif kind == "department":
        table, col = t.departments, t.departments.c.id
        query = select(col).where(table.c.tenant_id == tenant_id, col.in_(ids))
    elif kind == "record" and form in tables.forms:
        table = tables.forms[form].table
        query = select(table.c._id).where(table.c.tenant_id == tenant_id,
                                          table.c._deleted_at.is_(None), table.c._id.in_(ids))
    elif kind == "file":  # uploaded files of the tenant that meet the field's constraints
        from tessera.files import check_params

        f = t.files
        rows = (await conn.execute(select(f.c.id, f.c.name, f.c.size, f.c.content_type,
                                          f.c.metadata).where(f.c.tenant_id == tenant_id,
                                                              f.c.id.in_(ids)))).mappings()
        return {r["id"] for r in rows if check_params(r, params or {}) is None}
    else:
        return set()  # nothing of an unknown kind exists
    return set((await conn.execute(query)).scalars())


async def check_references(conn: AsyncConnection, tenant_id: uuid.UUID, tables: AppTables,
                           result: RecordResult) -> None:
    groups: dict[tuple[str, str | None, str], list[Reference]] = defaultdict(list)
    for ref in result.references:  # file fields differ in their params (image, accept, size)
        groups[(ref.kind, ref.form, json.dumps(ref.params, sort_keys=True))].append(ref)
    problems = []
    for (kind, form, _), refs in groups.items():
        found = await existing_ids(conn, tenant_id, tables, kind, form, {r.id for r in refs},
                                refs[0].params)
        code, message = MESSAGES.get(kind, ("unknown_reference", "No such item."))
        problems += [FieldProblem("data." + r.path, code, message) for r in refs
                     if r.id not in found]
    if problems:
        raise ValidationFailed("The record refers to things that do not exist.", errors=problems)
