"""Password login with throttling: failures are counted per e-mail and per client address in
the database, so the limit holds across API processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from tessera.api.errors import ApiError, NotAuthenticated
from tessera.audit import audit
from tessera.auth.passwords import verify_password
from tessera.auth.sso_settings import PasswordLoginDisabled, password_login_enabled
from tessera.auth.tokens import Principal, issue_token
from tessera.config import Settings
from tessera.db import tables as t
from tessera.org.tenants import get_tenant_id
from tessera.org.users import find_user_by_email

IP_FAILURE_FACTOR = 4  # an address may fail for several accounts before it is slowed down


class TooManyAttempts(ApiError):
    status, code, title = 429, "too_many_attempts", "Too many login attempts"


async def _recent_failures(conn, *, email: str, ip: str | None, since: datetime) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    la = t.login_attempts
    by_email = (await conn.execute(select(func.count()).where(
        func.lower(la.c.email) == email.lower(), la.c.succeeded.is_(False), la.c.at > since))
    ).scalar_one()
    by_ip = 0
    if ip:
        by_ip = (await conn.execute(select(func.count()).where(
            la.c.ip == ip, la.c.succeeded.is_(False), la.c.at > since))).scalar_one()
    return by_email, by_ip


async def login(engine: AsyncEngine, settings: Settings, *, email: str, password: str,
                tenant_key: str | None, ip: str | None,
                request_id: str | None) -> tuple[str, datetime | None, Principal]:
    """Check the password and issue a session token; every attempt is recorded and audited."""
    window = timedelta(seconds=settings.login_window_seconds)
    async with engine.begin() as conn:
        tenant_id = await get_tenant_id(conn, tenant_key or settings.default_tenant)
        by_email, by_ip = await _recent_failures(conn, email=email, ip=ip,
                                                 since=datetime.now(UTC) - window)
        if (by_email >= settings.login_max_failures
                or by_ip >= settings.login_max_failures * IP_FAILURE_FACTOR):
            raise TooManyAttempts(
                "Too many failed logins; wait a few minutes before trying again.",
                headers={"Retry-After": str(settings.login_window_seconds)})
        user = await find_user_by_email(conn, tenant_id, email) if tenant_id else None
        ok = verify_password(user["password_hash"] if user else None, password)
        ok = ok and user is not None and user["is_active"]
        # With password login turned off (single sign-on only), administrators keep theirs as
        # the break-glass way in when the identity provider fails (docs/adr/0005-oidc-sso.md).
        allowed = tenant_id is None or await password_login_enabled(conn, tenant_id)
        break_glass = ok and not allowed and user is not None and user["is_admin"]
        ok = ok and (allowed or break_glass)
        await conn.execute(insert(t.login_attempts).values(
            tenant_id=tenant_id, email=email, ip=ip, succeeded=ok))
        await audit(conn, tenant_id=tenant_id, actor_id=user["id"] if user else None,
                    action="login.break_glass" if break_glass
                    else "login.succeeded" if ok else "login.failed",
                    details={"email": email}, ip=ip, request_id=request_id)
        if not ok and not allowed:
            failure = PasswordLoginDisabled(
                "This organisation signs in with single sign-on only.")
        elif not ok:
            failure = NotAuthenticated("The e-mail or password is wrong.",
                                       code="invalid_credentials")
        else:
            assert user is not None and tenant_id is not None
            token, expires_at = await issue_token(conn, tenant_id=tenant_id, user_id=user["id"],
                                                  kind="session",
                                                  ttl_seconds=settings.token_ttl_seconds)
            principal = Principal(user_id=user["id"], tenant_id=tenant_id,
                                  tenant_key=tenant_key or settings.default_tenant,
                                  email=user["email"], name=user["name"],
                                  is_admin=user["is_admin"], token_kind="session")
            return token, expires_at, principal
    raise failure  # after the commit: the failed attempt stays recorded
