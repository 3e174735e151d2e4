"""Recycle bin (list, restore with unique checks, purge with cascading child rows and a history
entry) and restoring an earlier version with optimistic locking; permissions on each."""

from __future__ import annotations

import pytest

from tests.integration.members import member, sql

APP = {
    "format": "tessera.app/1", "key": "bin", "name": {"en": "Bin"},
    "forms": [{
        "key": "order", "name": {"en": "Order"},
        "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True,
             "unique": True},
            {"key": "amount", "type": "number", "label": {"en": "Amount"}},
            {"key": "cost", "type": "number", "label": {"en": "Cost"}},
            {"key": "items", "type": "subform", "label": {"en": "Items"}, "fields": [
                {"key": "sku", "type": "text", "label": {"en": "SKU"}},
                {"key": "qty", "type": "number", "label": {"en": "Qty"}}]},
        ],
    }],
    "roles": [
        {"key": "clerk", "name": {"en": "Clerk"},
         "permissions": [{"form": "order", "actions": ["view", "create", "edit", "delete"],
                          "scope": "own", "fields": {"hidden": ["cost"]}}]},
        {"key": "reader", "name": {"en": "Reader"},
         "permissions": [{"form": "order", "actions": ["view", "edit"], "scope": "all"}]},
    ],
}
URL = "/api/v1/apps/bin/forms/order/records"


@pytest.fixture(scope="module", autouse=True)
async def bin_app(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


async def create(client, **data):  # type: ignore[no-untyped-def]
    response = await client.post(URL, json={"data": data})
    assert response.status_code == 201, response.text
    return response.json()


async def test_deleted_records_are_listed_and_restored(admin) -> None:
    kept = await create(admin, title="kept")
    gone = await create(admin, title="gone", amount=5)
    assert (await admin.delete(f"{URL}/{gone['_id']}")).status_code == 204
    trash = (await admin.get(URL + "/trash")).json()
    assert [r["_id"] for r in trash["items"]] == [gone["_id"]]
    assert trash["items"][0]["title"] == "gone" and trash["items"][0]["_deleted_at"]
    assert kept["_id"] not in {r["_id"] for r in trash["items"]}
    restored = await admin.post(f"{URL}/{gone['_id']}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json()["_version"] == 3 and restored.json()["amount"] == 5
    assert (await admin.get(f"{URL}/{gone['_id']}")).status_code == 200
    assert (await admin.get(URL + "/trash")).json()["items"] == []
    actions = [h["action"] for h in (await admin.get(f"{URL}/{gone['_id']}/history")).json()[
        "items"]]
    assert actions == ["restore", "delete", "create"]
    again = await admin.post(f"{URL}/{gone['_id']}/restore")  # not in the bin any more
    assert again.status_code == 404 and again.json()["code"] == "record_not_found"


async def test_restore_refuses_a_unique_value_taken_meanwhile(admin) -> None:
    old = await create(admin, title="taken")
    await admin.delete(f"{URL}/{old['_id']}")
    new = await create(admin, title="taken")  # free while the old one is in the bin
    response = await admin.post(f"{URL}/{old['_id']}/restore")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_value"
    assert body["errors"][0]["path"] == "data.title"
    assert body["errors"][0]["params"]["existing_record"] == new["_id"]
    assert old["_id"] in {r["_id"] for r in (await admin.get(URL + "/trash")).json()["items"]}


async def test_purge_deletes_for_good_with_child_rows_and_keeps_history(admin,
                                                                       settings) -> None:
    record = await create(admin, title="purge me",
                          items=[{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}])
    live = await admin.delete(f"{URL}/{record['_id']}/purge")
    assert live.status_code == 404  # only what is in the bin can be purged
    await admin.delete(f"{URL}/{record['_id']}")
    assert (await admin.delete(f"{URL}/{record['_id']}/purge")).status_code == 204
    assert sql(settings, "select count(*) from t_main.bin__order where _id = %s",
               (record["_id"],)) == [(0,)]
    assert sql(settings, "select count(*) from t_main.bin__order__items where _parent_id = %s",
               (record["_id"],)) == [(0,)]
    history = sql(settings, "select action from record_history where record_id = %s "
                  "order by version", (record["_id"],))
    assert [a for (a,) in history] == ["create", "delete", "purge"]
    assert record["_id"] not in {r["_id"] for r in (await admin.get(URL + "/trash")).json()[
        "items"]}


async def test_a_version_is_restored_as_a_new_version(admin) -> None:
    record = await create(admin, title="versions", amount=10, items=[{"sku": "A", "qty": 1}])
    v2 = (await admin.patch(f"{URL}/{record['_id']}", json={
        "_version": 1, "data": {"amount": 20, "items": [{"sku": "B", "qty": 7}]}})).json()
    assert v2["_version"] == 2 and v2["amount"] == 20
    stale = await admin.post(f"{URL}/{record['_id']}/history/1/restore", json={"_version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    missing = await admin.post(f"{URL}/{record['_id']}/history/1/restore", json={})
    assert missing.json()["code"] == "version_required"
    response = await admin.post(f"{URL}/{record['_id']}/history/1/restore",
                                json={"_version": 2})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["_version"] == 3 and body["amount"] == 10 and body["_restored_from"] == 1
    assert [(i["sku"], i["qty"]) for i in body["items"]] == [("A", 1)]
    history = (await admin.get(f"{URL}/{record['_id']}/history")).json()["items"]
    assert history[0]["action"] == "revert" and history[0]["changes"]["amount"] == {
        "old": 20, "new": 10}
    nope = await admin.post(f"{URL}/{record['_id']}/history/42/restore", json={"_version": 3})
    assert nope.status_code == 404 and nope.json()["code"] == "version_not_found"


async def test_the_bin_follows_delete_permissions_and_hides_fields(app, admin,
                                                                   settings) -> None:
    foreign = await create(admin, title="admin's", cost=3)
    await admin.delete(f"{URL}/{foreign['_id']}")
    async with member(app, admin, settings, "clerk@example.com", {"bin": ["clerk"]}) as clerk:
        mine = await create(clerk, title="clerk's", amount=1)
        assert (await clerk.delete(f"{URL}/{mine['_id']}")).status_code == 204
        items = (await clerk.get(URL + "/trash")).json()["items"]
        assert [r["_id"] for r in items] == [mine["_id"]]  # own scope: not the admin's
        assert "cost" not in items[0]
        assert (await clerk.post(f"{URL}/{foreign['_id']}/restore")).status_code == 404
        assert (await clerk.post(f"{URL}/{mine['_id']}/restore")).status_code == 200
    async with member(app, admin, settings, "reader@example.com",
                      {"bin": ["reader"]}) as reader:
        response = await reader.get(URL + "/trash")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
        purge = await reader.delete(f"{URL}/{foreign['_id']}/purge")
        assert purge.status_code == 403
