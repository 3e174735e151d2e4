"""Bulk record writes (docs/api.md "Bulk")."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Request
from pydantic import BaseModel, Field

from tessera.api.deps import CurrentPrincipal
from tessera.api.routes.records import BASE, form_context
from tessera.api.routing import api_router
from tessera.records import bulk

router = api_router(tags=["records"])


class CreateItem(BaseModel):
    data: dict[str, Any]


class UpdateItem(BaseModel):
    id: Annotated[str, Field(alias="_id")]
    version: Annotated[int | None, Field(alias="_version")] = None
    data: dict[str, Any]


class BulkBody(BaseModel):
    mode: Literal["atomic", "per_row"] = "atomic"
    create: list[CreateItem] = []
    update: list[UpdateItem] = []
    delete: list[str] = []


@router.post(BASE + "/bulk")
async def bulk_write(app: str, form: str, body: BulkBody, principal: CurrentPrincipal,
                     request: Request) -> dict:
    """Create, update and delete many records in one transaction; per-row results."""
    async with form_context(request, principal, app, form) as ctx:
        return await bulk.run(ctx, mode=body.mode, create=body.create, update=body.update,
                              delete=body.delete,
                              locale=ctx.locale)  # the caller's (deps.message_locale)
