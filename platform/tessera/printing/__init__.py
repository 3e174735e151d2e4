"""Printing a record: a sandboxed Jinja2 template per form, rendered to HTML and to PDF.

Templates live in the app definition. The form engine's schema does not allow extra keys on a
form, so they are stored under the app's free-form settings:
`settings.print_templates: {<form key>: [{key, name, template}]}` (a form's own
`print_templates` key is read too, should the form schema accept it later).

A template sees display values, not raw ones (`record.amount` is "¥1,234.50", `record.stage`
the option's label, an address printed in English "Zhejiang / Hangzhou / Xihu District, 1 Main
St" as the browser shows it), built only from the fields the caller may see: a hidden field is
not in the context at all, so no template can print it. The default template is generated from the
form: a label/value table, sub-forms as tables, CJK-friendly CSS.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import html
import uuid
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engines.form import field_types
from tessera.db import tables as t
from tessera.imports.places import format_address, region_language
from tessera.printing.sandbox import TemplateProblem, render_here, render_isolated

__all__ = ["TemplateProblem", "build_context", "default_template", "find_template",
           "render", "templates_of", "wrap_document"]

CURRENCY = {"CNY": "¥", "USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£", "HKD": "HK$"}
WORDS = {"zh-CN": {"yes": "是", "no": "否", "printed": "打印时间", "by": "打印人"},
         "en": {"yes": "Yes", "no": "No", "printed": "Printed", "by": "by"}}
CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
       font-size: 10.5pt; color: #1f2329; line-height: 1.5; margin: 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 12px; letter-spacing: 0.05em; }
table { width: 100%; border-collapse: collapse; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #c9cdd4; padding: 5px 8px; vertical-align: top;
         word-break: break-word; }
table.record > tbody > tr > th { width: 22%; background: #f2f3f5; text-align: left;
                                 font-weight: 600; white-space: nowrap; }
table.rows th { background: #f7f8fa; font-weight: 600; text-align: left; }
td.sub { padding: 0; } td.sub table { border: none; }
img.picture { max-width: 180px; max-height: 180px; margin: 2px 4px 2px 0; }
img.signature { max-height: 60px; }
.footer { margin-top: 10px; font-size: 8.5pt; color: #86909c; text-align: right; }
"""
PRIVATE_OUT = frozenset({"tenant_id", "_deleted_at"})


def _text(value: Any, locale: str) -> str:
    if isinstance(value, dict):
        return str(value.get(locale) or value.get("zh-CN") or value.get("en")
                   or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def templates_of(definition: dict[str, Any], form: dict[str, Any]) -> list[dict[str, Any]]:
    own = list(form.get("print_templates") or [])
    settings = (definition.get("settings") or {}).get("print_templates") or {}
    return own + list(settings.get(form["key"]) or [])


def find_template(definition: dict[str, Any], form: dict[str, Any], key: str | None
                  ) -> dict[str, Any] | None:
    """None means the generated default."""
    if not key or key == "default":
        return None
    for item in templates_of(definition, form):
        if item.get("key") == key:
            return item
    from tessera.api.errors import NotFound

    raise NotFound(f"The form has no print template {key!r}.", code="unknown_template",
                   params={"template": key})


def _number(value: Any, places: int | None = None) -> str:
    d = decimal.Decimal(str(value))
    if places is not None:
        return f"{d:,.{places}f}"
    text = f"{d:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Lookups:
    """Names of members, departments and related records, and image data, read in a few
    queries for the whole record."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {}
        self.departments: dict[str, str] = {}
        self.records: dict[str, str] = {}
        self.images: dict[str, dict[str, str]] = {}
        self.files: dict[str, str] = {}


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("target") or item.get("_id")
        if item:
            out.append(str(item))
    return out


def display(field: dict[str, Any], value: Any, locale: str, tz: ZoneInfo,
            names: Lookups) -> Any:
    """A field's value as it reads on paper."""
    kind = field.get("type")
    if value is None or value == [] or value == "":
        return [] if kind in ("image", "signature") else ""
    words = WORDS.get(locale, WORDS["en"])
    if kind in ("select", "multiselect"):
        labels = {o["value"]: _text(o.get("label"), locale) or o["value"]
                  for o in field.get("options", [])}
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.get(v, str(v)) for v in values)
    if kind == "checkbox":
        return words["yes"] if value else words["no"]
    if kind == "money":
        symbol = CURRENCY.get(field.get("currency", "CNY"), "")
        return symbol + _number(value, int(field.get("precision", 2)))
    if kind == "percent":
        return _number(decimal.Decimal(str(value)) * 100) + "%"
    if kind == "number":
        return _number(value, field.get("precision"))
    if kind == "rating":
        return "★" * int(value) + "☆" * max(0, int(field.get("max", 5)) - int(value))
    if kind == "datetime":
        try:
            moment = dt.datetime.fromisoformat(str(value)).astimezone(tz)
            return moment.strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return str(value)
    if kind in ("member", "members"):
        return "、".join(names.users.get(i, i) for i in _ids(value))
    if kind in ("department", "departments"):
        return "、".join(names.departments.get(i, i) for i in _ids(value))
    if kind == "relation":
        return "、".join(names.records.get(i, i) for i in _ids(value))
    if kind in ("image", "signature"):
        return [names.images[i] for i in _ids(value) if i in names.images]
    if kind == "attachment":
        return "、".join(names.files.get(i, i) for i in _ids(value))
    if kind == "address":
        if not isinstance(value, dict):
            return str(value)
        if region_language(locale) == "en":  # the regions' English names, as the browser shows
            return format_address(value, "en") or ""
        return value.get("text") or " ".join(str(v) for v in value.values() if v)
    if kind == "location":
        return (value.get("address") or value.get("text") or
                f"{value.get('lat')}, {value.get('lng')}") if isinstance(value, dict) \
            else str(value)
    if kind == "richtext":
        from markupsafe import Markup

        return Markup(str(value))  # sanitised (nh3) when it was saved
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _visible_fields(form: dict[str, Any], hidden: Iterable[str]) -> list[dict[str, Any]]:
    hidden = set(hidden)
    return [f for f in form.get("fields", []) if f["key"] not in hidden]


