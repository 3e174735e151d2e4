"""A tenant's single sign-on settings, kept in `tenants.settings` (docs/adr/0005-oidc-sso.md).

```jsonc
{"oidc": {"enabled": true, "display_name": "Company SSO",
          "issuer": "https://idp.example.com", "client_id": "tessera", "client_secret": "…",
          "scopes": ["openid", "email", "profile"], "redirect_uri": null,
          "claims": {"email": "email", "name": "name", "departments": "groups"},
          "auto_create_members": true, "department_map": {"idp-group": "department_key"}},
 "password_login": true}
```

The client secret is write-only: `public_view` never shows it, and writing settings without
one keeps the stored secret, so a client can read, change and write back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import ApiError, FieldProblem
from tessera.db import tables as t

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEFAULT_SCOPES = ("openid", "email", "profile")


class PasswordLoginDisabled(ApiError):
    status, code, title = 403, "password_login_disabled", "Password login is turned off"


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str | None = None
    enabled: bool = True
    display_name: str = "Single sign-on"
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    redirect_uri: str | None = None
    email_claim: str = "email"
    name_claim: str = "name"
    departments_claim: str | None = None
    auto_create_members: bool = False
    department_map: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> OidcConfig:
        claims = raw.get("claims") or {}
        return cls(issuer=raw["issuer"], client_id=raw["client_id"],
                   client_secret=raw.get("client_secret") or None,
                   enabled=bool(raw.get("enabled", True)),
                   display_name=raw.get("display_name") or "Single sign-on",
                   scopes=tuple(raw.get("scopes") or DEFAULT_SCOPES),
                   redirect_uri=raw.get("redirect_uri") or None,
                   email_claim=claims.get("email") or "email",
                   name_claim=claims.get("name") or "name",
                   departments_claim=claims.get("departments") or None,
                   auto_create_members=bool(raw.get("auto_create_members", False)),
                   department_map=dict(raw.get("department_map") or {}))


@dataclass(frozen=True)
class SsoSettings:
    oidc: OidcConfig | None
    password_login: bool
    raw_oidc: dict[str, Any] | None  # as stored, secret included: only for rewriting

    @property
    def oidc_enabled(self) -> bool:
        return self.oidc is not None and self.oidc.enabled

    @classmethod
    def from_tenant_settings(cls, settings: dict[str, Any] | None) -> SsoSettings:
        settings = settings or {}
        raw = settings.get("oidc") or None
        return cls(oidc=OidcConfig.from_json(raw) if raw else None, raw_oidc=raw,
                   password_login=settings.get("password_login", True) is not False)

    def public_view(self) -> dict[str, Any]:
        oidc = None
        if self.raw_oidc is not None:
            oidc = {k: v for k, v in self.raw_oidc.items() if k != "client_secret"}
            oidc["client_secret_set"] = bool(self.raw_oidc.get("client_secret"))
        return {"oidc": oidc, "password_login": self.password_login}


async def load_tenant(conn: AsyncConnection, key: str) -> Any:
    """The tenant row (id, key, settings) or None."""
    return (await conn.execute(select(t.tenants.c.id, t.tenants.c.key, t.tenants.c.settings)
                               .where(t.tenants.c.key == key))).mappings().first()


async def load_sso(conn: AsyncConnection, tenant_id: uuid.UUID) -> SsoSettings:
    settings = (await conn.execute(select(t.tenants.c.settings)
                                   .where(t.tenants.c.id == tenant_id))).scalar()
    return SsoSettings.from_tenant_settings(settings)


async def password_login_enabled(conn: AsyncConnection, tenant_id: uuid.UUID) -> bool:
    return (await load_sso(conn, tenant_id)).password_login


def issuer_problems(issuer: str, path: str) -> list[FieldProblem]:
    """An issuer is an https URL without query or fragment; plain http only on loopback
    (a development IdP), never elsewhere: the ID token keys are fetched from it."""
    parts = urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname and not parts.query and not parts.fragment:
        return []
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS and not parts.query:
        return []
    return [FieldProblem(path, "invalid_issuer",
                         "The issuer must be an https URL (http only on 127.0.0.1/localhost), "
                         "without query or fragment.")]


def redirect_uri_problems(uri: str | None, path: str) -> list[FieldProblem]:
    if uri is None:
        return []
    parts = urlsplit(uri)
    ok = parts.scheme in ("https", "http") and parts.hostname and not parts.fragment
    return [] if ok else [FieldProblem(path, "invalid_url", "Not an absolute http(s) URL.")]
