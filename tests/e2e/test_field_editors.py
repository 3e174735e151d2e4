"""The editors beyond plain inputs, filled in a real browser and read back on the record page:
address cascader, department tree, rich text, a signature drawn with the mouse, a location
typed by hand — on a desktop and at 390 px — and a draft restored after a reload."""

from __future__ import annotations

import re
import urllib.error

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, field_input, shot, sign_in


def label(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh-CN": zh}


VISITS_APP = {
    "format": "tessera.app/1",
    "key": "visits",
    "name": label("Site visits", "现场拜访"),
    "version": "1.0.0",
    "forms": [{
        "key": "visit",
        "name": label("Visit", "拜访"),
        "title_field": "name",
        "fields": [
            {"key": "name", "type": "text", "label": label("Visit", "拜访主题"), "required": True},
            {"key": "where", "type": "address", "label": label("Address", "地址")},
            {"key": "dept", "type": "department", "label": label("Department", "负责部门")},
            {"key": "spot", "type": "location", "label": label("Check-in point", "签到位置")},
            {"key": "notes", "type": "richtext", "label": label("Minutes", "纪要")},
            {"key": "sign", "type": "signature", "label": label("Customer signature", "客户签名")},
        ],
    }],
}


def create_once(server, path: str, body: dict, token: str) -> None:
    """POST, accepting 409: a reused development server already has it."""
    try:
        server.api("POST", path, body, token=token)
    except urllib.error.HTTPError as error:
        if error.code != 409:
            raise


@pytest.fixture(scope="module")
def visits(server):
    token = server.admin_token()
    create_once(server, "/apps", VISITS_APP, token)
    create_once(server, "/departments", {"key": "fe_sales", "name": "Sales"}, token)
    create_once(server, "/departments",
                {"key": "fe_east", "name": "Sales East", "parent": "fe_sales"}, token)
    return server


def pick_region(page: Page, *names: str) -> None:
    page.get_by_test_id("field-where").locator(".ant-cascader").click()
    menu = page.locator(".ant-cascader-dropdown:visible")
    for name in names:
        menu.locator(f".ant-cascader-menu-item[title='{name}']").click()


def pick_department(page: Page, search: str, name: str) -> None:
    page.get_by_test_id("field-dept").locator(".ant-select").click()
    # the real picker replaces its look-alike and opens; type once it is there, as a person would
    expect(page.locator(".ant-tree-select-dropdown:visible")).to_be_visible()
    page.keyboard.type(search)
    page.locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper",
                 has_text=name).first.click()


def write_minutes(page: Page, text: str) -> None:
    editor = page.get_by_test_id("richtext-notes")
    editor.click()
    page.keyboard.type(text)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("ControlOrMeta+b")


def draw_signature(page: Page) -> None:
    pad = page.get_by_test_id("signature-pad-sign")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.6)
    page.mouse.down()
    for step in range(1, 21):  # a wave across the pad
        wave = 0.25 * ((step % 4) - 1.5) / 1.5
        page.mouse.move(x + w * (0.15 + 0.035 * step), y + h * (0.6 - wave))
    page.mouse.up()
    page.get_by_test_id("signature-done-sign").click()
    expect(page.get_by_test_id("signature-image-sign")).to_be_visible()


def type_location(page: Page, lat: str, lng: str, address: str) -> None:
    page.get_by_test_id("location-lat-spot").fill(lat)
    page.get_by_test_id("location-lng-spot").fill(lng)
    page.get_by_test_id("location-address-spot").fill(address)


def test_fill_every_editor_and_read_it_back(visits, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{visits.url}/apps/visits/forms/visit/new")
    sign_in(page)
    field_input(page, "name").fill("Quarterly review")
    pick_region(page, "Guangdong", "Shenzhen", "Nanshan District")  # English UI, English names
    page.get_by_test_id("address-detail-where").fill("科技园 1 号")
    pick_department(page, "East", "Sales East")
    type_location(page, "22.5431", "113.9345", "Shenzhen Bay")
    write_minutes(page, "Agreed on the renewal")
    draw_signature(page)
    shot(page, "fields-01-form-en")
    page.get_by_test_id("form-save").click()

    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Quarterly review")).to_be_visible()
    expect(page.get_by_text("Guangdong / Shenzhen / Nanshan District, 科技园 1 号")).to_be_visible()
    expect(page.get_by_text("Sales East")).to_be_visible()
    expect(page.get_by_text("22.543100, 113.934500")).to_be_visible()
    expect(page.get_by_text("Shenzhen Bay")).to_be_visible()
    expect(page.locator(".richtext strong", has_text="Agreed on the renewal")).to_be_visible()
    signature = page.get_by_role("img", name="Signature")
    expect(signature).to_be_visible()
    # the image really loaded: a PNG the files API served to this session
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0",
                         signature.element_handle())
    shot(page, "fields-02-record-en")

    # what the server stored, in the shapes the form engine defines
    record_id = page.url.rsplit("/", 1)[1]
    stored = visits.api("GET", f"/apps/visits/forms/visit/records/{record_id}",
                        token=visits.admin_token())
    assert isinstance(stored, dict)
    assert stored["where"] == {"province": "44", "city": "4403", "district": "440305",
                               "detail": "科技园 1 号", "text": "广东省深圳市南山区科技园 1 号"}
    assert stored["spot"] == {"lng": 113.9345, "lat": 22.5431, "address": "Shenzhen Bay"}
    assert stored["notes"] == "<p><strong>Agreed on the renewal</strong></p>"
    assert re.fullmatch(r"[0-9a-f-]{36}", stored["sign"])


def test_the_same_editors_at_390_px_with_a_draft_restored(visits, open_page):
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?" on reload
    page.goto(f"{visits.url}/apps/visits/forms/visit/new")
    sign_in(page)
    field_input(page, "name").fill("手机拜访")
    pick_region(page, "北京市", "东城区")
    page.reload()  # before the typing pause ends: leaving the page writes the draft at once

    expect(page.get_by_test_id("draft-offer")).to_be_visible()
    shot(page, "fields-03-phone-draft-zh")
    page.get_by_test_id("draft-restore").click()
    expect(field_input(page, "name")).to_have_value("手机拜访")
    expect(page.get_by_test_id("field-where").get_by_text("北京市 / 东城区")).to_be_visible()

    pick_department(page, "Sales", "Sales East")
    type_location(page, "39.9151", "116.4039", "")
    write_minutes(page, "现场确认需求")
    draw_signature(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "fields-04-phone-form-zh")
    page.get_by_test_id("form-save").click()

    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    expect(page.get_by_text("北京市东城区")).to_be_visible()
    expect(page.get_by_text("39.915100, 116.403900")).to_be_visible()
    expect(page.get_by_role("img", name="签名")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "fields-05-phone-record-zh")

    # saved: the draft is gone, a new form starts empty
    page.goto(f"{visits.url}/apps/visits/forms/visit/new")
    expect(field_input(page, "name")).to_have_value("")
    expect(page.get_by_test_id("draft-offer")).to_have_count(0)
