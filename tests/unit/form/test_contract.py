"""The contract every registered field type must pass (one test, parametrised over the registry)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from sqlalchemy.types import TypeEngine

from engines.form import (
    FieldType,
    RecordContext,
    check_form,
    field_schema,
    field_types,
    table_spec,
    to_json,
    validate_record,
    value_schema,
)
from tests.unit.form.examples import EXAMPLES, TARGET_FORM, example_field, example_form

CTX = RecordContext()


@pytest.mark.parametrize("type_key", field_types.types())
def test_field_type_contract(type_key: str) -> None:
    assert type_key in EXAMPLES, f"add an example for the new type {type_key!r} in examples.py"
    ft = field_types.get(type_key)
    assert isinstance(ft, FieldType) and ft.type == type_key
    field = example_field(type_key)
    form = example_form(field)
    forms = {"order": form, "customer": TARGET_FORM}

    # its properties are a valid JSON Schema, and the example definition passes check_form
    Draft202012Validator.check_schema(field_schema(type_key))
    assert check_form(form, path="forms[0]", forms=forms) == []

    # storage: one typed column, or none (not stored / child table)
    spec = table_spec(form)
    mine = [c for c in spec.columns if c.name == "f"]
    in_child = ft.in_child_table(field)
    if ft.stored and not in_child:
        [col] = mine
        assert isinstance(col.type, TypeEngine) and col.nullable
    else:
        assert mine == []
    assert any(t.key == "f" for t in spec.children) == in_child

    # a misspelt property is an error at its exact path
    bad = example_form({**field, "requried": True})
    errors = check_form(bad, path="forms[0]", forms=forms)
    assert [e.path for e in errors] == ["forms[0].fields[0].requried"]

    # unique only where the type allows it
    uniq = check_form(example_form({**field, "unique": True}), path="forms[0]", forms=forms)
    assert (uniq == []) == ft.unique_allowed

    _, sample = EXAMPLES[type_key]
    if ft.read_only:
        result = validate_record(form, {"f": sample}, context=CTX)
        assert [e.code for e in result.errors] == ["read_only"]
        return

    # normalise: empty stays empty, a sample is accepted, idempotent, survives to_json
    assert ft.is_empty(ft.normalise(field, None, CTX))
    once = ft.normalise(field, sample, CTX)
    assert not ft.is_empty(once)
    assert ft.normalise(field, once, CTX) == once
    as_json = ft.to_json(field, once)
    json.dumps(as_json)
    Draft202012Validator(value_schema(form)["properties"]["f"]).validate(as_json)
    assert ft.normalise(field, as_json, CTX) == once

    # end to end through validate_record and to_json
    result = validate_record(form, {"f": sample}, context=CTX)
    assert result.errors == []
    stored = result.values if not in_child else {"f": result.children["f"]}
    json.dumps(to_json(form, stored))

    # required: an empty value is refused with the stable code
    req = example_form({**field, "required": True})
    assert [e.code for e in validate_record(req, {}, context=CTX).errors] == ["required"]

    # odd JSON never raises: it is accepted or refused with errors under the field's path
    for odd in ({"x": 1}, [[1]], "\x00", -1, True):
        errs = validate_record(form, {"f": odd}, context=CTX).errors
        assert all(e.path.startswith("f") for e in errs)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=20) | st.sampled_from(["2026-11-24", "09:30", "A", "13812345678",
                                              "0b9c3f8e-6d1a-4c2e-9f3b-1a2b3c4d5e6f"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["qty", "note", "lng", "lat", "province", "x", "_id"]), inner,
        max_size=3),
    max_leaves=8,
)


@pytest.mark.parametrize("type_key", field_types.types())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=JSON)
def test_any_json_is_refused_cleanly_or_normalised_stably(type_key: str, raw: object) -> None:
    ft = field_types.get(type_key)
    field = example_field(type_key)
    form = example_form(field)
    result = validate_record(form, {"f": raw}, context=CTX)
    assert all(e.path.startswith("f") or e.path == "" for e in result.errors)
    if result.errors or ft.read_only:
        return
    once = ft.normalise(field, raw, CTX)
    assert ft.normalise(field, once, CTX) == once
    assert ft.normalise(field, json.loads(json.dumps(ft.to_json(field, once))), CTX) == once
