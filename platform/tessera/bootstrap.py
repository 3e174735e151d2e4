"""First start: the default tenant, the first admin and the default app (the CRM template)."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from tessera.auth.passwords import generate_password
from tessera.auth.tokens import Principal
from tessera.config import Settings
from tessera.db import tables as t
from tessera.org.tenants import ensure_tenant
from tessera.org.users import create_user, find_user_by_email

log = structlog.get_logger("tessera.bootstrap")
DEFAULT_ADMIN_EMAIL = "admin@example.com"


@dataclass
class BootstrapResult:
    admin_email: str
    generated_password: str | None
    installed_app: str | None


async def bootstrap(engine: AsyncEngine, settings: Settings) -> BootstrapResult:
    from tessera.templates import DEFAULT_TEMPLATE, install_template

    async with engine.begin() as conn:
        tenant_id = await ensure_tenant(conn, settings.default_tenant, "Tessera")
        admins = (await conn.execute(select(func.count()).where(
            t.users.c.tenant_id == tenant_id, t.users.c.is_admin.is_(True)))).scalar_one()
        email = settings.admin_email or DEFAULT_ADMIN_EMAIL
        generated = None
        if admins == 0:
            password = settings.admin_password
            if not password:
                password = generated = generate_password()
            await create_user(conn, tenant_id=tenant_id, email=email, name="Admin",
                              password=password, is_admin=True)
            log.info("admin_created", email=email)
        installed = None
        apps = (await conn.execute(select(func.count()).where(
            t.apps.c.tenant_id == tenant_id))).scalar_one()
        if apps == 0 and settings.install_default_app:
            admin = await find_user_by_email(conn, tenant_id, email)
            if admin is None:
                admin = (await conn.execute(select(t.users).where(
                    t.users.c.tenant_id == tenant_id, t.users.c.is_admin.is_(True)).limit(1))
                ).mappings().one()
            principal = Principal(user_id=admin["id"], tenant_id=tenant_id,
                                  tenant_key=settings.default_tenant, email=admin["email"],
                                  name=admin["name"], is_admin=True, token_kind="system")
            result = await install_template(conn, principal, DEFAULT_TEMPLATE,
                                            tenant_key=settings.default_tenant)
            installed = result["app"]
            log.info("default_app_installed", **result)
    return BootstrapResult(email, generated, installed)
