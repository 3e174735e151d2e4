"""A member's life in a tenant: edit, disable, invite, and offboard with a handover.

Offboarding is one transaction: every record the leaver owns, in every form table of the
tenant, passes to the successor (one UPDATE per table, each writing history, after the
version-1 rows imports leave to the first change), their sessions
and API tokens are revoked and the account is disabled. What other engines hold for a member
(open flow tasks, rule assignments) registers a `handover` step here when those engines land,
so offboarding stays the one place that knows everything a leaver leaves behind.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import column, delete, exists, func, insert, select, text, update
from sqlalchemy import table as sa_table
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import (
    ApiError,
    Conflict,
    FieldProblem,
    NotFound,
    ValidationFailed,
    unknown_department,
    unknown_member,
)
from tessera.apps.service import published
from tessera.auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from tessera.auth.tokens import Principal, hash_token
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.org.tenants import schema_name
from tessera.org.users import public_user
from tessera.records import lazy_history, service
from tessera.storage.naming import quote
from tessera.storage.tables import build_app_tables

INVITATION_DAYS = 7


async def _user(conn: AsyncConnection, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Any:
    row = (await conn.execute(select(t.users).where(
        t.users.c.tenant_id == tenant_id, t.users.c.id == user_id))).mappings().first()
    if row is None:
        raise NotFound("No such member.", code="unknown_user")
    return row


async def _user_by_email(conn: AsyncConnection, tenant_id: uuid.UUID, email: str,
                         path: str) -> Any:
    row = (await conn.execute(select(t.users).where(
        t.users.c.tenant_id == tenant_id, func.lower(t.users.c.email) == email.lower()))
    ).mappings().first()
    if row is None:
        raise ValidationFailed("No such member.", errors=[
            unknown_member(path, email)])
    return row


async def revoke_all_tokens(conn: AsyncConnection, tenant_id: uuid.UUID,
                            user_id: uuid.UUID) -> int:
    result = await conn.execute(update(t.auth_tokens).where(
        t.auth_tokens.c.tenant_id == tenant_id, t.auth_tokens.c.user_id == user_id,
        t.auth_tokens.c.revoked_at.is_(None)).values(revoked_at=func.now()))
    return result.rowcount or 0


async def set_departments(conn: AsyncConnection, tenant_id: uuid.UUID, user_id: uuid.UUID,
                          keys: list[str], main: str | None) -> None:
    """Replace the member's departments, keeping the manager flags of those that stay."""
    ids = {}
    problems = []
    for i, key in enumerate(keys):
        dept = (await conn.execute(select(t.departments.c.id).where(
            t.departments.c.tenant_id == tenant_id, t.departments.c.key == key))).scalar()
        if dept is None:
            problems.append(unknown_department(f"departments[{i}]", key))
        ids[key] = dept
    if main is not None and main not in ids:
        problems.append(FieldProblem("main_department", "not_a_member",
                                     "The main department must be one of the departments."))
    if problems:
        raise ValidationFailed("The departments are not valid.", errors=problems)
    m = t.memberships
    managers = set((await conn.execute(select(m.c.department_id).where(
        m.c.user_id == user_id, m.c.is_manager.is_(True)))).scalars())
    await conn.execute(delete(m).where(m.c.tenant_id == tenant_id, m.c.user_id == user_id))
    main = main or (keys[0] if keys else None)
    for key, dept in ids.items():
        await conn.execute(insert(m).values(tenant_id=tenant_id, user_id=user_id,
                                            department_id=dept, is_main=(key == main),
                                            is_manager=dept in managers))


async def update_user(conn: AsyncConnection, tenant_id: uuid.UUID, user_id: uuid.UUID,
                      changes: dict[str, Any]) -> dict[str, Any]:
    row = await _user(conn, tenant_id, user_id)
    values: dict[str, Any] = {}
    for key in ("name", "locale", "position", "is_admin"):
        if key in changes:
            values[key] = changes[key]
    if "is_active" in changes and changes["is_active"] != row["is_active"]:
        values["is_active"] = changes["is_active"]
        values["disabled_at"] = None if changes["is_active"] else datetime.now(UTC)
        if not changes["is_active"]:
            await revoke_all_tokens(conn, tenant_id, user_id)
    if values:
        await conn.execute(update(t.users).where(t.users.c.id == user_id)
                           .values(**values, updated_at=func.now()))
    if "departments" in changes:
        await set_departments(conn, tenant_id, user_id, changes["departments"] or [],
                              changes.get("main_department"))
    return public_user(await _user(conn, tenant_id, user_id))


async def invite(conn: AsyncConnection, tenant_id: uuid.UUID, actor_id: uuid.UUID,
                 user_id: uuid.UUID) -> tuple[str, datetime]:
    """A one-time token with which the member sets their own password."""
    token = "tsi_" + secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=INVITATION_DAYS)
    await conn.execute(insert(t.invitations).values(
        id=uuid7(), tenant_id=tenant_id, user_id=user_id, token_hash=hash_token(token),
        expires_at=expires, created_by=actor_id))
    return token, expires


