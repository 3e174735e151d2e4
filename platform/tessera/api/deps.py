"""Request-scoped helpers: the database transaction and the calling principal.

Transactions are opened explicitly in each route (`async with transaction(request) as conn`)
rather than by a yield-dependency, so the commit happens before the response is sent whatever
FastAPI version decides about dependency teardown order.
"""

from __future__ import annotations

import contextlib
import hmac
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tessera.api.errors import Forbidden, NotAuthenticated
from tessera.api.problem_text import caller_locale, preferred_language
from tessera.auth.tokens import Principal, TokenProblem, hash_token, resolve_token
from tessera.db.notify import Listener, broadcast
from tessera.permissions import FactsCache

SESSION_COOKIE = "tessera_session"
CSRF_COOKIE = "tessera_csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PRINCIPAL_CACHE_SECONDS = 5.0


def engine_of(request: Request) -> AsyncEngine:
    return request.app.state.engine


@contextlib.asynccontextmanager
async def transaction(request: Request) -> AsyncIterator[AsyncConnection]:
    async with engine_of(request).begin() as conn:
        yield conn


class PrincipalCache:
    """Token -> principal for a few seconds, so a burst of API calls costs one lookup.

    Logout and org changes are announced to every process (token_revoked, org_changed); one
    whose listener is down may honour a stale entry for at most PRINCIPAL_CACHE_SECONDS.
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[float, Principal]] = {}

    def get(self, token_hash: str) -> Principal | None:
        hit = self._items.get(token_hash)
        if hit and time.monotonic() - hit[0] < PRINCIPAL_CACHE_SECONDS:
            return hit[1]
        return None

    def put(self, token_hash: str, principal: Principal) -> None:
        if len(self._items) > 10_000:
            self._items.clear()
        self._items[token_hash] = (time.monotonic(), principal)

    def evict(self, token_hash: str) -> None:
        self._items.pop(token_hash, None)

    def clear(self) -> None:
        """After a member is disabled or changed: forget every cached principal."""
        self._items.clear()


def token_from_request(request: Request) -> tuple[str | None, bool]:
    """The token and whether it came from the cookie (which then needs CSRF protection)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


def _check_csrf(request: Request) -> None:
    if request.method not in UNSAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie, header):
        raise Forbidden("A browser request must carry the X-CSRF-Token header.",
                        code="csrf_failed")


async def current_principal(request: Request) -> Principal:
    token, from_cookie = token_from_request(request)
    if not token:
        raise NotAuthenticated("Log in or send an `Authorization: Bearer` token.")
    if from_cookie:
        _check_csrf(request)
    cache: PrincipalCache = request.app.state.principal_cache
    key = hash_token(token)
    principal = cache.get(key)
    if principal is None:
        try:
            async with engine_of(request).begin() as conn:
                principal = await resolve_token(conn, token)
        except TokenProblem as problem:
            raise NotAuthenticated(str(problem), code=problem.code) from None
        cache.put(key, principal)
    check_token_scopes(principal, request.method, request.path_params.get("app"))
    request.state.principal = principal
    return principal


TOKEN_SCOPES = ("read", "write", "admin")


def check_token_scopes(principal: Principal, method: str, app_key: str | None) -> None:
    """An API token may be narrowed: `read` (no writes), `write`, `admin` (keeps the member's
    admin rights; without it a token never acts as an admin), `app:<key>` (only those apps).
    A token without scopes carries the member's full rights, like a session."""
    scopes = set(principal.scopes)
    if principal.token_kind != "api" or not scopes:
        return
    if method in UNSAFE_METHODS and "write" not in scopes and "admin" not in scopes:
        raise Forbidden("This API token is read-only.", code="token_scope",
                        extra={"needs": "write"})
    apps = {s.split(":", 1)[1] for s in scopes if s.startswith("app:")}
    if apps and app_key is not None and app_key not in apps:
        raise Forbidden(f"This API token does not cover the app {app_key!r}.",
                        code="token_scope", extra={"needs": f"app:{app_key}"})


async def admin_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.token_kind == "api" and principal.scopes and "admin" not in principal.scopes:
        raise Forbidden("This API token has no admin scope.", code="token_scope",
                        extra={"needs": "admin"})
    if not principal.is_admin:
        raise Forbidden("Only an administrator may do this.", code="admin_required")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
AdminPrincipal = Annotated[Principal, Depends(admin_principal)]


ORG_CHANGED = "org_changed"  # tessera.db.notify message kinds
TOKEN_REVOKED = "token_revoked"


class ClearsOnMessage:
    """Subscribes caches that forget everything on a message, and when the listener
    reconnects (messages may have been missed meanwhile)."""

    def __init__(self, *caches: PrincipalCache | FactsCache) -> None:
        self._caches = caches

    def on_message(self, message: dict) -> None:
        self.reset()

    def reset(self) -> None:
        for cache in self._caches:
            cache.clear()


class EvictsRevokedTokens:
    def __init__(self, cache: PrincipalCache) -> None:
        self._cache = cache

    def on_message(self, message: dict) -> None:
        self._cache.evict(message["token_hash"])

    def reset(self) -> None:
        self._cache.clear()


def listen_for_org_changes(listener: Listener, principals: PrincipalCache,
                           facts: FactsCache) -> None:
    listener.subscribe(ORG_CHANGED, ClearsOnMessage(principals, facts))
    listener.subscribe(TOKEN_REVOKED, EvictsRevokedTokens(principals))


async def org_changed(request: Request) -> None:
    """Members, departments or role holders changed (and committed): every process forgets what
    it cached about callers — this one at once, the others when the notification arrives (or
    within PRINCIPAL_CACHE_SECONDS if their listener is down)."""
    request.app.state.principal_cache.clear()
    request.app.state.access_facts.clear()
    await broadcast(engine_of(request), ORG_CHANGED)


async def token_revoked(request: Request, token_hash: str) -> None:
    """A token was revoked (and committed): no process honours it from its cache any more."""
    request.app.state.principal_cache.evict(token_hash)
    await broadcast(engine_of(request), TOKEN_REVOKED, token_hash=token_hash)


def message_locale(request: Request) -> str:
    """The language of every text answered to this caller: `Accept-Language` (the browser app
    sends the language the user chose), English or Chinese, English without one — the same
    choice as its problems' texts (`problem_text.caller_locale`), so a response never mixes."""
    return caller_locale(request.headers.get("accept-language"))


LOCALE_PARAM = ("The language of the file's or page's texts (en or zh-CN); without it the "
                "caller's language: Accept-Language, English without one.")


def language_headers(locale: str) -> dict[str, str]:
    """Headers of a response written in one language: which one (`Content-Language`), and that
    a cache must keep one copy per `Accept-Language` (the language follows it unless a `locale`
    was named)."""
    return {"Content-Language": locale, "Vary": "Accept-Language"}


def requested_locale(request: Request, locale: str | None) -> str:
    """The language of what an export, a printout or an import's messages are written in: the
    `locale` the caller names, else the caller's own (`message_locale`), so a caller without
    the parameter gets the file in the language of its problems and the response's other texts,
    never a language of its own (the browser app always names it). The parameter is read as a
    language tag (`en-US` is English, `zh` Chinese); one naming neither language is the caller's
    own, not a third language that every writer would fall back from differently."""
    return (preferred_language(locale) if locale else None) or message_locale(request)
