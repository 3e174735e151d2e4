"""The FastAPI application: routers, error handling, middleware, the in-process worker and the
built browser app, wired once from Settings."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tessera import __version__
from tessera.api.assets import Assets, page_response
from tessera.api.deps import PrincipalCache, listen_for_org_changes, transaction
from tessera.api.errors import install_error_handlers
from tessera.api.middleware import BodyLimitMiddleware, RequestContextMiddleware
from tessera.api.page_security import PageHeaders
from tessera.apps.cache import AppCache
from tessera.config import Settings
from tessera.db.engine import create_engine
from tessera.db.notify import Listener
from tessera.firstpaint import VARY, FirstPaint, form_page
from tessera.firstpaint.public import public_page
from tessera.permissions import FactsCache
from tessera.publiclinks import embed_origins_of

log = structlog.get_logger("tessera.app")
API_PREFIX = "/api/v1"
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
#: the browser app's page of a public fill link (frontend/src/lib/paths.ts `publicForm`)
PUBLIC_LINK_PAGE = re.compile(r"^f/(?P<token>[^/]+)/?$")


def _include_routers(app: FastAPI) -> None:
    from tessera.api.routes import (
        app_openapi,
        app_versions,
        apps,
        auth,
        bulk,
        files,
        health,
        imports,
        jobs,
        org,
        printing,
        public_links,
        records,
        recycle,
        regions,
        sso,
        views,
    )

    # routers with fixed paths under .../records/ (trash, bulk) come before `records`,
    # whose `.../records/{record_id}` would swallow them
    for module in (health, auth, org, app_openapi, app_versions, apps, files, public_links,
                   printing, recycle, bulk, records, jobs, imports, regions, views):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(sso.router, prefix=API_PREFIX)


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built SPA with an index.html fallback so deep links survive a reload."""
    index = dist / "index.html"
    if not index.exists():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", Assets(dist / "assets"), name="assets")
    page_headers = PageHeaders(index)
    first_paint = FirstPaint(dist)

    def page(drawn: str | None, request: Request, headers: dict[str, str]) -> Response:
        """A page the server drew (ADR 0009), or index.html for the browser to draw."""
        if drawn is not None:
            return page_response(drawn, request, headers)
        return FileResponse(index, headers=headers)

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if path.startswith(API_PREFIX.strip("/")):
            raise StarletteHTTPException(404, "No such API endpoint.")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        form = form_page(path)
        if form is not None:
            # a form page's full load comes drawn when it can be (ADR 0009); its CSP is
            # index.html's (the drawn HTML holds no script), and it depends on who asks
            drawn = await first_paint.page(request, form)
            return page(drawn, request, {**page_headers(), **VARY})
        link = PUBLIC_LINK_PAGE.match(path)
        if link is None:
            return FileResponse(index, headers=page_headers())
        # a public fill link's page may be framed by the sites its owner named; its full load
        # comes drawn when it can be (ADR 0009), and then depends on the language asked for
        async with transaction(request) as conn:
            origins = await embed_origins_of(conn, link["token"])
        drawn = await public_page(first_paint, request, link["token"])
        return page(drawn, request, {**page_headers(origins), **VARY})


def create_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = create_engine(settings)
        listener = Listener(app.state.engine)
        app.state.app_cache.listen(listener)
        listen_for_org_changes(listener, app.state.principal_cache, app.state.access_facts)
        await listener.start()
        worker = None
        if settings.in_process_worker:
            import tessera.handlers  # noqa: F401  (registers the job kinds)
            from tessera.jobs import start_worker

            worker = await start_worker(settings, app.state.engine)
        log.info("started", version=__version__)
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            await listener.stop()
            await app.state.engine.dispose()
            log.info("stopped")

    app = FastAPI(title="Tessera", version=__version__, lifespan=lifespan,
                  openapi_url=f"{API_PREFIX}/openapi.json", docs_url=f"{API_PREFIX}/docs",
                  redoc_url=None)
    app.state.settings = settings
    app.state.principal_cache = PrincipalCache()
    app.state.app_cache = AppCache()
    app.state.access_facts = FactsCache()
    install_error_handlers(app)
    _include_routers(app)
    _mount_frontend(app, settings.frontend_dist or DEFAULT_DIST)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       upload_max_bytes=settings.upload_max_bytes)
    app.add_middleware(RequestContextMiddleware)
    return app


def create_app_from_env() -> FastAPI:
    """The app of one of `tessera serve --workers N`'s processes (uvicorn's factory)."""
    from tessera.logging import configure_logging

    configure_logging(os.environ.get("TESSERA_LOG_LEVEL", "INFO"))
    return create_app(Settings.from_env())
