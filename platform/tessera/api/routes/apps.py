"""App registry endpoints (CONTRACT.md §4)."""

from __future__ import annotations

from typing import Any

from fastapi import Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tessera.api.deps import AdminPrincipal, CurrentPrincipal, org_changed, transaction
from tessera.api.routing import api_router
from tessera.apps import roles, service
from tessera.audit import audit

router = api_router(tags=["apps"])


@router.get("/apps")
async def get_apps(principal: CurrentPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        return {"items": await service.list_apps(conn, principal.tenant_id, principal)}


@router.post("/apps", status_code=201)
async def post_app(principal: AdminPrincipal, request: Request,
                   definition: Any = Body(..., description="A tessera.app/1 definition"),
                   publish: bool = Query(True)) -> dict:
    async with transaction(request) as conn:
        result = await service.import_app(conn, principal, definition, publish=publish)
        answer = {**await service.get_app(conn, principal.tenant_id, result["key"]),
                  "publish": result.get("publish")}
    request.app.state.app_cache.forget(principal.tenant_id, result["key"])
    return answer


@router.get("/apps/{app}")
async def get_app(app: str, principal: CurrentPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        return await service.get_app(conn, principal.tenant_id, app, principal,
                                     trees=request.app.state.app_cache.trees)


@router.get("/apps/{app}/draft")
async def get_draft(app: str, principal: AdminPrincipal, request: Request) -> Any:
    async with transaction(request) as conn:
        return await service.export_app(conn, principal.tenant_id, app, draft=True)


@router.put("/apps/{app}/draft")
async def put_draft(app: str, principal: AdminPrincipal, request: Request,
                    definition: Any = Body(...)) -> dict:
    async with transaction(request) as conn:
        return await service.save_draft(conn, principal, app, definition)


@router.get("/apps/{app}/plan")
async def get_plan(app: str, principal: AdminPrincipal, request: Request) -> dict:
    """What publishing the draft would do to the tables, and what each change costs."""
    async with transaction(request) as conn:
        plan = await service.plan_draft(conn, principal.tenant_id, principal.tenant_key, app)
        return plan.public()


@router.post("/apps/{app}/publish")
async def post_publish(app: str, principal: AdminPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        result = await service.publish_app(conn, principal, app)
    request.app.state.app_cache.forget(principal.tenant_id, app)
    if result["roles_dropped"]:  # cached role holders must not outlive their roles
        await org_changed(request)
    return result


@router.get("/apps/{app}/export")
async def get_export(app: str, principal: AdminPrincipal, request: Request,
                     draft: bool = Query(False)) -> JSONResponse:
    async with transaction(request) as conn:
        definition = await service.export_app(conn, principal.tenant_id, app, draft=draft)
    return JSONResponse(content=definition, headers={
        "Content-Disposition": f'attachment; filename="{app}.tessera.json"'})


class RoleMembers(BaseModel):
    users: list[str] = []
    departments: list[str] = []


@router.get("/apps/{app}/roles")
async def get_roles(app: str, principal: AdminPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        return {"items": await roles.list_roles(conn, principal.tenant_id, app)}


@router.put("/apps/{app}/roles/{role}/members")
async def put_role_members(app: str, role: str, body: RoleMembers, principal: AdminPrincipal,
                           request: Request) -> dict:
    async with transaction(request) as conn:
        result = await roles.set_members(conn, principal, app, role, body.users,
                                         body.departments)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="role.members_set", target_type="role", target_id=f"{app}.{role}",
                    details={"users": body.users, "departments": body.departments})
    await org_changed(request)
    return result