async def load_lookups(conn: Any, tenant_id: uuid.UUID, tables: Any, definition: dict,
                       form: dict[str, Any], record: dict[str, Any], storage: Any,
                       can_view: Any) -> Lookups:
    """Everything display() needs besides the record, for its visible fields and sub-forms.
    `can_view(form_key)` -> the caller's FormAccess on a related form: titles of related
    records are read only where the caller may see them (ids are printed otherwise)."""
    names = Lookups()
    wanted: dict[str, set[str]] = {"user": set(), "department": set(), "file": set()}
    related: dict[str, set[str]] = {}

    def collect(fields: list[dict[str, Any]], values: dict[str, Any]) -> None:
        for f in fields:
            ft = field_types.get(f["type"]) if field_types.has(f.get("type")) else None
            value = values.get(f["key"])
            if f.get("type") == "subform":
                for row in value or []:
                    collect(f.get("fields", []), row)
            elif f.get("type") == "relation" and f.get("target"):
                related.setdefault(f["target"], set()).update(_ids(value))
            elif ft is not None and getattr(ft, "kind", None) in wanted:
                wanted[ft.kind].update(_ids(value))

    collect(form.get("fields", []), record)
    if wanted["user"]:
        names.users = {str(i): n for i, n in (await conn.execute(select(
            t.users.c.id, t.users.c.name).where(t.users.c.tenant_id == tenant_id,
                                                t.users.c.id.in_(wanted["user"])))).all()}
    if wanted["department"]:
        names.departments = {str(i): n for i, n in (await conn.execute(select(
            t.departments.c.id, t.departments.c.name).where(
            t.departments.c.tenant_id == tenant_id,
            t.departments.c.id.in_(wanted["department"])))).all()}
    forms = {f["key"]: f for f in definition.get("forms", [])}
    for target, ids in related.items():
        if not ids or target not in tables.forms:
            continue
        access = await can_view(target)
        title = (forms.get(target) or {}).get("title_field")
        table = tables.forms[target].table
        if (access is None or not access.can("view") or not title or title not in table.c
                or title in access.hidden):
            continue  # the ids are printed: the caller may not read those titles
        names.records.update({str(i): str(v) for i, v in (await conn.execute(select(
            table.c._id, table.c[title]).where(
            table.c.tenant_id == tenant_id, table.c._deleted_at.is_(None),
            table.c._id.in_(ids), access.row_condition(table, "view")))).all()})
    if wanted["file"]:
        rows = (await conn.execute(select(t.files).where(
            t.files.c.tenant_id == tenant_id, t.files.c.id.in_(wanted["file"])))
        ).mappings().all()
        for row in rows:
            names.files[str(row["id"])] = row["name"]
            if (row["metadata"] or {}).get("image") and storage is not None:
                names.images[str(row["id"])] = {"name": row["name"],
                                                "src": await _image_src(storage, row)}
    return names


async def _image_src(storage: Any, row: Any) -> str:
    import asyncio

    from tessera.files import thumbnail

    def make() -> bytes:
        with storage.open(row["storage_key"]) as stream:
            return thumbnail(stream, 512)

    try:
        data = await asyncio.to_thread(make)
    except OSError:
        return ""
    return "data:image/webp;base64," + base64.b64encode(data).decode()


