"""The history of imported records, written lazily (`tessera.records.lazy_history`), reads
and restores exactly like the per-record history rows imports used to write.

Each scenario imports two records with the same values, `L-n` and `E-n`; for `E-n` the test
then writes the row the import used to write (its snapshot built by Postgres from the stored
row and its sub-form rows, as the old INSERT … SELECT did). Both records then go through the
same changes through the HTTP API, and their timelines, version restores and stored version-1
snapshots must agree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from tessera.config import Settings
from tests.integration.conftest import ADMIN_EMAIL
from tests.integration.members import sql
from tests.integration.test_import_api import csv_bytes, run_import

APP = {
    "format": "tessera.app/1", "key": "imh", "name": {"en": "Import history"},
    "forms": [{"key": "order", "name": {"en": "Order"}, "title_field": "no", "fields": [
        {"key": "no", "type": "text", "label": {"en": "No"}, "required": True, "unique": True},
        {"key": "qty", "type": "number", "label": {"en": "Qty"}},
        {"key": "stage", "type": "select", "label": {"en": "Stage"},
         "options": [{"value": "new"}, {"value": "won"}]},
        {"key": "items", "type": "subform", "label": {"en": "Items"}, "fields": [
            {"key": "sku", "type": "text", "label": {"en": "Sku"}},
            {"key": "n", "type": "number", "label": {"en": "N"}}]},
        {"key": "total", "type": "formula", "formula": "SUM(items.n)",
         "result_type": "number", "label": {"en": "Total"}},
    ]}],
}
FORM = "/api/v1/apps/imh/forms/order"
HEADER = ["no", "qty", "stage", "items.sku", "items.n"]
# the import's old history row, built the way its INSERT … SELECT built it
EAGER = """
insert into record_history (tenant_id, app_key, form_key, record_id, version, action,
                            snapshot, actor_id)
select r.tenant_id, 'imh', 'order', r._id, 1, 'import',
       (to_jsonb(r) - 'tenant_id' - '_deleted_at') || jsonb_build_object('items', (
           select coalesce(jsonb_agg(to_jsonb(c) - 'tenant_id' - '_parent_id' - '_row_order'
                                     order by c._row_order), '[]'::jsonb)
           from t_main.imh__order__items c where c._parent_id = r._id)),
       r._created_by
from t_main.imh__order r where r.no = %s
"""


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)


@pytest.fixture(scope="module", autouse=True)
async def imh_app(admin):
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


async def _pair(admin, settings, n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Records L-n (lazy history) and E-n (the old eager row), imported alike."""
    rows = [HEADER]
    for key in (f"L-{n}", f"E-{n}"):
        rows += [[key, "5", "won", "a", "1"], [key, None, None, "b", "2"]]
    job = await run_import(admin, csv_bytes(rows, "utf-8"), "h.csv", form=FORM)
    assert job["status"] == "succeeded" and job["result"]["inserted"] == 2, job
    assert sql(settings, "select count(*) from record_history h join t_main.imh__order r "
                         "on r._id = h.record_id where r.no in (%s, %s)",
               (f"L-{n}", f"E-{n}")) == [(0,)]
    sql(settings, EAGER, (f"E-{n}",))
    items = (await admin.get(FORM + "/records", params={"limit": 1000})).json()["items"]
    got = {r["no"]: r for r in items}
    return got[f"L-{n}"], got[f"E-{n}"]


def _plain(value: Any) -> Any:
    """Without what differs between the two records: ids of records and child rows, keys."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ("_id", "at", "no")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def _timeline(admin, record: dict[str, Any]) -> list[Any]:
    response = await admin.get(f"{FORM}/records/{record['_id']}/history")
    assert response.status_code == 200, response.text
    return _plain(response.json()["items"])


def _snapshot_1(settings, record: dict[str, Any]) -> Any:
    """The stored version-1 snapshot's fields (not the system columns)."""
    (snapshot,), = sql(settings, "select snapshot from record_history where record_id = %s "
                                 "and version = 1", (record["_id"],))
    return _plain({k: v for k, v in snapshot.items() if not k.startswith("_")})


