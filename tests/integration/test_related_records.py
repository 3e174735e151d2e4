"""The record page's related-records tabs (issue 6): "which records of form F point at this
one through relation field R" as a list filter and a count, for single and multiple relations,
within the caller's scope."""

from __future__ import annotations

import json

import pytest

APP = {
    "format": "tessera.app/1",
    "key": "rel",
    "name": {"en": "Related"},
    "forms": [
        {"key": "customer", "name": {"en": "Customer"}, "title_field": "name", "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}, "required": True},
        ]},
        {"key": "project", "name": {"en": "Project"}, "title_field": "title", "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}},
            {"key": "owner_customer", "type": "relation", "target": "customer",
             "label": {"en": "Customer"}},
            {"key": "partners", "type": "relation", "target": "customer", "multiple": True,
             "label": {"en": "Partners"}},
        ]},
    ],
}
BASE = "/api/v1/apps/rel/forms"


@pytest.fixture(scope="module")
async def ids(admin) -> dict[str, str]:
    """Two customers and four projects pointing at them in every way; ids by name."""
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    made: dict[str, str] = {}
    for form, name, data in [
        ("customer", "acme", {"name": "ACME"}), ("customer", "bolt", {"name": "Bolt"}),
        ("project", "p1", {"title": "p1", "partners": ["acme", "bolt"]}),
        ("project", "p2", {"title": "p2", "partners": ["bolt"]}),
        ("project", "p3", {"title": "p3", "owner_customer": "acme"}),
        ("project", "p4", {"title": "p4"}),
    ]:
        data = {k: [made[i] for i in v] if k == "partners" else made.get(v, v)
                for k, v in data.items()}
        response = await admin.post(f"{BASE}/{form}/records", json={"data": data})
        assert response.status_code == 201, response.text
        made[name] = response.json()["_id"]
    return made


async def _titles(admin, expression: dict) -> list[str]:
    response = await admin.get(f"{BASE}/project/records",
                               params={"filter": json.dumps(expression), "sort": "title"})
    assert response.status_code == 200, response.text
    return [r["title"] for r in response.json()["items"]]


async def _count(admin, expression: dict) -> int:
    response = await admin.get(f"{BASE}/project/records/count",
                               params={"filter": json.dumps(expression)})
    assert response.status_code == 200, response.text
    return response.json()["count"]


async def test_records_pointing_at_a_customer_through_a_multiple_relation(admin, ids) -> None:
    acme, bolt = {"_id": ids["acme"]}, {"_id": ids["bolt"]}
    by_acme = {"in": [acme["_id"], {"var": "partners"}]}
    assert await _titles(admin, by_acme) == ["p1"]
    assert await _count(admin, by_acme) == 1
    by_bolt = {"in": [bolt["_id"], {"var": "partners"}]}
    assert await _titles(admin, by_bolt) == ["p1", "p2"]
    assert await _count(admin, by_bolt) == 2
    # the single relation, as before
    assert await _titles(admin, {"==": [{"var": "owner_customer"}, acme["_id"]]}) == ["p3"]
    # negation and emptiness behave as on a multi-value field
    assert await _titles(admin, {"!": {"in": [acme["_id"], {"var": "partners"}]}}) == [
        "p2", "p3", "p4"]
    assert await _titles(admin, {"is_empty": [{"var": "partners"}]}) == ["p3", "p4"]
    # an id that is no id matches nothing (no error, as in the browser)
    assert await _titles(admin, {"in": ["not-an-id", {"var": "partners"}]}) == []


async def test_links_to_inside_and_keeps_the_other_conditions_and_their_error_paths(admin, ids
                                                                                    ) -> None:
    bolt = ids["bolt"]
    both = {"and": [{"in": [bolt, {"var": "partners"}]}, {"==": [{"var": "title"}, "p2"]}]}
    assert await _titles(admin, both) == ["p2"]
    assert await _count(admin, both) == 1
    upper = {"in": [bolt.upper(), {"var": "partners"}]}  # an id in any spelling, as elsewhere
    assert await _titles(admin, upper) == ["p1", "p2"]
    bad = {"and": [{"in": [bolt, {"var": "partners"}]}, {"==": [{"var": "nope"}, 1]}]}
    response = await admin.get(f"{BASE}/project/records", params={"filter": json.dumps(bad)})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["path"].startswith("filter.and[1]")
