"""One full page load of a form route drawn on the server, through the API's own code paths:
the caller from the session (`deps.current_principal`), the published app (`AppCache`), the
caller's permissions and the record (`records.service`), their copy of the definition
(`apps.service.for_caller`). Anything it cannot draw answers None and the route sends
`index.html` as before: the first paint is an optimisation and never changes what a page does.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import structlog
from fastapi import Request

from tessera.api.build_file import BuildFile
from tessera.api.deps import current_principal, transaction
from tessera.api.errors import ApiError
from tessera.apps.service import for_caller
from tessera.firstpaint import computed, subform  # noqa: F401  (register their types)
from tessera.firstpaint.cells import Draw, cell, drawable, id_list
from tessera.firstpaint.form import (
    Shown,
    expression_data,
    new_values,
    record_view,
    shown_fields,
)
from tessera.firstpaint.locale import LOCALE_COOKIE, page_locale
from tessera.firstpaint.names import Names, read_names
from tessera.firstpaint.page import fill_index, heading, page_context
from tessera.firstpaint.templates import CannotDraw, LocaleTemplates, TemplateFile
from tessera.firstpaint.titles import RelatedTitles, prefilled_titles
from tessera.records import service as records

log = structlog.get_logger("tessera.firstpaint")

#: the record pages a full load may get drawn (frontend/src/lib/paths.ts create / edit)
FORM_PAGE = re.compile(
    r"^apps/(?P<app>[^/]+)/forms/(?P<form>[^/]+)/(?:new|records/(?P<record>[^/]+)/edit)/?$")
#: a drawn page depends on who asks and in which language; no-cache as index.html
VARY: dict[str, str] = {"Vary": "Cookie, Accept-Language"}
PREFILL_PARAM, BACK_PARAM = "prefill", "back"
#: one page's drawing in a language: the filled `index.html` (CannotDraw / ApiError: not drawn)
Drawing = Callable[[LocaleTemplates, str], Awaitable[str]]
MEMBER_TYPES = {"member", "members"}
DEPARTMENT_TYPES = {"department", "departments"}


def form_page(path: str) -> re.Match[str] | None:
    """The route's parts when `path` (without its leading slash) is a drawable form page."""
    return FORM_PAGE.match(path)


def read_prefill(raw: str | None) -> dict[str, Any]:
    """relations.ts `readPrefill`: a JSON object, else nothing."""
    if not raw:
        return {}
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@dataclass(frozen=True)
class Wanted:
    """What one drawing needs from the HTTP request."""

    app: str
    form: str
    record: str | None
    locale: str
    prefill: dict[str, Any]
    back: str | None


class FirstPaint:
    """The form pages of one build (`dist`): its templates and `index.html`."""

    def __init__(self, dist: Path) -> None:
        self._templates = TemplateFile(dist)
        self._index = BuildFile(dist / "index.html", str)

    def index_html(self) -> str:
        """The build's `index.html`, which a drawn page fills."""
        return self._index.get()

    async def attempt(self, request: Request, draw: Drawing) -> str | None:
        """`draw`'s page for a full load (`GET`, `Accept: text/html`) in the page's language,
        or None to send `index.html` as it is: no templates, or anything `draw` cannot draw."""
        if request.method != "GET" or "text/html" not in request.headers.get("accept", ""):
            return None
        templates = self._templates.load()
        if templates is None:
            return None
        locale = page_locale(request.cookies.get(LOCALE_COOKIE),
                             request.headers.get("accept-language"))
        try:
            return await draw(templates.of(locale), locale)
        except (CannotDraw, ApiError) as reason:
            log.debug("first_paint.not_drawn", path=request.url.path, reason=str(reason))
        except Exception:  # never a 500 for an optimisation: the browser draws it as before
            # but not unseen: a page it should have drawn and could not is a bug to find
            log.warning("first_paint.failed", path=request.url.path, exc_info=True)
        return None

    async def page(self, request: Request, route: re.Match[str]) -> str | None:
        """`index.html` with the form drawn, or None to send it as it is."""
        async def draw(texts: LocaleTemplates, locale: str) -> str:
            wanted = Wanted(app=route["app"], form=route["form"], record=route["record"],
                            locale=locale,
                            prefill=read_prefill(request.query_params.get(PREFILL_PARAM)),
                            back=request.query_params.get(BACK_PARAM))
            return await self._draw(request, wanted, texts)
        return await self.attempt(request, draw)

    async def _draw(self, request: Request, wanted: Wanted, texts: LocaleTemplates) -> str:
        page_template = texts.page("form")  # before any query: a build without one draws none
        principal = await current_principal(request)
        record_id = _record_id(wanted.record)
        async with transaction(request) as conn:
            published, tables = await request.app.state.app_cache.get(
                conn, principal.tenant_id, principal.tenant_key, wanted.app)
            ctx = await records.open_form(conn, principal, published, tables, wanted.form,
                                          request.app.state.access_facts, locale=wanted.locale)
            record = None
            if record_id is None:
                ctx.access.require("create")
            else:
                ctx.access.require("edit")
                record = await _editable_record(ctx, record_id)
            app_def = await for_caller(conn, principal, published.definition)
            if app_def is None:
                raise CannotDraw("no part of the app for this caller")
            fields = [f for f in ctx.form.get("fields") or [] if f["key"] not in ctx.access.hidden]
            readonly, record_ctx = ctx.access.readonly, ctx.record_context()
            if record is None:
                values = new_values(fields, wanted.prefill, readonly, record_ctx)
                titles = await prefilled_titles(ctx, request.app.state.access_facts, app_def,
                                                fields, values)
            else:
                values, titles = record, record.get("_titles") or {}
            cells = await field_cells(ctx, request.app.state.access_facts, app_def, texts,
                                      Values(fields, values, record, titles))
        head = heading(texts, wanted.locale, app_def, ctx.form, fields, record, wanted.back)
        page = page_template.render(page=page_context(
            texts, wanted.locale, app_def, ctx.form, head, principal.name or principal.email,
            cells, ctx.access.can("manage")))
        marker = "/".join(filter(None, (wanted.app, wanted.form, wanted.record)))
        return fill_index(self._index.get(), page, marker, head.tab_title, wanted.locale)


