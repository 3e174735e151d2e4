"""Printing records to HTML or PDF through a form's print templates (docs/api.md
"Printing")."""

from __future__ import annotations

import urllib.parse
from typing import Any, Literal

from fastapi import Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select

from tessera.api.deps import LOCALE_PARAM, CurrentPrincipal, language_headers, requested_locale
from tessera.api.errors import ApiError, FieldProblem, Forbidden, ValidationFailed
from tessera.api.routes.files import file_storage
from tessera.api.routes.records import BASE, form_context, record_id_param
from tessera.api.routing import api_router
from tessera.printing import (
    TemplateProblem,
    build_context,
    default_template,
    find_template,
    load_lookups,
    render,
    templates_of,
)
from tessera.printing.pdf import PdfUnavailable, html_to_pdf
from tessera.printing.sandbox import compile_problem
from tessera.records import service

router = api_router(tags=["printing"])
TEMPLATES = "/apps/{app}/forms/{form}/print-templates"


class TemplateCheck(BaseModel):
    template: str


def _template_error(problem: TemplateProblem) -> ApiError:
    return ValidationFailed(f"The print template cannot be used: {problem.message}",
                            code="invalid_template", errors=[FieldProblem(
                                "template", problem.code, problem.message,
                                {"line": problem.line} if problem.line else {})])


@router.get(BASE + "/{record_id}/print")
async def print_record(app: str, form: str, record_id: str, principal: CurrentPrincipal,
                       request: Request, template: str | None = Query(None),
                       format: Literal["html", "pdf"] = Query("html"),
                       locale: str | None = Query(None, description=LOCALE_PARAM),
                       timezone: str = Query("Asia/Shanghai")) -> Response:
    rid = record_id_param(record_id)
    locale = requested_locale(request, locale)
    async with form_context(request, principal, app, form) as ctx:
        ctx.access.require("print")
        record = await service.get_record(ctx, rid)  # view scope; hidden fields removed
        if not ctx.access.full and (await ctx.conn.execute(select(ctx.table.c._id).where(
                ctx.rows("print"), ctx.table.c._id == rid))).first() is None:
            raise Forbidden("You may not print this record.", code="permission_denied",
                            extra={"action": "print"})
        chosen = find_template(ctx.app.definition, ctx.form, template)
        hidden = ctx.access.hidden

        async def can_view(target: str) -> Any:
            return await ctx.resolver.form(target)

        names = await load_lookups(ctx.conn, principal.tenant_id, ctx.tables,
                                   ctx.app.definition, ctx.form, record, file_storage(request),
                                   can_view)
        try:
            context = build_context(ctx.app.definition, ctx.form, record, hidden, names,
                                    locale=locale, timezone=timezone,
                                    printed_by=principal.name)
        except KeyError as exc:
            raise ValidationFailed(f"Unknown time zone {timezone!r}.",
                                   code="invalid_request",
                                   params={"timezone": timezone}) from exc
    # rendering runs after the transaction: a slow template or PDF holds no connection
    try:
        document = await render(chosen, ctx.form, hidden, context, locale)
    except TemplateProblem as problem:
        raise _template_error(problem) from None
    name = f"{context['form']['name']}-{record['_id']}"
    headers = {"Content-Security-Policy": "default-src 'none'; img-src data:; "
                                          "style-src 'unsafe-inline'; sandbox",
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
               **language_headers(locale)}
    if format == "html":
        return Response(document, media_type="text/html; charset=utf-8", headers=headers)
    try:
        pdf = await html_to_pdf(document)
    except PdfUnavailable as exc:
        raise ApiError(str(exc), status=503, code="pdf_unavailable",
                       title="PDF printing is not available") from None
    disposition = f"inline; filename=\"print.pdf\"; filename*=UTF-8''{urllib.parse.quote(name)}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={**headers, "Content-Disposition": disposition})


@router.get(TEMPLATES)
async def list_templates(app: str, form: str, principal: CurrentPrincipal,
                         request: Request) -> dict:
    async with form_context(request, principal, app, form) as ctx:
        ctx.access.require("print")
        items = [{"key": "default", "name": {"zh-CN": "默认", "en": "Default"}}]
        items += [{"key": t_["key"], "name": t_.get("name") or t_["key"]}
                  for t_ in templates_of(ctx.app.definition, ctx.form) if t_.get("key")]
    return {"items": items}


@router.get(TEMPLATES + "/default")
async def get_default(app: str, form: str, principal: CurrentPrincipal, request: Request,
                      locale: str | None = Query(None, description=LOCALE_PARAM)) -> dict:
    """The generated default template's source: a starting point for a custom one."""
    async with form_context(request, principal, app, form) as ctx:
        ctx.access.require("print")
        return {"key": "default", "template": default_template(
            ctx.form, ctx.access.hidden, requested_locale(request, locale))}


@router.post(TEMPLATES + "/check")
async def check_template(app: str, form: str, body: TemplateCheck,
                         principal: CurrentPrincipal, request: Request) -> dict:
    """Compile a template (for the designer) without saving it."""
    async with form_context(request, principal, app, form) as ctx:
        ctx.access.require("manage")
    problem = compile_problem(body.template)
    return {"ok": problem is None, "problems": [problem.as_dict()] if problem else []}
