"""Single sign-on with OpenID Connect: a tenant's settings, the login methods a login page
offers, and the two legs of the browser flow (docs/adr/0005-oidc-sso.md)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

import structlog
from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import JSONB

from tessera.api.deps import AdminPrincipal, org_changed, transaction
from tessera.api.errors import (
    FieldProblem,
    NotFound,
    ValidationFailed,
    problem_response,
    unknown_department,
)
from tessera.api.routes.auth import set_session_cookies
from tessera.api.routing import api_router
from tessera.audit import audit
from tessera.auth.oidc import (
    STATE_TTL_SECONDS,
    ProviderCache,
    SsoFailed,
    authorization_request,
    exchange_code,
    identity_from_claims,
    looks_like_state,
    new_state_key,
    open_state,
    safe_next,
    seal_state,
    state_cookie_name,
    state_cookie_tenant,
)
from tessera.auth.sso_members import member_for
from tessera.auth.sso_settings import (
    DEFAULT_SCOPES,
    SsoSettings,
    issuer_problems,
    load_tenant,
    redirect_uri_problems,
)
from tessera.auth.tokens import issue_token
from tessera.db import tables as t

log = structlog.get_logger("tessera.sso")
router = api_router(tags=["auth"])
STATE_KEY = "sso_state_key"  # in tenants.settings; never shown


def _providers(request: Request) -> ProviderCache:
    cache = getattr(request.app.state, "oidc_providers", None)
    if cache is None:
        cache = request.app.state.oidc_providers = ProviderCache()
    return cache


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _callback_url(request: Request, sso: SsoSettings) -> str:
    configured = sso.oidc.redirect_uri if sso.oidc else None
    return configured or str(request.url_for("oidc_callback"))


def _cookie_path(request: Request, sso: SsoSettings | None) -> str:
    """The flow cookie goes only where the provider sends the browser back."""
    return urlsplit(_callback_url(request, sso) if sso else
                    str(request.url_for("oidc_callback"))).path or "/"


def _not_configured() -> NotFound:
    return NotFound("Single sign-on is not set up for this organisation.",
                    code="sso_not_configured")


async def _tenant_or_404(request: Request, key: str) -> Any:
    async with transaction(request) as conn:
        row = await load_tenant(conn, key)
    if row is None:
        raise NotFound(f"No organisation {key!r}.", code="unknown_tenant",
                       params={"tenant": key})
    return row


# -- what a login page offers ----------------------------------------------------------------


@router.get("/auth/providers")
async def get_providers(request: Request, tenant: str | None = None) -> dict:
    """Public: the login methods of an organisation, for the login page."""
    key = tenant or request.app.state.settings.default_tenant
    sso = SsoSettings.from_tenant_settings((await _tenant_or_404(request, key))["settings"])
    oidc = None
    if sso.oidc_enabled:
        assert sso.oidc is not None
        login_url = request.app.url_path_for("oidc_login")
        oidc = {"display_name": sso.oidc.display_name, "login_url": f"{login_url}?tenant={key}"}
    return {"tenant": key, "password": sso.password_login, "oidc": oidc}


# -- settings (admins) -----------------------------------------------------------------------


class ClaimsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, Field(min_length=1, max_length=200)] = "email"
    name: Annotated[str, Field(min_length=1, max_length=200)] = "name"
    departments: Annotated[str | None, Field(min_length=1, max_length=200)] = None


class OidcBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    display_name: str | dict[str, str] = "Single sign-on"
    issuer: Annotated[str, Field(min_length=1, max_length=2000)]
    client_id: Annotated[str, Field(min_length=1, max_length=500)]
    client_secret: Annotated[str | None, Field(max_length=2000,
                                               description="Write-only; omit to keep, "
                                                           "\"\" to remove.")] = None
    scopes: list[Annotated[str, Field(pattern=r"^[\x21\x23-\x5B\x5D-\x7E]+$")]] = Field(
        default_factory=lambda: list(DEFAULT_SCOPES), max_length=30)
    redirect_uri: Annotated[str | None, Field(max_length=2000)] = None
    claims: ClaimsBody = Field(default_factory=ClaimsBody)
    auto_create_members: bool = False
    department_map: dict[str, str] = Field(default_factory=dict, max_length=1000)


class SsoBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    oidc: OidcBody | None = None
    password_login: bool = True


def _settings_view(request: Request, sso: SsoSettings) -> dict:
    return {**sso.public_view(), "callback_url": str(request.url_for("oidc_callback"))}


@router.get("/auth/sso")
async def get_sso(principal: AdminPrincipal, request: Request) -> dict:
    """The organisation's single sign-on settings; the client secret is never shown."""
    row = await _tenant_or_404(request, principal.tenant_key)
    return _settings_view(request, SsoSettings.from_tenant_settings(row["settings"]))


