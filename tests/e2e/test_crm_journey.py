"""A sales rep's day in the CRM: sign in, add a customer, find it again, change it."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, choose, field_input, shot, sign_in


def test_create_find_edit_customer(server, open_page):
    page = open_page(locale="zh-CN")
    name = f"北京测试科技 {uuid.uuid4().hex[:6]}"

    # a deep link while signed out goes through the login page and comes back
    page.goto(f"{server.url}/apps/crm/forms/customer")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    shot(page, "crm-01-login-zh")
    sign_in(page)
    expect(page).to_have_url(re.compile(r"/apps/crm/forms/customer$"))
    expect(page.get_by_role("heading", name="客户", exact=True)).to_be_visible()
    expect(page).to_have_title("客户 · 客户管理 · Tessera")
    shot(page, "crm-02-list-zh")

    # create
    page.get_by_test_id("record-new").click()
    expect(page.get_by_role("heading", name="新建客户")).to_be_visible()
    field_input(page, "name").fill(name)
    choose(page, "level", "A（重点）")
    field_input(page, "phone").fill("010-88886666")
    field_input(page, "annual_revenue").fill("1200000")
    shot(page, "crm-03-new-zh")
    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("¥1,200,000.00")).to_be_visible()
    shot(page, "crm-04-record-zh")

    # find it with the condition builder: name contains the unique part
    page.get_by_test_id("page-back").click()
    page.get_by_test_id("filter-open").click()
    page.get_by_test_id("filter-add").click()
    page.get_by_test_id("condition-value").locator("input").fill(name.split()[-1])
    shot(page, "crm-05-filter-zh")
    page.get_by_test_id("filter-apply").click()
    rows = page.get_by_test_id("record-table").locator("tr.record-row")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"filter="))
    shot(page, "crm-06-filtered-zh")

    # edit, then see the change in the history
    page.get_by_role("link", name=name).click()
    page.get_by_test_id("record-edit").click()
    phone = field_input(page, "phone")
    expect(phone).to_have_value("010-88886666")
    shot(page, "crm-07-edit-zh")
    phone.fill("010-12345678")
    phone.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    latest = page.get_by_test_id("history-v2")
    expect(latest).to_contain_text("修改了 1 个字段")
    expect(latest).to_contain_text("010-88886666")
    expect(latest).to_contain_text("010-12345678")
    shot(page, "crm-08-history-zh")

    # delete goes to the recycle bin; "undo" in the message brings the record back
    page.get_by_test_id("record-delete").click()
    expect(page).to_have_url(re.compile(r"/apps/crm/forms/customer$"))
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    shot(page, "crm-09-deleted-zh")
    page.get_by_test_id("undo-delete").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("history-v4")).to_contain_text("恢复了记录")


def test_customer_form_on_a_phone(server, open_page):
    page = open_page(viewport=PHONE, locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/customer/new")
    sign_in(page)
    expect(page.get_by_role("heading", name="New Customer")).to_be_visible()
    shot(page, "phone-01-new-en")
    # nothing sticks out sideways at 390 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("form-save").click()
    expect(page.get_by_text("Customer name is required")).to_be_visible()
    field_input(page, "name").fill(f"Phone Co {uuid.uuid4().hex[:6]}")

    # leaving with unsaved changes asks first
    page.get_by_test_id("page-back").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Leave without saving?")
    shot(page, "phone-02-unsaved-en")
    dialog.get_by_role("button", name="Keep editing").click()
    expect(page).to_have_url(re.compile(r"/new$"))
    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    shot(page, "phone-03-record-en")

    page.get_by_test_id("nav-open").click()
    page.get_by_role("menuitem", name="Customer").click()
    expect(page.get_by_test_id("record-cards")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phone-04-list-en")


def test_unknown_page(server, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/no/such/page")
    sign_in(page)
    expect(page.get_by_text("Page not found")).to_be_visible()
    page.goto(f"{server.url}/apps/nope")
    expect(page.get_by_text("This app does not exist or you have no access to it.")).to_be_visible()
    shot(page, "notfound-en")


def test_switch_language(server, open_page):
    page = open_page(locale="en-US")
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Sign in to Tessera")).to_be_visible()
    sign_in(page)
    expect(page.get_by_role("heading", name="Hello, Admin")).to_be_visible()
    page.get_by_test_id("user-menu").click()
    shot(page, "lang-00-menu-en")
    page.get_by_role("menuitem", name="简体中文").click()
    expect(page.get_by_role("heading", name="你好，Admin")).to_be_visible()
    shot(page, "lang-01-home-zh")
    page.reload()  # remembered on this browser
    expect(page.get_by_role("heading", name="你好，Admin")).to_be_visible()
    page.get_by_test_id("app-tile-crm").click()
    expect(page.get_by_role("heading", name="客户", exact=True)).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="English").click()
    expect(page.get_by_role("heading", name="Customer", exact=True)).to_be_visible()

    # sign out: back to the login page, which says so
    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")


def test_list_sort_bulk_delete_undo_and_session_expiry(server, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page)
    table = page.get_by_test_id("record-table")
    rows = table.locator("tr.record-row")
    expect(rows.first).to_be_visible()
    count = rows.count()

    page.get_by_role("columnheader", name="Customer name").click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    page.get_by_role("columnheader", name="Customer name").click()
    expect(page).to_have_url(re.compile(r"sort=-name"))

    first_name = rows.first.locator("a").inner_text()
    rows.first.locator("input[type=checkbox]").check()
    page.get_by_test_id("bulk-delete").click()
    expect(rows).to_have_count(count - 1)
    shot(page, "list-01-deleted-en")
    page.get_by_test_id("undo-delete").click()
    expect(rows).to_have_count(count)
    expect(page.get_by_role("link", name=first_name)).to_be_visible()

    # the session ends (cookie gone): the next request sends the user to sign in again
    page.context.clear_cookies()
    page.get_by_test_id("nav-form-contact").click()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fapps%2Fcrm%2Fforms%2Fcontact"))
    expired = page.get_by_role("alert").filter(has_text="expired")
    expect(expired).to_contain_text("Your session has expired")
    sign_in(page)
    expect(page).to_have_url(re.compile(r"/apps/crm/forms/contact$"))
