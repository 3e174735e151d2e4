"""Members and departments (admin-only writes)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from tessera import audit_query
from tessera.api.deps import AdminPrincipal, CurrentPrincipal, org_changed, transaction
from tessera.api.errors import Conflict, NotFound
from tessera.api.routing import INT8_MAX, api_router
from tessera.audit import audit
from tessera.org import lifecycle
from tessera.org.departments import create_department, list_departments, update_department
from tessera.org.users import create_user, list_users

router = api_router(tags=["organisation"])


class UserBody(BaseModel):
    email: Annotated[str, Field(max_length=320)]
    name: Annotated[str, Field(max_length=200)]
    password: Annotated[str | None, Field(max_length=1024)] = None
    departments: list[str] = []
    main_department: str | None = None
    is_admin: bool = False


class UserPatch(BaseModel):
    name: Annotated[str | None, Field(max_length=200)] = None
    is_active: bool | None = None
    is_admin: bool | None = None
    locale: str | None = None
    position: Annotated[str | None, Field(max_length=200)] = None
    departments: list[str] | None = None
    main_department: str | None = None


class OffboardBody(BaseModel):
    successor: Annotated[str, Field(max_length=320, description="E-mail of the successor")]


class AcceptInvitation(BaseModel):
    token: Annotated[str, Field(max_length=200)]
    password: Annotated[str, Field(max_length=1024)]


class DepartmentPatch(BaseModel):
    name: Annotated[str | None, Field(max_length=200)] = None
    parent: str | None = None
    managers: list[str] | None = None


class DepartmentBody(BaseModel):
    key: Annotated[str, Field(max_length=63)]
    name: Annotated[str, Field(max_length=200)]
    parent: str | None = None
    managers: list[str] = []


@router.get("/users")
async def get_users(principal: CurrentPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        return {"items": await list_users(conn, principal.tenant_id)}


@router.post("/users", status_code=201)
async def post_user(body: UserBody, principal: AdminPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        user = await create_user(conn, tenant_id=principal.tenant_id, email=body.email,
                                 name=body.name, password=body.password, is_admin=body.is_admin,
                                 departments=body.departments,
                                 main_department=body.main_department)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="user.created", target_type="user", target_id=user["id"],
                    details={"email": body.email, "is_admin": body.is_admin})
    return user


@router.get("/departments")
async def get_departments(principal: CurrentPrincipal, request: Request) -> dict:
    async with transaction(request) as conn:
        return {"items": await list_departments(conn, principal.tenant_id)}


@router.post("/departments", status_code=201)
async def post_department(body: DepartmentBody, principal: AdminPrincipal,
                          request: Request) -> dict:
    async with transaction(request) as conn:
        dept = await create_department(conn, tenant_id=principal.tenant_id, key=body.key,
                                       name=body.name, parent=body.parent,
                                       managers=body.managers)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="department.created", target_type="department",
                    target_id=dept["id"], details={"key": body.key})
    await org_changed(request)
    return dept


def _user_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("No such member.", code="unknown_user") from None


@router.patch("/users/{user_id}")
async def patch_user(user_id: str, body: UserPatch, principal: AdminPrincipal,
                     request: Request) -> dict:
    """Edit a member; `is_active: false` disables the account and revokes every token."""
    changes = body.model_dump(exclude_unset=True)
    uid = _user_id(user_id)
    if uid == principal.user_id and (changes.get("is_active") is False
                                     or changes.get("is_admin") is False):
        raise Conflict("You cannot disable or demote yourself.", code="self_lockout")
    async with transaction(request) as conn:
        user = await lifecycle.update_user(conn, principal.tenant_id, uid, changes)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="user.updated", target_type="user", target_id=user["id"],
                    details={k: v for k, v in changes.items()})
    await org_changed(request)
    return user


@router.post("/users/{user_id}/invite", status_code=201)
async def post_invite(user_id: str, principal: AdminPrincipal, request: Request) -> dict:
    """A one-time link with which the member sets a password (valid 7 days)."""
    async with transaction(request) as conn:
        uid = _user_id(user_id)
        user = await lifecycle.update_user(conn, principal.tenant_id, uid, {})
        token, expires = await lifecycle.invite(conn, principal.tenant_id, principal.user_id,
                                                uid)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="user.invited", target_type="user", target_id=user["id"])
    return {"token": token, "expires_at": expires.isoformat(),
            "url": f"/accept-invite?token={token}"}


@router.post("/auth/accept-invite")
async def post_accept_invite(body: AcceptInvitation, request: Request) -> dict:
    async with transaction(request) as conn:
        user = await lifecycle.accept_invitation(conn, body.token, body.password)
    return user


@router.post("/users/{user_id}/offboard")
async def post_offboard(user_id: str, body: OffboardBody, principal: AdminPrincipal,
                        request: Request) -> dict:
    """Hand every record of a leaver to a successor, revoke their access, disable them."""
    uid = _user_id(user_id)
    if uid == principal.user_id:
        raise Conflict("You cannot offboard yourself.", code="self_lockout")
    async with transaction(request) as conn:
        result = await lifecycle.offboard(conn, principal, uid, body.successor)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="user.offboarded", target_type="user", target_id=str(uid),
                    details=result)
    await org_changed(request)
    return result


@router.patch("/departments/{key}")
async def patch_department(key: str, body: DepartmentPatch, principal: AdminPrincipal,
                           request: Request) -> dict:
    changes = body.model_dump(exclude_unset=True)
    async with transaction(request) as conn:
        dept = await update_department(conn, tenant_id=principal.tenant_id, key=key,
                                       changes=changes)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="department.updated", target_type="department",
                    target_id=dept["id"], details=changes)
    await org_changed(request)
    return dept


@router.get("/audit")
async def get_audit(principal: AdminPrincipal, request: Request,
                    action: str | None = None, actor: str | None = None,
                    since: datetime | None = None, until: datetime | None = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    cursor: Annotated[int | None, Query(ge=1, le=INT8_MAX)] = None) -> dict:
    async with transaction(request) as conn:  # the cursor is a bigint id: out of range is 422
        return await audit_query.list_audit(conn, principal.tenant_id, limit=limit,
                                            before_id=cursor, action=action, actor=actor,
                                            since=since, until=until)


@router.get("/audit/export")
async def export_audit(principal: AdminPrincipal, request: Request,
                       action: str | None = None, actor: str | None = None,
                       since: datetime | None = None, until: datetime | None = None) -> Response:
    async with transaction(request) as conn:
        body = await audit_query.export_audit_csv(conn, principal.tenant_id, action=action,
                                                  actor=actor, since=since, until=until)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="audit.exported")
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="audit.csv"'})
