from __future__ import annotations

import json
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engines.form import (
    RecordContext,
    check_form,
    field_types,
    form_schema,
    table_spec,
    validate_record,
)
from engines.form.model import ColumnSpec


def paths(form: dict, forms: dict | None = None) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in check_form(form, path="forms[1]", forms=forms or {})]


def test_unknown_type_is_named_at_its_path() -> None:
    form = {"key": "c", "fields": [{"key": "a", "type": "text"}, {"key": "b", "type": "nubmer"}]}
    [err] = check_form(form, path="forms[1]", forms={})
    assert err.path == "forms[1].fields[1].type" and err.code == "unknown_type"
    assert str(err) == "forms[1].fields[1].type: unknown type 'nubmer'"


def test_keys_are_identifiers_and_unique() -> None:
    form = {"key": "Bad-Key", "fields": [
        {"key": "a", "type": "text"}, {"key": "a", "type": "text"}, {"key": "9x", "type": "text"},
    ]}
    assert set(paths(form)) == {
        ("forms[1].key", "invalid_key"),
        ("forms[1].fields[1].key", "duplicate_key"),
        ("forms[1].fields[2].key", "invalid_key"),
    }


def test_labels_are_locale_maps() -> None:
    form = {"key": "c", "name": "Customer", "fields": [
        {"key": "a", "type": "text", "label": {"zh-CN": "名称", "en": "Name"},
         "help": {"EN!": "x"}},
    ]}
    assert set(paths(form)) == {("forms[1].name", "invalid"),
                                ("forms[1].fields[0].help", "invalid")}


def test_property_rules() -> None:
    form = {"key": "c", "title_field": "nope", "fields": [
        {"key": "a", "type": "text", "min_length": 5, "max_length": 2},
        {"key": "b", "type": "text", "pattern": "("},
        {"key": "c", "type": "checkbox", "unique": True},
        {"key": "d", "type": "number", "unique_ci": True, "unique": True},
        {"key": "e", "type": "number", "default": "ten"},
        {"key": "f", "type": "text", "unique": True, "unique_ci": True, "default": "x"},
    ]}
    assert set(paths(form)) == {
        ("forms[1].title_field", "unknown_field"),
        ("forms[1].fields[0].min_length", "invalid_range"),
        ("forms[1].fields[1].pattern", "invalid_pattern"),
        ("forms[1].fields[2].unique", "unique_not_supported"),
        ("forms[1].fields[3].unique_ci", "unique_ci_not_supported"),
        ("forms[1].fields[4].default", "invalid_default"),
    }


def test_table_spec_columns_and_unique_flags() -> None:
    form = {"key": "customer", "fields": [
        {"key": "name", "type": "text", "unique": True, "unique_ci": True},
        {"key": "code", "type": "text", "unique": True},
        {"key": "tag", "type": "text", "index": True},
    ]}
    spec = table_spec(form)
    assert spec.key == "customer" and spec.children == []
    name, code, tag = spec.columns
    assert (name.unique, name.unique_ci) == (False, True)
    assert (code.unique, code.unique_ci) == (True, False)
    assert tag.index and isinstance(tag, ColumnSpec)


def test_shipped_schema_is_valid_and_form_schema_lists_the_registry() -> None:
    text = resources.files("engines.form").joinpath("schema/form.schema.json").read_text()
    Draft202012Validator.check_schema(json.loads(text))
    schema = form_schema()
    Draft202012Validator.check_schema(schema)
    assert "number" in schema["$defs"]["field"]["properties"]["type"]["enum"]
    ok = {"key": "c", "fields": [{"key": "n", "type": "number", "min": 0}]}
    assert list(Draft202012Validator(schema).iter_errors(ok)) == []


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 70) | st.text(max_size=8)
    | st.sampled_from(["text", "number", "subform", "relation", "lookup", "rollup", "formula",
                       "serial", "select", "customer", "a", "b", "sum", "{seq}", "a + 1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["key", "type", "fields", "options", "value", "target", "relation",
                         "field", "agg", "formula", "pattern", "default", "min", "max",
                         "via", "form", "visible_when", "var"]), inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.lists(
    st.fixed_dictionaries({"key": st.sampled_from(["a", "b", "c"]),
                           "type": st.sampled_from(sorted(field_types.types()))},
                          optional={p: VALUES for p in ("options", "target", "relation",
                                                       "field", "agg", "formula", "pattern",
                                                       "default", "fields", "via", "min",
                                                       "visible_when")}),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(fields=FIELDS, title=st.none() | st.sampled_from(["a", "zz"]))
def test_any_definition_is_answered_with_errors_never_an_exception(fields, title) -> None:  # type: ignore[no-untyped-def]
    form = {"key": "customer", "fields": fields}
    if title:
        form["title_field"] = title
    errors = check_form(form, path="forms[0]", forms={"customer": form})
    assert all(e.path.startswith("forms[0]") for e in errors)
    if not errors:  # a form that passes can be turned into tables and validated against
        table_spec(form)
        validate_record(form, {}, context=RecordContext())
