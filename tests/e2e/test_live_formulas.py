"""Formula fields computed as the user types: a CRM quote's line amounts, its total and the VAT
in it update before saving (the browser evaluates the server's parse of the formula text), and
the record the server saves agrees; on a desktop and on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, field_input, shot, sign_in

CUSTOMER = "杭州云启科技有限公司"  # a customer of the CRM template's demo data


def line_cell(page, row: int, key: str):
    return page.get_by_test_id(f"field-{row}.{key}").locator("input").first


def line_amount(page, row: int):
    return page.get_by_test_id(f"field-{row}.amount").get_by_test_id("computed-amount")


def pick_customer(page) -> None:
    page.get_by_test_id("field-customer").locator(".ant-select").click()
    page.keyboard.type("云启")
    page.locator(f".ant-select-dropdown:visible .ant-select-item-option[title='{CUSTOMER}']"
                 ).first.click()


def retype(page, row: int, key: str, text: str) -> None:
    """Types over a cell's value: the click wakes the number editor (a look-alike until then,
    fields/lazy.tsx), which takes the focus; then its text is replaced."""
    cell = line_cell(page, row, key)
    cell.click()
    expect(cell).to_be_focused()
    cell.fill(text)
    expect(cell).to_have_attribute("aria-valuenow", text)


def fill_line(page, row: int, description: str, quantity: str, price: str) -> None:
    """A new line starts from its defaults (quantity 1, price rate 100 %): type the rest."""
    line_cell(page, row, "description").fill(description)
    retype(page, row, "quantity", quantity)
    retype(page, row, "unit_price", price)


def test_quote_lines_and_totals_update_as_the_user_types(server, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/quote/new")
    sign_in(page)
    expect(page.get_by_role("heading", name="New Quote")).to_be_visible()
    # text defaults through their trees: the quote date is today, valid 30 days
    expect(field_input(page, "valid_until")).not_to_have_value("")
    pick_customer(page)
    total = page.get_by_test_id("computed-total")
    vat = page.get_by_test_id("computed-tax_amount")
    expect(total).to_have_text("0.00")  # no lines yet: SUM over nothing, as the server says

    add_row = page.get_by_role("button", name="Add row")
    add_row.click()
    expect(line_cell(page, 0, "discount_rate")).to_have_value("100.00")
    fill_line(page, 0, "Installation", "3", "19.99")
    # 3 × 19.99 × 100 %, then the total over the lines and the VAT in it
    expect(line_amount(page, 0)).to_have_text("59.97")
    expect(total).to_have_text("59.97")
    expect(vat).to_have_text("6.90")
    add_row.click()
    fill_line(page, 1, "Support plan", "2", "100")
    expect(line_amount(page, 1)).to_have_text("200.00")
    expect(total).to_have_text("259.97")
    expect(vat).to_have_text("29.91")
    # typing again updates the line and the total
    retype(page, 0, "quantity", "4")
    expect(line_amount(page, 0)).to_have_text("79.96")
    expect(total).to_have_text("279.96")
    expect(vat).to_have_text("32.21")
    # a rate is typed as a percent: 90 is 90 % (stored 0.9), not clamped to the stored max of 1
    retype(page, 1, "discount_rate", "90")
    expect(line_amount(page, 1)).to_have_text("180.00")
    expect(total).to_have_text("259.96")
    expect(vat).to_have_text("29.91")
    shot(page, "formulas-01-quote-live-en")

    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    record_id = page.url.rsplit("/", 1)[1]
    saved = server.api("GET", f"/apps/crm/forms/quote/records/{record_id}",
                       token=server.admin_token())
    assert isinstance(saved, dict)
    # the server's own computation agrees with what the form showed
    assert [line["amount"] for line in saved["lines"]] == [79.96, 180]
    assert [line["discount_rate"] for line in saved["lines"]] == [1, 0.9]
    assert saved["total"] == 259.96 and saved["tax_amount"] == 29.91
    expect(page.get_by_text("259.96").first).to_be_visible()
    shot(page, "formulas-02-quote-saved-en")


def test_quote_line_amount_on_a_phone(server, open_page):
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/quote/new")
    sign_in(page)
    page.get_by_role("button", name="添加一行").click()
    expect(page.locator(".subform__card")).to_have_count(1)
    fill_line(page, 0, "安装调试", "2", "1500")
    expect(line_amount(page, 0)).to_have_text("3,000.00")
    expect(page.get_by_test_id("computed-total")).to_have_text("3,000.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("field-0.amount").scroll_into_view_if_needed()
    shot(page, "formulas-03-quote-phone-zh")
