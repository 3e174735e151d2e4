"""From an identity the provider vouched for to a member of the tenant: matched by e-mail,
created when the tenant allows it, with departments kept in step with a mapped claim."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import Conflict
from tessera.auth.oidc import Identity, SsoFailed
from tessera.auth.sso_settings import OidcConfig
from tessera.db import tables as t
from tessera.org.lifecycle import set_departments
from tessera.org.users import EMAIL, create_user, find_user_by_email


@dataclass
class MemberResult:
    user: Any  # the users row
    created: bool
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def mapped_departments(config: OidcConfig, groups: tuple[str, ...]) -> list[str]:
    """Department keys for the provider's group values, in claim order, without repeats."""
    keys: list[str] = []
    for group in groups:
        key = config.department_map.get(group)
        if key and key not in keys:
            keys.append(key)
    return keys


async def _existing_keys(conn: AsyncConnection, tenant_id: uuid.UUID,
                         keys: list[str]) -> list[str]:
    if not keys:
        return []
    found = set((await conn.execute(select(t.departments.c.key).where(
        t.departments.c.tenant_id == tenant_id, t.departments.c.key.in_(keys)))).scalars())
    return [k for k in keys if k in found]


async def _current(conn: AsyncConnection, user_id: uuid.UUID) -> tuple[list[str], str | None]:
    m, d = t.memberships, t.departments
    rows = (await conn.execute(select(d.c.key, m.c.is_main).join(d, d.c.id == m.c.department_id)
                               .where(m.c.user_id == user_id).order_by(d.c.key))).all()
    return [r.key for r in rows], next((r.key for r in rows if r.is_main), None)


async def sync_departments(conn: AsyncConnection, tenant_id: uuid.UUID, user_id: uuid.UUID,
                           config: OidcConfig, groups: tuple[str, ...]
                           ) -> tuple[list[str], list[str]]:
    """Make the member's memberships in the *mapped* departments match the claim; departments
    no mapping names (given by an admin) are left alone. Returns (added, removed)."""
    managed = set(config.department_map.values())
    wanted = await _existing_keys(conn, tenant_id, mapped_departments(config, groups))
    current, main = await _current(conn, user_id)
    keep = [k for k in current if k not in managed or k in wanted]
    added = [k for k in wanted if k not in current]
    removed = [k for k in current if k not in keep]
    if added or removed:
        keys = keep + added
        await set_departments(conn, tenant_id, user_id, keys,
                              main if main in keys else (keys[0] if keys else None))
    return added, removed


async def member_for(conn: AsyncConnection, tenant_id: uuid.UUID, config: OidcConfig,
                     identity: Identity) -> MemberResult:
    if not identity.email or not EMAIL.match(identity.email):
        raise SsoFailed(f"The identity provider sent no usable e-mail address in claim "
                        f"{config.email_claim!r}.", code="sso_email_missing", status=403,
                        params={"claim": config.email_claim})
    if identity.email_verified is False:
        raise SsoFailed("The identity provider says this e-mail address is not verified.",
                        code="sso_email_not_verified", status=403)
    user = await find_user_by_email(conn, tenant_id, identity.email)
    created = False
    if user is None:
        if not config.auto_create_members:
            raise SsoFailed(f"{identity.email} is not a member here; ask an administrator to "
                            "add you.", code="sso_member_not_found", status=403,
                            params={"email": identity.email})
        departments = await _existing_keys(
            conn, tenant_id, mapped_departments(config, identity.groups or ()))
        name = identity.name or identity.email.split("@", 1)[0]
        try:
            await create_user(conn, tenant_id=tenant_id, email=identity.email, name=name,
                              password=None, departments=departments)
            created = True
        except Conflict:
            pass  # a parallel first login of the same person created it: use theirs
        user = await find_user_by_email(conn, tenant_id, identity.email)
        if created:
            return MemberResult(user=user, created=True, added=departments)
    if not user["is_active"]:
        raise SsoFailed("This account is disabled.", code="user_disabled", status=403)
    result = MemberResult(user=user, created=False)
    if identity.groups is not None and config.department_map:
        result.added, result.removed = await sync_departments(
            conn, tenant_id, user["id"], config, identity.groups)
    return result
