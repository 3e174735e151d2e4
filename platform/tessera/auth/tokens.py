"""Opaque random tokens, stored only as SHA-256 hashes.

Opaque rather than JWT: a token can be revoked at once (logout, disable a user, offboarding) and
its hash is the only thing in the database, so a leaked backup holds no usable credential.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t
from tessera.db.ids import uuid7

LAST_USED_RESOLUTION = timedelta(minutes=1)
TOKEN_PREFIX = {"session": "tss_", "api": "tsa_"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a token on every request."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_key: str
    email: str
    name: str
    is_admin: bool
    token_kind: str
    scopes: tuple[str, ...] = ()
    department_id: uuid.UUID | None = None  # main department: stamped on records they create


async def issue_token(conn: AsyncConnection, *, tenant_id: uuid.UUID, user_id: uuid.UUID,
                      kind: str, ttl_seconds: int | None, name: str | None = None,
                      scopes: list[str] | None = None) -> tuple[str, datetime | None]:
    token = TOKEN_PREFIX[kind] + secrets.token_urlsafe(32)
    expires_at = (datetime.now(UTC) + timedelta(seconds=ttl_seconds)) if ttl_seconds else None
    await conn.execute(insert(t.auth_tokens).values(
        id=uuid7(), tenant_id=tenant_id, user_id=user_id, token_hash=hash_token(token), kind=kind,
        name=name, scopes=scopes or [], expires_at=expires_at))
    return token, expires_at


class TokenProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def resolve_token(conn: AsyncConnection, token: str) -> Principal:
    main_department = (select(t.memberships.c.department_id)
                       .where(t.memberships.c.user_id == t.users.c.id,
                              t.memberships.c.is_main.is_(True))
                       .limit(1).scalar_subquery())
    row = (await conn.execute(
        select(t.auth_tokens.c.id, t.auth_tokens.c.kind, t.auth_tokens.c.scopes,
               main_department.label("department_id"),
               t.auth_tokens.c.expires_at, t.auth_tokens.c.revoked_at,
               t.auth_tokens.c.last_used_at,
               t.users.c.id.label("user_id"), t.users.c.email, t.users.c.name,
               t.users.c.is_admin, t.users.c.is_active, t.tenants.c.id.label("tenant_id"),
               t.tenants.c.key.label("tenant_key"))
        .join(t.users, t.users.c.id == t.auth_tokens.c.user_id)
        .join(t.tenants, t.tenants.c.id == t.auth_tokens.c.tenant_id)
        .where(t.auth_tokens.c.token_hash == hash_token(token))
    )).mappings().first()
    if row is None or row["revoked_at"] is not None:
        raise TokenProblem("invalid_token", "The access token is not valid.")
    if row["expires_at"] is not None and row["expires_at"] <= datetime.now(UTC):
        raise TokenProblem("token_expired", "The session has expired; log in again.")
    if not row["is_active"]:
        raise TokenProblem("user_disabled", "This account is disabled.")
    now = datetime.now(UTC)
    last_used = row["last_used_at"]
    if last_used is None or now - last_used > LAST_USED_RESOLUTION:
        # Coarse on purpose: a write on every request would double the cost of reads.
        await conn.execute(update(t.auth_tokens).where(t.auth_tokens.c.id == row["id"])
                           .values(last_used_at=now))
    return Principal(user_id=row["user_id"], tenant_id=row["tenant_id"],
                     tenant_key=row["tenant_key"], email=row["email"], name=row["name"],
                     is_admin=row["is_admin"], token_kind=row["kind"],
                     scopes=tuple(row["scopes"] or ()), department_id=row["department_id"])


async def revoke_token(conn: AsyncConnection, token: str) -> None:
    await conn.execute(update(t.auth_tokens)
                       .where(t.auth_tokens.c.token_hash == hash_token(token))
                       .values(revoked_at=datetime.now(UTC)))
