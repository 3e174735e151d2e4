"""Import and export of records (CONTRACT.md §4; docs/api.md "Import and export").

- `POST …/import/preview`: what the file holds, the proposed column mapping and the first
  rows run through the whole pipeline (conversion, references, the form engine, unique
  checks) with per-cell errors; writes nothing.
- `POST …/import`: stores the file and starts a `records.import` job (202).
- `GET …/export?format=xlsx|csv`: up to EXPORT_INLINE_MAX records the file itself; more, a
  `records.export` job (202) whose file is an artifact of the job.
- `GET /jobs/{id}/artifacts/{artifact_id}`: a file a job produced (error report, export).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from typing import Any
from urllib.parse import quote

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy import func, select, update

from engines.form import field_types, to_json
from tessera.api.deps import (
    LOCALE_PARAM,
    CurrentPrincipal,
    language_headers,
    requested_locale,
    transaction,
)
from tessera.api.errors import FieldProblem, NotFound, ValidationFailed
from tessera.api.routing import api_router
from tessera.db import tables as t
from tessera.imports.export import FORMATS, export_filename, export_query, write_export
from tessera.imports.importer import Importer, ImportOptions, key_problem, without_nul
from tessera.imports.jobs import UPLOAD, plan_columns, save_artifact
from tessera.imports.mapping import MappingProblem, importable_fields
from tessera.imports.reading import FileProblem, Sheet, open_sheet
from tessera.jobs import enqueue
from tessera.permissions import form_access
from tessera.records.query import parse_filter

router = api_router(tags=["import and export"])
BASE = "/apps/{app}/forms/{form}"
PREVIEW_ROWS = 20
EXPORT_INLINE_MAX = 10_000


def _options(mode: str, key_field: str | None, atomic: bool, mapping: str | None,
             sheet: str | None, encoding: str | None, header_row: int,
             locale: str) -> ImportOptions:
    override = None
    if mapping:
        try:
            override = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise ValidationFailed("mapping is not JSON.", code="invalid_mapping",
                                   errors=[FieldProblem("mapping", "malformed_json", str(exc))]
                                   ) from None
        if not isinstance(override, dict):
            raise ValidationFailed("mapping is an object {column: field key or null}.",
                                   code="invalid_mapping",
                                   errors=[FieldProblem("mapping", "invalid_type",
                                                        "Expected an object.")])
    if header_row < 1:
        raise ValidationFailed("header_row counts from 1.", code="invalid_request",
                               errors=[FieldProblem("header_row", "too_small", "At least 1.",
                                                    {"min": 1})])
    return ImportOptions(mode=mode, key_field=key_field or None, atomic=atomic,
                         mapping=override, sheet=sheet or None, encoding=encoding or None,
                         header_row=header_row, locale=locale)


def _key_params(options: ImportOptions) -> dict[str, Any]:
    """What a key-field problem's text names (`key_problem` words it in English)."""
    return {"field": options.key_field} if options.key_field else {}


def _sheet(content: bytes, filename: str | None, options: ImportOptions) -> Sheet:
    if not content:
        raise ValidationFailed("The file is empty.", code="empty_file",
                               errors=[FieldProblem("file", "empty_file", "No content.")])
    try:
        return open_sheet(content, filename, sheet=options.sheet, encoding=options.encoding,
                          header_row=options.header_row)
    except FileProblem as exc:
        raise ValidationFailed(exc.message, code=exc.code, params=exc.params,
                               errors=[FieldProblem("file", exc.code, exc.message,
                                                    exc.params)]) from None


def _columns(sheet: Sheet, form: dict[str, Any], access: Any, options: ImportOptions) -> list:
    try:
        columns = plan_columns(sheet, form, access, options.mapping)
    except MappingProblem as exc:
        raise ValidationFailed(str(exc), code="invalid_mapping",
                               errors=[FieldProblem(p, c, m) for p, c, m in exc.problems]
                               ) from None
    return columns


async def _context(request: Request, conn: Any, principal: Any, app: str, form: str) -> tuple:
    published, tables = await request.app.state.app_cache.get(
        conn, principal.tenant_id, principal.tenant_key, app)
    definition = published.form(form)
    access = await form_access(conn, principal, published.definition, form)
    return published, tables, definition, access


class _DryRun(Exception):
    """Leaves the preview's transaction by rolling it back."""


