"""The side menu lists each form's views under the form: a view saved in the list shows up
there and opens the list with its settings, highlighted, on a desktop and in the phone drawer
at 390 px. Screenshots in both languages."""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, shot, sign_in
from tests.e2e.test_views import save_view_as


def test_a_saved_view_opens_from_the_side_menu(server, open_page) -> None:
    page = open_page(locale="en")
    flt = urllib.parse.quote(json.dumps({"==": [{"var": "level"}, "A"]}))
    page.goto(f"{server.url}/apps/crm/forms/customer?filter={flt}&sort=-annual_revenue")
    sign_in(page)
    expect(page.get_by_test_id("record-table")).to_be_visible()
    name = f"Top accounts {uuid.uuid4().hex[:4]}"
    view_id = save_view_as(page, name)
    item = page.get_by_test_id(f"nav-view-customer-{view_id}")
    # the new view is under its form at once (the list's save refreshes the menu)
    expect(item).to_be_visible()

    # away to another form and back through the menu: the view opens with its settings
    page.get_by_test_id("nav-form-contact").click()
    expect(page).to_have_url(re.compile(r"/apps/crm/forms/contact$"))
    page.get_by_test_id("nav-form-customer").click()
    expect(page).to_have_url(re.compile(r"/apps/crm/forms/customer$"))
    item.click()
    page.wait_for_url(lambda url: f"sv={view_id}" in url and "sort=-annual_revenue" in url)
    expect(page.get_by_test_id("view-select")).to_contain_text(name)
    expect(item.locator("xpath=ancestor-or-self::li[1]")).to_have_class(
        re.compile("ant-menu-item-selected"))
    expect(page.get_by_test_id("view-modified")).to_have_count(0)
    # the app's own views are listed too: the pipeline opens as a kanban
    page.get_by_test_id("nav-form-opportunity").click()
    page.get_by_test_id("nav-view-opportunity-definition:opportunity_pipeline").click()
    expect(page.get_by_test_id("kanban")).to_be_visible()
    shot(page, "nav-views-01-desktop-en")

    phone = open_page(viewport=PHONE, locale="zh-CN")
    phone.goto(f"{server.url}/apps/crm/forms/contact")
    sign_in(phone)
    phone.get_by_test_id("nav-open").click()
    drawer = phone.get_by_role("dialog")
    drawer.get_by_test_id("nav-form-customer").click()
    expect(phone).to_have_url(re.compile(r"/apps/crm/forms/customer$"))
    # the drawer stays open on a form's name, so one of its views can be picked
    expect(drawer.get_by_test_id("nav-all-customer")).to_be_visible()
    expect(drawer.get_by_text("全部记录")).to_be_visible()
    shot(phone, "nav-views-02-phone-drawer-zh")
    drawer.get_by_test_id(f"nav-view-customer-{view_id}").click()
    phone.wait_for_url(lambda url: f"sv={view_id}" in url)
    expect(drawer).to_be_hidden()
    expect(phone.get_by_test_id("view-select")).to_contain_text(name)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(phone, "nav-views-03-phone-view-zh")
