"""Bulk create/update/delete: thousands of rows per call in a bounded number of statements,
atomic vs per-row results with field paths, serials, sub-form rows, history, permissions."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from tests.integration.members import member, sql

APP = {
    "format": "tessera.app/1", "key": "bulk", "name": {"en": "Bulk"},
    "forms": [{
        "key": "item", "name": {"en": "Item"},
        "fields": [
            {"key": "code", "type": "text", "label": {"en": "Code"}, "required": True,
             "unique": True},
            {"key": "amount", "type": "number", "label": {"en": "Amount"}},
            {"key": "cost", "type": "number", "label": {"en": "Cost"}},
            {"key": "no", "type": "serial", "label": {"en": "No"}, "pattern": "IT-{seq:5}"},
            {"key": "parts", "type": "subform", "label": {"en": "Parts"}, "fields": [
                {"key": "name", "type": "text", "label": {"en": "Name"}}]},
        ],
    }],
    "roles": [{"key": "clerk", "name": {"en": "Clerk"}, "permissions": [
        {"form": "item", "actions": ["view"], "scope": "all", "fields": {"hidden": ["cost"]}},
        {"form": "item", "actions": ["create", "edit", "delete"], "scope": "own",
         "fields": {"hidden": ["cost"]}}]}],
}
URL = "/api/v1/apps/bulk/forms/item/records"


@pytest.fixture(scope="module", autouse=True)
async def bulk_app(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


@contextlib.contextmanager
def statements(app):  # type: ignore[no-untyped-def]
    """Counts the statements sent to Postgres (an executemany counts once per batch)."""
    seen: list[str] = []

    def count(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def count(client) -> int:  # type: ignore[no-untyped-def]
    return (await client.get(URL + "/count")).json()["count"]


async def test_thousands_of_rows_in_few_statements(app, admin, settings) -> None:
    creates = [{"data": {"code": f"C{i:05}", "amount": i, "parts": [{"name": f"p{i}"}]}}
               for i in range(1000)]
    with statements(app) as seen:
        response = await admin.post(URL + "/bulk", json={"create": creates})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["ok"] and body["counts"]["created"] == 1000
    assert all(r["ok"] and r["_version"] == 1 for r in body["create"])
    assert len(seen) < 40, len(seen)  # batched, not ~4 statements per row
    ids = [r["_id"] for r in body["create"]]
    serials = sql(settings, "select no from t_main.bulk__item order by no")
    assert [s for (s,) in serials][:2] == ["IT-00001", "IT-00002"]
    assert len({s for (s,) in serials}) == 1000
    assert sql(settings, "select count(*) from t_main.bulk__item__parts") == [(1000,)]

    updates = [{"_id": rid, "_version": 1, "data": {"amount": 7}} for rid in ids]
    with statements(app) as seen:
        response = await admin.post(URL + "/bulk", json={"update": updates})
    assert response.status_code == 200, response.text[:500]
    assert response.json()["counts"]["updated"] == 1000 and len(seen) < 40
    record = (await admin.get(f"{URL}/{ids[5]}")).json()
    assert record["amount"] == 7 and record["_version"] == 2
    assert record["parts"] == [{"_id": record["parts"][0]["_id"], "name": "p5"}]
    history = (await admin.get(f"{URL}/{ids[5]}/history")).json()["items"]
    assert history[0]["action"] == "update" and history[0]["changes"] == {
        "amount": {"old": 5, "new": 7}}

    with statements(app) as seen:
        response = await admin.post(URL + "/bulk", json={"delete": ids[:900]})
    assert response.json()["counts"]["deleted"] == 900 and len(seen) < 20
    assert await count(admin) == 100
    assert len((await admin.get(URL + "/trash", params={"limit": 1000})).json()["items"]) == 900


async def test_atomic_mode_writes_nothing_when_a_row_fails(admin) -> None:
    before = await count(admin)
    response = await admin.post(URL + "/bulk", json={"mode": "atomic", "create": [
        {"data": {"code": "A1", "amount": 1}}, {"data": {"code": "A2"}},
        {"data": {"code": "A3"}}, {"data": {"code": "A4", "amount": "lots"}}]})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bulk_rejected" and body["failed"] == 1
    assert [(e["path"], e["code"]) for e in body["errors"]] == [
        ("create[3].data.amount", "invalid_number")]
    assert await count(admin) == before


async def test_per_row_mode_writes_the_good_rows_and_reports_the_rest(admin) -> None:
    live = (await admin.post(URL, json={"data": {"code": "LIVE", "amount": 1}})).json()
    other = (await admin.post(URL, json={"data": {"code": "OTHER"}})).json()
    third = (await admin.post(URL, json={"data": {"code": "THIRD"}})).json()
    response = await admin.post(URL + "/bulk", json={
        "mode": "per_row",
        "create": [{"data": {"code": "P1"}}, {"data": {"code": "LIVE"}},
                   {"data": {"code": "P1"}}, {"data": {"amount": 2}}, {"data": {"code": "P2"}}],
        "update": [{"_id": live["_id"], "_version": 1, "data": {"amount": 9}},
                   {"_id": other["_id"], "_version": 5, "data": {"amount": 9}},
                   {"_id": "00000000-0000-7000-8000-000000000000", "_version": 1,
                    "data": {}},
                   {"_id": third["_id"], "_version": 1, "data": {"code": "LIVE"}}],
        "delete": ["nope"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body["ok"]
    assert body["counts"] == {"created": 2, "updated": 1, "deleted": 0, "failed": 7}
    errors = {e["path"]: e["code"] for r in (*body["create"], *body["update"], *body["delete"])
              for e in r.get("errors", [])}
    assert errors == {"create[1].data.code": "duplicate", "create[2].data.code": "duplicate",
                      "create[3].data.code": "required", "update[1]._version":
                      "version_conflict", "update[2]._id": "record_not_found",
                      "update[3].data.code": "duplicate", "delete[0]": "invalid_id"}
    dup = next(e for e in body["create"][1]["errors"])
    assert dup["params"]["existing_record"] == live["_id"]
    assert body["update"][0] == {"index": 0, "ok": True, "_id": live["_id"], "_version": 2}
    assert (await admin.get(f"{URL}/{live['_id']}")).json()["amount"] == 9


async def test_members_write_within_their_scope_and_never_hidden_fields(app, admin,
                                                                        settings) -> None:
    theirs = (await admin.post(URL, json={"data": {"code": "ADMIN1", "cost": 5}})).json()
    async with member(app, admin, settings, "clerk@example.com", {"bulk": ["clerk"]}) as clerk:
        response = await clerk.post(URL + "/bulk", json={
            "mode": "per_row",
            "create": [{"data": {"code": "CL1"}}, {"data": {"code": "CL2", "cost": 1}}],
            "update": [{"_id": theirs["_id"], "_version": 1, "data": {"amount": 1}}],
            "delete": [theirs["_id"]]})
        assert response.status_code == 200, response.text
        body = response.json()
        text = response.text
        assert "cost" not in text.replace('"create[1].data.cost"', "")
        assert body["create"][0]["ok"]
        assert body["create"][1]["errors"][0]["code"] == "unknown_field"
        assert body["update"][0]["errors"][0]["code"] == "permission_denied"
        assert body["delete"][0]["errors"][0]["code"] == "permission_denied"
        mine = body["create"][0]["_id"]
        response = await clerk.post(URL + "/bulk", json={"delete": [mine]})
        assert response.json()["counts"]["deleted"] == 1


async def test_a_chunk_the_database_refuses_is_retried_row_by_row(admin, monkeypatch) -> None:
    """As when a concurrent writer takes a unique value between the check and the write."""
    from tessera.records import bulk

    async def no_check(ctx, rows):  # type: ignore[no-untyped-def]
        return None

    monkeypatch.setattr(bulk, "_check_unique", no_check)
    await admin.post(URL, json={"data": {"code": "RACE"}})
    response = await admin.post(URL + "/bulk", json={"mode": "per_row", "create": [
        {"data": {"code": "R1"}}, {"data": {"code": "RACE"}}, {"data": {"code": "R2"}}]})
    body = response.json()
    assert [r["ok"] for r in body["create"]] == [True, False, True]
    assert body["create"][1]["errors"][0]["path"] == "create[1].data.code"
    assert {r["code"] for r in (await admin.get(URL, params={"limit": 1000})).json()["items"]
            } >= {"R1", "R2"}
    before = await count(admin)
    atomic = await admin.post(URL + "/bulk", json={"create": [
        {"data": {"code": "R3"}}, {"data": {"code": "RACE"}}]})
    assert atomic.status_code == 422 and atomic.json()["errors"][0]["code"] == "duplicate"
    assert await count(admin) == before


async def test_a_failing_validation_rule_is_a_row_error_not_a_500(admin) -> None:
    """A form rule's params carry its own `message`: the row's error keeps it (the API fuzz
    found bulk create answering 500 here)."""
    app = {"format": "tessera.app/1", "key": "bulk_rules", "name": {"en": "Rules"},
           "forms": [{"key": "deal", "name": {"en": "Deal"}, "fields": [
               {"key": "low", "type": "number", "label": {"en": "Low"}},
               {"key": "high", "type": "number", "label": {"en": "High"}}],
               "validations": [{"expr": {">=": [{"var": "high"}, {"var": "low"}]},
                                "path": "high",
                                "message": {"en": "High must not be below low."}}]}]}
    assert (await admin.post("/api/v1/apps", json=app)).status_code == 201
    url = "/api/v1/apps/bulk_rules/forms/deal/records/bulk"
    response = await admin.post(url, json={"mode": "per_row",
                                           "create": [{"data": {"low": 5, "high": 1}},
                                                      {"data": {"low": 1, "high": 5}}]})
    assert response.status_code == 200, response.text
    first, second = response.json()["create"]
    assert first["ok"] is False and second["ok"] is True
    assert first["errors"][0]["path"] == "create[0].data.high"
    assert first["errors"][0]["code"] == "rule_failed"
