from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types
from engines.form.types.base import Invalid

CTX = RecordContext()
RICH = field_types.get("richtext")


def test_scripts_handlers_and_js_links_are_removed() -> None:
    dirty = ('<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a>'
             '<script>evil()</script><img src="x" onerror="boom()"></p>')
    clean = RICH.normalise({}, dirty, CTX)
    for bad in ("onclick", "javascript", "<script", "onerror", "evil"):
        assert bad not in clean
    assert clean.startswith("<p>Hi")


def test_formatting_survives() -> None:
    html = '<p><b>bold</b> <a href="https://example.com">link</a></p><ul><li>one</li></ul>'
    clean = RICH.normalise({}, html, CTX)
    assert "<b>bold</b>" in clean and 'href="https://example.com"' in clean
    assert "<li>one</li>" in clean


def test_empty_markup_is_empty_and_length_counts_text() -> None:
    assert RICH.normalise({}, "<p> </p><br>", CTX) is None
    with pytest.raises(Invalid, match="too_long"):
        RICH.normalise({"max_length": 3}, "<p><b>abcd</b></p>", CTX)
    assert RICH.normalise({"max_length": 3}, '<p><b class="x">abc</b></p>', CTX)


@given(st.text(alphabet=st.sampled_from(list("<>/ab=\"' pscriptonclick&;\n")), max_size=60))
def test_sanitising_is_idempotent(raw: str) -> None:
    once = RICH.normalise({}, raw, CTX)
    assert RICH.normalise({}, once, CTX) == once
