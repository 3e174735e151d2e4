"""One field's template context `f` (docs/first-paint.md §1), per field type.

Each type's editor in the browser (frontend/src/fields/types/*) decides what its control shows
for a value; the function registered here for the type says the same thing on the server, one
small function per family (text, number, choice, member, ...) rather than a chain of type tests.
A type with no function here, or a value of a shape its editor would not expect, raises
`CannotDraw`: the page is then drawn by the browser alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engines.form import RecordContext
from engines.form.types.place_names import region_name
from tessera.firstpaint import formats
from tessera.firstpaint.names import Names
from tessera.firstpaint.templates import CannotDraw, LocaleTemplates

FieldDef = Mapping[str, Any]
#: what a type adds to the common part of `f`
Shown = Callable[[FieldDef, Any, "Draw"], dict[str, Any]]
LEVELS = ("province", "city", "district")


def localize(text: Any, locale: str) -> str:
    """A definition's text in `locale` (i18n/locale.ts `localize`): the language, its base,
    another tag of that base, English, Chinese, whatever there is."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if not isinstance(text, Mapping):
        raise CannotDraw(f"not a text: {text!r}")
    base = locale.split("-")[0]
    for key in (locale, base):
        if key in text:
            return str(text[key])
    for key, value in text.items():
        if key.startswith(base):
            return str(value)
    for key in ("en", "zh-CN"):
        if key in text:
            return str(text[key])
    return str(next(iter(text.values()), ""))


@dataclass
class Draw:
    """What a cell needs beyond its field and value: the language, names, related titles."""

    locale: str
    templates: LocaleTemplates
    names: Names = field(default_factory=Names)
    titles: Mapping[str, Any] = field(default_factory=dict)
    #: the forms of the caller's copy of the app (None: not known, nothing is checked)
    forms: frozenset[str] | None = None
    #: what a sub-form row's conditions read of the record (form.record_view), and their context
    around: Mapping[str, Any] = field(default_factory=dict)
    ctx: RecordContext | None = None

    def text(self, value: Any) -> str:
        return localize(value, self.locale)


_SHOWS: dict[str, Shown] = {}


def shows(*types: str) -> Callable[[Shown], Shown]:
    """Registers what the editors of `types` show for a value."""
    def register(function: Shown) -> Shown:
        for type_key in types:
            _SHOWS[type_key] = function
        return function
    return register


def drawable(type_key: str) -> bool:
    return type_key in _SHOWS


def is_empty(value: Any) -> bool:
    """registry.ts `emptyValue`."""
    return value is None or value == "" or (isinstance(value, list) and not value)


def id_list(value: Any) -> list[str]:
    """files.ts `idList`: one id or several, as a list; anything else is unexpected."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise CannotDraw(f"not ids: {value!r}")
    return items


def cell(fdef: FieldDef, value: Any, draw: Draw, *, path: str, required: bool,
         disabled: bool) -> dict[str, Any]:
    """`f` for one field: the common part (ids, label, state) and what its type shows.
    `path`: the field's name path joined by dots (`title`, `items.1.qty`)."""
    shown_of = _SHOWS.get(fdef["type"])
    if shown_of is None:
        raise CannotDraw(f"no first paint for the field type {fdef['type']!r}")
    f: dict[str, Any] = {
        "id": "fp-" + path.replace(".", "_"), "test_id": "field-" + path,
        "label": draw.text(fdef.get("label")), "help": draw.text(fdef.get("help")),
        "placeholder": draw.text(fdef.get("placeholder")),
        "required": required, "disabled": disabled, "empty": is_empty(value),
        "shown": [], "text": "", "checked": False, "stars": 0, "prefix": "", "suffix": "",
        "def": fdef, "rows": [], "files": [], "columns": [], "place": "form",
    }
    f.update(shown_of(fdef, value, draw))
    return f


