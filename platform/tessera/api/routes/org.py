"""Members and departments (admin-only writes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import BaseModel, Field

from tessera.api.deps import AdminPrincipal, CurrentPrincipal, transaction
from tessera.api.routing import api_router
from tessera.audit import audit
from tessera.org.departments import create_department, list_departments
from tessera.org.users import create_user, list_users

router = api_router(tags=["organisation"])


class UserBody(BaseModel):
    email: Annotated[str, Field(max_length=320)]
    name: Annotated[str, Field(max_length=200)]
    password: Annotated[str | None, Field(max_length=1024)] = None
    departments: list[str] = []
    main_department: str | None = None
    is_admin: bool = False


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
    return dept
