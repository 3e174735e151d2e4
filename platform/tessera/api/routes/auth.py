"""Login, logout, the current member, API tokens."""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import Request, Response
from pydantic import BaseModel, Field

from tessera.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    TOKEN_SCOPES,
    CurrentPrincipal,
    token_from_request,
    token_revoked,
    transaction,
)
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.api.routing import api_router
from tessera.audit import audit
from tessera.auth.login import login
from tessera.auth.tokens import hash_token, issue_token, revoke_token
from tessera.db import tables as t
from tessera.org.users import get_user

router = api_router(tags=["auth"])
APP_SCOPE = re.compile(r"^app:[a-z][a-z0-9_]{0,62}$")


class LoginBody(BaseModel):
    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    tenant: str | None = None


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def set_session_cookies(response: Response, request: Request, token: str) -> None:
    """The browser's session: the HttpOnly session cookie and the readable CSRF cookie (shared
    by password login and single sign-on)."""
    settings = request.app.state.settings
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure,
                        max_age=settings.token_ttl_seconds, path="/")
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24), httponly=False, samesite="lax",
                        secure=secure, max_age=settings.token_ttl_seconds, path="/")


@router.post("/auth/login")
async def post_login(body: LoginBody, request: Request, response: Response) -> dict:
    settings = request.app.state.settings
    token, expires_at, principal = await login(
        request.app.state.engine, settings, email=body.email, password=body.password,
        tenant_key=body.tenant, ip=_client_ip(request),
        request_id=getattr(request.state, "request_id", None))
    set_session_cookies(response, request, token)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": settings.token_ttl_seconds,
        "expires_at": expires_at.isoformat() if expires_at else None,
        "user": {"id": str(principal.user_id), "email": principal.email,
                 "name": principal.name, "is_admin": principal.is_admin},
    }


@router.post("/auth/logout", status_code=204)
async def post_logout(principal: CurrentPrincipal, request: Request) -> Response:
    token, _ = token_from_request(request)
    assert token is not None
    async with transaction(request) as conn:
        await revoke_token(conn, token)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="logout", ip=_client_ip(request))
    await token_revoked(request, hash_token(token))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me")
async def get_me(principal: CurrentPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        user = await get_user(conn, principal.tenant_id, principal.user_id)
        tenant = (await conn.execute(t.tenants.select().where(
            t.tenants.c.id == principal.tenant_id))).mappings().one()
    return {**user, "tenant": {"key": tenant["key"], "name": tenant["name"]}}


class TokenBody(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    expires_in_days: Annotated[int | None, Field(ge=1, le=3650)] = None
    scopes: Annotated[list[str], Field(max_length=50, description=(
        "Narrow the token: read, write, admin, app:<key>. Empty = the member's full rights."
    ))] = []


def _valid_scopes(scopes: list[str]) -> list[str]:
    problems = [FieldProblem(f"scopes[{i}]", "unknown_scope", f"unknown scope {s!r}",
                                {"scope": s})
                for i, s in enumerate(scopes)
                if s not in TOKEN_SCOPES and not APP_SCOPE.match(s)]
    if problems:
        raise ValidationFailed("Unknown token scopes.", errors=problems)
    return scopes


@router.post("/tokens", status_code=201)
async def post_token(body: TokenBody, principal: CurrentPrincipal, request: Request) -> dict:
    """An API token for integrations; shown once, stored only as a hash."""
    async with transaction(request) as conn:
        token, expires_at = await issue_token(
            conn, tenant_id=principal.tenant_id, user_id=principal.user_id, kind="api",
            name=body.name, scopes=_valid_scopes(body.scopes),
            ttl_seconds=body.expires_in_days * 86400 if body.expires_in_days else None)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="token.created", details={"name": body.name})
    return {"token": token, "name": body.name, "scopes": body.scopes,
            "expires_at": expires_at.isoformat() if expires_at else None}
