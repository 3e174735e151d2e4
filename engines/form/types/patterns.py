"""Pattern-driven text types: ``phone``, ``email``, ``url``, ``idcard``.

One small abstract middle (``PatternText``): each type gives the error code and a ``canonical``
method that returns the value's normal form or ``None`` when it is not one. Length limits and
an extra ``pattern`` still apply, from ``TextBase``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from engines.form.types.base import Field, Invalid
from engines.form.types.text import LENGTH_PROPS, TextBase


class PatternText(TextBase):
    invalid_code: ClassVar[str] = ""

    def canonical(self, field: Field, text: str) -> str | None:
        raise NotImplementedError

    def clean(self, field: Field, text: str) -> str:
        text = text.strip()
        if not text:
            return ""
        normal = self.canonical(field, text)
        if normal is None:
            raise Invalid(self.invalid_code)
        return normal


PHONE_KINDS = ("mobile", "landline", "international")
MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# area codes: 010 and 02x have three digits, every other one four
LANDLINE = re.compile(r"(?:\+?86-?)?(0(?:10|2\d|[3-9]\d{2}))-?(\d{7,8})(?:-(\d{1,6}))?")
INTERNATIONAL = re.compile(r"\+([1-9]\d{6,14})")


class Phone(PatternText):
    """Chinese mobile (``13812345678``), landline (``010-12345678[-123]``) or ``+<digits>``.

    ``kinds`` limits which of mobile / landline / international are accepted (default all).
    """

    type = "phone"
    invalid_code = "invalid_phone"
    unique_ci_allowed = False
    props: ClassVar[dict[str, Any]] = {
        **LENGTH_PROPS,
        "kinds": {"type": "array", "minItems": 1, "uniqueItems": True,
                  "items": {"enum": list(PHONE_KINDS)}},
    }

    def canonical(self, field: Field, text: str) -> str | None:
        kinds = field.get("kinds") or PHONE_KINDS
        compact = re.sub(r"[\s()]", "", text)
        digits = compact.replace("-", "")
        if "mobile" in kinds and (m := MOBILE.fullmatch(digits)):
            return m.group(1)
        if "landline" in kinds and (m := LANDLINE.fullmatch(compact)):
            area, number, ext = m.groups()
            return f"{area}-{number}" + (f"-{ext}" if ext else "")
        if "international" in kinds and (m := INTERNATIONAL.fullmatch(digits)):
            return f"+{m.group(1)}"
        return None


EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)


class Email(PatternText):
    """An address ``local@domain``; the domain is lower-cased (the local part is kept)."""

    type = "email"
    invalid_code = "invalid_email"

    def canonical(self, field: Field, text: str) -> str | None:
        if len(text) > 254 or not EMAIL.fullmatch(text):
            return None
        local, _, domain = text.rpartition("@")
        if local.startswith(".") or local.endswith(".") or ".." in local:
            return None
        return f"{local}@{domain.lower()}"


class Url(PatternText):
    """An absolute http(s) URL; scheme and host are lower-cased."""

    type = "url"
    invalid_code = "invalid_url"
    unique_ci_allowed = False

    def canonical(self, field: Field, text: str) -> str | None:
        if any(c.isspace() for c in text) or len(text) > 2048:
            return None
        try:
            parts = urlsplit(text)
            host = parts.hostname
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        if not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+|[^\x00-\x7f.]+(\.[^\x00-\x7f.]+)*", host):
            return None
        netloc = parts.netloc.rpartition("@")
        lowered = netloc[0] + netloc[1] + netloc[2].lower()
        return urlunsplit((parts.scheme.lower(), lowered, parts.path, parts.query, parts.fragment))


IDCARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
IDCARD_CHECK = "10X98765432"


def idcard_check_char(first17: str) -> str:
    return IDCARD_CHECK[sum(int(d) * w for d, w in zip(first17, IDCARD_WEIGHTS, strict=True)) % 11]


class IdCard(PatternText):
    """A mainland resident ID number: 18 characters, a real birth date, a valid check digit."""

    type = "idcard"
    invalid_code = "invalid_idcard"
    unique_ci_allowed = False

    def canonical(self, field: Field, text: str) -> str | None:
        text = text.replace(" ", "").upper()
        if not re.fullmatch(r"[1-9]\d{16}[\dX]", text):
            return None
        try:
            born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
        except ValueError:
            return None
        if born.year < 1900:
            return None
        return text if idcard_check_char(text[:17]) == text[17] else None
