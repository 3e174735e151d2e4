"""ASGI middleware: request ids, access logs and the headers every response carries, and a cap
on request body size.

Pure ASGI (not BaseHTTPMiddleware) so streaming uploads are not buffered and the body cap can
stop a chunked upload as soon as it passes the limit.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import structlog
from starlette.exceptions import HTTPException as StarletteHTTPException

from tessera.api.errors import ApiError
from tessera.api.page_security import COMMON_HEADERS
from tessera.api.problem_text import caller_locale

COMMON_RAW_HEADERS = [(name.lower().encode(), value.encode())
                      for name, value in COMMON_HEADERS.items()]

log = structlog.get_logger("tessera.http")


class RequestContextMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode(errors="ignore")[:64]
        request_id = incoming or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = message.setdefault("headers", [])
                present = {bytes(name).lower() for name, _ in headers}
                headers.extend(item for item in COMMON_RAW_HEADERS if item[0] not in present)
                headers.append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            log.info("request", method=scope.get("method"), path=scope.get("path"),
                     status=status_holder["status"],
                     ms=round((time.perf_counter() - started) * 1000, 1))
            structlog.contextvars.unbind_contextvars("request_id")


class BodyTooLarge(StarletteHTTPException):
    """An HTTPException so that FastAPI's body parsing re-raises it instead of turning it into a
    generic 400; the problem handler then answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")
        self.params = {"limit": limit}  # for the problem's text in the caller's language


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` (413 problem+json) before the handler reads them."""

    def __init__(self, app: Any, max_bytes: int, upload_max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes

    def _limit(self, scope: dict) -> int:
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"")
        return self.upload_max_bytes if ctype.startswith(b"multipart/") else self.max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(send, limit, headers)
            return
        seen = 0
        response_started = False

        async def limited_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await self._reject(send, limit, headers)

    @staticmethod
    async def _reject(send: Any, limit: int, headers: dict[bytes, bytes]) -> None:
        error = ApiError(f"The request body is larger than {limit} bytes.", status=413,
                         code="payload_too_large", title="Payload too large",
                         params={"limit": limit})
        language = headers.get(b"accept-language", b"").decode("latin-1")
        body = json.dumps(error.body(locale=caller_locale(language))).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
