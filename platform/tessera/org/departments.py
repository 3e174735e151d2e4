"""The department tree of a tenant."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import (
    Conflict,
    FieldProblem,
    NotFound,
    ValidationFailed,
    unknown_department,
    unknown_member,
)
from tessera.db import tables as t
from tessera.db.ids import uuid7

KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,62}$")


async def create_department(conn: AsyncConnection, *, tenant_id: uuid.UUID, key: str, name: str,
                            parent: str | None, managers: list[str]) -> dict[str, Any]:
    problems = []
    if not KEY.match(key or ""):
        problems.append(FieldProblem("key", "invalid_key",
                                     "Use lowercase letters, digits, '_' or '-'."))
    if not (name or "").strip():
        problems.append(FieldProblem("name", "required", "A name is required."))
    parent_id = None
    if parent:
        parent_id = (await conn.execute(select(t.departments.c.id).where(
            t.departments.c.tenant_id == tenant_id, t.departments.c.key == parent))).scalar()
        if parent_id is None:
            problems.append(unknown_department("parent", parent))
    for i, email in enumerate(managers):
        uid = (await conn.execute(select(t.users.c.id).where(
            t.users.c.tenant_id == tenant_id,
            func.lower(t.users.c.email) == email.lower()))).scalar()
        if uid is None:
            problems.append(unknown_member(f"managers[{i}]", email))
    if problems:
        raise ValidationFailed("The department cannot be created.", errors=problems)
    dept_id = uuid7()
    try:
        async with conn.begin_nested():
            await conn.execute(insert(t.departments).values(
                id=dept_id, tenant_id=tenant_id, key=key, name=name.strip(), parent_id=parent_id))
    except IntegrityError:
        raise Conflict(f"A department with key {key!r} exists.", code="duplicate_key",
                       params={"key": key},
                       errors=[FieldProblem("key", "duplicate", "Already in use.")]) from None
    await _set_managers(conn, tenant_id, dept_id, managers)
    return {"id": str(dept_id), "key": key, "name": name.strip(), "parent": parent,
            "managers": managers}


async def list_departments(conn: AsyncConnection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    d, parent = t.departments, t.departments.alias("parent")
    rows = (await conn.execute(
        select(d.c.id, d.c.key, d.c.name, parent.c.key.label("parent"))
        .select_from(d.outerjoin(parent, parent.c.id == d.c.parent_id))
        .where(d.c.tenant_id == tenant_id).order_by(d.c.sort, d.c.key))).mappings().all()
    managers = (await conn.execute(
        select(t.memberships.c.department_id, t.users.c.email)
        .join(t.users, t.users.c.id == t.memberships.c.user_id)
        .where(t.memberships.c.tenant_id == tenant_id, t.memberships.c.is_manager.is_(True))
    )).all()
    by_dept: dict[uuid.UUID, list[str]] = {}
    for dept_id, email in managers:
        by_dept.setdefault(dept_id, []).append(email)
    return [{"id": str(r["id"]), "key": r["key"], "name": r["name"], "parent": r["parent"],
             "managers": by_dept.get(r["id"], [])} for r in rows]


async def update_department(conn: AsyncConnection, *, tenant_id: uuid.UUID, key: str,
                            changes: dict[str, Any]) -> dict[str, Any]:
    d = t.departments
    row = (await conn.execute(select(d).where(d.c.tenant_id == tenant_id, d.c.key == key))
           ).mappings().first()
    if row is None:
        raise NotFound(f"No department with key {key!r}.", code="unknown_department",
                       params={"key": key})
    values: dict[str, Any] = {}
    if "name" in changes:
        if not (changes["name"] or "").strip():
            raise ValidationFailed("A name is required.",
                                   errors=[FieldProblem("name", "required", "Required.")])
        values["name"] = changes["name"].strip()
    if "parent" in changes:
        values["parent_id"] = await _parent_id(conn, tenant_id, row["id"], changes["parent"])
    if values:
        await conn.execute(update(d).where(d.c.id == row["id"]).values(**values))
    if "managers" in changes:
        await _set_managers(conn, tenant_id, row["id"], changes["managers"] or [])
    return next(x for x in await list_departments(conn, tenant_id) if x["key"] == key)


async def _parent_id(conn: AsyncConnection, tenant_id: uuid.UUID, dept_id: uuid.UUID,
                     parent: str | None) -> uuid.UUID | None:
    """The new parent's id; refuses a parent inside the department's own subtree (a cycle)."""
    if parent is None:
        return None
    d = t.departments
    parent_id = (await conn.execute(select(d.c.id).where(
        d.c.tenant_id == tenant_id, d.c.key == parent))).scalar()
    if parent_id is None:
        raise ValidationFailed("No such parent.", errors=[unknown_department("parent", parent)])
    below = select(d.c.id).where(d.c.id == dept_id).cte("below", recursive=True)
    below = below.union_all(select(d.c.id).where(d.c.parent_id == below.c.id))
    if parent_id in set((await conn.execute(select(below.c.id))).scalars()):
        raise ValidationFailed("A department cannot move under itself.", errors=[FieldProblem(
            "parent", "cycle", "That department is inside this one.")])
    return parent_id


async def _set_managers(conn: AsyncConnection, tenant_id: uuid.UUID, dept_id: uuid.UUID,
                        emails: list[str]) -> None:
    m = t.memberships
    ids = []
    for i, email in enumerate(emails):
        uid = (await conn.execute(select(t.users.c.id).where(
            t.users.c.tenant_id == tenant_id, func.lower(t.users.c.email) == email.lower()))
        ).scalar()
        if uid is None:
            raise ValidationFailed("No such member.",
                                   errors=[unknown_member(f"managers[{i}]", email)])
        ids.append(uid)
    await conn.execute(update(m).where(m.c.department_id == dept_id).values(is_manager=False))
    for uid in ids:
        existing = (await conn.execute(select(m.c.user_id).where(
            m.c.user_id == uid, m.c.department_id == dept_id))).first()
        if existing:
            await conn.execute(update(m).where(m.c.user_id == uid, m.c.department_id == dept_id)
                               .values(is_manager=True))
        else:
            await conn.execute(insert(m).values(tenant_id=tenant_id, user_id=uid,
                                                department_id=dept_id, is_manager=True))
