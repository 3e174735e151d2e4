"""Import customers from an xlsx through the wizard, then delete one and bring it back."""

from __future__ import annotations

import io
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tessera.child_server import stop
from tests.e2e.conftest import PHONE, ROOT, _tessera_command, shot, sign_in


@pytest.fixture(scope="module")
def worker(server, fresh_db, tmp_path_factory) -> Iterator[None]:
    """The e2e server runs without a job worker: imports need one."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ, "DATABASE_URL": fresh_db.async_url}
    with log.open("wb") as out:
        process = subprocess.Popen([*_tessera_command(), "worker"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    try:
        yield
    finally:
        stop(process)


ROWS = 1000
BAD_ROWS = (3, 500, 1000)  # 1-based data rows whose revenue is not a number


def _workbook(tag: str) -> bytes:
    """1,000 customers, three of them with a revenue that is not a number (one of those among
    the rows the preview shows)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "phone", "annual_revenue"])
    sheet.append([f"导入甲 {tag}", "010-11112222", 1000])
    for i in range(2, ROWS + 1):
        revenue: object = "不是数字" if i in BAD_ROWS else i * 100
        sheet.append([f"导入客户 {i:04d} {tag}", f"010-{i:08d}", revenue])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_good_rows_then_delete_and_restore(server, worker, open_page, tmp_path: Path):
    tag = uuid.uuid4().hex[:6]
    upload = tmp_path / "customers.xlsx"
    upload.write_bytes(_workbook(tag))
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page)
    expect(page.get_by_test_id("import-open")).to_be_visible()
    expect(page.get_by_test_id("export-open")).to_be_visible()

    # step 1 → 2: the columns map by field key
    page.get_by_test_id("import-open").click()
    page.locator(".io-wizard input[type=file]").set_input_files(str(upload))
    expect(page.get_by_test_id("import-mapping")).to_be_visible()
    expect(page.get_by_test_id("map-annual_revenue")).to_contain_text("年营业额")
    shot(page, "io-01-mapping-zh")

    # step 3: the bad cell is marked
    page.get_by_test_id("import-next").click()
    expect(page.get_by_test_id("import-preview")).to_be_visible()
    expect(page.get_by_test_id("preview-cell-error")).to_have_count(1)
    # why is written under the cell, readable without a mouse
    expect(page.get_by_test_id("preview-cell-message")).to_be_visible()
    shot(page, "io-02-preview-zh")

    # step 4: the good rows go in, the bad one is reported
    page.get_by_text("导入正确的行，跳过有误的行").click()
    page.get_by_test_id("import-start").click()
    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("import-inserted")).to_contain_text(str(ROWS - len(BAD_ROWS)))
    expect(page.get_by_test_id("import-failed")).to_contain_text(str(len(BAD_ROWS)))
    with page.expect_download() as report:
        page.get_by_test_id("import-report").click()
    errors = load_workbook(io.BytesIO(Path(report.value.path()).read_bytes())).active
    assert errors.max_row - 1 == len(BAD_ROWS)  # one line per bad row, under a header
    shot(page, "io-03-done-zh")
    page.get_by_test_id("import-close").click()

    # the imported records are in the list
    search = page.get_by_test_id("list-search").get_by_role("searchbox")
    search.fill(f"导入甲 {tag}")
    search.press("Enter")
    rows = page.get_by_test_id("record-table").locator("tr.record-row")
    expect(rows).to_have_count(1)

    # export what the list shows: the search is the export's filter
    page.get_by_test_id("export-open").click()
    with page.expect_download() as download:
        page.get_by_role("menuitem", name="Excel（.xlsx）").click()
    exported = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    names = [row[0] for row in exported.iter_rows(min_row=2, values_only=True)]
    assert names == [f"导入甲 {tag}"]

    # delete it, find it in the recycle bin, restore it
    rows.first.get_by_role("checkbox").check()
    page.get_by_test_id("bulk-delete").click()
    expect(page.get_by_test_id("undo-delete")).to_be_visible()
    expect(rows).to_have_count(0)
    page.get_by_test_id("trash-link").click()
    trashed = page.get_by_test_id("trash-table").locator("tr", has_text=f"导入甲 {tag}")
    expect(trashed).to_have_count(1)
    shot(page, "io-04-trash-zh")
    trashed.get_by_test_id("trash-restore").click()
    expect(page.get_by_text("记录已恢复到列表中。")).to_be_visible()
    expect(trashed).to_have_count(0)

    page.get_by_test_id("page-back").click()
    search = page.get_by_test_id("list-search").get_by_role("searchbox")
    search.fill(f"导入甲 {tag}")
    search.press("Enter")
    expect(page.get_by_test_id("record-table").locator("tr.record-row")).to_have_count(1)


def test_phone_toolbar_and_trash(server, open_page, tmp_path: Path):
    upload = tmp_path / "customers.xlsx"
    upload.write_bytes(_workbook(uuid.uuid4().hex[:6]))
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page)
    expect(page.get_by_test_id("import-open")).to_be_visible()
    shot(page, "io-05-list-phone-zh")
    page.get_by_test_id("import-open").click()
    expect(page.get_by_test_id("import-upload")).to_be_visible()
    page.locator(".io-wizard input[type=file]").set_input_files(str(upload))
    expect(page.get_by_test_id("import-mapping")).to_be_visible()
    shot(page, "io-06-wizard-phone-zh")
    page.get_by_test_id("import-next").click()
    expect(page.get_by_test_id("preview-cell-error")).to_have_count(1)
    shot(page, "io-07-preview-phone-zh")
    page.keyboard.press("Escape")
    page.get_by_test_id("trash-link").click()
    expect(page.get_by_test_id("trash-table").or_(page.get_by_test_id("trash-empty"))).to_be_visible()
    shot(page, "io-08-trash-phone-zh")