@dataclass(frozen=True)
class Values:
    """A form's fields as the caller gets them and what the form starts with: the values, the
    saved record (None: a new one) and the relations' titles."""

    fields: Sequence[dict[str, Any]]
    values: Mapping[str, Any]
    record: Mapping[str, Any] | None
    titles: Mapping[str, Any]


async def field_cells(ctx: records.FormContext, facts: Any, app_def: Mapping[str, Any],
                      texts: LocaleTemplates, given: Values) -> list[str]:
    """The cells of the fields the form shows, each drawn by its type's template (the rules of
    form.py, the names and titles read as the browser reads them); CannotDraw when a shown
    field's type has no template (no half-drawn forms)."""
    fields, values, record = given.fields, given.values, given.record
    record_ctx = ctx.record_context()
    shown = shown_fields(fields, values, record, ctx.access.readonly, record_ctx)
    titles = RelatedTitles(ctx, facts, app_def)  # one reader for every row of every sub-form
    shown = [await _with_row_titles(titles, item) for item in shown]
    for item in shown:
        if not drawable(item.field["type"]) or not texts.has_field(item.field["type"]):
            raise CannotDraw(f"no template for {item.field['type']!r}")
    names = await _names(ctx.conn, ctx.principal.tenant_id, shown)
    draw = Draw(locale=ctx.locale, templates=texts, names=names, titles=given.titles,
                forms=frozenset(form["key"] for form in app_def.get("forms") or []),
                around=record_view(fields, expression_data(fields, values, record)),
                ctx=record_ctx)
    return [_render(texts, item, draw) for item in shown]


def _record_id(raw: str | None) -> uuid.UUID | None:
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise CannotDraw("not a record id") from None


async def _editable_record(ctx: records.FormContext, record_id: uuid.UUID) -> dict[str, Any]:
    """The record as the edit page reads it (`get_record`, as `GET …/records/{id}`: what the
    caller may see, `_titles`), if the caller may also edit it (`stored_row`'s edit scope: a
    record they may see but not edit is left to the browser, whose save would be refused)."""
    record = await records.get_record(ctx, record_id)
    await records.stored_row(ctx, record_id, action="edit")
    return record


async def _with_row_titles(titles: RelatedTitles, item: Shown) -> Shown:
    """A sub-form's rows with their relations' titles: the API sends rows without `_titles`,
    and the browser reads each related record for its title (`useRelationTitle`); the same
    read here (titles.py), so the row shows the title rather than an id."""
    if item.field["type"] != "subform" or not item.value:
        return item
    subfields = item.field.get("fields") or []
    rows = []
    for row in subform.row_values(item.value):
        known = row.get("_titles") if isinstance(row.get("_titles"), dict) else {}
        found = await titles.of(subfields, row)
        rows.append({**row, "_titles": {**found, **known}})
    return dataclasses.replace(item, value=rows)


def _ids(shown: Sequence[Shown], types: set[str]) -> set[str]:
    """The ids the shown values of `types` hold, sub-form rows' cells included."""
    ids: set[str] = set()
    for item in shown:
        if item.field["type"] in types:
            ids.update(id_list(item.value))
        elif item.field["type"] == "subform":
            for row in subform.row_values(item.value):
                for sub in item.field.get("fields") or []:
                    if sub["type"] in types:
                        ids.update(id_list(row.get(sub["key"])))
    return ids


async def _names(conn: Any, tenant_id: uuid.UUID, shown: Sequence[Shown]) -> Names:
    return await read_names(conn, tenant_id, _ids(shown, MEMBER_TYPES),
                            _ids(shown, DEPARTMENT_TYPES))


def _render(texts: LocaleTemplates, item: Shown, draw: Draw) -> str:
    f = cell(item.field, item.value, draw, path=item.field["key"], required=item.required,
             disabled=item.disabled)
    if item.field["type"] == "subform":  # its rows' cells, drawn by their own templates
        subform.draw_rows(f, texts)
    return texts.field(item.field["type"]).render(f=f)

