"""OpenID Connect login: discovery, the authorization request (code flow with PKCE, `state` and
`nonce`), the code exchange and the ID token check — authlib's client and claim rules, joserfc's
signatures. No database here: the routes load the tenant's settings and map the identity.

Between the redirect to the identity provider and its answer, the flow's secrets (state, nonce,
PKCE verifier, where to go next) travel in a short-lived cookie encrypted and authenticated with
a per-tenant key (JWE, `dir` + A256GCM), so any API process can finish a login another started
(docs/adr/0005-oidc-sso.md).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import warnings
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import structlog
from authlib.common.security import generate_token
from authlib.oidc.core import CodeIDToken
from joserfc import jwe, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet, OctKey
from joserfc.jws import JWSRegistry

from tessera.api.errors import ApiError
from tessera.auth.sso_settings import OidcConfig

with warnings.catch_warnings():
    # authlib prefers the `httpx2` fork and warns when it falls back to httpx, the HTTP client
    # this project uses on purpose.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
    from authlib.integrations.httpx_client import oauth2_client as _authlib_http

log = structlog.get_logger("tessera.auth.oidc")

# Asymmetric only: an HS256 token "signed" with the client secret, or `none`, is never accepted.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                      "ES256", "ES384", "ES512", "EdDSA")
METADATA_TTL_SECONDS = 600
STATE_TTL_SECONDS = 600
HTTP_TIMEOUT_SECONDS = 10.0
CLOCK_LEEWAY_SECONDS = 60
STATE_COOKIE_PREFIX = "tessera_oidc_"
_STATE_REGISTRY = jwe.JWERegistry(algorithms=["dir", "A256GCM"])
# transport failures of whichever HTTP library authlib's client runs on (httpx or httpx2)
_HTTP_ERRORS = (httpx.HTTPError, getattr(_authlib_http, "httpx2", httpx).HTTPError, ValueError)


class SsoFailed(ApiError):
    """A refused single sign-on; `reason` says which check failed."""

    status, code, title = 401, "sso_failed", "Single sign-on failed"

    def __init__(self, detail: str, *, code: str, status: int | None = None,
                 reason: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(detail, code=code, status=status,
                         extra={"reason": reason} if reason else None, params=params)
        self.reason = reason


def provider_unreachable(what: str, exc: Exception) -> SsoFailed:
    log.warning("oidc_provider_unreachable", what=what, error=str(exc))
    return SsoFailed(f"The identity provider did not answer properly ({what}).",
                     code="sso_provider_unreachable", status=502, reason=what)


# -- discovery and keys ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]
    token_auth_methods: tuple[str, ...]

    @classmethod
    def from_discovery(cls, issuer: str, doc: dict[str, Any]) -> ProviderMetadata:
        if doc.get("issuer") != issuer:
            # OIDC Discovery §4.3: the document must name exactly the issuer it was fetched for
            raise ValueError(f"the discovery document names issuer {doc.get('issuer')!r}")
        missing = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
                   if not isinstance(doc.get(k), str)]
        if missing:
            raise ValueError(f"the discovery document lacks {', '.join(missing)}")
        offered = doc.get("id_token_signing_alg_values_supported") or ["RS256"]
        return cls(issuer=issuer, authorization_endpoint=doc["authorization_endpoint"],
                   token_endpoint=doc["token_endpoint"], jwks_uri=doc["jwks_uri"],
                   algorithms=tuple(a for a in offered if a in SIGNING_ALGORITHMS),
                   token_auth_methods=tuple(doc.get("token_endpoint_auth_methods_supported")
                                            or ["client_secret_basic"]))


class ProviderCache:
    """Discovery documents and key sets per issuer, kept for a few minutes; the key set is
    fetched again at once when a token names a key it does not hold (key rotation)."""

    def __init__(self) -> None:
        self._metadata: dict[str, tuple[float, ProviderMetadata]] = {}
        self._keys: dict[str, tuple[float, dict[str, Any]]] = {}

    async def metadata(self, issuer: str) -> ProviderMetadata:
        hit = self._metadata.get(issuer)
        if hit and time.monotonic() - hit[0] < METADATA_TTL_SECONDS:
            return hit[1]
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as client:
                response = await client.get(url)
                response.raise_for_status()
                meta = ProviderMetadata.from_discovery(issuer, response.json())
        except (httpx.HTTPError, ValueError) as exc:
            raise provider_unreachable("discovery", exc) from None
        self._metadata[issuer] = (time.monotonic(), meta)
        return meta

    async def key_set(self, meta: ProviderMetadata, *, refresh: bool = False) -> KeySet:
        hit = self._keys.get(meta.jwks_uri)
        if hit and not refresh and time.monotonic() - hit[0] < METADATA_TTL_SECONDS:
            return KeySet.import_key_set(hit[1])  # type: ignore[arg-type]
        try:
            async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as client:
                response = await client.get(meta.jwks_uri)
                response.raise_for_status()
                data = response.json()
                keys = KeySet.import_key_set(data)
        except (httpx.HTTPError, ValueError, JoseError) as exc:
            raise provider_unreachable("jwks", exc) from None
        self._keys[meta.jwks_uri] = (time.monotonic(), data)
        return keys


# -- the flow's state, carried in an encrypted cookie ---------------------------------------


@dataclass(frozen=True)
class FlowState:
    tenant: str
    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next: str


def state_cookie_name(state: str) -> str:
    """One cookie per pending login (named by its state), so two tabs do not collide."""
    return STATE_COOKIE_PREFIX + state


def looks_like_state(value: str | None) -> bool:
    return bool(value) and len(value) <= 128 and all(  # type: ignore[arg-type]
        c.isascii() and (c.isalnum() or c in "-_") for c in value)  # type: ignore[union-attr]


def _cookie_key(tenant_state_key: str, server_secret: str) -> OctKey:
    material = hashlib.sha256((server_secret + ":" + tenant_state_key).encode()).digest()
    return OctKey.import_key(material)


def new_state_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def seal_state(flow: FlowState, *, tenant_state_key: str, server_secret: str) -> str:
    claims = {"tnt": flow.tenant, "st": flow.state, "nc": flow.nonce, "cv": flow.code_verifier,
              "ru": flow.redirect_uri, "nx": flow.next,
              "exp": int(time.time()) + STATE_TTL_SECONDS}
    return jwt.encode({"alg": "dir", "enc": "A256GCM", "kid": flow.tenant}, claims,
                      _cookie_key(tenant_state_key, server_secret), registry=_STATE_REGISTRY)


def state_cookie_tenant(sealed: str) -> str | None:
    """The tenant named in the cookie's (authenticated, not secret) header, to find its key."""
    try:
        header = jwe.extract_compact(sealed.encode(), _STATE_REGISTRY).protected
    except (JoseError, ValueError):
        return None
    kid = header.get("kid")
    return kid if isinstance(kid, str) else None