def _field_info(f: dict[str, Any]) -> dict[str, Any]:
    return {"key": f["key"], "label": f.get("label"), "type": f["type"],
            "required": bool(f.get("required")), "subform": f.get("subform"),
            "multiple": bool(f.get("multiple")) or f["type"] in ("members", "departments",
                                                                  "multiselect")}


@router.post(BASE + "/import/preview")
async def preview(app: str, form: str, principal: CurrentPrincipal, request: Request,
                  file: UploadFile = File(...), mapping: str | None = Form(None),
                  mode: str = Form("insert"), key_field: str | None = Form(None),
                  sheet: str | None = Form(None), encoding: str | None = Form(None),
                  header_row: int = Form(1),
                  locale: str | None = Form(None, description=LOCALE_PARAM)) -> dict:
    options = _options(mode, key_field, True, mapping, sheet, encoding, header_row,
                       requested_locale(request, locale))
    content = await file.read()
    try:
        async with transaction(request) as conn:
            result = await _preview(request, conn, principal, app, form, content,
                                    file.filename, options)
            raise _DryRun(result)  # rolls back whatever the checks touched (row locks)
    except _DryRun as dry:
        return dry.args[0]


async def _preview(request: Request, conn: Any, principal: Any, app: str, form: str,
                   content: bytes, filename: str | None, options: ImportOptions) -> dict:
    published, tables, definition, access = await _context(request, conn, principal, app, form)
    access.require("import")
    parsed = await asyncio.to_thread(_sheet, content, filename, options)  # off the loop
    columns = _columns(parsed, definition, access, options)
    mapped = {c.field for c in columns if c.field}
    problem = key_problem(definition, tables, options, mapped)
    if problem:
        raise ValidationFailed(problem[2], code=problem[1], params=_key_params(options),
                               errors=[FieldProblem(problem[0], problem[1], problem[2],
                                                    _key_params(options))])
    importer = Importer(principal, published, tables, definition, access, columns, options)
    try:  # the first records (a record with sub-form rows spans several file rows)
        first = list(itertools.islice(importer.group(parsed.rows), PREVIEW_ROWS))
    except FileProblem as exc:
        raise ValidationFailed(exc.message, code=exc.code, params=exc.params,
                               errors=[FieldProblem("file", exc.code, exc.message,
                                                    exc.params)]) from None
    outcome = await importer.run(conn, first, write=False)
    fields = importable_fields(definition, access.hidden, access.readonly)
    rows = []
    for row in outcome.rows:
        values = {**to_json(definition, row.result.values),
                  **to_json(definition, row.result.children)} if row.result is not None else {}
        lines = row.lines()
        rows.append({"row": row.number, "file_rows": [n for n, _cells in lines],
                     "cells": {c.header: _cell(row.cells, c.index) for c in columns},
                     # every file row's cells: a bad record shows them all to be fixed
                     "row_cells": [{c.header: _cell(cells, c.index) for c in columns}
                                   for _n, cells in lines],
                     "values": values if not row.errors else {},
                     "action": "update" if row.stored is not None else "insert",
                     "errors": [e.as_dict() for e in row.errors]})
    return {"format": parsed.format, "encoding": parsed.encoding, "sheet": parsed.sheet_name,
            "headers": parsed.headers, "estimated_rows": parsed.estimated_rows,
            "columns": [{"index": c.index, "header": c.header, "field": c.field,
                         "matched_by": c.matched_by, "subform": c.field.split(".")[0]
                         if c.field and "." in c.field else None, "note": c.note}
                        for c in columns],
            "fields": [_field_info(f) for f in fields],
            "missing_required": [f["key"] for f in fields
                                 if f.get("required") and f["key"] not in mapped
                                 and "subform" not in f
                                 and "default" not in f
                                 and not field_types.get(f["type"]).read_only],
            "rows": rows}


def _cell(cells: list[Any], index: int) -> Any:
    from tessera.imports.convert import as_text

    value = cells[index] if index < len(cells) else None
    return None if value is None else as_text(value)


