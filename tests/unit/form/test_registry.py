from __future__ import annotations

import pytest

from engines.form import AlreadyRegistered, FieldType, Registry, UnknownType, field_types


class Thing(FieldType):
    type = "thing"


def test_register_get_types() -> None:
    reg: Registry[FieldType] = Registry("field")
    thing = reg.register(Thing())
    assert reg.get("thing") is thing
    assert reg.types() == ["thing"]
    assert reg.has("thing") and not reg.has("other") and not reg.has(None)


def test_unknown_type_names_the_key_and_the_known_ones() -> None:
    with pytest.raises(UnknownType) as info:
        field_types.get("nubmer")
    assert "'nubmer'" in str(info.value)
    assert "number" in info.value.known


def test_duplicate_registration_is_refused() -> None:
    reg: Registry[FieldType] = Registry("field")
    reg.register(Thing())
    with pytest.raises(AlreadyRegistered, match="'thing'"):
        reg.register(Thing())


def test_a_type_without_key_is_refused() -> None:
    with pytest.raises(TypeError):
        Registry("field").register(FieldType())


def test_unregister() -> None:
    reg: Registry[FieldType] = Registry("field")
    reg.register(Thing())
    reg.unregister("thing")
    assert reg.types() == []
    with pytest.raises(UnknownType):
        reg.unregister("thing")


def test_builtin_catalogue_is_registered() -> None:
    basic = {"text", "textarea", "number", "money", "percent", "date", "datetime", "select",
             "multiselect", "checkbox"}
    assert basic <= set(field_types.types())
