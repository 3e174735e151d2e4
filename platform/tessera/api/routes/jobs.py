"""Job status for long work (imports, exports, schema conversions)."""

from __future__ import annotations

import uuid

from fastapi import Request

from tessera.api.deps import CurrentPrincipal, transaction
from tessera.api.errors import NotFound
from tessera.api.routing import api_router

router = api_router(tags=["jobs"])


@router.get("/jobs/{job_id}")
async def get_job_status(job_id: str, principal: CurrentPrincipal, request: Request) -> dict:
    from tessera.jobs import get_job

    try:
        job_uuid = uuid.UUID(job_id)
    except ValueError:
        raise NotFound("No such job.", code="job_not_found") from None
    async with transaction(request) as conn:
        job = await get_job(conn, tenant_id=principal.tenant_id, job_id=job_uuid)
    if job is None:
        raise NotFound("No such job.", code="job_not_found")
    return job
