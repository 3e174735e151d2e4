"""The page around the fields (`page`, docs/first-paint.md §1) and its place in `index.html`
(§2): the shell's app name, user menu and navigation, the page header and actions as the
record pages draw them (records/NewRecordPage.tsx, EditRecordPage.tsx, shell/FormNav.tsx),
the tab's title as `useTitle` sets it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from tessera.firstpaint.cells import localize
from tessera.firstpaint.templates import CannotDraw, LocaleTemplates

ROOT = '<div id="root"></div>'
_TITLE = re.compile(r"<title>[^<]*</title>")
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_LANG = re.compile(r"""\slang=("[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")


def seg(text: str) -> str:
    """`encodeURIComponent`, as lib/paths.ts builds the app's paths."""
    return quote(text, safe="!'()*-._~")


def initial(name: str) -> str:
    """UserMenu's `initials`: a CJK name's last character, else the first letter, capital."""
    trimmed = name.strip()
    if not trimmed:
        return "?"
    return trimmed[-1] if _CJK.search(trimmed) else trimmed[0].upper()


def safe_next(target: str | None) -> str:
    """lib/paths.ts `safeNext`: only a same-site path (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") \
            or target.startswith("/login"):
        return "/"
    return target


def record_title(form: Mapping[str, Any], fields: Sequence[Mapping[str, Any]],
                 record: Mapping[str, Any]) -> str:
    """fields/context.ts `recordTitle`: the title field's value, else the record's id."""
    key = form.get("title_field") or next(
        (f["key"] for f in fields if f["type"] == "text"), None)
    value = record.get(key) if key else None
    if value is None or value == "":
        return str(record.get("_id") or "")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise CannotDraw(f"a title JavaScript would write its own way: {value!r}")
    return str(value)


@dataclass(frozen=True)
class Heading:
    """The page header and the tab's title of one form page."""

    title: str
    subtitle: str
    back_href: str
    tab_title: str


def heading(texts: LocaleTemplates, locale: str, app_def: Mapping[str, Any],
            form: Mapping[str, Any], fields: Sequence[Mapping[str, Any]],
            record: Mapping[str, Any] | None, back: str | None) -> Heading:
    form_name = localize(form.get("name"), locale)
    app_name = localize(app_def.get("name"), locale)
    app_key, form_key = seg(app_def["key"]), seg(form["key"])
    if record is None:
        title = texts.message("form.newTitle", form=form_name)
        return Heading(title=title, subtitle="",
                       back_href=safe_next(back) if back else f"/apps/{app_key}/forms/{form_key}",
                       tab_title=f"{title} · {app_name} · Tessera")
    edit = texts.message("form.editTitle", form=form_name)
    return Heading(title=record_title(form, fields, record), subtitle=edit,
                   back_href=f"/apps/{app_key}/forms/{form_key}/records/{seg(str(record['_id']))}",
                   tab_title=f"{edit} · {app_name} · Tessera")


def navigation(app_def: Mapping[str, Any], current: str, locale: str,
               manages: bool) -> list[dict[str, Any]]:
    """The side bar's forms as FormNav draws them on a full load: each form the caller has
    any permission on (their copy of the definition), the open one selected and, when the
    caller may `manage` it (`manages`: the resolver's actions for the caller on the open form,
    as `apps.service.form_actions` lists them for the browser), followed by its public links
    entry (`links`). Views come from a request the app makes after its first render, so the
    first paint has none."""
    app_key = seg(app_def["key"])
    return [{"key": form["key"], "label": localize(form.get("name"), locale),
             "href": f"/apps/{app_key}/forms/{seg(form['key'])}",
             "selected": form["key"] == current, "links": manages and form["key"] == current,
             "children": []}
            for form in app_def.get("forms") or []]


def page_context(texts: LocaleTemplates, locale: str, app_def: Mapping[str, Any],
                 form: Mapping[str, Any], head: Heading, user_name: str,
                 cells: Sequence[str], manages: bool) -> dict[str, Any]:
    """`page` (docs/first-paint.md §1); `manages`: the caller may manage the open form."""
    return {
        "app_name": localize(app_def.get("name"), locale),
        "app_href": f"/apps/{seg(app_def['key'])}",
        "user_name": user_name, "user_initial": initial(user_name),
        "nav": navigation(app_def, form["key"], locale, manages),
        "form_name": localize(form.get("name"), locale),
        "title": head.title, "subtitle": head.subtitle, "back_href": head.back_href,
        "fields": Markup("".join(cells)),
        "submit_label": texts.message("action.save"), "cancel": True,
    }


def _with_lang(tag: str, locale: str) -> str:
    """The `<html>` tag saying the page's language: the take-over compares it with the
    language the app picks (a first paint in another one: the server did not know the choice)."""
    lang = f' lang="{escape(locale)}"'
    if _LANG.search(tag):
        return _LANG.sub(lambda _: lang, tag, count=1)
    return tag[:5] + lang + tag[5:]


def fill_index(index_html: str, drawn: str, marker: str, tab_title: str, locale: str) -> str:
    """`index.html` with the drawn page before an invisible `#root`, the tab's title and the
    page's language."""
    if index_html.count(ROOT) != 1:
        raise CannotDraw("index.html has no single empty #root")
    if "<script" in drawn.lower():
        raise CannotDraw("a template drew a script")  # the CSP hashes index.html's only
    first_paint = (f'<div id="first-paint" data-first-paint="{escape(marker)}">{drawn}</div>'
                   '<div id="root" data-first-paint=""></div>')
    page = index_html.replace(ROOT, first_paint)
    page = _HTML_TAG.sub(lambda tag: _with_lang(tag.group(0), locale), page, count=1)
    return _TITLE.sub(lambda _: f"<title>{escape(tab_title)}</title>", page, count=1)
