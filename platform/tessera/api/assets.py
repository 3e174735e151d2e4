"""The browser app's built assets: cached forever and sent compressed.

Vite names every file under `assets/` after a hash of its content, so a browser may keep one
for good (`immutable`) and never ask again; only `index.html` (served `no-cache`) says which
files are current. Without that, every load revalidated ~40 files (a 304 round trip each).
Each file is gzipped once, on its first request, and kept in memory: the whole app is a few
MB, and compressing on every request would cost the API's CPU.
"""

from __future__ import annotations

import gzip
import mimetypes
from collections.abc import Mapping
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".html", ".map", ".txt", ".wasm"}
MIN_GZIP_BYTES = 1024


def page_response(html: str, request: Request, headers: Mapping[str, str]) -> Response:
    """A page written for one request (a form page the server drew, ADR 0009), gzipped when
    the browser takes it: the 200-field form's page is ~250 KB of markup and ~28 KB gzipped,
    for ~2 ms of compression (level 5) on a request that takes ~15 ms to draw."""
    body = html.encode()
    extra: dict[str, str] = {}
    if "gzip" in request.headers.get("accept-encoding", "") and len(body) >= MIN_GZIP_BYTES:
        body = gzip.compress(body, compresslevel=5)
        extra["Content-Encoding"] = "gzip"
    vary = ", ".join(filter(None, (headers.get("Vary"), "Accept-Encoding")))
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={**headers, **extra, "Vary": vary})


class Assets:
    """An ASGI app for `/assets/<file>` of one build directory."""

    def __init__(self, directory: Path) -> None:
        self._root = directory.resolve()
        self._cache: dict[str, tuple[bytes, bytes | None, str]] = {}

    def _load(self, name: str) -> tuple[bytes, bytes | None, str] | None:
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        path = (self._root / name).resolve()
        if not path.is_file() or not path.is_relative_to(self._root):
            return None
        body = path.read_bytes()
        packed = (gzip.compress(body, compresslevel=6)
                  if path.suffix in COMPRESSIBLE and len(body) >= MIN_GZIP_BYTES else None)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
            kind += "; charset=utf-8"
        self._cache[name] = (body, packed, kind)
        return self._cache[name]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method not in ("GET", "HEAD"):
            await Response(status_code=405, headers={"Allow": "GET, HEAD"})(scope, receive, send)
            return
        name = scope["path"][len(scope.get("root_path", "")):].lstrip("/")
        found = self._load(name) if name and "\x00" not in name else None
        if found is None:
            await Response("Not found", status_code=404, media_type="text/plain")(
                scope, receive, send)
            return
        body, packed, kind = found
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        if packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
            body = packed
            headers["Content-Encoding"] = "gzip"
        response = Response(body if request.method == "GET" else b"", media_type=kind,
                            headers=headers)
        if request.method == "HEAD":
            response.headers["Content-Length"] = str(len(body))
        await response(scope, receive, send)
