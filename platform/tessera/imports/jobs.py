"""The import and export jobs, and what they share with the API: the uploaded file and the
files they produce live in `job_artifacts`; the caller is re-read from `users`.

Idempotence (a job runs at least once):
- all-or-nothing: the whole import is one transaction; a retry starts again from nothing.
- good rows: each batch commits with a small "part" artifact that records the last row it
  covered, its counts and its row errors; a retry skips the rows the committed parts cover
  and still reports their errors. Nothing is written twice.
- export: produces its file again and replaces the earlier one.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.apps.cache import AppCache
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.imports.export import FORMATS, export_filename, write_export
from tessera.imports.importer import (
    BATCH,
    CellError,
    Importer,
    ImportOptions,
    UniqueRefused,
    batches,
    key_problem,
)
from tessera.imports.mapping import (
    Column,
    MappingProblem,
    apply_override,
    file_fields,
    importable_fields,
    propose,
)
from tessera.imports.pipeline import CheckedBatches, use_processes
from tessera.imports.reading import FileProblem, Sheet, open_sheet
from tessera.imports.report import error_report
from tessera.jobs import JobContext, JobFailed, job_handler
from tessera.permissions import FormAccess, form_access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = "upload"
PART = "import-part-"
REPORT = "errors.xlsx"
RESULT_ERRORS = 50  # errors quoted in the job result; the report has them all

_cache = AppCache()


def artifact_url(job_id: uuid.UUID, artifact_id: uuid.UUID) -> str:
    return f"/api/v1/jobs/{job_id}/artifacts/{artifact_id}"


async def save_artifact(conn: AsyncConnection, *, tenant_id: uuid.UUID, job_id: uuid.UUID | None,
                        name: str, content_type: str, content: bytes,
                        created_by: uuid.UUID | None, replace: bool = False) -> uuid.UUID:
    a = t.job_artifacts
    if replace and job_id is not None:
        await conn.execute(delete(a).where(a.c.tenant_id == tenant_id, a.c.job_id == job_id,
                                           a.c.name == name))
    artifact_id = uuid7()
    await conn.execute(a.insert().values(id=artifact_id, tenant_id=tenant_id, job_id=job_id,
                                         name=name, content_type=content_type, content=content,
                                         created_by=created_by))
    return artifact_id


async def load_principal(conn: AsyncConnection, tenant_id: uuid.UUID,
                         user_id: uuid.UUID | None) -> Principal:
    u, m = t.users, t.memberships
    main = (select(m.c.department_id).where(m.c.user_id == u.c.id, m.c.is_main)
            .limit(1).scalar_subquery())
    row = (await conn.execute(select(u.c.id, u.c.email, u.c.name, u.c.is_admin, u.c.is_active,
                                     t.tenants.c.key, main.label("department"))
                              .join(t.tenants, t.tenants.c.id == u.c.tenant_id)
                              .where(u.c.tenant_id == tenant_id, u.c.id == user_id))).first()
    if row is None or not row.is_active:
        raise JobFailed("The member who started this job no longer exists or is disabled.")
    return Principal(user_id=row.id, tenant_id=tenant_id, tenant_key=row.key, email=row.email,
                     name=row.name, is_admin=row.is_admin, token_kind="job",
                     department_id=row.department)


def plan_columns(sheet: Sheet, form: dict[str, Any], access: FormAccess,
                 override: dict[str, Any] | None) -> list[Column]:
    fields = importable_fields(form, access.hidden, access.readonly)
    files = file_fields(form, access.hidden)
    return apply_override(propose(sheet.headers, fields, files), override, fields, files)


def report_cells(cells: list[Any]) -> list[Any]:
    return [c if c is None or isinstance(c, int | float | str | bool) else str(c)
            for c in cells]


@job_handler("records.import", max_attempts=3)
async def run_import(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    options = ImportOptions.from_dict(payload.get("options") or {})
    a = t.job_artifacts
    async with ctx.engine.begin() as conn:
        principal = await load_principal(conn, ctx.tenant_id, ctx.created_by)
        app, tables = await _cache.get(conn, ctx.tenant_id, principal.tenant_key, payload["app"])
        form = app.form(payload["form"])
        access = await form_access(conn, principal, app.definition, form["key"])
        content = (await conn.execute(select(a.c.content).where(
            a.c.tenant_id == ctx.tenant_id, a.c.id == uuid.UUID(payload["upload"])))).scalar()
        parts = [json.loads(p) for p in (await conn.execute(
            select(a.c.content).where(a.c.tenant_id == ctx.tenant_id, a.c.job_id == ctx.job_id,
                                      a.c.name.like(PART + "%")).order_by(a.c.name))).scalars()]
    if not access.can("import"):
        raise JobFailed("You may not import records of this form.")
    if content is None:
        raise JobFailed("The uploaded file is gone.")
    try:
        # opening a workbook or detecting a big csv's encoding: off the event loop
        sheet = await asyncio.to_thread(open_sheet, content, payload.get("filename"),
                                        sheet=options.sheet, encoding=options.encoding,
                                        header_row=options.header_row)
        columns = plan_columns(sheet, form, access, options.mapping)
    except FileProblem as exc:
        raise JobFailed(exc.message, {"code": exc.code}) from None
    except MappingProblem as exc:
        raise JobFailed(str(exc), {"code": "invalid_mapping", "problems": exc.problems}) from None
    problem = key_problem(form, tables, options, {c.field for c in columns if c.field})
    if problem:
        raise JobFailed(problem[2], {"code": problem[1], "path": problem[0]})
    importer = Importer(principal, app, tables, form, access, columns, options)
    total = sheet.estimated_rows
    await ctx.progress(0, total)
    state = _State()
    try:
        if options.atomic:
            await _atomic(ctx, importer, sheet, state, total)
        else:
            await _good_rows(ctx, importer, sheet, state, total, parts)
    except FileProblem as exc:  # a csv that breaks down the file
        raise JobFailed(exc.message, {"code": exc.code}) from None
    report = None
    if state.errors:
        async with ctx.engine.begin() as conn:
            report_id = await save_artifact(
                conn, tenant_id=ctx.tenant_id, job_id=ctx.job_id, name=REPORT,
                content_type=XLSX, content=error_report(sheet.headers, state.errors,
                                                        state.bad_rows),
                created_by=ctx.created_by, replace=True)
        report = {"id": str(report_id), "name": REPORT, "url": artifact_url(ctx.job_id,
                                                                            report_id)}
    summary = {"mode": options.mode, "atomic": options.atomic, "rows": state.rows,
               "inserted": state.inserted, "updated": state.updated,
               "failed_rows": len({e.row for e in state.errors}),
               "errors": [e.as_dict() for e in state.errors[:RESULT_ERRORS]],
               "error_report": report}
    if options.atomic and state.errors:
        summary["inserted"] = summary["updated"] = 0
        raise JobFailed(f"{summary['failed_rows']} rows are not valid; nothing was imported.",
                        {"code": "import_rejected", **summary})
    return summary


class _State:
    def __init__(self) -> None:
        self.rows = self.inserted = self.updated = 0
        self.errors: list[CellError] = []
        self.bad_rows: list[tuple[int, list[Any]]] = []

    def add(self, outcome: Any) -> tuple[list[CellError], list[tuple[int, list[Any]]]]:
        self.rows += sum(r.span for r in outcome.rows)  # file rows, sub-form rows included
        self.inserted += outcome.inserted
        self.updated += outcome.updated
        errors = [e for r in outcome.bad for e in r.errors]
        bad = [(n, report_cells(cells)) for r in outcome.bad for n, cells in r.lines()]
        self.errors += errors
        self.bad_rows += bad
        return errors, bad


class _Rejected(Exception):
    """Rolls the all-or-nothing transaction back."""


def _checked(importer: Importer, rows: Iterable[tuple[int, list[Any]]],
             total: int | None) -> CheckedBatches:
    """The file's batches as `RowChecker.check` makes them: in a worker process, ahead of
    the batch being written, when the file is big enough for that to pay."""
    return CheckedBatches(importer.checker, batches(importer.group(rows), BATCH),
                          processes=use_processes(total))


async def _atomic(ctx: JobContext, importer: Importer, sheet: Sheet, state: _State,
                  total: int | None) -> None:
    async with _checked(importer, sheet.rows, total) as checked:
        batches = aiter(checked)
        try:
            async with ctx.engine.begin() as conn:
                async for rows in batches:
                    state.add(await importer.finish(conn, rows, write=not state.errors))
                    await ctx.progress(state.rows, total)
                if state.errors:
                    raise _Rejected
        except _Rejected:
            return
        except UniqueRefused as refused:  # the transaction is lost; what is left is only checked
            try:
                async with ctx.engine.begin() as conn:
                    state.add(await importer.refused(conn, refused))
                    await ctx.progress(state.rows, total)
                    async for rows in batches:
                        state.add(await importer.finish(conn, rows, write=False))
                        await ctx.progress(state.rows, total)
                    raise _Rejected
            except _Rejected:
                return


async def _good_rows(ctx: JobContext, importer: Importer, sheet: Sheet, state: _State,
                     total: int | None, parts: list[dict[str, Any]]) -> None:
    through = 0
    for part in parts:  # batches a previous run of this job committed
        through = max(through, part["through"])
        state.rows += part["rows"]
        state.inserted += part["inserted"]
        state.updated += part["updated"]
        state.errors += [CellError(**e) for e in part["errors"]]
        state.bad_rows += [(n, cells) for n, cells in part["bad_rows"]]
    rows = ((n, cells) for n, cells in sheet.rows if n > through)
    async with _checked(importer, rows, total) as checked:
        index = len(parts)
        async for batch in checked:
            await _good_batch(ctx, importer, state, batch, index)
            index += 1
            await ctx.progress(state.rows, total)


async def _good_batch(ctx: JobContext, importer: Importer, state: _State, rows: list[Any],
                      index: int) -> None:
    """One batch of a good-rows import, committed with its part artifact."""
    async with ctx.engine.begin() as conn:
        outcome = await importer.finish(conn, rows, write=True)
        errors, bad = state.add(outcome)
        part = {"through": outcome.rows[-1].last,
                "rows": sum(r.span for r in outcome.rows), "inserted": outcome.inserted,
                "updated": outcome.updated, "errors": [e.as_dict() for e in errors],
                "bad_rows": bad}
        await save_artifact(conn, tenant_id=ctx.tenant_id, job_id=ctx.job_id,
                            name=f"{PART}{index:06d}", content_type="application/json",
                            content=json.dumps(part, ensure_ascii=False,
                                               default=str).encode(),
                            created_by=ctx.created_by)


@job_handler("records.export", max_attempts=3)
async def run_export(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    fmt = payload.get("format", "xlsx")
    if fmt not in FORMATS:
        raise JobFailed(f"Unknown export format {fmt!r}.")
    async with ctx.engine.begin() as conn:
        principal = await load_principal(conn, ctx.tenant_id, ctx.created_by)
        app, tables = await _cache.get(conn, ctx.tenant_id, principal.tenant_key, payload["app"])
        form = app.form(payload["form"])
        access = await form_access(conn, principal, app.definition, form["key"])
    if not access.can("export"):
        raise JobFailed("You may not export records of this form.")
    total = payload.get("total")
    await ctx.progress(0, total)

    async def progress(done: int) -> None:
        if done % 10_000 < 2000:
            await ctx.progress(done, total)

    async with ctx.engine.begin() as conn:  # one snapshot for the whole file
        content, count = await write_export(
            conn, app, tables, form, access, principal, fmt=fmt,
            locale=payload.get("locale", "zh-CN"), expression=payload.get("filter"),
            sort=payload.get("sort"), progress=progress)
    name = export_filename(form, fmt)
    async with ctx.engine.begin() as conn:
        await conn.execute(delete(t.job_artifacts).where(
            t.job_artifacts.c.tenant_id == ctx.tenant_id, t.job_artifacts.c.job_id == ctx.job_id))
        file_id = await save_artifact(conn, tenant_id=ctx.tenant_id, job_id=ctx.job_id,
                                      name=name, content_type=FORMATS[fmt], content=content,
                                      created_by=ctx.created_by)
    return {"rows": count, "format": fmt,
            "file": {"id": str(file_id), "name": name, "url": artifact_url(ctx.job_id, file_id)}}