async def _problems(conn: Any, tenant_id: Any, body: SsoBody) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    oidc = body.oidc
    if oidc is not None:
        problems += issuer_problems(oidc.issuer, "oidc.issuer")
        problems += redirect_uri_problems(oidc.redirect_uri, "oidc.redirect_uri")
        if oidc.claims.departments and not oidc.department_map:
            problems.append(FieldProblem(
                "oidc.department_map", "department_map_required",
                "Map the provider's department values to department keys."))
        wanted = sorted(set(oidc.department_map.values()))
        found = set((await conn.execute(select(t.departments.c.key).where(
            t.departments.c.tenant_id == tenant_id, t.departments.c.key.in_(wanted))
        )).scalars()) if wanted else set()
        for group, key in oidc.department_map.items():
            if key not in found:
                problems.append(unknown_department(f"oidc.department_map.{group}", key))
    if not body.password_login and (oidc is None or not oidc.enabled):
        problems.append(FieldProblem(
            "password_login", "sso_required",
            "Turn on single sign-on before turning password login off."))
    return problems


@router.put("/auth/sso")
async def put_sso(body: SsoBody, principal: AdminPrincipal, request: Request) -> dict:
    """Replace the organisation's single sign-on settings. Without `client_secret` the stored
    secret is kept; the provider's discovery document is fetched to check the issuer."""
    async with transaction(request) as conn:
        problems = await _problems(conn, principal.tenant_id, body)
    if problems:
        raise ValidationFailed("The single sign-on settings are not valid.", errors=problems)
    if body.oidc is not None and body.oidc.enabled:
        try:
            await _providers(request).metadata(body.oidc.issuer)
        except SsoFailed as failure:
            raise ValidationFailed(
                f"{failure.detail} Check the issuer URL.", code="oidc_discovery_failed",
                errors=[FieldProblem("oidc.issuer", "discovery_failed", failure.detail)]
            ) from None
    async with transaction(request) as conn:
        settings = dict((await conn.execute(
            select(t.tenants.c.settings).where(t.tenants.c.id == principal.tenant_id)
            .with_for_update())).scalar() or {})
        previous = SsoSettings.from_tenant_settings(settings)
        secret_changed = False
        if body.oidc is None:
            settings.pop("oidc", None)
        else:
            oidc = body.oidc.model_dump()
            if "openid" not in oidc["scopes"]:
                oidc["scopes"] = ["openid", *oidc["scopes"]]
            if oidc["client_secret"] is None:
                oidc["client_secret"] = (previous.raw_oidc or {}).get("client_secret")
            else:
                secret_changed = True
            oidc["client_secret"] = oidc["client_secret"] or None
            settings["oidc"] = oidc
        settings["password_login"] = body.password_login
        await conn.execute(update(t.tenants).where(t.tenants.c.id == principal.tenant_id)
                           .values(settings=settings))
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="sso.settings_changed", ip=_client_ip(request),
                    details={"oidc_enabled": bool(body.oidc and body.oidc.enabled),
                             "issuer": body.oidc.issuer if body.oidc else None,
                             "password_login": body.password_login,
                             "client_secret_changed": secret_changed})
    return _settings_view(request, SsoSettings.from_tenant_settings(settings))


# -- the browser flow ------------------------------------------------------------------------


async def _state_key(conn: Any, tenant: Any) -> str:
    """The tenant's key for the flow cookie, made on first use (any process may finish a
    login another began, so it lives in the database, not in memory)."""
    existing = (tenant["settings"] or {}).get(STATE_KEY)
    if existing:
        return existing
    settings = t.tenants.c.settings
    await conn.execute(update(t.tenants).where(
        t.tenants.c.id == tenant["id"], ~settings.has_key(STATE_KEY))
        .values(settings=settings.op("||")(func.jsonb_build_object(STATE_KEY, new_state_key()))
                .cast(JSONB)))
    return (await conn.execute(select(settings[STATE_KEY].astext)
                               .where(t.tenants.c.id == tenant["id"]))).scalar_one()


