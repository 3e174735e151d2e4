"""Recycle bin and version restore (docs/api.md "Recycle bin and versions")."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel, Field

from tessera.api.deps import CurrentPrincipal
from tessera.api.routes.records import BASE, form_context, record_id_param
from tessera.api.routing import INT4_MAX, api_router
from tessera.records import recycle

router = api_router(tags=["records"])


class VersionBody(BaseModel):
    version: Annotated[int | None, Field(alias="_version")] = None


@router.get(BASE + "/trash")
async def trash(app: str, form: str, principal: CurrentPrincipal, request: Request,
                limit: int | None = Query(None), cursor: str | None = Query(None)) -> dict:
    """Records in the recycle bin, most recently deleted first."""
    async with form_context(request, principal, app, form) as ctx:
        return await recycle.list_trash(ctx, limit=limit, cursor=cursor)


@router.post(BASE + "/{record_id}/restore")
async def restore(app: str, form: str, record_id: str, principal: CurrentPrincipal,
                  request: Request) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        return await recycle.restore(ctx, record_id_param(record_id))


@router.delete(BASE + "/{record_id}/purge", status_code=204)
async def purge(app: str, form: str, record_id: str, principal: CurrentPrincipal,
                request: Request) -> Response:
    async with form_context(request, principal, app, form) as ctx:
        await recycle.purge(ctx, record_id_param(record_id))
    return Response(status_code=204)


@router.post(BASE + "/{record_id}/history/{version}/restore")
async def restore_version(app: str, form: str, record_id: str,
                          version: Annotated[int, Path(ge=1, le=INT4_MAX)],
                          body: VersionBody, principal: CurrentPrincipal,
                          request: Request) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        return await recycle.restore_version(ctx, record_id_param(record_id), version, body.version)
