"""Liveness that means something: ok only once the database answers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from tessera.api.routing import api_router

router = api_router(tags=["health"])


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(text("select 1"))
    except Exception as exc:  # any failure to reach the database is "not ok"
        return JSONResponse({"status": "unavailable", "detail": type(exc).__name__},
                            status_code=503)
    return JSONResponse({"status": "ok"})