@router.get("/auth/oidc/login", name="oidc_login")
async def oidc_login(request: Request, tenant: str | None = None,
                     next_path: Annotated[str | None, Query(alias="next")] = None) -> Response:
    """Send the browser to the identity provider; it comes back to `/auth/oidc/callback`."""
    key = tenant or request.app.state.settings.default_tenant
    async with transaction(request) as conn:
        row = await load_tenant(conn, key)
        if row is None:
            raise NotFound(f"No organisation {key!r}.", code="unknown_tenant",
                           params={"tenant": key})
        sso = SsoSettings.from_tenant_settings(row["settings"])
        if not sso.oidc_enabled:
            raise _not_configured()
        state_key = await _state_key(conn, row)
    assert sso.oidc is not None
    meta = await _providers(request).metadata(sso.oidc.issuer)
    url, flow = await authorization_request(sso.oidc, meta, tenant=key,
                                            redirect_uri=_callback_url(request, sso),
                                            next_path=safe_next(next_path))
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        state_cookie_name(flow.state),
        seal_state(flow, tenant_state_key=state_key,
                   server_secret=request.app.state.settings.secret_key),
        max_age=STATE_TTL_SECONDS, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path=_cookie_path(request, sso))
    return response


@router.get("/auth/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request, state: str | None = None, code: str | None = None,
                        error: str | None = None,
                        error_description: str | None = None) -> Response:
    """The identity provider's answer: check it, find or create the member, start a session
    exactly as password login does, and land on the page the login started from."""
    context: dict[str, Any] = {"tenant_id": None, "sso": None}
    try:
        response = await _finish_login(request, context, state=state, code=code, error=error,
                                       error_description=error_description)
    except SsoFailed as failure:
        log.info("sso_failed", code=failure.code, reason=failure.reason)
        async with transaction(request) as conn:
            await audit(conn, tenant_id=context["tenant_id"], actor_id=None,
                        action="login.sso_failed", ip=_client_ip(request),
                        request_id=getattr(request.state, "request_id", None),
                        details={"code": failure.code, "reason": failure.reason,
                                 **{k: v for k, v in context.items()
                                    if k not in ("tenant_id", "sso")}})
        response = problem_response(failure, request)
    if looks_like_state(state):
        assert state is not None
        response.delete_cookie(state_cookie_name(state),
                               path=_cookie_path(request, context["sso"]))
    return response


async def _finish_login(request: Request, context: dict[str, Any], *, state: str | None,
                        code: str | None, error: str | None,
                        error_description: str | None) -> Response:
    app_settings = request.app.state.settings
    invalid_state = SsoFailed("The sign-in took too long or was started in another browser; "
                              "start again.", code="sso_state_invalid", status=400)
    sealed = request.cookies.get(state_cookie_name(state)) if looks_like_state(state) else None
    tenant_key = state_cookie_tenant(sealed) if sealed else None
    if sealed is None or tenant_key is None:
        raise invalid_state
    async with transaction(request) as conn:
        tenant = await load_tenant(conn, tenant_key)
    if tenant is None or not (tenant["settings"] or {}).get(STATE_KEY):
        raise invalid_state
    context["tenant_id"] = tenant["id"]
    sso = context["sso"] = SsoSettings.from_tenant_settings(tenant["settings"])
    assert state is not None
    flow = open_state(sealed, state=state, tenant_state_key=tenant["settings"][STATE_KEY],
                      server_secret=app_settings.secret_key)
    if error or not code:
        reason = (error or "missing_code")[:100]
        described = f": {error_description[:300]}" if error_description else ""
        raise SsoFailed(f"The identity provider did not sign you in ({reason}{described}).",
                        code="sso_provider_error", reason=reason)
    if not sso.oidc_enabled:
        raise SsoFailed("Single sign-on is not set up for this organisation.",
                        code="sso_not_configured", status=404)
    assert sso.oidc is not None
    context["issuer"] = sso.oidc.issuer
    cache = _providers(request)
    meta = await cache.metadata(sso.oidc.issuer)
    claims = await exchange_code(sso.oidc, meta, cache, code=code, flow=flow)
    identity = identity_from_claims(sso.oidc, claims)
    context.update(subject=identity.subject, email=identity.email)
    async with transaction(request) as conn:
        member = await member_for(conn, tenant["id"], sso.oidc, identity)
        token, _ = await issue_token(conn, tenant_id=tenant["id"], user_id=member.user["id"],
                                     kind="session", ttl_seconds=app_settings.token_ttl_seconds)
        await audit(conn, tenant_id=tenant["id"], actor_id=member.user["id"],
                    action="login.sso_succeeded", ip=_client_ip(request),
                    request_id=getattr(request.state, "request_id", None),
                    details={"email": member.user["email"], "issuer": sso.oidc.issuer,
                             "subject": identity.subject, "created": member.created,
                             "departments_added": member.added,
                             "departments_removed": member.removed})
    if member.created or member.added or member.removed:
        await org_changed(request)
    response = RedirectResponse(safe_next(flow.next), status_code=303)
    set_session_cookies(response, request, token)
    return response
