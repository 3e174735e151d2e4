"""The answers a form page reads its definition from carry each formula text's parsed tree
(`formula_trees`), so the browser computes formulas, text defaults and text conditions with
the server's parser: `GET /apps/{app}` and a public fill link's `GET /public/{token}`."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from engines.rules import parse_formula
from tessera.apps.expressions import EXPRESSION_PROPS, AppTrees, formula_trees
from tessera.templates import load_template
from tests.integration.conftest import ADMIN_EMAIL
from tests.integration.members import member

DEFINITION, _ = load_template("crm")


def texts(forms: list[dict[str, Any]]) -> set[str]:
    """Every expression written as text in these forms' fields and sub-form row fields."""
    found = set()
    for form in forms:
        for field in form["fields"]:
            for f in [field, *field.get("fields", [])]:
                found |= {f[p] for p in EXPRESSION_PROPS if isinstance(f.get(p), str)}
    return found


async def test_the_app_answer_carries_the_server_parse_of_every_formula_text(admin) -> None:
    created = await admin.post("/api/v1/apps", json=copy.deepcopy(DEFINITION))
    assert created.status_code == 201, created.text
    body = (await admin.get("/api/v1/apps/crm")).json()
    trees = body["formula_trees"]
    expected = texts(DEFINITION["forms"])
    # the quote's lines, their total, a text default and the opportunity's forecast among them
    assert {"quantity * unit_price * discount_rate", "SUM(lines.amount)",
            'DATE_ADD(TODAY(), 30, "d")'} <= expected
    assert set(trees) == expected
    for text in expected:
        assert trees[text] == parse_formula(text), text
    assert trees["SUM(lines.amount)"] == {"sum": [{"var": "lines"}, "amount"]}
    # the definition itself is as written: the trees sit beside it
    quote = next(f for f in body["definition"]["forms"] if f["key"] == "quote")
    total = next(f for f in quote["fields"] if f["key"] == "total")
    assert total["formula"] == "SUM(lines.amount)" and "formula_tree" not in total


