"""Import orders with their lines (a sub-form) through the wizard: one line's quantity is not a
number; the preview shows it on that file row and column, the good order goes in, and the
error report holds the bad order with all its rows."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, shot, sign_in
from tests.e2e.test_import_export import worker  # noqa: F401  (fixture: imports need a job worker)
from tests.e2e.test_subform_relation import sales  # noqa: F401  (fixture: the sales app)

QTY = "订单明细.数量"


def _orders(tag: str) -> bytes:
    """Two orders: A on file rows 2–3, B on rows 4–6 whose second line (row 5) has a bad
    quantity. Following lines leave the order's own cells empty, as merged cells read."""
    book = Workbook()
    sheet = book.active
    sheet.append(["订单标题", "客户", "订单明细.产品", QTY, "订单明细.单价"])
    sheet.append([f"订单甲 {tag}", "Acme Trading", "螺丝", 2, 1.5])
    sheet.append([None, None, "螺母", 3, 0.5])
    sheet.append([f"订单乙 {tag}", "Zenith Foods", "垫片", 1, 1])
    sheet.append([None, None, "弹簧", "很多", 2])
    sheet.append([None, None, "销钉", 4, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _open_wizard(page, url: str, upload: Path) -> None:
    page.goto(f"{url}/apps/sales/forms/order")
    sign_in(page)
    page.get_by_test_id("import-open").click()
    page.locator(".io-wizard input[type=file]").set_input_files(str(upload))
    expect(page.get_by_test_id("import-mapping")).to_be_visible()


def test_orders_with_a_bad_line(sales, worker, open_page, tmp_path: Path):  # noqa: F811
    tag = uuid.uuid4().hex[:6]
    upload = tmp_path / "orders.xlsx"
    upload.write_bytes(_orders(tag))
    page = open_page(locale="zh-CN")
    _open_wizard(page, sales.url, upload)

    # the sub-form's columns map to its fields, shown under the sub-form
    expect(page.get_by_test_id(f"map-{QTY}")).to_contain_text("订单明细 › 数量")
    expect(page.get_by_test_id("import-subform-hint")).to_be_visible()
    shot(page, "io-sub-01-mapping-zh")

    # the preview: a record per order, the bad line's cell on file row 5
    page.get_by_test_id("import-next").click()
    expect(page.get_by_test_id("import-preview")).to_be_visible()
    expect(page.get_by_test_id("preview-rows-2")).to_have_text("2–3")
    expect(page.get_by_test_id("preview-rows-4")).to_have_text("4–6")
    bad = page.get_by_test_id("preview-subrows-4").get_by_test_id("preview-cell-error")
    expect(bad).to_have_count(1)
    expect(bad).to_have_attribute("data-row", "5")
    expect(bad).to_have_attribute("data-column", QTY)
    expect(bad).to_contain_text("很多")
    expect(page.get_by_test_id("preview-cell-error")).to_have_count(1)
    # the clean order opens from the keyboard and shows its second line
    record = page.get_by_test_id("preview-rows-2").locator("xpath=ancestor::tr")
    toggle = record.get_by_role("button")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("preview-subrows-2")).to_contain_text("螺母")
    shot(page, "io-sub-02-preview-zh")

    # the good order goes in; the report holds the bad one
    page.get_by_text("导入正确的行，跳过有误的行").click()
    page.get_by_test_id("import-start").click()
    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("import-inserted")).to_contain_text("1")
    expect(page.get_by_test_id("import-errors")).to_contain_text(QTY)
    shot(page, "io-sub-03-done-zh")
    with page.expect_download() as report:
        page.get_by_test_id("import-report").click()
    book = load_workbook(io.BytesIO(Path(report.value.path()).read_bytes()))
    errors = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(e[0], e[1], e[2]) for e in errors] == [(5, QTY, "lines[1].qty")]
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[0][:5] == ("订单标题", "客户", "订单明细.产品", QTY, "订单明细.单价")
    assert [r[2] for r in rows[1:]] == ["垫片", "弹簧", "销钉"]  # the whole order, row by row
    assert QTY in (rows[2][5] or "")
    page.get_by_test_id("import-close").click()

    # the good order is in the list
    search = page.get_by_test_id("list-search").get_by_role("searchbox")
    search.fill(f"订单甲 {tag}")
    search.press("Enter")
    expect(page.get_by_test_id("record-table").locator("tr.record-row")).to_have_count(1)


def test_orders_preview_on_a_phone(sales, open_page, tmp_path: Path):  # noqa: F811
    upload = tmp_path / "orders.xlsx"
    upload.write_bytes(_orders(uuid.uuid4().hex[:6]))
    page = open_page(viewport=PHONE, locale="en-US")
    _open_wizard(page, sales.url, upload)
    expect(page.get_by_test_id(f"map-{QTY}")).to_contain_text("Lines › Quantity")
    expect(page.get_by_test_id("import-subform-hint")).to_contain_text("Sub-form columns")
    shot(page, "io-sub-04-mapping-phone-en")
    # the keyboard picks a sub-form field by typing part of its name
    page.get_by_test_id(f"map-{QTY}").click()
    expect(page.locator(".ant-select-dropdown:visible")).to_contain_text("Lines")
    shot(page, "io-sub-04b-mapping-options-phone-en")
    active = page.locator(".ant-select-dropdown:visible .ant-select-item-option-active")
    page.keyboard.type("Unit")
    expect(active).to_have_text("Lines › Unit price")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id(f"map-{QTY}")).to_contain_text("Lines › Unit price")
    expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)
    page.get_by_test_id(f"map-{QTY}").click()
    page.keyboard.type("Quant")
    expect(active).to_have_text("Lines › Quantity")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id(f"map-{QTY}")).to_contain_text("Lines › Quantity")
    page.get_by_test_id("import-next").click()
    bad = page.get_by_test_id("preview-subrows-4").get_by_test_id("preview-cell-error")
    expect(bad).to_have_attribute("data-row", "5")
    bad.scroll_into_view_if_needed()
    expect(bad.get_by_test_id("preview-cell-message")).to_be_visible()
    # nothing sticks out of the phone's width
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(page, "io-sub-05-preview-phone-en")


def test_file_column_is_skipped_with_a_note(sales, open_page, tmp_path: Path):  # noqa: F811
    upload = tmp_path / "clients.csv"
    upload.write_text("名称,资料\nAcme South,contract.pdf\n", encoding="utf-8")
    page = open_page(locale="zh-CN")
    page.goto(f"{sales.url}/apps/sales/forms/client")
    sign_in(page)
    page.get_by_test_id("import-open").click()
    page.locator(".io-wizard input[type=file]").set_input_files(str(upload))
    expect(page.get_by_test_id("map-note-资料")).to_contain_text("附件、图片和签名无法从表格导入")
    expect(page.get_by_test_id("map-资料")).to_contain_text("忽略此列")
    # the file fields are not offered: the mapping can only skip the column
    page.get_by_test_id("map-资料").click()
    expect(page.locator(".ant-select-dropdown:visible [title='资料']")).to_have_count(0)
    page.keyboard.press("Escape")
    shot(page, "io-sub-06-file-column-zh")