@router.post(BASE + "/import", status_code=202)
async def start_import(app: str, form: str, principal: CurrentPrincipal, request: Request,
                       file: UploadFile = File(...), mapping: str | None = Form(None),
                       mode: str = Form("insert"), key_field: str | None = Form(None),
                       atomic: bool = Form(True), sheet: str | None = Form(None),
                       encoding: str | None = Form(None), header_row: int = Form(1),
                       locale: str | None = Form(None, description=LOCALE_PARAM)) -> dict:
    # resolved now and kept in the job's options: the worker has no request to ask
    options = _options(mode, key_field, atomic, mapping, sheet, encoding, header_row,
                       requested_locale(request, locale))
    content = await file.read()
    async with transaction(request) as conn:
        _published, tables, definition, access = await _context(request, conn, principal, app,
                                                                 form)
        access.require("import")
        # refuse what cannot work, now (reading a big workbook: off the event loop)
        parsed = await asyncio.to_thread(_sheet, content, file.filename, options)
        columns = _columns(parsed, definition, access, options)
        problem = key_problem(definition, tables, options, {c.field for c in columns if c.field})
        if problem:
            raise ValidationFailed(problem[2], code=problem[1],
                                   errors=[FieldProblem(problem[0], problem[1], problem[2])])
        upload = await save_artifact(conn, tenant_id=principal.tenant_id, job_id=None,
                                     name=UPLOAD, content_type=file.content_type
                                     or "application/octet-stream", content=content,
                                     created_by=principal.user_id)
        job_id = await enqueue(conn, tenant_id=principal.tenant_id, kind="records.import",
                               created_by=principal.user_id,
                               payload=without_nul({"app": app, "form": form,
                                                    "upload": str(upload),
                                                    "filename": file.filename,
                                                    "options": options.as_dict()}))
        await conn.execute(update(t.job_artifacts).where(t.job_artifacts.c.id == upload)
                           .values(job_id=job_id))
    return {"job_id": str(job_id), "status_url": f"/api/v1/jobs/{job_id}"}


@router.get(BASE + "/export", response_model=None)
async def export(app: str, form: str, principal: CurrentPrincipal, request: Request,
                 format: str = Query("xlsx", description="xlsx | csv"),
                 filter: str | None = Query(None, description="URL-encoded JSON expression"),
                 sort: str | None = Query(None, description="a,-b"),
                 locale: str | None = Query(None, description=LOCALE_PARAM),
                 background: bool = Query(False, alias="async",
                                          description="always run as a job")
                 ) -> Response:
    if format not in FORMATS:
        raise ValidationFailed("format is xlsx or csv.", code="invalid_format",
                               errors=[FieldProblem("format", "invalid_format",
                                                    "Expected xlsx or csv.")])
    expression = parse_filter(filter)
    locale = requested_locale(request, locale)  # a job keeps it: its worker has no request
    async with transaction(request) as conn:
        published, tables, definition, access = await _context(request, conn, principal, app,
                                                                form)
        access.require("export")
        query, _fields = export_query(published, tables, definition, access, principal,
                                      expression=expression, sort=sort)
        count = (await conn.execute(select(func.count()).select_from(
            query.order_by(None).limit(EXPORT_INLINE_MAX + 1).subquery()))).scalar_one()
        if background or count > EXPORT_INLINE_MAX:
            job_id = await enqueue(conn, tenant_id=principal.tenant_id, kind="records.export",
                                   created_by=principal.user_id,
                                   payload={"app": app, "form": form, "format": format,
                                            "filter": expression, "sort": sort,
                                            "locale": locale})
            return JSONResponse({"job_id": str(job_id), "status_url": f"/api/v1/jobs/{job_id}"},
                                status_code=202)
        content, _count = await write_export(conn, published, tables, definition, access,
                                             principal, fmt=format, locale=locale,
                                             expression=expression, sort=sort)
    return Response(content, media_type=FORMATS[format],
                    headers={"Content-Disposition": _disposition(
                        export_filename(definition, format)), **language_headers(locale)})


def _disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


@router.get("/jobs/{job_id}/artifacts/{artifact_id}", response_model=None)
async def download_artifact(job_id: str, artifact_id: str, principal: CurrentPrincipal,
                            request: Request) -> Response:
    try:
        job_key, artifact_key = uuid.UUID(job_id), uuid.UUID(artifact_id)
    except ValueError:
        raise NotFound("No such file.", code="artifact_not_found") from None
    a, j = t.job_artifacts, t.jobs
    async with transaction(request) as conn:
        row = (await conn.execute(
            select(a.c.name, a.c.content_type, a.c.content, j.c.created_by)
            .join(j, j.c.id == a.c.job_id)
            .where(a.c.id == artifact_key, a.c.job_id == job_key,
                   a.c.tenant_id == principal.tenant_id))).first()
    if row is None or (row.created_by != principal.user_id and not principal.is_admin):
        raise NotFound("No such file.", code="artifact_not_found")
    return Response(row.content, media_type=row.content_type,
                    headers={"Content-Disposition": _disposition(row.name)})