def open_state(sealed: str, *, state: str, tenant_state_key: str,
               server_secret: str) -> FlowState:
    invalid = SsoFailed("The sign-in took too long or was started in another browser; "
                        "start again.", code="sso_state_invalid", status=400)
    try:
        claims = jwt.decode(sealed, _cookie_key(tenant_state_key, server_secret),
                            registry=_STATE_REGISTRY).claims
        jwt.JWTClaimsRegistry(exp={"essential": True}).validate(claims)
    except (JoseError, ValueError):
        raise invalid from None
    if not secrets.compare_digest(str(claims.get("st", "")), state):
        raise invalid
    return FlowState(tenant=claims["tnt"], state=claims["st"], nonce=claims["nc"],
                     code_verifier=claims["cv"], redirect_uri=claims["ru"], next=claims["nx"])


def safe_next(value: str | None) -> str:
    """A same-origin path to land on after login, or "/": never another site.

    Browsers read `//host`, `/\\host` and `\\\\host` as another host, and drop tabs and newlines
    inside URLs, so anything but a plain absolute path is refused rather than repaired.
    """
    if not value or not value.startswith("/") or len(value) > 2000:
        return "/"
    if value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


# -- the two legs of the flow ----------------------------------------------------------------


def _client(config: OidcConfig, meta: ProviderMetadata, redirect_uri: str) -> AsyncOAuth2Client:
    if not config.client_secret:
        method = "none"  # a public client: PKCE alone binds the code to this browser
    elif ("client_secret_basic" in meta.token_auth_methods
          or "client_secret_post" not in meta.token_auth_methods):
        method = "client_secret_basic"
    else:
        method = "client_secret_post"
    return AsyncOAuth2Client(client_id=config.client_id, client_secret=config.client_secret,
                             token_endpoint_auth_method=method, scope=" ".join(config.scopes),
                             redirect_uri=redirect_uri, code_challenge_method="S256",
                             timeout=HTTP_TIMEOUT_SECONDS)