def _values(record: dict[str, Any]) -> Any:
    return _plain({k: v for k, v in record.items() if not k.startswith("_")})


async def _restore_both(admin, lazy: dict[str, Any], eager: dict[str, Any],  # type: ignore[no-untyped-def]
                        current: int) -> dict[str, Any]:
    """Both records restored to version 1 (from version `current`): the same fields."""
    restored = []
    for record in (lazy, eager):
        response = await admin.post(f"{FORM}/records/{record['_id']}/history/1/restore",
                                    json={"_version": current})
        assert response.status_code == 200, response.text
        restored.append(_values(response.json()))
    assert restored[0] == restored[1]
    return restored[0]


async def test_an_unchanged_imported_record_reads_and_restores_like_before(admin,
                                                                           settings) -> None:
    lazy, eager = await _pair(admin, settings, 1)
    timeline = await _timeline(admin, lazy)
    assert timeline == await _timeline(admin, eager)
    assert [(h["version"], h["action"], h["changes"]) for h in timeline] == [(1, "import", {})]
    got = (await admin.get(f"{FORM}/records/{lazy['_id']}/history")).json()["items"][0]
    assert datetime.fromisoformat(got["at"]) == datetime.fromisoformat(lazy["_created_at"])
    assert got["actor"]["id"] == lazy["_created_by"]
    restored = await _restore_both(admin, lazy, eager, 1)
    assert restored["qty"] == 5 and restored["total"] == 3
    assert await _timeline(admin, lazy) == await _timeline(admin, eager)
    assert [h["action"] for h in await _timeline(admin, lazy)] == ["revert", "import"]
    assert _snapshot_1(settings, lazy) == _snapshot_1(settings, eager)


async def test_after_an_update_the_timeline_and_restore_are_as_before(admin, settings) -> None:
    lazy, eager = await _pair(admin, settings, 2)
    for record in (lazy, eager):
        changed = await admin.patch(f"{FORM}/records/{record['_id']}", json={
            "data": {"qty": 9, "stage": "new", "items": [{"sku": "z", "n": 7}]}, "_version": 1})
        assert changed.status_code == 200, changed.text
    timeline = await _timeline(admin, lazy)
    assert timeline == await _timeline(admin, eager)
    assert [(h["version"], h["action"]) for h in timeline] == [(2, "update"), (1, "import")]
    assert timeline[0]["changes"]["qty"] == {"old": 5, "new": 9}
    snapshot = _snapshot_1(settings, lazy)
    assert snapshot == _snapshot_1(settings, eager)
    assert snapshot["items"] == [{"sku": "a", "n": 1}, {"sku": "b", "n": 2}]
    assert snapshot["qty"] == 5 and snapshot["total"] == 3
    restored = await _restore_both(admin, lazy, eager, 2)
    assert restored["qty"] == 5 and restored["stage"] == "won"
    assert [(i["sku"], i["n"]) for i in restored["items"]] == [("a", 1), ("b", 2)]
    assert await _timeline(admin, lazy) == await _timeline(admin, eager)


async def test_after_delete_and_restore_the_timeline_and_restore_are_as_before(
        admin, settings) -> None:
    lazy, eager = await _pair(admin, settings, 3)
    for record in (lazy, eager):
        url = f"{FORM}/records/{record['_id']}"
        assert (await admin.delete(url)).status_code == 204
        back = await admin.post(f"{url}/restore")
        assert back.status_code == 200, back.text
    timeline = await _timeline(admin, lazy)
    assert timeline == await _timeline(admin, eager)
    assert [h["action"] for h in timeline] == ["restore", "delete", "import"]
    assert _snapshot_1(settings, lazy) == _snapshot_1(settings, eager)
    await _restore_both(admin, lazy, eager, 3)
    assert await _timeline(admin, lazy) == await _timeline(admin, eager)


