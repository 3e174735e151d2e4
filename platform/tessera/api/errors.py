"""RFC 9457 problem+json errors with a stable `code` and, for validation, the field paths.

Services raise `ApiError` (or one of its named subclasses); the handlers here turn every
failure — ours, FastAPI's request validation, malformed JSON, unknown routes, and anything
unexpected — into a problem document, so a client never sees an HTML page or a bare 500.

Raise sites write English; a caller whose `Accept-Language` asks for Chinese gets the title,
detail and field messages from `problem_text`, keyed by the code and filled from `params`
(see `problem_text` for why the language is chosen when the problem is answered).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tessera.api import problem_text

log = structlog.get_logger("tessera.api")

PROBLEM_TYPE_BASE = "https://tessera.dev/problems/"


@dataclass
class FieldProblem:
    """One field's problem. `message` is English unless `locale` names the language it is
    already in (the form engine writes its messages in the caller's language): only an
    English message is replaced by `problem_text`'s, so none is translated twice."""

    path: str
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    locale: str | None = None

    def as_dict(self, locale: str = "en") -> dict[str, Any]:
        message = self.message
        if self.locale is None and locale != "en":
            message = problem_text.field_message(self.code, self.params, locale, self.message)
        out: dict[str, Any] = {"path": self.path, "code": self.code, "message": message}
        if self.params:
            out["params"] = self.params
        return out



def unknown_department(path: str, key: str) -> FieldProblem:
    """A department key that names no department: members, roles, departments and single
    sign-on's department map all refuse it with the same code, words and params."""
    return FieldProblem(path, "unknown_department", f"No department with key {key!r}.",
                        {"key": key})


def unknown_member(path: str, email: str) -> FieldProblem:
    """An e-mail that names no member of the organisation (managers, role members, handovers)."""
    return FieldProblem(path, "unknown_user", f"No member with e-mail {email!r}.",
                        {"email": email})

class ApiError(Exception):
    """An error a client can act on. `code` is stable; `title` and `detail` are for people,
    written in English here and in other languages by `problem_text` from the code and
    `params` (the values the text names; they stay out of the body, `extra` goes into it)."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str | None = None, *, code: str | None = None,
                 status: int | None = None, title: str | None = None,
                 errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None,
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.code = code or self.code
        self.status = status or self.status
        self.title = title or self.title
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}
        self.params = params or {}

    def body(self, instance: str | None = None, locale: str = "en") -> dict[str, Any]:
        """The problem document, its texts in `locale` (English as raised, else the
        catalogue's; a text the catalogue lacks stays English)."""
        title, detail = self.title, self.detail
        if locale != "en":
            title, detail = problem_text.problem_texts(self.code, {**self.extra, **self.params},
                                                       locale, title, detail, self.status)
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.code,
            "title": title,
            "status": self.status,
            "detail": detail,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict(locale) for e in self.errors]
        body.update(self.extra)
        return body


class ValidationFailed(ApiError):
    status, code, title = 422, "validation_failed", "The data is not valid"


class NotFound(ApiError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(ApiError):
    status, code, title = 409, "conflict", "Conflict"


class NotAuthenticated(ApiError):
    status, code, title = 401, "not_authenticated", "Authentication required"


class Forbidden(ApiError):
    status, code, title = 403, "forbidden", "Not allowed"


def problem_response(error: ApiError, request: Request | None = None) -> JSONResponse:
    instance = request.url.path if request is not None else None
    headers = dict(error.headers)
    request_id = getattr(getattr(request, "state", None), "request_id", None)
    locale = (problem_text.caller_locale(request.headers.get("accept-language"))
              if request is not None else problem_text.DEFAULT_LOCALE)
    body = error.body(instance, locale)
    if request_id:
        body["request_id"] = request_id
    return JSONResponse(body, status_code=error.status, headers=headers,
                        media_type="application/problem+json")


# Postgres data exceptions that only the values of a request can cause, found when a statement
# runs (a filter's `amount * 1e308` overflows double precision, where JavaScript would give
# Infinity; date arithmetic past the calendar's end): the request is at fault, so a 422, not a
# 500. Other SQLSTATEs stay 500s: they are bugs to fix, not answers to give.
OUT_OF_RANGE = {"22003",  # numeric_value_out_of_range
                "22008"}  # datetime_field_overflow


# Starlette's own refusals (no route, wrong method, body over the cap); other statuses are
# `http_<status>`.
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def _location_to_path(loc: tuple[Any, ...]) -> str:
    """('body', 'data', 'items', 2, 'qty') -> 'data.items[2].qty' (the body prefix dropped)."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "body"


def _plain_context(ctx: Any) -> dict[str, Any]:
    """pydantic's error context as params, JSON-safe: the exception object of `value_error`
    left out, other values that JSON cannot hold (a Decimal bound, an infinite float) as
    text."""
    if not isinstance(ctx, dict):
        return {}
    return {k: v if v is None or isinstance(v, (str, int, bool))
            or (isinstance(v, float) and math.isfinite(v)) else str(v)
            for k, v in ctx.items() if not isinstance(v, BaseException)}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        locale = problem_text.caller_locale(request.headers.get("accept-language"))
        problems = []
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                reason = str(err.get("ctx", {}).get("error", ""))
                return problem_response(ApiError(
                    f"The request body is not valid JSON: {reason}",
                    code="malformed_json", title="Malformed JSON", params={"reason": reason}),
                    request)
            kind, params = str(err.get("type", "invalid")), _plain_context(err.get("ctx"))
            # pydantic's codes are its own (`too_long` counts list items, ours characters):
            # their texts come from its table, here, not from the platform's by code
            problems.append(FieldProblem(
                _location_to_path(tuple(err.get("loc", ()))), kind,
                problem_text.pydantic_message(kind, params, locale, str(err.get("msg", ""))),
                params, locale=locale))
        return problem_response(ValidationFailed("The request does not match the API schema.",
                                                 code="invalid_request", errors=problems), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = ApiError(str(exc.detail), status=exc.status_code,
                         code=HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}"),
                         title=str(exc.detail), headers=dict(exc.headers or {}),
                         params=getattr(exc, "params", None))
        return problem_response(error, request)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        state = getattr(exc.orig, "sqlstate", None)
        if state not in OUT_OF_RANGE:
            return await _unexpected(request, exc)
        reason = str(getattr(exc.orig, "args", [""])[0] or exc.orig).split("\n")[0]
        log.warning("value_out_of_range", path=request.url.path, sqlstate=state, reason=reason)
        return problem_response(ApiError(
            f"A value in this request goes out of the database's range ({reason}); nothing was "
            "changed.", status=422, code="value_out_of_range", title="Value out of range",
            params={"reason": reason}), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(ApiError(
            "Something went wrong on the server; the request changed nothing. Quote the "
            "request id when reporting it.", status=500, code="internal_error",
            title="Internal error"), request)
