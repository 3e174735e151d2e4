"""Views of a form: the definition's (read-only) and saved ones (docs/api.md "Views")."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from tessera.api.deps import CurrentPrincipal
from tessera.api.routes.records import form_context
from tessera.api.routing import api_router
from tessera.views import service

router = api_router(tags=["views"])
BASE = "/apps/{app}/forms/{form}/views"


class ViewSettings(BaseModel):
    """The settings of a view (tessera.views.spec checks the fields they name)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["table", "kanban", "calendar"] | None = None
    columns: list[str] | None = None
    filter: Any = None
    sort: str | None = Field(None, max_length=1000)
    group_by: str | None = None
    date_field: str | None = None
    end_field: str | None = None


class NewView(ViewSettings):
    name: str = Field(max_length=200)
    shared: bool = False


class ViewChanges(ViewSettings):
    name: str | None = Field(None, max_length=200)
    shared: bool | None = None


@router.get(BASE)
async def list_views(app: str, form: str, principal: CurrentPrincipal,
                     request: Request) -> dict:
    """The definition's views of the form, the caller's own and those shared with everyone."""
    async with form_context(request, principal, app, form) as ctx:
        return await service.list_views(ctx)


@router.post(BASE, status_code=201)
async def create_view(app: str, form: str, body: NewView, principal: CurrentPrincipal,
                      request: Request) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        return await service.create_view(ctx, body.model_dump())


@router.patch(BASE + "/{view_id}")
async def update_view(app: str, form: str, view_id: str, body: ViewChanges,
                      principal: CurrentPrincipal, request: Request) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        return await service.update_view(ctx, view_id, body.model_dump(exclude_unset=True))


@router.delete(BASE + "/{view_id}")
async def delete_view(app: str, form: str, view_id: str, principal: CurrentPrincipal,
                      request: Request) -> Response:
    async with form_context(request, principal, app, form) as ctx:
        await service.delete_view(ctx, view_id)
    return Response(status_code=204)
