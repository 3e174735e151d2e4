"""An app's published versions (admins only): the history list and "restore into the draft".

Registered before `apps` so these fixed sub-paths are matched first."""

from __future__ import annotations

from fastapi import Path, Query, Request

from tessera.api.deps import AdminPrincipal, transaction
from tessera.api.routing import INT4_MAX, api_router
from tessera.apps import versions

router = api_router(tags=["apps"])


@router.get("/apps/{app}/versions")
async def get_versions(app: str, principal: AdminPrincipal, request: Request,
                       limit: int = Query(50, ge=1, le=versions.MAX_VERSIONS)) -> dict:
    """Newest first: number, when, by whom, what changed; and the draft's state."""
    async with transaction(request) as conn:
        return await versions.list_versions(conn, principal.tenant_id, app, limit)


@router.post("/apps/{app}/versions/{version}/restore-draft")
async def post_restore_draft(app: str, principal: AdminPrincipal, request: Request,
                             version: int = Path(..., ge=1, le=INT4_MAX)) -> dict:
    """Replace the draft with an old version's definition; publishing it is a separate step."""
    async with transaction(request) as conn:
        return await versions.restore_draft(conn, principal, app, version)
