"""The generated OpenAPI document of one app (ARCHITECTURE.md §7)."""

from __future__ import annotations

from fastapi import Query, Request

from tessera.api.deps import LOCALE_PARAM, CurrentPrincipal, requested_locale, transaction
from tessera.api.routing import api_router
from tessera.apps.openapi import app_openapi
from tessera.permissions import form_access

router = api_router(tags=["apps"])


@router.get("/apps/{app}/openapi.json")
async def openapi(app: str, principal: CurrentPrincipal, request: Request,
                  locale: str | None = Query(None, description=LOCALE_PARAM)) -> dict:
    locale = requested_locale(request, locale)  # the titles, like every text for the caller
    async with transaction(request) as conn:
        published, _ = await request.app.state.app_cache.get(
            conn, principal.tenant_id, principal.tenant_key, app)
        accesses = {f["key"]: await form_access(conn, principal, published.definition, f["key"])
                    for f in published.definition.get("forms", [])}
    return app_openapi(published.definition, published.version, accesses, locale)
