"""A small but genuine OpenID Connect provider for the tests, served over real HTTP on 127.0.0.1.

It publishes a discovery document and a JWKS; its authorization endpoint signs the configured
user in at once (no login page) and redirects back with a code; its token endpoint checks the
client's credentials, the code (single use), the redirect URI and the PKCE verifier, then issues
an RS256-signed ID token. Knobs let a test bend one thing at a time: claims forced into the next
ID token (`overrides`), a foreign signing key under the real key id (`sign_with`), or a refusal
at the authorization endpoint (`deny`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import unquote, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

KEY_ID = "test-key-1"


def new_signing_key(kid: str = KEY_ID) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"},
                               private=True)


class TestIdentityProvider:
    __test__ = False

    def __init__(self, client_id: str = "tessera-test",
                 client_secret: str | None = "idp-secret-42"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = new_signing_key()
        self.user: dict[str, Any] = {}
        self.overrides: dict[str, Any] = {}
        self.sign_with: RSAKey | None = None
        self.deny: str | None = None
        self.codes: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/jwks", self.jwks),
            Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"]),
        ])

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset(self, **user: Any) -> None:
        """Sign in this user next, with no knob turned."""
        self.user = {"sub": secrets.token_hex(8), "email_verified": True, **user}
        self.overrides, self.sign_with, self.deny = {}, None, None

    # -- endpoints ------------------------------------------------------------------------

    async def discovery(self, request: Request) -> Response:
        return JSONResponse({
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
            "scopes_supported": ["openid", "email", "profile"],
        })

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def authorize(self, request: Request) -> Response:
        q = request.query_params
        problems = [name for name, ok in [
            ("response_type", q.get("response_type") == "code"),
            ("client_id", q.get("client_id") == self.client_id),
            ("redirect_uri", bool(q.get("redirect_uri"))),
            ("scope", "openid" in (q.get("scope") or "").split()),
            ("code_challenge", bool(q.get("code_challenge"))),
            ("code_challenge_method", q.get("code_challenge_method") == "S256"),
            ("state", bool(q.get("state"))),
            ("nonce", bool(q.get("nonce"))),
        ] if not ok]
        if problems:
            return JSONResponse({"error": "invalid_request", "bad": problems}, status_code=400)
        back = {"state": q["state"]}
        if self.deny:
            back["error"] = self.deny
            back["error_description"] = "The user said no."
        else:
            code = secrets.token_urlsafe(24)
            self.codes[code] = {"redirect_uri": q["redirect_uri"], "nonce": q["nonce"],
                                "challenge": q["code_challenge"], "user": dict(self.user)}
            back["code"] = code
        return RedirectResponse(f"{q['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        self.token_requests += 1
        form = await request.form()
        if not self._client_authenticated(request.headers.get("authorization", ""),
                                          str(form.get("client_id", ""))):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.codes.pop(str(form.get("code", "")), None)  # single use
        if form.get("grant_type") != "authorization_code" or grant is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "redirect_uri"},
                                status_code=400)
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"},
                                status_code=400)
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"], **grant["user"], **self.overrides}
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims,
                              self.sign_with or self.key)
        return JSONResponse({"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                             "expires_in": 300, "id_token": id_token},
                            headers={"Cache-Control": "no-store"})

    def _client_authenticated(self, header: str, form_client_id: str) -> bool:
        if self.client_secret is None:  # a public client: PKCE alone, the id in the form
            return form_client_id == self.client_id and not header
        if not header.lower().startswith("basic "):
            return False
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        # RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding
        return (unquote(client_id) == self.client_id
                and secrets.compare_digest(unquote(secret), self.client_secret))

    # -- serving --------------------------------------------------------------------------

    def start(self) -> TestIdentityProvider:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="test-oidc-provider", daemon=True)
        self._thread.start()
        for _ in range(500):  # bounded: at most ~10 s
            if self._server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("the test identity provider did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
