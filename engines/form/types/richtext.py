"""``richtext``: HTML, sanitised on every write with ``nh3`` (the Ammonia sanitiser).

Only a safe list of formatting tags survives; scripts, event handlers and ``javascript:`` links
are removed. ``min_length``/``max_length`` count the visible text, not the markup.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

import nh3

from engines.form.model import RecordContext
from engines.form.types.base import Field
from engines.form.types.text import LENGTH_PROPS, TextBase

TAGS = {
    "p", "br", "hr", "div", "span", "b", "strong", "i", "em", "u", "s", "del", "sub", "sup",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "ul", "ol", "li",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "font",
}
ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"style", "class"},
}
TAG = re.compile(r"<[^>]*>")


def visible_text(markup: str) -> str:
    return html.unescape(TAG.sub("", markup)).strip()


class RichText(TextBase):
    type = "richtext"
    sortable = False
    unique_allowed = False
    unique_ci_allowed = False
    props: ClassVar[dict[str, Any]] = {
        k: v for k, v in LENGTH_PROPS.items() if k not in ("pattern", "pattern_message")
    }

    def clean(self, field: Field, text: str) -> str:
        cleaned = nh3.clean(
            text, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        ).strip()
        if not visible_text(cleaned) and "<img" not in cleaned:
            return ""
        return cleaned

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if isinstance(value, str) and "\x00" in value:
            value = value.replace("\x00", "")
        return super().normalise(field, value, ctx)

    def check_length(self, field: Field, text: str) -> None:
        super().check_length(field, visible_text(text))