async def accept_invitation(conn: AsyncConnection, token: str, password: str) -> dict[str, Any]:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("The password is too short.", errors=[FieldProblem(
            "password", "too_short", f"At least {MIN_PASSWORD_LENGTH} characters.",
            {"min": MIN_PASSWORD_LENGTH})])
    inv = t.invitations
    row = (await conn.execute(select(inv).where(inv.c.token_hash == hash_token(token))
                              .with_for_update())).mappings().first()
    if row is None or row["accepted_at"] is not None:
        raise ApiError("This invitation is not valid (or was already used).", status=400,
                       code="invalid_invitation")
    if row["expires_at"] <= datetime.now(UTC):
        raise ApiError("This invitation has expired; ask for a new one.", status=400,
                       code="invitation_expired")
    await conn.execute(update(inv).where(inv.c.id == row["id"]).values(accepted_at=func.now()))
    await conn.execute(update(t.users).where(t.users.c.id == row["user_id"]).values(
        password_hash=hash_password(password), is_active=True, disabled_at=None,
        updated_at=func.now()))
    return public_user(await _user(conn, row["tenant_id"], row["user_id"]))


async def _form_tables(conn: AsyncConnection, tenant_id: uuid.UUID) -> list[Any]:
    return (await conn.execute(select(
        t.form_tables.c.app_key, t.form_tables.c.form_key, t.form_tables.c.schema_name,
        t.form_tables.c.table_name).where(t.form_tables.c.tenant_id == tenant_id,
                                          t.form_tables.c.path == ""))).all()


async def _write_lazy_first_versions(conn: AsyncConnection, principal: Principal,
                                     app_key: str, form_key: str, owner_id: uuid.UUID) -> None:
    """Imported, never-changed records keep their version 1 only lazily (`lazy_history`):
    the handover's UPDATE is their first change, so it writes those rows first — else
    restoring version 1 of a handed-over record would find nothing. The app is loaded only
    for a table that has such records."""
    app = await published(conn, principal.tenant_id, app_key)
    tables = build_app_tables(schema_name(principal.tenant_key), app.definition)
    ctx = await service.open_form(conn, principal, app, tables, form_key)
    await service.write_owner_first_versions(ctx, owner_id)


async def offboard(conn: AsyncConnection, principal: Principal, leaver_id: uuid.UUID,
                   successor_email: str) -> dict[str, Any]:
    """`principal` is the admin doing it: the actor of the history rows."""
    tenant_id, actor_id = principal.tenant_id, principal.user_id
    leaver = await _user(conn, tenant_id, leaver_id)
    successor = await _user_by_email(conn, tenant_id, successor_email, "successor")
    if successor["id"] == leaver_id:
        raise Conflict("A member cannot hand over to themselves.", code="same_member",
                       errors=[FieldProblem("successor", "same_member", "Choose someone else.")])
    if not successor["is_active"]:
        raise Conflict("The successor's account is disabled.", code="successor_disabled",
                       errors=[FieldProblem("successor", "disabled", "Disabled account.")])
    moved: dict[str, int] = {}
    for app_key, form_key, schema, table in await _form_tables(conn, tenant_id):
        target = f"{quote(schema)}.{quote(table)}"
        rows = sa_table(table, column("tenant_id"), column("_id"), column("_owner"),
                        column("_version"), schema=schema)
        if (await conn.execute(select(exists().where(
                rows.c.tenant_id == tenant_id, rows.c._owner == leaver_id,
                rows.c._version == 1, lazy_history.unwritten(rows, app_key, form_key))))).scalar():
            await _write_lazy_first_versions(conn, principal, app_key, form_key, leaver_id)
        # One statement per table: re-own the rows and write their history together.
        result = await conn.execute(text(
            f"with moved as (update {target} set _owner = :to, _version = _version + 1, "  # noqa: S608
            f"_updated_at = now(), _updated_by = :actor where tenant_id = :tenant and "
            f"_owner = :from returning _id, _version) "
            f"insert into record_history (tenant_id, app_key, form_key, record_id, version, "
            f"action, changes, actor_id) select :tenant, :app, :form, _id, _version, "
            f"'handover', cast(:changes as jsonb), :actor from moved"),
            {"to": successor["id"], "from": leaver_id, "tenant": tenant_id, "actor": actor_id,
             "app": app_key, "form": form_key,
             "changes": json.dumps({"_owner": {"old": str(leaver_id),
                                                "new": str(successor["id"])}})})
        if result.rowcount:
            moved[f"{app_key}.{form_key}"] = result.rowcount
    ra = t.role_assignments
    held = (await conn.execute(select(ra.c.app_key, ra.c.role_key).where(
        ra.c.tenant_id == tenant_id, ra.c.user_id == leaver_id))).all()
    await conn.execute(delete(ra).where(ra.c.tenant_id == tenant_id, ra.c.user_id == leaver_id))
    revoked = await revoke_all_tokens(conn, tenant_id, leaver_id)
    await conn.execute(update(t.users).where(t.users.c.id == leaver_id).values(
        is_active=False, disabled_at=func.now(), updated_at=func.now()))
    existing = await _app_roles(conn, tenant_id, {a for a, _ in held})
    return {"leaver": leaver["email"], "successor": successor["email"],
            "records": moved, "records_total": sum(moved.values()),
            "roles_removed": [f"{a}.{r}" for a, r in held if r in existing.get(a, ())],
            "tokens_revoked": revoked}


async def _app_roles(conn: AsyncConnection, tenant_id: uuid.UUID,
                     app_keys: set[str]) -> dict[str, set[str]]:
    """The roles each app's published version has: assignments of any other key are leftovers
    of a removed role (deleted all the same, but never reported as roles the member held)."""
    from tessera.apps.removed_roles import role_keys

    rows = (await conn.execute(
        select(t.apps.c.key, t.app_versions.c.definition)
        .join(t.app_versions, (t.app_versions.c.app_id == t.apps.c.id)
              & (t.app_versions.c.version == t.apps.c.published_version))
        .where(t.apps.c.tenant_id == tenant_id, t.apps.c.key.in_(sorted(app_keys))))).all()
    return {key: set(role_keys(definition)) for key, definition in rows}
