"""The schema planner on tables that already hold rows: add a field, make a field unique over
duplicates (refused, naming the values), change text -> number with values that won't convert
(a job backfills; the old values are kept)."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tessera.config import Settings
from tests.conftest import libpq_dsn

APP = {
    "format": "tessera.app/1",
    "key": "inv",
    "name": {"en": "Inventory"},
    "forms": [{
        "key": "item",
        "name": {"en": "Item"},
        "fields": [
            {"key": "sku", "type": "text", "label": {"en": "SKU"}},
            {"key": "price", "type": "text", "label": {"en": "Price"}},
        ],
    }],
}
URL = "/api/v1/apps/inv/forms/item/records"


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)


def _sql(settings: Settings, query: str) -> list[tuple]:
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url))) as conn:
        return conn.execute(query).fetchall()


def _with_fields(*changes) -> dict:
    definition = copy.deepcopy(APP)
    fields = definition["forms"][0]["fields"]
    for change in changes:
        change(fields)
    return definition


@pytest.fixture(scope="module", autouse=True)
async def inventory(admin):
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    for sku, price in [("A-1", "10"), ("A-2", "12.50"), ("A-2", "n/a"), ("B-1", None),
                       ("B-2", "1e3"), ("B-3", "about 7")]:
        r = await admin.post(URL, json={"data": {"sku": sku, "price": price}})
        assert r.status_code == 201, r.text


async def test_add_field_on_a_table_with_rows_is_instant(admin) -> None:
    definition = _with_fields(lambda f: f.append(
        {"key": "color", "type": "select", "label": {"en": "Colour"},
         "options": [{"value": "red"}, {"value": "blue"}]}))
    assert (await admin.put("/api/v1/apps/inv/draft", json=definition)).status_code == 200
    plan = (await admin.get("/api/v1/apps/inv/plan")).json()
    assert [(s["op"], s["cost"]) for s in plan["steps"]] == [("add_column", "instant")]
    # a stable code and params for the browser to word in its language; English for scripts
    [step] = plan["steps"]
    assert step["code"] == "add_column"
    assert step["params"] == {"column": "color", "type": "TEXT", "form": "item"}
    assert step["description"] == "adds column color (TEXT)"
    published = await admin.post("/api/v1/apps/inv/publish")
    assert published.status_code == 200
    rows = (await admin.get(URL, params={"limit": 100})).json()["items"]
    assert len(rows) == 6 and all(r["color"] is None for r in rows)


async def test_unique_over_duplicates_is_refused_with_the_values(admin, settings) -> None:
    current = (await admin.get("/api/v1/apps/inv/draft")).json()
    current["forms"][0]["fields"][0]["unique"] = True
    assert (await admin.put("/api/v1/apps/inv/draft", json=current)).status_code == 200
    plan = (await admin.get("/api/v1/apps/inv/plan")).json()
    assert plan["blockers"][0]["code"] == "duplicates_exist"
    assert plan["blockers"][0]["params"]["column"] == "sku"
    assert plan["blockers"][0]["params"]["count"] == 1
    refused = await admin.post("/api/v1/apps/inv/publish")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "publish_blocked"
    assert body["errors"][0]["path"] == "item.sku"
    assert body["errors"][0]["params"]["duplicates"] == [{"value": "A-2", "count": 2}]
    indexes = _sql(settings, "select indexname from pg_indexes where tablename = 'inv__item'")
    assert not any("uq" in name for (name,) in indexes)  # nothing was applied
    current["forms"][0]["fields"][0]["unique"] = False  # leave the draft publishable
    assert (await admin.put("/api/v1/apps/inv/draft", json=current)).status_code == 200


async def test_text_to_number_reports_then_converts_in_a_job(admin, settings) -> None:
    current = (await admin.get("/api/v1/apps/inv/draft")).json()
    current["forms"][0]["fields"][1]["type"] = "number"
    assert (await admin.put("/api/v1/apps/inv/draft", json=current)).status_code == 200
    plan = (await admin.get("/api/v1/apps/inv/plan")).json()
    step = next(s for s in plan["steps"] if s["op"] == "change_type")
    assert step["cost"] == "job" and step["field"] == "price"
    assert step["details"]["rows"] == 6
    assert step["code"] == "change_type"
    assert step["params"] == {"column": "price", "from": "TEXT", "to": "NUMERIC", "rows": 6,
                              "unconvertible": 2, "kept_as": "price__v1", "form": "item"}
    assert step["description"].startswith("changes price TEXT → NUMERIC: rewrites 6 rows")
    assert step["details"]["unconvertible"] == 2
    assert sorted(s["value"] for s in step["details"]["samples"]) == ["about 7", "n/a"]
    published = (await admin.post("/api/v1/apps/inv/publish")).json()
    [job_id] = published["jobs"]
    job = {}
    for _ in range(200):
        job = (await admin.get(f"/api/v1/jobs/{job_id}")).json()
        if job["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.05)
    assert job["status"] == "succeeded", job
    assert job["result"] == {"converted": 3, "unconvertible": 2, "kept_in": "price__v1"}
    assert job["progress"]["done"] == job["progress"]["total"] == 5
    rows = (await admin.get(URL, params={"limit": 100})).json()["items"]
    prices = sorted(((r["sku"], r["price"]) for r in rows),
                    key=lambda p: (p[0], p[1] is None, p[1] or 0))
    assert prices == [("A-1", 10), ("A-2", 12.5), ("A-2", None), ("B-1", None),
                      ("B-2", 1000), ("B-3", None)]
    kept = _sql(settings, "select price__v1 from t_main.inv__item where sku = 'B-3'")
    assert kept == [("about 7",)]


async def test_removed_field_keeps_its_column(admin, settings) -> None:
    current = (await admin.get("/api/v1/apps/inv/draft")).json()
    current["forms"][0]["fields"] = [f for f in current["forms"][0]["fields"]
                                     if f["key"] != "color"]
    assert (await admin.put("/api/v1/apps/inv/draft", json=current)).status_code == 200
    plan = (await admin.get("/api/v1/apps/inv/plan")).json()
    assert [(s["op"], s["field"]) for s in plan["steps"]] == [("retire_column", "color")]
    assert (plan["steps"][0]["code"], plan["steps"][0]["params"]) == (
        "retire_column", {"column": "color", "form": "item"})
    assert (await admin.post("/api/v1/apps/inv/publish")).status_code == 200
    columns = {c for (c,) in _sql(settings, "select column_name from information_schema.columns "
                                            "where table_name = 'inv__item'")}
    assert "color" in columns
    record = (await admin.get(URL, params={"limit": 1})).json()["items"][0]
    assert "color" not in record


async def test_steps_name_their_form_and_sub_form(admin) -> None:
    current = (await admin.get("/api/v1/apps/inv/draft")).json()
    current["forms"].append({"key": "batch", "name": {"en": "Batch"}, "fields": [
        {"key": "code", "type": "text", "label": {"en": "Code"}},
        {"key": "lines", "type": "subform", "label": {"en": "Lines"}, "fields": [
            {"key": "qty", "type": "number", "label": {"en": "Qty"}}]}]})
    assert (await admin.put("/api/v1/apps/inv/draft", json=current)).status_code == 200
    plan = (await admin.get("/api/v1/apps/inv/plan")).json()
    made = {s["code"]: s for s in plan["steps"]}
    assert made["create_table"]["params"] == {"schema": "t_main", "table": "inv__batch",
                                              "form": "batch"}
    assert made["create_subform_table"]["params"] == {
        "schema": "t_main", "table": "inv__batch__lines", "form": "batch", "subform": "lines"}
    assert made["create_subform_table"]["description"] == (
        "creates table t_main.inv__batch__lines for batch.lines")
    assert (await admin.post("/api/v1/apps/inv/publish")).status_code == 200
    current["forms"][-1]["fields"][1]["fields"].append(
        {"key": "note", "type": "text", "label": {"en": "Note"}})
    assert (await admin.put("/api/v1/apps/inv/draft", json=current)).status_code == 200
    [added] = (await admin.get("/api/v1/apps/inv/plan")).json()["steps"]
    assert (added["code"], added["params"]) == (
        "add_column", {"column": "note", "type": "TEXT", "form": "batch", "subform": "lines"})
    assert (await admin.post("/api/v1/apps/inv/publish")).status_code == 200
