"""The one async SQLAlchemy engine of a process (asyncpg underneath)."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tessera.config import Settings


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def create_engine(settings: Settings, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        settings.async_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        json_serializer=_json_dumps,
    )
