"""The route class every router uses: it retries a request once when Postgres reports that a
cached statement plan went stale.

asyncpg caches prepared statements per connection. After a publish changes a column's type, a
statement with the same SQL text is invalid on every pooled connection; inside a transaction
asyncpg cannot re-prepare by itself and SQLAlchemy raises (after clearing that connection's
cache). The transaction was rolled back, so running the handler again is safe and succeeds.

It also refuses, before any handler runs, text Postgres cannot hold (api/nul_guard.py).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError

from tessera.api.nul_guard import refuse_nul

# The largest values of Postgres `integer` and `bigint` columns: path and query numbers that
# name a version or an id are bounded by them, so an absurd one is a 422, not a driver error.
INT4_MAX = 2**31 - 1
INT8_MAX = 2**63 - 1


def is_stale_plan(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and "InvalidCachedStatementError" in type(
        exc.orig).__name__ + repr(exc.orig)


class RetryStalePlanRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            await refuse_nul(request)
            try:
                return await original(request)
            except DBAPIError as exc:
                if not is_stale_plan(exc):
                    raise
                return await original(request)

        return handler


def api_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=RetryStalePlanRoute, **kwargs)
