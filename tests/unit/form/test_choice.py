from __future__ import annotations

import pytest
from sqlalchemy.dialects.postgresql import ARRAY

from engines.form import RecordContext, check_form, field_types, table_spec
from engines.form.types.base import Invalid
from tests.unit.form.examples import OPTIONS

CTX = RecordContext()
SELECT, MULTI, CHECK = (field_types.get(k) for k in ("select", "multiselect", "checkbox"))


def test_select_takes_option_values_only() -> None:
    f = {"key": "s", "options": OPTIONS}
    assert SELECT.normalise(f, "A", CTX) == "A"
    with pytest.raises(Invalid) as info:
        SELECT.normalise(f, "甲", CTX)
    assert info.value.code == "not_in_options" and info.value.params == {"value": "甲"}


def test_multiselect_dedups_in_option_order_and_bounds() -> None:
    f = {"key": "m", "options": OPTIONS, "max_items": 1}
    assert MULTI.normalise({"options": OPTIONS}, ["B", "A", "B"], CTX) == ["A", "B"]
    assert MULTI.normalise(f, [], CTX) is None
    with pytest.raises(Invalid, match="too_many_items"):
        MULTI.normalise(f, ["A", "B"], CTX)
    with pytest.raises(Invalid, match="invalid_type"):
        MULTI.normalise(f, "A", CTX)


def test_multiselect_is_a_text_array() -> None:
    form = {"key": "o", "fields": [{"key": "m", "type": "multiselect", "options": OPTIONS}]}
    assert isinstance(table_spec(form).column("m").type, ARRAY)


def test_duplicate_option_values_and_missing_options() -> None:
    form = {"key": "o", "fields": [
        {"key": "s", "type": "select", "options": [{"value": "A"}, {"value": "A"}]},
        {"key": "t", "type": "select"},
        {"key": "u", "type": "select", "options": [{"value": "A", "color": "not a colour!"}]},
    ]}
    errors = {(e.path, e.code) for e in check_form(form, path="forms[0]", forms={})}
    assert errors == {
        ("forms[0].fields[0].options[1].value", "duplicate_option"),
        ("forms[0].fields[1]", "missing_property"),
        ("forms[0].fields[2].options[0].color", "invalid"),
    }


def test_checkbox_is_strict_and_required_means_ticked() -> None:
    assert CHECK.normalise({}, False, CTX) is False
    with pytest.raises(Invalid, match="invalid_boolean"):
        CHECK.normalise({}, "yes", CTX)
    assert CHECK.is_empty(False) and not CHECK.is_empty(True)
