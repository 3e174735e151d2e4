"""A public fill link's page (`/f/<token>`, docs/first-paint.md §2) drawn on the server: what
strangers open from a link or a QR code on a phone, always a full load. The form is the one
`GET /public/{token}` gives the browser, through the same code path (`find`, the link's owner as
`owner_principal`, the owner's copy of the form without what the public may not fill:
`withheld`, `public_form`), with a new record's defaults and visibility rules; the page around it
is PublicFormPage's (`page.public`).

Only a link the browser would show at once is drawn: enabled, not expired, no password (the
app asks for it first). Its expiry ("open until") is written in the business time zone, as
datetime fields are (the app writes it in the browser's own zone once it takes over). Anything
else is `index.html`, as before.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from markupsafe import Markup

from tessera.api.deps import transaction
from tessera.firstpaint.cells import localize
from tessera.firstpaint.form import new_values
from tessera.firstpaint.formats import datetime_label
from tessera.firstpaint.page import fill_index
from tessera.firstpaint.service import FirstPaint, Values, field_cells
from tessera.firstpaint.templates import CannotDraw, LocaleTemplates
from tessera.firstpaint.titles import prefilled_titles
from tessera.publiclinks import find, owner_principal, public_form, withheld
from tessera.records import service as records


async def public_page(paint: FirstPaint, request: Request, token: str) -> str | None:
    """`index.html` with the link's form drawn, or None to send it as it is."""
    async def draw(texts: LocaleTemplates, locale: str) -> str:
        return await _draw(paint, request, token, texts, locale)
    return await paint.attempt(request, draw)


async def _draw(paint: FirstPaint, request: Request, token: str, texts: LocaleTemplates,
                locale: str) -> str:
    page_template = texts.page("public")  # before any query: a build without one draws none
    facts = request.app.state.access_facts
    async with transaction(request) as conn:
        row = await find(conn, token)  # unknown, turned off, expired: the API's errors
        if row["password_hash"] is not None:
            raise CannotDraw("the link asks for a password first")
        owner = await owner_principal(conn, row)
        published, tables = await request.app.state.app_cache.get(
            conn, owner.tenant_id, owner.tenant_key, row["app_key"])
        ctx = await records.open_form(conn, owner, published, tables, row["form_key"], facts,
                                      locale=locale)
        form = public_form(ctx.form, withheld(ctx.form, ctx.access))
        # the app the browser's public page builds around the one form (PublicFormPage appOf)
        app_def: dict[str, Any] = {"key": published.key,
                                   "name": published.definition.get("name"), "forms": [form]}
        fields = form["fields"]
        values = new_values(fields, {}, frozenset(), ctx.record_context())
        titles = await prefilled_titles(ctx, facts, app_def, fields, values)
        cells = await field_cells(ctx, facts, app_def, texts, Values(fields, values, None, titles))
    form_name = localize(form.get("name"), locale)
    app_name = localize(app_def["name"], locale)
    expires = row["expires_at"]
    open_until = "" if expires is None else texts.message(
        "public.openUntil", when=datetime_label(expires.isoformat(), locale))
    page = page_template.render(page=public_context(
        texts, app_name, form_name, localize(form.get("description"), locale), open_until, cells))
    return fill_index(paint.index_html(), page, f"{published.key}/{form['key']}",
                      f"{form_name} · {app_name} · Tessera", locale)


def public_context(texts: LocaleTemplates, app_name: str, form_name: str, description: str,
                   open_until: str, cells: list[str]) -> dict[str, Any]:
    """`page` for `page.public` (docs/first-paint.md §1): PublicFormPage's bar (the app's
    name), card (the form's name, description and the link's "open until", `""` for none) and
    RecordForm's Submit."""
    return {"app_name": app_name, "form_name": form_name, "description": description,
            "open_until": open_until, "fields": Markup("".join(cells)),
            "submit_label": texts.message("action.submit")}
