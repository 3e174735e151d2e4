"""The department tree of a tenant."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import Conflict, FieldProblem, ValidationFailed
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
            problems.append(FieldProblem("parent", "unknown_department",
                                         f"No department with key {parent!r}."))
    manager_ids = []
    for i, email in enumerate(managers):
        uid = (await conn.execute(select(t.users.c.id).where(
            t.users.c.tenant_id == tenant_id,
            func.lower(t.users.c.email) == email.lower()))).scalar()
        if uid is None:
            problems.append(FieldProblem(f"managers[{i}]", "unknown_user",
                                         f"No member with e-mail {email!r}."))
        manager_ids.append(uid)
    if problems:
        raise ValidationFailed("The department cannot be created.", errors=problems)
    dept_id = uuid7()
    try:
        async with conn.begin_nested():
            await conn.execute(insert(t.departments).values(
                id=dept_id, tenant_id=tenant_id, key=key, name=name.strip(), parent_id=parent_id))
    except IntegrityError:
        raise Conflict(f"A department with key {key!r} exists.", code="duplicate_key",
                       errors=[FieldProblem("key", "duplicate", "Already in use.")]) from None
    for uid in manager_ids:
        existing = (await conn.execute(select(t.memberships.c.user_id).where(
            t.memberships.c.user_id == uid, t.memberships.c.department_id == dept_id))).first()
        if existing:
            await conn.execute(update(t.memberships).where(
                t.memberships.c.user_id == uid, t.memberships.c.department_id == dept_id)
                .values(is_manager=True))
        else:
            await conn.execute(insert(t.memberships).values(
                tenant_id=tenant_id, user_id=uid, department_id=dept_id, is_manager=True))
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