@shows("text", "textarea", "phone", "email", "url", "idcard")
def _text(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    if value is not None and not isinstance(value, str):
        raise CannotDraw(f"not text: {value!r}")
    text = value or ""
    return {"text": text, "shown": [text] if text else []}


@shows("number", "money", "percent")
def _number(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    """types/number.tsx NumberInput: money defaults to 2 places and groups thousands; a
    percent is typed as a percent (0.15 shows 15) with two places fewer than the fraction."""
    kind = fdef["type"]
    places = fdef.get("precision") if isinstance(fdef.get("precision"), int) else None
    if kind == "money" and places is None:
        places = 2
    if kind == "percent":
        precision = None if places is None else max(0, places - 2)
        value = None if value is None else formats.fraction_to_percent(value)
    else:
        precision = places
    prefix = ""
    if kind == "money":
        currency = fdef.get("currency") if isinstance(fdef.get("currency"), str) else "CNY"
        if currency not in formats.NARROW_SYMBOLS:
            raise CannotDraw(f"the symbol of {currency!r} comes from Intl")
        prefix = formats.NARROW_SYMBOLS[currency]
    text = formats.number_text(value, precision, kind == "money")
    return {"shown": [text], "text": text, "prefix": prefix,
            "suffix": "%" if kind == "percent" else ""}


@shows("rating")
def _rating(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    if value is None:
        return {"stars": 0}
    number = formats.js_number(value)
    if number != int(number):
        raise CannotDraw("a rating between stars")
    return {"stars": int(number), "shown": [str(int(number))]}


@shows("checkbox")
def _checkbox(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    if value is not None and not isinstance(value, bool):
        raise CannotDraw(f"not a checkbox value: {value!r}")
    return {"checked": value is True}


def _labels(value: Any, labels: Callable[[str], str]) -> list[str]:
    """choice.tsx `labelsOf`: each value's label, or the value itself."""
    values = value if isinstance(value, list) else [] if value is None or value == "" else [value]
    if not all(isinstance(item, str) for item in values):
        raise CannotDraw(f"not option values: {value!r}")
    return [labels(item) for item in values]


@shows("select", "multiselect")
def _choice(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    options = {o["value"]: draw.text(o.get("label")) for o in fdef.get("options") or []}
    return {"shown": _labels(value, lambda item: options.get(item, item))}


@shows("member", "members")
def _member(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    return {"shown": _labels(value, draw.names.member)}


@shows("department", "departments")
def _department(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    return {"shown": [draw.names.department(item) for item in id_list(value)]}


@shows("relation")
def _relation(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    """types/relation.tsx: the related record's title (`_titles`), else its id; disabled when
    the caller's copy of the app has no target form to pick from."""
    unknown_target = draw.forms is not None and fdef.get("target") not in draw.forms
    locked: dict[str, Any] = {"disabled": True} if unknown_target else {}
    if value is None or value == "":
        return locked
    if not isinstance(value, str):
        raise CannotDraw(f"not one related id: {value!r}")
    title = draw.titles.get(fdef["key"])
    return {**locked, "shown": [title if isinstance(title, str) and title else value]}


def _temporal(text_of: Callable[[Any], str]) -> Shown:
    def shown(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
        return {} if is_empty(value) else {"shown": [text_of(value)]}
    return shown


shows("date")(_temporal(formats.date_input))
shows("datetime")(_temporal(formats.datetime_input))
shows("time")(_temporal(formats.time_input))


@shows("address")
def _address(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    """types/address.tsx: the cascader shows the chosen regions' names joined by " / " (in
    the page's language: engines' English place names), the detail line its text."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CannotDraw(f"not an address: {value!r}")
    chosen = [code for code in (value.get(level) for level in LEVELS)
              if isinstance(code, str) and code]
    try:
        names = [region_name(code, draw.locale) for code in chosen]
    except KeyError:
        raise CannotDraw(f"an unknown region in {value!r}") from None
    detail = value.get("detail") or ""
    if not isinstance(detail, str):
        raise CannotDraw(f"not an address detail: {detail!r}")
    return {"shown": [" / ".join(names)] if names else [], "text": detail}


@shows("attachment", "image")
def _files(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    """types/files.tsx: a kept file is named "File n" (the upload's own name is known only to
    the browser that just uploaded it) and links to its download."""
    ids = id_list(value)
    return {"files": [{"name": draw.templates.message("form.file", n=str(n)),
                       "url": f"/api/v1/files/{file_id}"} for n, file_id in enumerate(ids, 1)]}
