"""Refuse text that Postgres cannot store: the NUL character (U+0000).

Postgres `text` never holds U+0000, and asyncpg fails on it whether the string is stored,
compared or only looked up (`invalid byte sequence for encoding "UTF8": 0x00`), so a login, a
department key or a record field carrying one ended as a 500. No field of Tessera has a use
for it, so every request is checked once at the boundary, before any handler runs, and
answered 422 with the path of the offending value (`invalid_text`, like the schema's own
validation errors).

Cheap when there is nothing to find: query and path values are short, and a JSON body is
walked only when its bytes hold the escape `\\u0000` (a raw NUL byte is not valid JSON and
is refused as malformed JSON already).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from tessera.api.errors import FieldProblem, ValidationFailed

NUL = "\x00"
_ESCAPED_NUL = b"\\u0000"


def _first_nul(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) in a JSON document holding a NUL."""
    stack = [(value, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            if NUL in current:
                return where or "body"
        elif isinstance(current, dict):
            for key, item in current.items():
                child = f"{where}.{key}" if where else str(key)
                if NUL in key:
                    return child
                stack.append((item, child))
        elif isinstance(current, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(current))
    return None


async def refuse_nul(request: Request) -> None:
    """Raise a 422 problem when a path, query or JSON body value holds U+0000."""
    found = next((f"path.{k}" for k, v in request.path_params.items()
                  if isinstance(v, str) and NUL in v), None)
    found = found or next((f"query.{k}" for k, v in request.query_params.multi_items()
                           if NUL in k or NUL in v), None)
    if found is None and "json" in request.headers.get("content-type", ""):
        body = await request.body()  # Starlette keeps it: the handler reads the same bytes
        if _ESCAPED_NUL in body:
            try:
                found = _first_nul(json.loads(body), "")
            except ValueError:
                found = None  # malformed JSON: the handler's own parsing says so
    if found is not None:
        raise ValidationFailed("Text may not contain the NUL character (U+0000).",
                               code="invalid_text",
                               errors=[FieldProblem(found, "nul_character",
                                                    "Remove the NUL character (U+0000).")])
