"""An order with lines (a sub-form) and a client (a relation), on a desktop and on a phone."""

from __future__ import annotations

import json
import re
import urllib.error
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, choose, field_input, shot, sign_in

SALES_APP = json.loads((Path(__file__).parent / "sales_app.json").read_text())


@pytest.fixture(scope="module")
def sales(server):
    token = server.admin_token()
    try:
        server.api("POST", "/apps", SALES_APP, token=token)
    except urllib.error.HTTPError as error:
        if error.code != 409:  # already there on a reused development server
            raise
    server.api("POST", "/apps/sales/forms/client/records",
               {"data": {"name": "Acme Trading", "email": "hi@acme.example"}}, token=token)
    server.api("POST", "/apps/sales/forms/client/records", {"data": {"name": "Zenith Foods"}},
               token=token)
    return server


def line_cell(page, row: int, key: str):
    return page.get_by_test_id(f"field-{row}.{key}").locator("input").first


def test_order_with_lines_and_client(sales, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{sales.url}/apps/sales/forms/order/new")
    sign_in(page)
    expect(page.get_by_role("heading", name="New Order")).to_be_visible()
    field_input(page, "title").fill("First order")

    # the relation searches the client form through the list API
    page.get_by_test_id("field-client").locator(".ant-select").click()
    page.keyboard.type("Acme")
    option = ".ant-select-dropdown:visible .ant-select-item-option[title='Acme Trading']"
    page.locator(option).first.click()
    # "Why urgent" shows only while the priority is urgent (visible_when, evaluated live)
    why = page.get_by_test_id("field-urgent_reason")
    expect(why).to_have_count(0)
    choose(page, "priority", "Urgent")
    expect(why).to_be_visible()
    choose(page, "priority", "Normal")
    expect(why).to_have_count(0)

    add_row = page.get_by_role("button", name="Add row")
    add_row.click()
    add_row.click()
    line_cell(page, 0, "product").fill("Bolt #1")  # the server's pattern forbids '#'
    line_cell(page, 0, "qty").fill("10")
    line_cell(page, 0, "price").fill("2.5")
    line_cell(page, 1, "product").fill("Nut")
    line_cell(page, 1, "qty").fill("200")
    page.get_by_test_id("form-save").click()

    # the server's error lands in the sub-form row it is about
    row_error = page.get_by_test_id("field-0.product").locator(".ant-form-item-explain")
    expect(row_error).to_be_visible()
    shot(page, "sales-01-row-error-en")
    line_cell(page, 0, "product").fill("Bolt")
    page.get_by_test_id("form-save").click()

    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="First order")).to_be_visible()
    expect(page.get_by_role("link", name="Acme Trading")).to_be_visible()
    expect(page.get_by_role("cell", name="Bolt", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Nut", exact=True)).to_be_visible()
    shot(page, "sales-02-record-en")


def test_order_lines_on_a_phone(sales, open_page):
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{sales.url}/apps/sales/forms/order/new")
    sign_in(page)
    field_input(page, "title").fill("手机下单")
    page.get_by_role("button", name="添加一行").click()
    expect(page.locator(".subform__card")).to_have_count(1)
    line_cell(page, 0, "product").fill("螺丝")
    line_cell(page, 0, "qty").fill("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "sales-03-phone-form-zh")
    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    expect(page.get_by_role("cell", name="螺丝", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "sales-04-phone-record-zh")


def test_client_with_an_uploaded_document(sales, open_page, tmp_path):
    page = open_page(locale="en-US")
    page.goto(f"{sales.url}/apps/sales/forms/client/new")
    sign_in(page)
    field_input(page, "name").fill("Uploader Ltd")
    field_input(page, "email").fill("not-an-email")
    document = tmp_path / "price-list.txt"
    document.write_text("bolts 2.50\nnuts 0.40\n")
    page.get_by_test_id("field-documents").locator("input[type=file]").set_input_files(str(document))
    expect(page.get_by_test_id("field-documents").get_by_text("price-list.txt")).to_be_visible()
    page.get_by_test_id("form-save").click()
    # checked in the browser
    expect(page.get_by_text("Enter a valid email address")).to_be_visible()
    field_input(page, "email").fill("hello@uploader.example")
    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    link = page.get_by_role("link", name="File 1")
    expect(link).to_be_visible()
    assert page.request.get(sales.url + link.get_attribute("href")).text().startswith("bolts 2.50")
    shot(page, "sales-05-uploaded-en")
