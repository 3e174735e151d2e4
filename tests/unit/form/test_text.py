from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types, validate_record
from engines.form.types.base import Invalid

CTX = RecordContext()
TEXT = field_types.get("text")
AREA = field_types.get("textarea")


def codes(form_fields: list[dict], data: dict) -> list[tuple[str, str]]:
    form = {"key": "f", "fields": form_fields}
    return [(e.path, e.code) for e in validate_record(form, data, context=CTX).errors]


def test_text_trims_and_empties_to_none() -> None:
    f = {"key": "name", "type": "text"}
    assert TEXT.normalise(f, "  Acme ", CTX) == "Acme"
    assert TEXT.normalise(f, "   ", CTX) is None


@pytest.mark.parametrize(
    ("props", "value", "code"),
    [
        ({"max_length": 3}, "abcd", "too_long"),
        ({"min_length": 2}, "a", "too_short"),
        ({"pattern": "[A-Z]{2}-\\d+"}, "ab-1", "pattern_mismatch"),
        ({}, 12, "invalid_type"),
        ({}, "a\x00b", "invalid_text"),
        ({}, "two\nlines", "invalid_text"),
    ],
)
def test_text_refusals(props: dict, value: object, code: str) -> None:
    assert codes([{"key": "t", "type": "text", **props}], {"t": value}) == [("t", code)]


def test_pattern_must_match_whole_value() -> None:
    f = {"key": "t", "type": "text", "pattern": "[A-Z]{2}"}
    with pytest.raises(Invalid):
        TEXT.normalise(f, "ABC", CTX)
    assert TEXT.normalise(f, "AB", CTX) == "AB"


def test_textarea_keeps_lines_and_unifies_line_ends() -> None:
    f = {"key": "n", "type": "textarea"}
    assert AREA.normalise(f, "a\r\nb\rc  \n", CTX) == "a\nb\nc"


@given(st.text())
def test_text_normalise_is_idempotent(raw: str) -> None:
    for ft, f in ((TEXT, {"key": "t", "type": "text"}), (AREA, {"key": "t", "type": "textarea"})):
        try:
            once = ft.normalise(f, raw, CTX)
        except Invalid:
            continue
        assert ft.normalise(f, once, CTX) == once
