"""One minimal field definition and one valid input per registered type.

The contract test fails for a registered type missing here: adding a type means adding its
example (and the type's own test file).
"""

from __future__ import annotations

from typing import Any

OPTIONS = [
    {"value": "A", "label": {"zh-CN": "甲", "en": "A"}, "color": "#ff0000"},
    {"value": "B", "label": {"zh-CN": "乙", "en": "B"}},
]

# type -> (extra properties of the field, a valid JSON input)
EXAMPLES: dict[str, tuple[dict[str, Any], Any]] = {
    "text": ({}, "Acme Ltd"),
    "textarea": ({}, "line one\nline two"),
    "number": ({}, 12.5),
    "money": ({"currency": "CNY"}, "1234.56"),
    "percent": ({}, 0.15),
    "rating": ({"max": 5}, 4),
    "date": ({}, "2026-11-24"),
    "datetime": ({}, "2026-11-24T09:30:00+08:00"),
    "time": ({}, "09:30"),
    "select": ({"options": OPTIONS}, "A"),
    "multiselect": ({"options": OPTIONS}, ["B", "A"]),
    "checkbox": ({}, True),
}

# a second form relations, lookups and rollups may point at
TARGET_FORM: dict[str, Any] = {
    "key": "customer",
    "name": {"zh-CN": "客户", "en": "Customer"},
    "fields": [
        {"key": "name", "type": "text"},
        {"key": "amount", "type": "number"},
    ],
}


def example_field(type_key: str, key: str = "f") -> dict[str, Any]:
    extra, _ = EXAMPLES[type_key]
    return {"key": key, "type": type_key, "label": {"zh-CN": "字段", "en": "Field"}, **extra}


def example_form(*fields: dict[str, Any], key: str = "order") -> dict[str, Any]:
    return {"key": key, "name": {"zh-CN": "订单", "en": "Order"}, "fields": list(fields)}
