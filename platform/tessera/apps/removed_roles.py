"""Assignments of roles that a new definition no longer has.

`role_assignments` rows name a role by key. When a published definition drops a role, its
rows would otherwise linger, invisible in the role editor, and a role added later with the
same key would silently hand access back to the old holders. So, as a careful admin tool
does, the publish plan says what will go ("role sales removed: 3 user / 1 department
assignments will be dropped") and publishing deletes those rows in its own transaction,
with one audit entry per role naming who lost it. Rows left behind by versions published
before this existed are orphans of the same kind and go the same way at the next publish.

This module knows nothing about the apps service (which calls it), so both the plan endpoint
and the publish path can use it without an import cycle.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.audit import audit
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.permissions import APP_ADMIN_ROLE
from tessera.storage.planner import Step

STEP_OP = "drop_role_assignments"
# The English wording; the browser words the step from its code and params (`plan.step.*`),
# falling back to this text for a code it does not know.
STEP_TEXT = ("role {role} removed: {users} user / {departments} department assignments will "
             "be dropped")


def role_keys(definition: dict[str, Any]) -> list[str]:
    """The roles an app has: the built-in app admin and the definition's own."""
    return [APP_ADMIN_ROLE, *(r["key"] for r in definition.get("roles") or [])]


@dataclass(frozen=True)
class RemovedRole:
    """A role key that has assignments but is not in the definition any more."""

    role: str
    users: int
    departments: int

    def step(self) -> Step:
        """The plan step an admin reads before publishing (no SQL: publish deletes the rows
        itself, after the table changes)."""
        return Step(op=STEP_OP, table=t.role_assignments.name, cost="instant",
                    description=STEP_TEXT.format(role=self.role, users=self.users,
                                                 departments=self.departments),
                    code=STEP_OP, params={"role": self.role, "users": self.users,
                                          "departments": self.departments})


def _orphaned(tenant_id: uuid.UUID, app_key: str, definition: dict[str, Any]) -> Any:
    ra = t.role_assignments
    return and_(ra.c.tenant_id == tenant_id, ra.c.app_key == app_key,
                ra.c.role_key.not_in(role_keys(definition)))


async def removed_roles(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str,
                        definition: dict[str, Any]) -> list[RemovedRole]:
    """Per role missing from `definition`, how many member and department assignments it
    still has (in key order, so the plan reads the same every time)."""
    ra = t.role_assignments
    rows = (await conn.execute(
        select(ra.c.role_key, func.count(ra.c.user_id), func.count(ra.c.department_id))
        .where(_orphaned(tenant_id, app_key, definition))
        .group_by(ra.c.role_key).order_by(ra.c.role_key))).all()
    return [RemovedRole(role, users, departments) for role, users, departments in rows]


async def add_plan_steps(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str,
                         definition: dict[str, Any], steps: list[Step]) -> list[RemovedRole]:
    """Append one step per removed role to a publish plan's steps; the roles, for
    `drop_assignments`."""
    removed = await removed_roles(conn, tenant_id, app_key, definition)
    steps.extend(role.step() for role in removed)
    return removed


async def drop_assignments(conn: AsyncConnection, principal: Principal, app_key: str,
                           definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Delete the assignments of every role `definition` lacks, in the caller's transaction,
    and audit who lost which role. The roles dropped, as the audit details say."""
    ra = t.role_assignments
    gone = (await conn.execute(
        delete(ra).where(_orphaned(principal.tenant_id, app_key, definition))
        .returning(ra.c.role_key, ra.c.user_id, ra.c.department_id))).all()
    if not gone:
        return []
    emails = dict((await conn.execute(select(t.users.c.id, t.users.c.email).where(
        t.users.c.id.in_({r.user_id for r in gone if r.user_id})))).all())
    departments = dict((await conn.execute(select(t.departments.c.id, t.departments.c.key)
                                           .where(t.departments.c.id.in_(
                                               {r.department_id for r in gone
                                                if r.department_id})))).all())
    dropped = []
    for role in sorted({r.role_key for r in gone}):
        mine = [r for r in gone if r.role_key == role]
        details = {"role": role,
                   "users": sorted(emails[r.user_id] for r in mine if r.user_id),
                   "departments": sorted(departments[r.department_id] for r in mine
                                         if r.department_id)}
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="role.assignments_dropped", target_type="role",
                    target_id=f"{app_key}.{role}", details=details)
        dropped.append(details)
    return dropped