def build_context(app: dict[str, Any], form: dict[str, Any], record: dict[str, Any],
                  hidden: Iterable[str], names: Lookups, *, locale: str, timezone: str,
                  printed_by: str) -> dict[str, Any]:
    """What a template sees: only visible fields, as display values (JSON-serialisable)."""
    tz = ZoneInfo(timezone)
    fields = []
    values: dict[str, Any] = {}
    for f in _visible_fields(form, hidden):
        entry: dict[str, Any] = {"key": f["key"], "type": f["type"],
                                 "label": _text(f.get("label"), locale) or f["key"]}
        if f["type"] == "subform":
            columns = [{"key": c["key"], "label": _text(c.get("label"), locale) or c["key"]}
                       for c in f.get("fields", [])]
            rows = [{c["key"]: display(c, row.get(c["key"]), locale, tz, names)
                     for c in f.get("fields", [])} for row in record.get(f["key"]) or []]
            entry.update(columns=columns, rows=rows, value=rows)
        else:
            entry["value"] = display(f, record.get(f["key"]), locale, tz, names)
        values[f["key"]] = entry["value"]
        fields.append(entry)
    system = {k: v for k, v in record.items() if k.startswith("_") and k not in PRIVATE_OUT}
    now = dt.datetime.now(tz).strftime("%Y-%m-%d %H:%M")
    return {"app": {"key": app["key"], "name": _text(app.get("name"), locale)},
            "form": {"key": form["key"], "name": _text(form.get("name"), locale) or form["key"]},
            "record": values, "fields": fields, "system": system,
            "printed_at": now, "printed_by": printed_by,
            "words": WORDS.get(locale, WORDS["en"])}


def _ref(name: str, key: str) -> str:
    """`record.amount`, or `record['items']` where a key is also a dict method's name."""
    return f"{name}[{key!r}]" if hasattr(dict, key) else f"{name}.{key}"


def default_template(form: dict[str, Any], hidden: Iterable[str], locale: str = "zh-CN") -> str:
    """A label/value table of every visible field (sub-forms as tables), naming each field,
    so a designer can start from it."""
    lines = ['<h1>{{ form.name }}</h1>', '<table class="record"><tbody>']
    for f in _visible_fields(form, hidden):
        label = html.escape(_text(f.get("label"), locale) or f["key"])
        key = f["key"]
        if f["type"] == "subform":
            heads = "".join(f"<th>{html.escape(_text(c.get('label'), locale) or c['key'])}</th>"
                            for c in f.get("fields", []))
            cells = "".join(f"<td>{{{{ {_ref('row', c['key'])} }}}}</td>"
                            for c in f.get("fields", []))
            lines += [f'<tr><th>{label}</th><td class="sub">',
                      f'<table class="rows"><thead><tr>{heads}</tr></thead><tbody>',
                      f'{{% for row in {_ref("record", key)} %}}<tr>{cells}</tr>{{% endfor %}}',
                      '</tbody></table></td></tr>']
        elif f["type"] in ("image", "signature"):
            css = "signature" if f["type"] == "signature" else "picture"
            lines.append(f'<tr><th>{label}</th><td>{{% for img in {_ref("record", key)} %}}'
                         f'<img class="{css}" src="{{{{ img.src }}}}" alt="{{{{ img.name }}}}">'
                         '{% endfor %}</td></tr>')
        else:
            lines.append(f"<tr><th>{label}</th><td>{{{{ {_ref('record', key)} }}}}</td></tr>")
    lines += ['</tbody></table>',
              '<div class="footer">{{ words.printed }} {{ printed_at }} · {{ words.by }} '
              '{{ printed_by }}</div>']
    return "\n".join(lines)


CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
       "base-uri 'none'; form-action 'none'")


def wrap_document(body: str, title: str, locale: str) -> str:
    """Every template's output goes inside our document, whose CSP (first thing in <head>)
    forbids scripts and any network fetch — for the browser and for the PDF renderer."""
    return (f'<!doctype html><html lang="{html.escape(locale)}"><head>'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>")


async def render(template: dict[str, Any] | None, form: dict[str, Any], hidden: Iterable[str],
                 context: dict[str, Any], locale: str) -> str:
    """HTML of the record: the default template in-process, a user template in the limited
    child process."""
    if template is None:
        body = render_here(default_template(form, hidden, locale), context)
    else:
        body = await render_isolated(str(template.get("template") or ""), context)
    title = f"{context['form']['name']}"
    return wrap_document(body, title, locale)
