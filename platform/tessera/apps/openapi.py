"""The OpenAPI 3.1 document of one published app: its forms' record schemas (from the form
engine's `value_schema`) and the record endpoints of each form, with concrete paths
(`/apps/crm/forms/customer/records`), so a client generator gives typed methods per form.

The document is made for the caller: forms they may not touch are left out, hidden fields are
absent from the schemas, and operations they may not perform are omitted.
"""

from __future__ import annotations

import copy
from typing import Any

from engines.form import value_schema

SYSTEM_SCHEMA: dict[str, Any] = {
    "_id": {"type": "string", "format": "uuid", "readOnly": True},
    "_version": {"type": "integer", "readOnly": True,
                 "description": "Send it back with a PATCH (optimistic locking)."},
    "_owner": {"type": ["string", "null"], "format": "uuid", "readOnly": True},
    "_department": {"type": ["string", "null"], "format": "uuid", "readOnly": True},
    "_created_by": {"type": ["string", "null"], "format": "uuid", "readOnly": True},
    "_created_at": {"type": "string", "format": "date-time", "readOnly": True},
    "_updated_by": {"type": ["string", "null"], "format": "uuid", "readOnly": True},
    "_updated_at": {"type": "string", "format": "date-time", "readOnly": True},
    "_flow_status": {"type": ["string", "null"], "readOnly": True},
}

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "code": {"type": "string"}, "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["path", "code", "message"],
            "properties": {"path": {"type": "string", "examples": ["data.items[2].qty"]},
                           "code": {"type": "string"}, "message": {"type": "string"},
                           "params": {"type": "object"}}}},
    },
}


def _text(value: Any, locale: str = "en") -> str:
    if isinstance(value, dict):
        return str(value.get(locale) or value.get("zh-CN") or next(iter(value.values()), ""))
    return str(value or "")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problems(*statuses: int) -> dict[str, Any]:
    described = {400: "Bad request", 401: "Not authenticated", 403: "Not allowed",
                 404: "Not found", 409: "Conflict", 413: "Too large", 422: "Not valid"}
    return {str(s): {"description": described[s], "content": {
        "application/problem+json": {"schema": _ref("Problem")}}} for s in statuses}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def form_schemas(form: dict[str, Any], hidden: frozenset[str]) -> dict[str, dict[str, Any]]:
    """`<form>_data` (what a client sends) and `<form>_record` (what it reads)."""
    data = copy.deepcopy(value_schema(form))
    labels = {f["key"]: _text(f.get("label")) for f in form.get("fields", [])}
    for key in list(data["properties"]):
        if key in hidden:
            del data["properties"][key]
            continue
        if labels.get(key):
            data["properties"][key]["title"] = labels[key]
    record = {"type": "object", "properties": {
        **SYSTEM_SCHEMA,
        **{k: {"anyOf": [v, {"type": "null"}]} for k, v in data["properties"].items()}},
        "required": ["_id", "_version"]}
    required = [f["key"] for f in form.get("fields", [])
                if f.get("required") and f["key"] in data["properties"]]
    if required:
        data["required"] = required
    return {f"{form['key']}_data": data, f"{form['key']}_record": record}


