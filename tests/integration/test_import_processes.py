"""Big imports check their batches in a worker process (`tessera.imports.pipeline`): forced
here on a small file with batches of 3 rows, the outcome must be exactly the one the job gets
in its own process — the same errors in the same order with the same row numbers, counts,
records, history rows and error report — in all-or-nothing and good-rows modes, for a file
whose bad rows are found both before the database (a bad number, a bad option) and by it
(a customer by title, a value already in the table, a value repeated across batches); and
the worker process is gone when the job ends; a lost worker changes nothing either."""

from __future__ import annotations

import asyncio
import io
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any, ClassVar

import openpyxl
import pytest

from tessera.config import Settings
from tessera.imports import jobs, pipeline
from tests.integration.members import sql
from tests.integration.test_import_api import APP, csv_bytes, run_import

HEADER = ["标题", "金额", "数量", "阶段", "客户"]
ROWS = [
    ["P-1", "10", "1", "新建", ""],
    ["P-2", "abc", "2", "", ""],            # invalid_number, checked before the database
    ["P-3", "30", "3", "赢单", "华为"],      # a customer by title: checked after resolving
    ["P-EXIST", "40", "4", "", ""],         # duplicate_value: a record of the table
    ["P-5", "50", "5", "成交", ""],          # not an option
    ["P-6", "60", "6", "", "无此客户"],      # unknown_record
    ["P-1", "70", "7", "", ""],             # duplicate_in_file, two batches later
    ["P-8", "80", "8", "输单", "小米"],      # ambiguous_reference
    ["P-9", "90", "x", "", "腾讯"],          # invalid_number on a row with a reference
    ["P-10", "100", "10", "", ""],
    ["P-11", "110", "11", "赢单", "阿里巴巴"],
]
KEYS = ("ppa", "ppb", "ppc", "ppd", "ppe", "ppf")


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)


@pytest.fixture(scope="module", autouse=True)
async def apps(admin) -> None:
    await stock_apps(admin, KEYS)


async def stock_apps(admin, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Copies of the import test app (in-process and worker, per case), each with the
    same customers and one deal already stored."""
    for key in keys:
        response = await admin.post("/api/v1/apps", json={**APP, "key": key})
        assert response.status_code == 201, response.text
        for name in ["华为", "阿里巴巴", "腾讯", "小米", "小米"]:
            r = await admin.post(f"/api/v1/apps/{key}/forms/customer/records",
                                 json={"data": {"name": name}})
            assert r.status_code == 201, r.text
        r = await admin.post(f"/api/v1/apps/{key}/forms/deal/records",
                             json={"data": {"title": "P-EXIST"}})
        assert r.status_code == 201, r.text


class _Pools(ProcessPoolExecutor):
    """The pipeline's executor, remembered so the test can see it was used."""

    made: ClassVar[list[ProcessPoolExecutor]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _Pools.made.append(self)


async def outcome(admin, settings, key: str, *, atomic: bool,  # type: ignore[no-untyped-def]
                  rows: list[list[str]] = ROWS) -> dict[str, Any]:
    """What an import did, without what differs between two apps (ids, urls, times)."""
    job = await run_import(admin, csv_bytes([HEADER, *rows], "utf-8"), "p.csv",
                           form=f"/api/v1/apps/{key}/forms/deal", atomic=atomic)
    result = job["result"] if job["status"] == "succeeded" else job["error"]["details"]
    report = result.pop("error_report")
    sheets = [] if report is None else openpyxl.load_workbook(io.BytesIO(
        (await admin.get(report["url"])).content)).worksheets
    customers = {r["_id"]: r["name"] for r in (await admin.get(
        f"/api/v1/apps/{key}/forms/customer/records", params={"limit": 100})).json()["items"]}
    stored = (await admin.get(f"/api/v1/apps/{key}/forms/deal/records",
                              params={"limit": 100})).json()["items"]
    records = sorted((r["title"], r["amount"], r["qty"], r.get("stage"), r.get("no"),
                      customers.get(r.get("customer"))) for r in stored)
    history = sorted([(r["title"], [(h["action"], h["version"]) for h in (await admin.get(
        f"/api/v1/apps/{key}/forms/deal/records/{r['_id']}/history")).json()["items"]])
        for r in stored])
    stored_history = sql(settings, "select action, version from record_history "
                                   "where app_key = %s and form_key = 'deal'", (key,))
    assert stored_history == [("create", 1)]  # P-EXIST; imported records' entries are lazy
    return {"status": job["status"], "progress": (job.get("progress"), job.get("total")),
            "result": result, "records": records, "history": history,
            "report": [list(ws.iter_rows(values_only=True)) for ws in sheets]}


@pytest.mark.parametrize("atomic", [True, False], ids=["all-or-nothing", "good-rows"])
async def test_a_worker_process_gives_the_same_outcome_as_the_job_process(
        admin, settings, monkeypatch, atomic: bool) -> None:
    monkeypatch.setattr(jobs, "BATCH", 3)  # several batches in flight: P-1 twice is 2 apart
    inline, worker = KEYS[:2] if atomic else KEYS[2:4]
    _Pools.made.clear()
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", _Pools)
    expected = await outcome(admin, settings, inline, atomic=atomic)
    assert _Pools.made == []  # 11 rows: checked in the job's process
    monkeypatch.setattr(pipeline, "PROCESS_ROWS", 1)
    got = await outcome(admin, settings, worker, atomic=atomic)
    assert len(_Pools.made) == 1  # ...and now in a worker process
    assert got == expected
    codes = [(e["row"], e["code"]) for e in expected["result"]["errors"]]
    assert codes == [(3, "invalid_number"), (5, "duplicate_value"), (6, "not_in_options"),
                     (7, "unknown_record"), (8, "duplicate_in_file"),
                     (9, "ambiguous_reference"), (10, "invalid_number")]
    if atomic:
        assert expected["status"] == "failed" and expected["records"] == [
            ("P-EXIST", None, None, None, "D-0001", None)]
    else:
        assert expected["result"]["inserted"] == 4
        assert [r[0] for r in expected["records"]] == ["P-1", "P-10", "P-11", "P-3", "P-EXIST"]
        assert expected["history"] == [(title, [("import", 1)]) for title in
                                       ("P-1", "P-10", "P-11", "P-3")] + [
            ("P-EXIST", [("create", 1)])]
    for _ in range(100):  # the worker ends after the job, with nothing left running
        if not multiprocessing.active_children():
            break
        await asyncio.sleep(0.1)
    assert multiprocessing.active_children() == []


class _Lost(ProcessPoolExecutor):
    """A worker that died (killed, out of memory) before checking anything."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if fn is pipeline._ready:  # started: it dies on its first batch
            future.set_result(None)
        else:
            future.set_exception(BrokenProcessPool("the worker died"))
        return future


async def test_a_lost_worker_process_leaves_the_rest_to_the_job_process(
        admin, settings, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "BATCH", 3)
    expected = await outcome(admin, settings, "ppe", atomic=False)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", _Lost)
    monkeypatch.setattr(pipeline, "PROCESS_ROWS", 1)
    got = await outcome(admin, settings, "ppf", atomic=False)
    assert got == expected and expected["result"]["inserted"] == 4