async def authorization_request(config: OidcConfig, meta: ProviderMetadata, *, tenant: str,
                                redirect_uri: str, next_path: str) -> tuple[str, FlowState]:
    """The URL to send the browser to, and the state to keep until it comes back."""
    flow = FlowState(tenant=tenant, state=generate_token(32), nonce=generate_token(32),
                     code_verifier=generate_token(64), redirect_uri=redirect_uri,
                     next=safe_next(next_path))
    async with _client(config, meta, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            meta.authorization_endpoint, state=flow.state, nonce=flow.nonce,
            code_verifier=flow.code_verifier)
    return url, flow


_CLAIM_REASONS = {"iss": "wrong_issuer", "aud": "wrong_audience", "nonce": "wrong_nonce",
                  "azp": "wrong_audience", "at_hash": "wrong_at_hash", "nbf": "not_yet_valid",
                  "iat": "issued_in_future", "sub": "invalid_subject"}


def _id_token_refused(reason: str, detail: str) -> SsoFailed:
    return SsoFailed(f"The identity provider's ID token was refused: {detail}",
                     code="sso_invalid_id_token", reason=reason)


async def exchange_code(config: OidcConfig, meta: ProviderMetadata, cache: ProviderCache, *,
                        code: str, flow: FlowState) -> dict[str, Any]:
    """Trade the code for tokens and return the ID token's claims once every check passed:
    signature (the provider's JWKS), iss, aud/azp, exp, iat, nonce and at_hash."""
    async with _client(config, meta, flow.redirect_uri) as client:
        try:
            token = await client.fetch_token(meta.token_endpoint, grant_type="authorization_code",
                                             code=code, code_verifier=flow.code_verifier,
                                             redirect_uri=flow.redirect_uri)
        except OAuthError as exc:
            raise SsoFailed(f"The identity provider refused the code: {exc.error}.",
                            code="sso_code_rejected", reason=str(exc.error)) from None
        except _HTTP_ERRORS as exc:
            raise provider_unreachable("token", exc) from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise _id_token_refused("missing_id_token", "the answer holds no ID token.")
    registry = JWSRegistry(algorithms=list(meta.algorithms or ("RS256",)))
    try:
        try:
            decoded = jwt.decode(id_token, await cache.key_set(meta), registry=registry)
        except InvalidKeyIdError:
            decoded = jwt.decode(id_token, await cache.key_set(meta, refresh=True),
                                 registry=registry)
        claims = CodeIDToken(
            decoded.claims, decoded.header,
            {"iss": {"essential": True, "value": meta.issuer},
             "aud": {"essential": True, "value": config.client_id}},
            {"nonce": flow.nonce, "client_id": config.client_id,
             "access_token": token.get("access_token")})
        claims.validate(leeway=CLOCK_LEEWAY_SECONDS)
    except (BadSignatureError, InvalidKeyIdError):
        raise _id_token_refused("bad_signature", "its signature does not verify.") from None
    except ExpiredTokenError:
        raise _id_token_refused("expired", "it has expired.") from None
    except MissingClaimError as exc:
        raise _id_token_refused("missing_claim", f"claim {exc.claim!r} is missing.") from None
    except InvalidClaimError as exc:
        reason = _CLAIM_REASONS.get(exc.claim, "invalid_claim")
        raise _id_token_refused(reason, f"claim {exc.claim!r} is wrong.") from None
    except JoseError as exc:
        raise _id_token_refused("malformed", f"{exc.error}.") from None
    return dict(claims)


# -- claims to an identity -------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str | None
    email_verified: bool | None
    name: str | None
    groups: tuple[str, ...] | None  # None: the provider said nothing about departments


def claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by name, or by a dotted path into nested claims (`realm_access.roles`)."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def identity_from_claims(config: OidcConfig, claims: dict[str, Any]) -> Identity:
    email = claim(claims, config.email_claim)
    name = claim(claims, config.name_claim)
    groups: tuple[str, ...] | None = None
    if config.departments_claim:
        raw = claim(claims, config.departments_claim)
        if isinstance(raw, str):
            groups = (raw,)
        elif isinstance(raw, list):
            groups = tuple(str(g) for g in raw if isinstance(g, str | int))
        else:
            groups = ()  # configured but absent: the member is in none of the mapped ones
    verified = claims.get("email_verified")
    return Identity(subject=str(claims.get("sub")),
                    email=email.strip() if isinstance(email, str) else None,
                    email_verified=verified if isinstance(verified, bool) else None,
                    name=name.strip() if isinstance(name, str) and name.strip() else None,
                    groups=groups)
