"""New records reach Postgres as text-format COPY data built in a thread
(`tessera.imports.copytext`) when every column's type has a text encoder; the records read
back exactly as through asyncpg's binary `copy_records_to_table` — tabs, line breaks,
backslashes and quotes in text and arrays included (line breaks: the unit tests)."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.imports import importer
from tests.integration.test_import_api import csv_bytes, run_import
from tests.integration.test_import_processes import settings, stock_apps

__all__ = ["settings"]  # the in-process worker, as for the other import tests
KEYS = ("pca", "pcb")
HEADER = ["标题", "金额", "标签", "成交日期", "签约时间", "已赢", "数量", "客户", "内部备注"]
ROWS = [
    ["C-1\ttab", "12.5", "重要客户,紧急", "2026-03-04", "2026-03-04 10:20:30", "是", "3",
     "华为", 'back \\ slash "quoted"\t'],
    ["C-2 {braces},\"comma\"", "", "紧急", "", "", "否", "-0.5", "", "\\N not null"],
    ["C-3 中文", "1e3", "", "2026-12-31", "", "", "", "腾讯", ""],
]


@pytest.fixture(scope="module", autouse=True)
async def apps(admin) -> None:  # type: ignore[no-untyped-def]
    await stock_apps(admin, KEYS)


async def _imported(admin, key: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    form = f"/api/v1/apps/{key}/forms/deal"
    job = await run_import(admin, csv_bytes([HEADER, *ROWS], "utf-8"), "c.csv", form=form)
    assert job["status"] == "succeeded" and job["result"]["inserted"] == 3, job["error"]["details"]
    items = (await admin.get(form + "/records", params={"limit": 100})).json()["items"]
    drop = {"_id", "_created_at", "_updated_at", "customer", "_titles", "no"}
    return sorted(({k: v for k, v in r.items() if k not in drop} for r in items),
                  key=lambda r: r["title"])


async def test_text_copy_stores_what_binary_copy_stores(admin, monkeypatch) -> None:
    made: list[Any] = []
    encoders = importer.encoders
    monkeypatch.setattr(importer, "encoders", lambda types: made.append(encoders(types))
                        or made[-1])
    text = await _imported(admin, KEYS[0])
    assert made and made[0] is not None  # every column of the deal form is written as text
    monkeypatch.setattr(importer, "encoders", lambda types: None)
    binary = await _imported(admin, KEYS[1])
    assert text == binary
    got = {r["title"]: r for r in text}
    assert got["C-1\ttab"]["secret"] == 'back \\ slash "quoted"'
    assert got["C-1\ttab"]["tags"] == ["vip", "urgent"]
    assert got["C-2 {braces},\"comma\""]["secret"] == "\\N not null"
    assert got["C-3 中文"]["amount"] == 1000
