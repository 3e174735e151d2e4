"""Who holds an app role: members directly, or everyone in a department (role_assignments)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import (
    NotFound,
    ValidationFailed,
    unknown_department,
    unknown_member,
)
from tessera.apps.removed_roles import role_keys
from tessera.apps.service import app_row, published
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.permissions import APP_ADMIN_ROLE


async def list_roles(conn: AsyncConnection, tenant_id: Any, app_key: str) -> list[dict]:
    app = await published(conn, tenant_id, app_key)
    ra = t.role_assignments
    rows = (await conn.execute(
        select(ra.c.role_key, t.users.c.email, t.departments.c.key.label("department"))
        .outerjoin(t.users, t.users.c.id == ra.c.user_id)
        .outerjoin(t.departments, t.departments.c.id == ra.c.department_id)
        .where(ra.c.tenant_id == tenant_id, ra.c.app_key == app_key))).all()
    names = {r["key"]: r.get("name") for r in app.definition.get("roles") or []}
    names[APP_ADMIN_ROLE] = {"zh-CN": "应用管理员", "en": "App administrator"}
    out = []
    for key in role_keys(app.definition):
        mine = [r for r in rows if r.role_key == key]
        out.append({"key": key, "name": names.get(key),
                    "users": sorted(r.email for r in mine if r.email),
                    "departments": sorted(r.department for r in mine if r.department)})
    return out


async def set_members(conn: AsyncConnection, principal: Principal, app_key: str, role: str,
                      users: list[str], departments: list[str]) -> dict[str, Any]:
    # the app row's lock makes a publish that removes this role wait for us (then drop what
    # we wrote) or us wait for it (then refuse the role it removed): no assignment outlives
    # its role
    await app_row(conn, principal.tenant_id, app_key, lock=True)
    app = await published(conn, principal.tenant_id, app_key)
    if role not in role_keys(app.definition):
        raise NotFound(f"The app {app_key!r} has no role {role!r}.", code="unknown_role",
                       params={"app": app_key, "role": role})
    problems, user_ids, dept_ids = [], [], []
    for i, email in enumerate(users):
        uid = (await conn.execute(select(t.users.c.id).where(
            t.users.c.tenant_id == principal.tenant_id,
            func.lower(t.users.c.email) == email.lower()))).scalar()
        if uid is None:
            problems.append(unknown_member(f"users[{i}]", email))
        user_ids.append(uid)
    for i, key in enumerate(departments):
        did = (await conn.execute(select(t.departments.c.id).where(
            t.departments.c.tenant_id == principal.tenant_id,
            t.departments.c.key == key))).scalar()
        if did is None:
            problems.append(unknown_department(f"departments[{i}]", key))
        dept_ids.append(did)
    if problems:
        raise ValidationFailed("The role members are not valid.", errors=problems)
    ra = t.role_assignments
    await conn.execute(delete(ra).where(ra.c.tenant_id == principal.tenant_id,
                                        ra.c.app_key == app_key, ra.c.role_key == role))
    rows = ([{"user_id": u} for u in dict.fromkeys(user_ids)]
            + [{"department_id": d} for d in dict.fromkeys(dept_ids)])
    for row in rows:
        await conn.execute(insert(ra).values(id=uuid7(), tenant_id=principal.tenant_id,
                                             app_key=app_key, role_key=role, **row))
    return {"key": role, "users": sorted(users), "departments": sorted(departments)}
