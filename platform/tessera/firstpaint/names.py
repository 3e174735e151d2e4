"""Names of the members and departments a page's values point at, read in one query each.

The browser shows a member by the `/users` list's `name || email` and a department by the
`/departments` list's name (an id it does not find: the id itself, or a department's first
eight characters: `labelsOf`, `departmentNames`). The server reads just the ids on the page,
in the caller's tenant, so the names are the ones those lists would give.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t


def _uuids(ids: Iterable[str]) -> list[uuid.UUID]:
    out = []
    for raw in ids:
        try:
            out.append(uuid.UUID(raw))
        except (ValueError, TypeError):
            continue  # not an id: shown as itself, as the browser does
    return out


@dataclass
class Names:
    """Member and department names by id (as text)."""

    members: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)

    def member(self, user_id: str) -> str:
        return self.members.get(user_id, user_id)

    def department(self, department_id: str) -> str:
        return self.departments.get(department_id, department_id[:8])


async def read_names(conn: AsyncConnection, tenant_id: uuid.UUID, member_ids: set[str],
                     department_ids: set[str]) -> Names:
    names = Names()
    if wanted := _uuids(member_ids):
        u = t.users
        for row in await conn.execute(select(u.c.id, u.c.name, u.c.email).where(
                u.c.tenant_id == tenant_id, u.c.id.in_(wanted))):
            names.members[str(row.id)] = row.name or row.email
    if wanted := _uuids(department_ids):
        d = t.departments
        for row in await conn.execute(select(d.c.id, d.c.name).where(
                d.c.tenant_id == tenant_id, d.c.id.in_(wanted))):
            names.departments[str(row.id)] = row.name
    return names