def _id_param() -> dict[str, Any]:
    return {"name": "record_id", "in": "path", "required": True,
            "schema": {"type": "string", "format": "uuid"}}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def form_paths(app_key: str, form: dict[str, Any], can: Any) -> dict[str, dict[str, Any]]:
    key = form["key"]
    name = _text(form.get("name")) or key
    base = f"/apps/{app_key}/forms/{key}/records"
    tags = [key]
    record, data = _ref(f"{key}_record"), _ref(f"{key}_data")
    page = {"type": "object", "properties": {"items": {"type": "array", "items": record},
                                             "next_cursor": {"type": ["string", "null"]}}}
    paths: dict[str, dict[str, Any]] = {}

    def op(path: str, method: str, action: str, summary: str, **spec: Any) -> None:
        allowed = any(can(a) for a in ("create", "edit", "delete")) if action == "write" \
            else can(action)
        if not allowed:
            return
        spec.setdefault("responses", {})
        spec["responses"].update(_problems(401, 403, 404, 422))
        paths.setdefault(base + path, {})[method] = {
            "operationId": f"{key}_{spec.pop('op')}", "summary": summary, "tags": tags, **spec}

    op("", "get", "view", f"List {name} records", op="list", parameters=[
        _query("filter", "A URL-encoded JSON expression (docs/expressions.md)."),
        _query("sort", "Field keys, comma-separated; `-` for descending: `a,-b`."),
        _query("limit", "Page size, at most 1000.", {"type": "integer", "minimum": 1,
                                                      "maximum": 1000}),
        _query("cursor", "The previous page's `next_cursor`.")],
        responses={"200": _json(page)})
    op("", "post", "create", f"Create a {name} record", op="create",
       requestBody=_body({"type": "object", "required": ["data"],
                          "properties": {"data": data}}),
       responses={"201": _json(record, "Created"), **_problems(409)})
    op("/count", "get", "view", f"Count {name} records", op="count",
       parameters=[_query("filter", "A URL-encoded JSON expression.")],
       responses={"200": _json({"type": "object", "properties": {
           "count": {"type": "integer"}, "exact": {"type": "boolean"}}})})
    op("/{record_id}", "get", "view", f"Read a {name} record", op="get",
       parameters=[_id_param()], responses={"200": _json(record)})
    op("/{record_id}", "patch", "edit", f"Change a {name} record", op="update",
       parameters=[_id_param()],
       requestBody=_body({"type": "object", "required": ["data", "_version"], "properties": {
           "data": {**data, "required": []}, "_version": {"type": "integer"}}}),
       responses={"200": _json(record), **_problems(409)})
    op("/{record_id}", "delete", "delete", f"Move a {name} record to the recycle bin",
       op="delete", parameters=[_id_param()], responses={"204": {"description": "Deleted"}})
    op("/{record_id}/history", "get", "view", "The record's versions", op="history",
       parameters=[_id_param()], responses={"200": _json({"type": "object", "properties": {
           "items": {"type": "array", "items": _ref("HistoryEntry")}}})})
    op("/{record_id}/history/{version}/restore", "post", "edit",
       "Write an earlier version back as a new version", op="restore_version",
       parameters=[_id_param(), {"name": "version", "in": "path", "required": True,
                                 "schema": {"type": "integer"}}],
       requestBody=_body({"type": "object", "required": ["_version"],
                          "properties": {"_version": {"type": "integer"}}}),
       responses={"200": _json(record), **_problems(409)})
    op("/trash", "get", "delete", "Records in the recycle bin", op="trash",
       parameters=[_query("limit", "Page size.", {"type": "integer"}),
                   _query("cursor", "The previous page's `next_cursor`.")],
       responses={"200": _json(page)})
    op("/{record_id}/restore", "post", "delete", "Restore from the recycle bin",
       op="restore", parameters=[_id_param()], responses={"200": _json(record),
                                                            **_problems(409)})
    op("/{record_id}/purge", "delete", "delete", "Delete from the recycle bin for good",
       op="purge", parameters=[_id_param()], responses={"204": {"description": "Purged"}})
    item_result = _ref("BulkResult")
    op("/bulk", "post", "write", "Create, update and delete many records", op="bulk",
       requestBody=_body({"type": "object", "properties": {
           "mode": {"enum": ["atomic", "per_row"], "default": "atomic"},
           "create": {"type": "array", "items": {"type": "object", "required": ["data"],
                                                 "properties": {"data": data}}},
           "update": {"type": "array", "items": {
               "type": "object", "required": ["_id", "_version", "data"],
               "properties": {"_id": {"type": "string", "format": "uuid"},
                              "_version": {"type": "integer"},
                              "data": {**data, "required": []}}}},
           "delete": {"type": "array", "items": {"type": "string", "format": "uuid"}}}}),
       responses={"200": _json({"type": "object", "properties": {
           "ok": {"type": "boolean"}, "counts": {"type": "object"},
           "create": {"type": "array", "items": item_result},
           "update": {"type": "array", "items": item_result},
           "delete": {"type": "array", "items": item_result}}})})
    op("/{record_id}/print", "get", "print", "Print the record (HTML or PDF)", op="print",
       parameters=[_id_param(), _query("template", "A print template key."),
                   _query("format", "html or pdf", {"enum": ["html", "pdf"]})],
       responses={"200": {"description": "The printed record", "content": {
           "text/html": {"schema": {"type": "string"}},
           "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
    return paths


FILE_SCHEMA: dict[str, Any] = {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
    "content_type": {"type": "string"}, "size": {"type": "integer"},
    "url": {"type": "string"}, "thumbnail_url": {"type": "string"},
    "image": {"type": "object", "properties": {"width": {"type": "integer"},
                                               "height": {"type": "integer"}}}}}
FILE_PATHS: dict[str, Any] = {
    "/files": {"post": {
        "operationId": "files_upload", "summary": "Upload a file; put its id in a file field",
        "tags": ["files"],
        "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"},
                        "description": "Check against this field's constraints at once"}
                       for n in ("app", "form", "field")],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}}}},
        "responses": {"201": _json(_ref("File"), "Stored"), **_problems(401, 413, 422)}}},
    "/files/{file_id}": {"get": {
        "operationId": "files_download", "summary": "Download a file", "tags": ["files"],
        "parameters": [{"name": "file_id", "in": "path", "required": True,
                        "schema": {"type": "string", "format": "uuid"}},
                       {"name": "download", "in": "query", "required": False,
                        "schema": {"type": "boolean"}}],
        "responses": {"200": {"description": "The file's bytes", "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            **_problems(401, 404)}}},
}


def _has_files(form: dict[str, Any]) -> bool:
    kinds = {"attachment", "image", "signature"}
    return any(f.get("type") in kinds or (f.get("type") == "subform" and any(
        c.get("type") in kinds for c in f.get("fields", []))) for f in form.get("fields", []))


def app_openapi(definition: dict[str, Any], version: int, accesses: dict[str, Any],
                locale: str = "en") -> dict[str, Any]:
    """`accesses`: form key -> the caller's FormAccess (forms absent are left out)."""
    schemas: dict[str, Any] = {
        "Problem": PROBLEM,
        "HistoryEntry": {"type": "object", "properties": {
            "version": {"type": "integer"}, "action": {"type": "string"},
            "at": {"type": "string", "format": "date-time"}, "actor": {"type": "object"},
            "changes": {"type": "object"}}},
        "BulkResult": {"type": "object", "required": ["index", "ok"], "properties": {
            "index": {"type": "integer"}, "ok": {"type": "boolean"},
            "_id": {"type": "string", "format": "uuid"}, "_version": {"type": "integer"},
            "errors": {"type": "array", "items": PROBLEM["properties"]["errors"]["items"]}}},
    }
    paths: dict[str, Any] = {}
    tags = []
    for form in definition.get("forms", []):
        access = accesses.get(form["key"])
        if access is None or not any(access.can(a) for a in ("view", "create")):
            continue
        schemas.update(form_schemas(form, access.hidden))
        paths.update(form_paths(definition["key"], form, access.can))
        tags.append({"name": form["key"], "description": _text(form.get("name"), locale)})
    if any(_has_files(f) for f in definition.get("forms", []) if f["key"] in accesses):
        paths.update(FILE_PATHS)
        schemas["File"] = FILE_SCHEMA
        tags.append({"name": "files", "description": "Uploads for attachment, image and "
                                                     "signature fields"})
    return {
        "openapi": "3.1.0",
        "info": {"title": _text(definition.get("name"), locale) or definition["key"],
                 "version": f"{definition.get('version') or '0'}+v{version}",
                 "description": f"The records API of the app `{definition['key']}`, generated "
                                "from its published forms for the calling member."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": tags,
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "A session token from POST /auth/login or an API "
                                      "token from POST /tokens."}}},
    }
