"""One minimal field definition and one valid input per registered type.

The contract test fails for a registered type missing here: adding a type means adding its
example (and the type's own test file).
"""

from __future__ import annotations

from typing import Any

ID1 = "0b9c3f8e-6d1a-4c2e-9f3b-1a2b3c4d5e6f"
ID2 = "5f0e1d2c-3b4a-4987-8a6b-5c4d3e2f1a0b"

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
    "richtext": ({"max_length": 100}, "<p>Hello <b>world</b></p>"),
    "phone": ({}, "+86 138 1234 5678"),
    "email": ({}, "Sales@Example.COM"),
    "url": ({}, "https://example.com/a?b=1"),
    "idcard": ({}, "11010519491231002x"),
    "address": ({}, {"province": "44", "city": "4403", "district": "440305",
                     "detail": "科技园"}),
    "location": ({}, {"lng": 113.93, "lat": 22.53, "address": "深圳湾"}),
    "member": ({"default_current": True}, ID1),
    "members": ({"max_items": 5}, [ID1, ID2]),
    "department": ({}, ID1),
    "departments": ({}, [ID2]),
    "attachment": ({"max_files": 3, "accept": [".pdf"]}, [ID1]),
    "image": ({}, [ID1, ID2]),
    "signature": ({}, ID2),
    "subform": ({"fields": [{"key": "qty", "type": "number", "required": True},
                            {"key": "note", "type": "text"}], "min_rows": 1},
                [{"qty": 2, "note": "x"}]),
    "relation": ({"target": "customer"}, ID1),
    "lookup": ({"relation": "rel", "field": "name"}, "Acme"),
    "rollup": ({"relation": "rels", "field": "amount", "agg": "sum"}, 1),
    "formula": ({"formula": {"+": [1, 2]}, "result_type": "number"}, 3),
    "serial": ({"pattern": "HT-{YYYY}{MM}-{seq:4}", "reset": "monthly"}, "HT-1"),
}

# fields an example needs beside it (a lookup needs a relation to look through)
SIBLINGS: dict[str, list[dict[str, Any]]] = {
    "lookup": [{"key": "rel", "type": "relation", "target": "customer"}],
    "rollup": [{"key": "rels", "type": "relation", "target": "customer", "multiple": True}],
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
    siblings = [s for f in fields for s in SIBLINGS.get(f["type"], [])]
    return {"key": key, "name": {"zh-CN": "订单", "en": "Order"},
            "fields": [*fields, *siblings]}