async def test_bulk_update_and_bulk_delete_write_the_imported_version_first(admin,
                                                                            settings) -> None:
    lazy, eager = await _pair(admin, settings, 4)
    updates = [{"_id": r["_id"], "_version": 1, "data": {"qty": 1}} for r in (lazy, eager)]
    response = await admin.post(FORM + "/records/bulk", json={"update": updates})
    assert response.status_code == 200, response.text
    assert await _timeline(admin, lazy) == await _timeline(admin, eager)
    assert _snapshot_1(settings, lazy) == _snapshot_1(settings, eager)
    lazy, eager = await _pair(admin, settings, 5)
    response = await admin.post(FORM + "/records/bulk",
                                json={"delete": [lazy["_id"], eager["_id"]]})
    assert response.status_code == 200, response.text
    timeline = await _timeline(admin, lazy)
    assert timeline == await _timeline(admin, eager)
    assert [h["action"] for h in timeline] == ["delete", "import"]
    assert _snapshot_1(settings, lazy) == _snapshot_1(settings, eager)
    (actor,), = sql(settings, "select actor_id from record_history where record_id = %s "
                              "and version = 1", (lazy["_id"],))
    assert str(actor) == lazy["_created_by"]


async def test_an_upsert_import_writes_the_imported_version_first(admin, settings) -> None:
    lazy, eager = await _pair(admin, settings, 6)
    content = csv_bytes([HEADER, [lazy["no"], "8", None, None, None],
                         [eager["no"], "8", None, None, None]], "utf-8")
    job = await run_import(admin, content, "u.csv", form=FORM, mode="upsert", key_field="no")
    assert job["status"] == "succeeded" and job["result"]["updated"] == 2, job
    timeline = await _timeline(admin, lazy)
    assert timeline == await _timeline(admin, eager)
    assert [(h["version"], h["action"]) for h in timeline] == [(2, "import"), (1, "import")]
    assert timeline[0]["changes"] == {"qty": {"old": 5, "new": 8}}
    assert _snapshot_1(settings, lazy) == _snapshot_1(settings, eager)
    response = await admin.post(f"{FORM}/records/{lazy['_id']}/history/1/restore",
                                json={"_version": 2})
    assert response.status_code == 200 and response.json()["qty"] == 5, response.text


async def test_a_record_nobody_can_find_still_has_no_history(admin) -> None:
    response = await admin.get(f"{FORM}/records/01900000-0000-7000-8000-000000000000/history")
    assert response.status_code == 404 and response.json()["code"] == "record_not_found"


async def test_an_offboarding_handover_writes_the_imported_version_first(admin,
                                                                         settings) -> None:
    """The handover re-owns all a leaver's rows in one UPDATE per table: the imported ones
    among them get their version 1 first, so it still restores."""
    lazy, eager = await _pair(admin, settings, 7)
    leaver = await admin.post("/api/v1/users", json={
        "email": "imh-leaver@example.com", "name": "leaver", "password": "leaver-password-1"})
    assert leaver.status_code == 201, leaver.text
    sql(settings, "update t_main.imh__order set _owner = %s where no in (%s, %s)",
        (leaver.json()["id"], lazy["no"], eager["no"]))  # as if they had imported them
    done = await admin.post(f"/api/v1/users/{leaver.json()['id']}/offboard",
                            json={"successor": ADMIN_EMAIL})
    assert done.status_code == 200 and done.json()["records"] == {"imh.order": 2}, done.text
    timeline = await _timeline(admin, lazy)
    assert timeline == await _timeline(admin, eager)
    assert [(h["version"], h["action"]) for h in timeline] == [(2, "handover"), (1, "import")]
    assert _snapshot_1(settings, lazy) == _snapshot_1(settings, eager)
    restored = await _restore_both(admin, lazy, eager, 2)
    assert restored["qty"] == 5 and restored["total"] == 3
