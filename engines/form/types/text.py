"""Text family: single-line ``text`` and multi-line ``textarea``.

``TextBase`` owns what every text-like type shares (string check, length limits, an optional
regex ``pattern``); the pattern-driven types (phone, email, ...) build on it too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

from sqlalchemy.types import Text as SAText

from engines.form.model import DefinitionError, RecordContext
from engines.form.types.base import CheckScope, Field, FieldType, Invalid

LENGTH_PROPS: dict[str, Any] = {
    "min_length": {"type": "integer", "minimum": 0},
    "max_length": {"type": "integer", "minimum": 1},
    "pattern": {"type": "string", "minLength": 1},
    "pattern_message": {"$ref": "#/$defs/locale_map"},
    "placeholder": {"$ref": "#/$defs/locale_map"},
}


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class TextBase(FieldType):
    """A string value in a TEXT column. Subclasses override ``clean`` (and maybe ``check``)."""

    unique_allowed = True
    unique_ci_allowed = True
    props: ClassVar[dict[str, Any]] = LENGTH_PROPS
    json_schema: ClassVar[dict[str, Any]] = {"type": "string"}

    def column_type(self, field: Field) -> SAText:
        return SAText()

    def clean(self, field: Field, text: str) -> str:
        """Turn a string into its normal form (raise ``Invalid`` if it cannot be one)."""
        return text.strip()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise Invalid("invalid_type", expected="text")
        if "\x00" in value:
            raise Invalid("invalid_text")
        text = self.clean(field, value)
        if text == "":
            return None
        self.check_length(field, text)
        pattern = field.get("pattern")
        if pattern and not compiled(pattern).fullmatch(text):
            raise Invalid("pattern_mismatch", pattern=pattern)
        return text

    def check_length(self, field: Field, text: str) -> None:
        lo, hi = field.get("min_length"), field.get("max_length")
        if lo is not None and len(text) < lo:
            raise Invalid("too_short", min=lo, length=len(text))
        if hi is not None and len(text) > hi:
            raise Invalid("too_long", max=hi, length=len(text))

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        errors = []
        lo, hi = field.get("min_length"), field.get("max_length")
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            errors.append(scope.error(f"{path}.min_length", "invalid_range",
                                      f"min_length {lo} is greater than max_length {hi}"))
        pattern = field.get("pattern")
        if isinstance(pattern, str):
            try:
                compiled(pattern)
            except re.error as exc:
                errors.append(scope.error(f"{path}.pattern", "invalid_pattern",
                                          f"invalid regular expression: {exc}"))
        return errors


class Text(TextBase):
    """One line of text; surrounding white space is trimmed, line breaks are refused."""

    type = "text"

    def clean(self, field: Field, text: str) -> str:
        text = text.strip()
        if "\n" in text or "\r" in text:
            raise Invalid("invalid_text")
        return text


class Textarea(TextBase):
    """Several lines; line ends become ``\\n``, trailing white space is trimmed."""

    type = "textarea"
    sortable = False
    unique_allowed = False
    unique_ci_allowed = False

    def clean(self, field: Field, text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()