async def test_a_public_link_answer_carries_the_trees_of_its_form(app, admin) -> None:
    link = await admin.post("/api/v1/apps/crm/forms/quote/public-links",
                            json={"owner": ADMIN_EMAIL})
    assert link.status_code == 201, link.text
    transport = httpx.ASGITransport(app=app, client=("198.51.100.77", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as visitor:
        shown = await visitor.get(link.json()["url"])
    assert shown.status_code == 200, shown.text
    body = shown.json()
    trees = body["formula_trees"]
    assert set(trees) == texts([body["form"]])
    assert trees["quantity * unit_price * discount_rate"] == parse_formula(
        "quantity * unit_price * discount_rate")
    # only the form the link shows: the opportunity's forecast is not in it
    assert not any(text.startswith("IF(stage") for text in trees)


DEALS = {
    "format": "tessera.app/1", "key": "deals", "name": {"en": "Deals"},
    "forms": [{"key": "deal", "name": {"en": "Deal"}, "fields": [
        {"key": "amount", "type": "number", "label": {"en": "Amount"}},
        {"key": "margin", "type": "formula", "label": {"en": "Margin"},
         "formula": "amount * 0.2"},
        {"key": "doubled", "type": "formula", "label": {"en": "Doubled"},
         "formula": "amount * 2"},
    ]}],
    "roles": [{"key": "sales", "name": {"en": "Sales"}, "permissions": [
        {"form": "deal", "actions": ["view", "create"], "scope": "all",
         "fields": {"hidden": ["margin"]}}]}],
}


async def test_a_member_gets_the_trees_of_the_fields_they_see_only(app, admin, settings
                                                                   ) -> None:
    created = await admin.post("/api/v1/apps", json=DEALS)
    assert created.status_code == 201, created.text
    async with member(app, admin, settings, "seller@example.com", {"deals": ["sales"]}) as me:
        body = (await me.get("/api/v1/apps/deals")).json()
    assert body["formula_trees"] == {"amount * 2": parse_formula("amount * 2")}


def test_a_formula_that_does_not_parse_is_left_out() -> None:
    forms = [{"key": "f", "fields": [
        {"key": "bad", "type": "formula", "formula": "SUM(("},
        {"key": "ok", "type": "formula", "formula": "1 + 2"},
        {"key": "tree", "type": "formula", "formula": {"+": [1, 2]}},
        {"key": "rows", "type": "subform", "fields": [
            {"key": "c", "type": "text", "visible_when": "LEN(x) >"}]},
    ]}]
    assert formula_trees(forms) == {"1 + 2": parse_formula("1 + 2")}
    assert formula_trees(None) == {}


LEDGER = {**copy.deepcopy(DEALS), "key": "ledger", "name": {"en": "Ledger"}}


async def test_the_trees_are_worked_out_once_per_published_version(app, admin, settings,
                                                                   monkeypatch) -> None:
    """The app cache keeps a version's trees beside its definition: answers after the first
    (an admin's whole set, a member's part of it) take them from there, and a new version
    gets its own."""
    made: list[set[str]] = []
    work_out = AppTrees.of.__func__

    def counted(cls: type[AppTrees], definition: Any) -> AppTrees:
        if (definition or {}).get("key") == "ledger":
            made.append({f["key"] for form in definition["forms"] for f in form["fields"]})
        return work_out(cls, definition)

    monkeypatch.setattr(AppTrees, "of", classmethod(counted))
    created = await admin.post("/api/v1/apps", json=LEDGER)
    assert created.status_code == 201, created.text
    for _ in range(2):
        body = (await admin.get("/api/v1/apps/ledger")).json()
        assert body["formula_trees"] == {"amount * 0.2": parse_formula("amount * 0.2"),
                                         "amount * 2": parse_formula("amount * 2")}
    async with member(app, admin, settings, "ledger-seller@example.com",
                      {"ledger": ["sales"]}) as me:
        body = (await me.get("/api/v1/apps/ledger")).json()
    # the hidden margin's tree is not in a member's answer, though the cache holds it
    assert body["formula_trees"] == {"amount * 2": parse_formula("amount * 2")}
    assert len(made) == 1

    draft = copy.deepcopy(LEDGER)
    draft["forms"][0]["fields"].append({"key": "tripled", "type": "formula",
                                        "label": {"en": "Tripled"}, "formula": "amount * 3"})
    saved = await admin.put("/api/v1/apps/ledger/draft", json=draft)
    assert saved.status_code == 200, saved.text
    published = await admin.post("/api/v1/apps/ledger/publish")
    assert published.status_code == 200, published.text
    body = (await admin.get("/api/v1/apps/ledger")).json()
    assert body["formula_trees"]["amount * 3"] == parse_formula("amount * 3")
    assert len(made) == 2 and "tripled" in made[1]


def test_a_callers_part_of_the_kept_trees_follows_their_fields() -> None:
    """`AppTrees.for_forms` answers what `formula_trees` would for the caller's copy: a hidden
    field's texts are not in it, a sub-form's row texts go with the sub-form, and a text two
    fields share stays while one of them is seen."""
    definition = {"forms": [
        {"key": "a", "fields": [
            {"key": "x", "type": "formula", "formula": "1 + 2"},
            {"key": "y", "type": "formula", "formula": "1 + 2"},
            {"key": "rows", "type": "subform", "fields": [
                {"key": "c", "type": "text", "visible_when": "LEN(c) > 1"}]}]},
        {"key": "b", "fields": [{"key": "z", "type": "number", "default_formula": "3 * 4"}]},
    ]}
    kept = AppTrees.of(definition)
    assert kept.trees == formula_trees(definition["forms"])
    seen = [{"key": "a", "fields": [{"key": "y"}, {"key": "rows"}]}]
    assert kept.for_forms(seen) == {"1 + 2": parse_formula("1 + 2"),
                                    "LEN(c) > 1": parse_formula("LEN(c) > 1")}
    assert kept.for_forms([{"key": "b", "fields": [{"key": "z"}]}]) == {
        "3 * 4": parse_formula("3 * 4")}
    assert kept.for_forms(None) == {}
