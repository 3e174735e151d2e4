"""Records API v1 (CONTRACT.md §4)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from tessera.api.deps import CurrentPrincipal, message_locale, transaction
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.api.routing import api_router
from tessera.records import service
from tessera.records.query import parse_filter
from tessera.records.service import FormContext, UniqueViolation

router = api_router(tags=["records"])


class FastJSON(Response):
    """Records are already JSON-ready (the form engine's to_json), so they are written with
    orjson directly, skipping FastAPI's per-value inference of `dict[str, Any]` (which cost
    ~8 ms per 50-record page)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
BASE = "/apps/{app}/forms/{form}/records"


class CreateBody(BaseModel):
    data: dict[str, Any]


class PatchBody(BaseModel):
    data: dict[str, Any]
    version: Annotated[int | None, Field(alias="_version")] = None


@contextlib.asynccontextmanager
async def form_context(request: Request, principal: Any, app: str,
                       form: str) -> AsyncIterator[FormContext]:
    """A transaction with the published app resolved; unique violations become a 409 that
    names the field and the existing record (looked up after the failed transaction)."""
    cache = request.app.state.app_cache
    try:
        async with transaction(request) as conn:
            published, tables = await cache.get(conn, principal.tenant_id, principal.tenant_key,
                                                app)
            yield await service.open_form(conn, principal, published, tables, form,
                                          request.app.state.access_facts,
                                          locale=message_locale(request))
    except UniqueViolation as violation:
        async with transaction(request) as conn:
            ctx = await service.open_form(conn, principal, published, tables, form)
            existing = await service.find_by_value(ctx, violation.field, violation.value)
        raise service.unique_conflict(ctx, violation, existing) from None


def record_id_param(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationFailed("Not a record id.", code="invalid_id",
                               errors=[FieldProblem("id", "invalid_id",
                                                    "Expected a UUID.")]) from None


@router.post(BASE, status_code=201)
async def create(app: str, form: str, body: CreateBody, principal: CurrentPrincipal,
                 request: Request) -> FastJSON:
    async with form_context(request, principal, app, form) as ctx:
        record = await service.create_record(ctx, body.data)
    return FastJSON(record, status_code=201)


@router.get(BASE)
async def list_(app: str, form: str, principal: CurrentPrincipal, request: Request,
                filter: str | None = Query(None, description="URL-encoded JSON expression"),
                sort: str | None = Query(None, description="a,-b"),
                limit: int | None = Query(None),
                cursor: str | None = Query(None),
                q: str | None = Query(None, max_length=200, description="quick search"),
                fields: str | None = Query(None, description="a,b: only these fields")
                ) -> FastJSON:
    async with form_context(request, principal, app, form) as ctx:
        page = await service.list_records(ctx, expression=parse_filter(filter), sort=sort,
                                          limit=limit, cursor=cursor, search=q, fields=fields)
    return FastJSON(page)


@router.get(BASE + "/count")
async def count(app: str, form: str, principal: CurrentPrincipal, request: Request,
                filter: str | None = Query(None),
                q: str | None = Query(None, max_length=200)) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        return await service.count_records(ctx, expression=parse_filter(filter), search=q)


@router.get(BASE + "/{record_id}")
async def get(app: str, form: str, record_id: str, principal: CurrentPrincipal,
              request: Request) -> FastJSON:
    async with form_context(request, principal, app, form) as ctx:
        record = await service.get_record(ctx, record_id_param(record_id))
    return FastJSON(record)


@router.patch(BASE + "/{record_id}")
async def patch(app: str, form: str, record_id: str, body: PatchBody,
                principal: CurrentPrincipal, request: Request) -> FastJSON:
    async with form_context(request, principal, app, form) as ctx:
        record = await service.update_record(ctx, record_id_param(record_id), body.data,
                                             body.version)
    return FastJSON(record)


@router.delete(BASE + "/{record_id}", status_code=204)
async def delete(app: str, form: str, record_id: str, principal: CurrentPrincipal,
                 request: Request) -> Response:
    async with form_context(request, principal, app, form) as ctx:
        await service.delete_record(ctx, record_id_param(record_id))
    return Response(status_code=204)


@router.get(BASE + "/{record_id}/history")
async def history(app: str, form: str, record_id: str, principal: CurrentPrincipal,
                  request: Request) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        return {"items": await service.history(ctx, record_id_param(record_id))}
