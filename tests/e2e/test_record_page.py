"""The record page as a 360° view (issue 6): a CRM customer with its related records in tabs, a
follow-up added from its tab, a version restored from the history, the print preview; and a
public fill link made by an admin, filled on a phone by someone who is not signed in."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, choose, field_input, shot, sign_in, submit_public_lead
from tests.e2e.test_public_link_edit import new_link

HUADONG = "上海华东精密制造有限公司"  # a demo customer with contacts, opportunities, follow-ups


def test_customer_related_tabs_and_a_follow_up_from_its_tab(server, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page)
    page.get_by_role("link", name=HUADONG).click()
    expect(page.get_by_role("heading", name=HUADONG)).to_be_visible()

    related = page.get_by_test_id("related")
    contacts = page.get_by_test_id("related-table-contact")
    expect(contacts.locator("tr.related-row").first).to_be_visible()
    expect(page.get_by_test_id("related-count-contact.customer")).not_to_have_text("0")
    shot(page, "record-01-customer-related-en")

    related.get_by_role("tab", name=re.compile("^Opportunity")).click()
    expect(page.get_by_test_id("related-table-opportunity").locator("tr.related-row").first
           ).to_be_visible()

    related.get_by_role("tab", name=re.compile("^Follow-up")).click()
    followups = page.get_by_test_id("related-table-followup").locator("tr.related-row")
    expect(followups.first).to_be_visible()
    before = int(page.get_by_test_id("related-count-followup.customer").inner_text())

    page.get_by_test_id("related-new-followup").click()
    expect(page).to_have_url(re.compile(r"/forms/followup/new\?prefill="))
    expect(page.get_by_test_id("field-customer")).to_contain_text(HUADONG)
    note = f"Called about the MES rollout {uuid.uuid4().hex[:6]}"
    field_input(page, "content", "textarea").fill(note)
    when = field_input(page, "followup_time")
    when.fill("2026-11-24 10:00")
    page.locator(".ant-picker-dropdown:visible .ant-picker-ok button").click()
    shot(page, "record-02-new-followup-prefilled-en")
    page.get_by_test_id("form-save").click()

    # back on the customer, on the follow-up tab, with one more
    expect(page).to_have_url(re.compile(r"/forms/customer/records/[0-9a-f-]{36}\?related=followup"))
    expect(page.get_by_test_id("related-count-followup.customer")).to_have_text(str(before + 1))
    expect(page.get_by_test_id("related-table-followup").get_by_role("link", name=note)
           ).to_be_visible()
    # the rollups of the customer count it at once
    expect(page.locator(".record-details")).to_contain_text(str(before + 1))
    shot(page, "record-03-followup-added-en")

    # the same page on a phone: nothing sticks out sideways
    phone = open_page(viewport=PHONE, locale="zh-CN")
    phone.goto(page.url)
    sign_in(phone)
    expect(phone.get_by_test_id("related-table-followup").get_by_role("link", name=note)
           ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "record-07-customer-phone-zh")


def test_restore_a_previous_version_and_print(server, open_page):
    token = server.admin_token()
    name = f"Restore Co {uuid.uuid4().hex[:6]}"
    made = server.api("POST", "/apps/crm/forms/customer/records",
                      {"data": {"name": name, "pool": "private", "status": "potential",
                                "phone": "010-11111111"}}, token=token)
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/customer/records/{made['_id']}")
    sign_in(page)
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.get_by_test_id("record-edit").click()
    phone = field_input(page, "phone")
    phone.fill("010-22222222")
    page.get_by_test_id("form-save").click()
    expect(page.get_by_test_id("history-v2")).to_contain_text("010-22222222")
    expect(page.get_by_text("010-22222222").first).to_be_visible()

    # restore version 1: the old phone comes back as version 3
    page.get_by_test_id("history-restore-v1").click()
    confirm = page.get_by_role("tooltip")
    expect(confirm).to_contain_text("Restore version 1?")
    shot(page, "record-04-restore-confirm-en")
    confirm.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Version 1 restored")).to_be_visible()
    latest = page.get_by_test_id("history-v3")
    expect(latest).to_contain_text("restored an earlier version")
    expect(latest).to_contain_text("010-11111111")
    expect(page.locator(".record-details")).to_contain_text("010-11111111")
    shot(page, "record-05-restored-en")

    # print: the rendering in a preview frame, then the browser's print dialog
    page.get_by_test_id("record-print").click()
    frame = page.frame_locator("[data-testid=print-frame]")
    expect(frame.get_by_text(name).first).to_be_visible()
    expect(frame.get_by_text("010-11111111")).to_be_visible()
    expect(page.get_by_test_id("print-open")).to_have_attribute(
        "href", re.compile(rf"/api/v1/apps/crm/forms/customer/records/{made['_id']}/print\?"))
    shot(page, "record-06-print-preview-en")
    # the page reaches into the sandboxed frame (same origin, no scripts) to call its print()
    page.evaluate("""() => {
        const frame = document.querySelector('[data-testid=print-frame]');
        frame.contentWindow.print = () => { window.__printed = true; };
    }""")
    page.get_by_test_id("print-now").click()
    assert page.evaluate("window.__printed")


def test_public_link_filled_on_a_phone_without_signing_in(server, open_page):
    admin = open_page(locale="zh-CN")
    admin.goto(f"{server.url}/apps/crm/forms/lead")
    sign_in(admin)
    admin.get_by_test_id("nav-links-lead").click()
    expect(admin).to_have_url(re.compile(r"/apps/crm/forms/lead/links$"))
    admin.get_by_test_id("link-new").click()
    admin.get_by_test_id("link-name").fill("2026 展会")
    admin.get_by_test_id("link-create").click()
    url = admin.get_by_test_id("link-url").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(server.url)}/f/tpl_[\w-]+", url), url
    shot(admin, "public-01-link-made-zh")
    admin.get_by_test_id("link-done").click()
    expect(admin.get_by_test_id("links-table")).to_contain_text("2026 展会")
    shot(admin, "public-02-links-zh")

    # someone else, signed out, on a phone
    visitor = open_page(viewport=PHONE, locale="zh-CN")
    visitor.goto(url)
    expect(visitor.get_by_role("heading", name="线索")).to_be_visible()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    expect(visitor.get_by_test_id("field-owner")).to_have_count(0)  # members are not for the public
    shot(visitor, "public-03-form-phone-zh")
    visitor.get_by_test_id("form-save").click()
    expect(visitor.get_by_test_id("field-name").locator(".ant-form-item-explain-error")
           ).to_be_visible()
    who = f"访客 {uuid.uuid4().hex[:6]}"
    submit_public_lead(visitor, who, "宁波海天塑机", "展会")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    shot(visitor, "public-04-thanks-phone-zh")

    # the admin finds it in the list (opened afresh: the list they saw is cached a few seconds)
    admin.goto(f"{server.url}/apps/crm/forms/lead")
    expect(admin.get_by_role("link", name=who)).to_be_visible()

    # a link turned off says so
    admin.get_by_test_id("nav-links-lead").click()
    admin.get_by_test_id("links-table").locator("button[role=switch]").first.click()
    expect(admin.get_by_text("链接已关闭")).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_test_id("public-disabled")).to_be_visible()
    shot(visitor, "public-05-disabled-phone-zh")


# a 1×1 PNG: the server sniffs an image field's uploads
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_public_link_uploads_a_picture_through_the_link(server, open_page):
    """A visitor has no session for `POST /files`: the image editor uploads through the link
    (`POST /public/<token>/files?field=image`, with the link's password) and the record keeps
    the file."""
    token = server.admin_token()
    link = new_link(server, "product", "Catalogue", "pw-1234")
    visitor = open_page(locale="en-US")
    visitor.goto(f"{server.url}/f/{link['token']}")
    visitor.get_by_test_id("public-password-input").fill("pw-1234")
    visitor.get_by_test_id("public-password-submit").click()
    name = f"Sensor {uuid.uuid4().hex[:6]}"
    field_input(visitor, "name").fill(name)
    field_input(visitor, "code").fill(f"S-{uuid.uuid4().hex[:6]}")
    choose(visitor, "category", "Hardware")
    choose(visitor, "unit", "unit")
    field_input(visitor, "price").fill("12.5")
    visitor.get_by_test_id("field-image").locator("input[type=file]").set_input_files(
        {"name": "sensor.png", "mimeType": "image/png", "buffer": PNG_1PX})
    expect(visitor.get_by_test_id("field-image")).to_contain_text("sensor.png")
    shot(visitor, "public-06-picture-uploaded-en")
    visitor.get_by_test_id("form-save").click()
    expect(visitor.get_by_test_id("public-thanks")).to_be_visible()

    where = urllib.parse.quote(json.dumps({"==": [{"var": "name"}, name]}))
    found = server.api("GET", f"/apps/crm/forms/product/records?filter={where}", token=token)
    assert isinstance(found, dict)
    [record] = found["items"]
    assert isinstance(record["image"], list) and len(record["image"]) == 1, record["image"]
