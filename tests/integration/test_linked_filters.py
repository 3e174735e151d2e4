""""Links to record X" on a multiple relation at any depth of a filter or a permission scope,
through the records API: the same rows as the array form would select, compiled as an
EXISTS semi-join on the link table (never the per-row array of links)."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy.dialects import postgresql

from engines.rules import to_sql
from tessera.permissions.links import link_arrays, link_membership
from tessera.storage.tables import build_app_tables
from tests.integration.members import member

APP = {
    "format": "tessera.app/1", "key": "alliances", "name": {"en": "Alliances"},
    "forms": [
        {"key": "company", "name": {"en": "Company"}, "title_field": "name", "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}}]},
        {"key": "deal", "name": {"en": "Deal"}, "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}},
            {"key": "amount", "type": "number", "label": {"en": "Amount"}},
            {"key": "partners", "type": "relation", "target": "company", "multiple": True,
             "label": {"en": "Partners"}}]},
    ],
    "roles": [{"key": "acme_desk", "name": {"en": "ACME desk"}, "permissions": [
        {"form": "deal", "actions": ["view", "export"],
         "scope": {"or": [{"in": [{"var": "$acme"}, {"var": "partners"}]},
                          {">": [{"var": "amount"}, 900]}]},
         "fields": {"hidden": ["amount"]}}]}],
}
BASE = "/api/v1/apps/alliances/forms"


@pytest.fixture(scope="module")
async def world(admin):
    companies = {}
    for name in ("acme", "globex", "initech"):
        r = await admin.post(f"{BASE}/company/records", json={"data": {"name": name}})
        assert r.status_code == 201, r.text
        companies[name] = r.json()["_id"]
    # the scope names ACME's id: written into the role before the app is imported
    definition = json.loads(json.dumps(APP).replace('{"var": "$acme"}',
                                                    json.dumps(companies["acme"])))
    return companies, definition


@pytest.fixture(scope="module", autouse=True)
async def alliances(admin):
    r = await admin.post("/api/v1/apps", json={**APP, "roles": []})
    assert r.status_code == 201, r.text


async def _deals(client, expression) -> list[str]:
    r = await client.get(f"{BASE}/deal/records", params={"filter": json.dumps(expression)})
    assert r.status_code == 200, r.text
    return sorted(d["title"] for d in r.json()["items"])


async def test_nested_links_to_filters_select_the_right_deals(app, admin, settings,
                                                              world) -> None:
    companies, definition = world
    acme, globex, initech = (companies[k] for k in ("acme", "globex", "initech"))
    for title, amount, partners in [("a", 100, [acme]), ("ag", 200, [acme, globex]),
                                    ("g", 1000, [globex]), ("none", 50, []),
                                    ("i", 300, [initech])]:
        r = await admin.post(f"{BASE}/deal/records", json={"data": {
            "title": title, "amount": amount, "partners": partners}})
        assert r.status_code == 201, r.text

    def linked(company: str) -> dict:
        return {"in": [company, {"var": "partners"}]}

    assert await _deals(admin, {"or": [linked(acme), {"==": [{"var": "title"}, "i"]}]}) \
        == ["a", "ag", "i"]
    assert await _deals(admin, {"!": [linked(acme)]}) == ["g", "i", "none"]
    assert await _deals(admin, {"and": [{"or": [linked(globex), linked(initech)]},
                                        {"!": [linked(acme)]}]}) == ["g", "i"]
    assert await _deals(admin, {"or": [linked("not-an-id"), {"<": [{"var": "amount"}, 60]}]}) \
        == ["none"]
    assert await _deals(admin, {"if": [{">": [{"var": "amount"}, 250]}, linked(globex),
                                       linked(acme)]}) == ["a", "ag", "g"]
    count = await admin.get(f"{BASE}/deal/records/count", params={"filter": json.dumps(
        {"or": [linked(acme), linked(globex)]})})
    assert count.status_code == 200 and count.json()["count"] == 3
    # an export takes the same filter (it was a 422 "unknown column" there)
    exported = await admin.get(f"{BASE}/deal/export", params={"format": "csv", "filter": json.dumps(
        {"!": [linked(acme)]})})
    assert exported.status_code == 200, exported.text
    assert sorted(line.split(",")[0] for line in exported.text.lstrip("\ufeff")
                  .splitlines()[1:]) == ["g", "i", "none"]

    # the same test inside a permission scope, `or`-ed with another condition
    r = await admin.put("/api/v1/apps/alliances/draft", json=definition)
    assert r.status_code == 200, r.text
    assert (await admin.post("/api/v1/apps/alliances/publish")).status_code == 200
    async with member(app, admin, settings, "desk@alliances.test",
                      roles={"alliances": ["acme_desk"]}) as desk:
        assert await _deals(desk, True) == ["a", "ag", "g"]
        assert await _deals(desk, {"!": [linked(globex)]}) == ["a"]
        items = (await desk.get(f"{BASE}/deal/records")).json()["items"]
        assert all("amount" not in d for d in items)  # hidden, though the scope reads it
        # the export reads no multiple relation as a column, and compiles the scope all the same
        exported = await desk.get(f"{BASE}/deal/export", params={"format": "csv"})
        assert exported.status_code == 200, exported.text
        assert sorted(line.split(",")[0] for line in exported.text.lstrip("\ufeff")
                      .splitlines()[1:]) == ["a", "ag", "g"]


def test_links_to_compiles_to_a_semi_join_at_any_depth() -> None:
    """Lists and exports read `partners` as the array of linked ids (`link_arrays`); the
    hook makes the nested, negated test a NOT EXISTS instead of reading that array."""
    tables = build_app_tables("t_main", APP)
    deal = tables.forms["deal"]
    columns = {"title": deal.table.c.title,
               "partners": link_arrays(deal.table)["partners"]}
    expr = {"or": [{"==": [{"var": "title"}, "x"]},
                   {"!": [{"in": [str(uuid.uuid4()), {"var": "partners"}]}]}]}
    text = str(to_sql(expr, columns, membership=link_membership(deal.table)).compile(
        dialect=postgresql.dialect()))
    assert "NOT (EXISTS (SELECT" in text and "ANY" not in text and "array(" not in text
    assert "ANY" in str(to_sql(expr, columns).compile(dialect=postgresql.dialect()))
