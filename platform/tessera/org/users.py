"""Members of a tenant."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import Conflict, FieldProblem, ValidationFailed, unknown_department
from tessera.auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from tessera.db import tables as t
from tessera.db.ids import uuid7

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def public_user(row: Any) -> dict[str, Any]:
    return {"id": str(row["id"]), "email": row["email"], "name": row["name"],
            "is_admin": row["is_admin"], "is_active": row["is_active"], "locale": row["locale"],
            "position": row.get("position")}


async def create_user(conn: AsyncConnection, *, tenant_id: uuid.UUID, email: str, name: str,
                      password: str | None, is_admin: bool = False,
                      departments: list[str] | None = None,
                      main_department: str | None = None) -> dict[str, Any]:
    problems = []
    if not EMAIL.match(email or ""):
        problems.append(FieldProblem("email", "invalid_email", "Not a valid e-mail address."))
    if not (name or "").strip():
        problems.append(FieldProblem("name", "required", "A name is required."))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem("password", "too_short",
                                     f"At least {MIN_PASSWORD_LENGTH} characters.",
                                     {"min": MIN_PASSWORD_LENGTH}))
    dept_ids: dict[str, uuid.UUID] = {}
    for i, key in enumerate(departments or []):
        dept = (await conn.execute(select(t.departments.c.id).where(
            t.departments.c.tenant_id == tenant_id, t.departments.c.key == key))).scalar()
        if dept is None:
            problems.append(unknown_department(f"departments[{i}]", key))
        else:
            dept_ids[key] = dept
    if problems:
        raise ValidationFailed("The member cannot be created.", errors=problems)
    user_id = uuid7()
    try:
        async with conn.begin_nested():
            await conn.execute(insert(t.users).values(
                id=user_id, tenant_id=tenant_id, email=email.strip(), name=name.strip(),
                password_hash=hash_password(password) if password else None, is_admin=is_admin))
    except IntegrityError:
        raise Conflict(f"A member with the e-mail {email} already exists.", code="duplicate_email",
                       params={"email": email},
                       errors=[FieldProblem("email", "duplicate", "Already in use.")]) from None
    main = main_department or (departments[0] if departments else None)
    for key, dept_id in dept_ids.items():
        await conn.execute(insert(t.memberships).values(
            tenant_id=tenant_id, user_id=user_id, department_id=dept_id, is_main=(key == main)))
    return await get_user(conn, tenant_id, user_id)


async def get_user(conn: AsyncConnection, tenant_id: uuid.UUID, user_id: uuid.UUID) -> dict:
    row = (await conn.execute(select(t.users).where(
        t.users.c.tenant_id == tenant_id, t.users.c.id == user_id))).mappings().one()
    return public_user(row)


async def find_user_by_email(conn: AsyncConnection, tenant_id: uuid.UUID, email: str) -> Any:
    return (await conn.execute(select(t.users).where(
        t.users.c.tenant_id == tenant_id,
        func.lower(t.users.c.email) == email.strip().lower()))).mappings().first()


async def list_users(conn: AsyncConnection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """Members with their departments (keys) and main department, in two queries."""
    rows = (await conn.execute(select(t.users).where(t.users.c.tenant_id == tenant_id)
                               .order_by(t.users.c.created_at))).mappings().all()
    m, d = t.memberships, t.departments
    memberships = (await conn.execute(
        select(m.c.user_id, m.c.is_main, m.c.is_manager, d.c.key)
        .join(d, d.c.id == m.c.department_id).where(m.c.tenant_id == tenant_id)
        .order_by(d.c.sort, d.c.key))).all()
    by_user: dict[uuid.UUID, list[Any]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    out = []
    for row in rows:
        mine = by_user.get(row["id"], [])
        out.append({**public_user(row), "departments": [x.key for x in mine],
                    "main_department": next((x.key for x in mine if x.is_main), None),
                    "manages": [x.key for x in mine if x.is_manager]})
    return out
