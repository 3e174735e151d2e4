"""The fastest honest HTTP endpoint for the same insert: the floor under `records_insert.py`.

Starlette on uvicorn, one asyncpg INSERT per request, no auth, no validation, no history: what
any Python HTTP API pays before doing its own work. `records_insert.py --floor` serves it on the
bench's database and drives it with the same client, so the API's cost splits into "HTTP in
Python on this machine" and "what Tessera adds".
"""

import contextlib
import datetime
import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SQL = ("insert into t_main.bench__deal (_id, tenant_id, _owner, _created_by, _updated_by, "
       "title, amount, stage, close_date, won, note, qty) "
       "values ($1, $2, $3, $3, $3, $4, $5, $6, $7, $8, $9, $10)")
pool: asyncpg.Pool | None = None
TENANT = uuid.UUID(os.environ["FLOOR_TENANT"])
OWNER = uuid.UUID(os.environ["FLOOR_OWNER"])

@contextlib.asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(host=os.environ["FLOOR_HOST"],
                                     port=int(os.environ["FLOOR_PORT"]), user="postgres",
                                     database="tessera", min_size=8, max_size=8)
    yield
    await pool.close()

async def create(request: Request) -> Response:
    row = orjson.loads(await request.body())["data"]
    assert pool is not None
    async with pool.acquire() as conn:
        await conn.execute(SQL, uuid.uuid4(), TENANT, OWNER, row["title"], row["amount"],
                           row["stage"], datetime.date.fromisoformat(row["close_date"]),
                           row["won"], row["note"], row["qty"])
    return Response(orjson.dumps({"ok": True}), status_code=201, media_type="application/json")

app = Starlette(routes=[Route("/api/v1/apps/bench/forms/deal/records", create, methods=["POST"])],
                lifespan=lifespan)


def _fastapi_app():  # type: ignore[no-untyped-def]
    from typing import Any

    from fastapi import Body, FastAPI
    from fastapi.responses import ORJSONResponse

    fast = FastAPI(lifespan=lifespan)

    @fast.post("/api/v1/apps/bench/forms/deal/records", status_code=201)
    async def create_fast(body: Any = Body(...)) -> ORJSONResponse:
        row = body["data"]
        assert pool is not None
        async with pool.acquire() as conn:
            await conn.execute(SQL, uuid.uuid4(), TENANT, OWNER, row["title"], row["amount"],
                               row["stage"], datetime.date.fromisoformat(row["close_date"]),
                               row["won"], row["note"], row["qty"])
        return ORJSONResponse({"ok": True}, status_code=201)

    return fast


fastapi_app = _fastapi_app()
