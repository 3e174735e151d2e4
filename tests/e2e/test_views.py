"""Views in the browser: drag a card on the opportunity board and see the stage saved; the
keyboard moves a card too; a saved view comes back after a reload; three records edited at
once; the calendar. Screenshots at desktop size and at 390 px."""

from __future__ import annotations

import json
import urllib.parse
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, shot, sign_in

OPPORTUNITIES = "/apps/crm/forms/opportunity/records"
CUSTOMERS = "/apps/crm/forms/customer/records"


def _customer(server, token: str, name: str) -> dict:
    record = server.api("POST", CUSTOMERS, {"data": {"name": name}}, token=token)
    assert isinstance(record, dict)
    return record


def _opportunity(server, token: str, name: str, customer: str) -> dict:
    record = server.api("POST", OPPORTUNITIES, {"data": {
        "name": name, "customer": customer, "stage": "initial", "expected_amount": 9_999_999,
        "expected_close_date": "2026-11-20"}}, token=token)
    assert isinstance(record, dict)
    return record


def save_view_as(page, name: str) -> str:
    """Saves the list's settings as a new view through the list's view menu (English page);
    returns the view's id from the address."""
    page.get_by_test_id("view-menu").click()
    page.get_by_test_id("view-save-as").click()
    page.get_by_test_id("view-name").fill(name)
    page.get_by_test_id("view-save-submit").click()
    # the save's round trip can outlast expect's default 5 s on a loaded machine
    expect(page.get_by_text(f'View "{name}" saved')).to_be_visible(timeout=20_000)
    page.wait_for_url(lambda url: "sv=" in url)
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["sv"][0]


def _drag(page, source, target) -> None:
    """A real pointer drag in small steps (dnd-kit starts after a few pixels of movement)."""
    box, goal = source.bounding_box(), target.bounding_box()
    assert box and goal
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + 20, steps=4)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + 60, steps=12)
    page.mouse.up()


def test_drag_a_card_to_another_stage(server, open_page) -> None:
    token = server.admin_token()
    customer = _customer(server, token, f"看板客户 {uuid.uuid4().hex[:6]}")
    deal = _opportunity(server, token, f"拖动商机 {uuid.uuid4().hex[:4]}", customer["_id"])
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/opportunity?view=kanban&group=stage")
    sign_in(page)
    card = page.get_by_test_id(f"kanban-card-{deal['_id']}")
    expect(page.get_by_test_id("kanban-lane-initial").get_by_test_id(
        f"kanban-card-{deal['_id']}")).to_be_visible()
    shot(page, "views-01-kanban-zh")
    _drag(page, card, page.get_by_test_id("kanban-lane-qualified"))
    expect(page.get_by_test_id("kanban-lane-qualified").get_by_test_id(
        f"kanban-card-{deal['_id']}")).to_be_visible()
    page.wait_for_timeout(300)
    saved = server.api("GET", f"{OPPORTUNITIES}/{deal['_id']}", token=token)
    assert isinstance(saved, dict) and saved["stage"] == "qualified"
    assert saved["_version"] == deal["_version"] + 1

    # the keyboard: Space picks the card up, → moves it a column on, Space drops it
    card = page.get_by_test_id(f"kanban-card-{deal['_id']}")
    card.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(150)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("status").filter(has_text="方案报价")).to_have_count(1)
    page.keyboard.press("Space")
    expect(page.get_by_test_id("kanban-lane-proposal").get_by_test_id(
        f"kanban-card-{deal['_id']}")).to_be_visible()
    page.wait_for_timeout(300)
    saved = server.api("GET", f"{OPPORTUNITIES}/{deal['_id']}", token=token)
    assert isinstance(saved, dict) and saved["stage"] == "proposal"

    # a conflict: someone else saved the card meanwhile; the move is undone and explained
    server.api("PATCH", f"{OPPORTUNITIES}/{deal['_id']}",
               {"data": {"win_rate": 0.5}, "_version": saved["_version"]}, token=token)
    _drag(page, page.get_by_test_id(f"kanban-card-{deal['_id']}"),
          page.get_by_test_id("kanban-lane-negotiation"))
    expect(page.get_by_text("这条记录刚被别人修改过")).to_be_visible()
    expect(page.get_by_test_id("kanban-lane-proposal").get_by_test_id(
        f"kanban-card-{deal['_id']}")).to_be_visible()
    after = server.api("GET", f"{OPPORTUNITIES}/{deal['_id']}", token=token)
    assert isinstance(after, dict) and after["stage"] == "proposal"

    phone = open_page(viewport=PHONE, locale="zh-CN")
    phone.goto(f"{server.url}/apps/crm/forms/opportunity?view=kanban&group=stage")
    sign_in(phone)
    expect(phone.get_by_test_id("kanban-lane-initial")).to_be_visible()
    shot(phone, "views-02-kanban-phone-zh")


def test_save_a_view_reload_and_pick_it(server, open_page) -> None:
    page = open_page(locale="en")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page)
    expect(page.get_by_test_id("record-table")).to_be_visible()
    flt = urllib.parse.quote(json.dumps({"==": [{"var": "level"}, "A"]}))
    page.goto(f"{server.url}/apps/crm/forms/customer?filter={flt}&sort=-annual_revenue")
    expect(page.get_by_test_id("record-table")).to_be_visible()
    name = f"Key accounts {uuid.uuid4().hex[:4]}"
    save_view_as(page, name)

    page.goto(f"{server.url}/apps/crm/forms/customer")
    expect(page.get_by_test_id("record-table")).to_be_visible()
    assert "sort=" not in page.url
    page.get_by_test_id("view-select").click()
    page.locator(".ant-select-dropdown:visible").get_by_text(name).click()
    page.wait_for_url(lambda url: "sort=-annual_revenue" in url and "sv=" in url)
    expect(page.get_by_test_id("filter-open")).to_contain_text("Filter")
    shot(page, "views-03-saved-view-en")

    # the app's own views are offered too: the pipeline board opens as a kanban
    page.goto(f"{server.url}/apps/crm/forms/opportunity")
    page.get_by_test_id("view-select").click()
    page.locator(".ant-select-dropdown:visible").get_by_text("Pipeline").click()
    expect(page.get_by_test_id("kanban")).to_be_visible()
    assert "view=kanban" in page.url


def test_bulk_edit_three_records(server, open_page) -> None:
    token = server.admin_token()
    tag = uuid.uuid4().hex[:6]
    made = [_customer(server, token, f"批量 {tag} {n}") for n in range(3)]
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/customer?q={tag}")
    sign_in(page)
    table = page.get_by_test_id("record-table")
    for record in made:
        row = table.locator("tr", has_text=record["name"])
        row.get_by_role("checkbox").check()
    page.get_by_test_id("bulk-edit").click()
    page.get_by_test_id("bulk-edit-field").click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option[title='客户等级']").click()
    page.get_by_test_id("bulk-edit-value").locator(".ant-select").first.click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option[title='A（重点）']").click()
    shot(page, "views-04-bulk-edit-zh")
    page.get_by_test_id("bulk-edit-submit").click()
    expect(page.get_by_text("已修改 3 条记录")).to_be_visible()
    for record in made:
        saved = server.api("GET", f"{CUSTOMERS}/{record['_id']}", token=token)
        assert isinstance(saved, dict) and saved["level"] == "A", saved


def test_a_rep_sees_only_the_buttons_they_may_use(server, open_page) -> None:
    token = server.admin_token()
    email = f"rep-views-{uuid.uuid4().hex[:6]}@example.com"
    server.api("POST", "/users", {"email": email, "name": "销售小李",
                                  "password": "a long enough password"}, token=token)
    server.api("PUT", "/apps/crm/roles/sales/members", {"users": [email]}, token=token)
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/lead")
    sign_in(page, email, "a long enough password")
    expect(page.get_by_test_id("record-new")).to_be_visible()  # sales may create leads
    expect(page.get_by_test_id("list-search")).to_be_visible()
    for hidden in ("import-open", "export-open", "trash-link"):
        expect(page.get_by_test_id(hidden)).to_have_count(0)
    shot(page, "views-07-rep-buttons-zh")


def test_calendar_of_follow_ups(server, open_page) -> None:
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/opportunity?view=calendar&date=expected_close_date")
    sign_in(page)
    expect(page.get_by_test_id("calendar")).to_be_visible()
    shot(page, "views-05-calendar-zh")
    page.get_by_test_id("calendar-new").click()
    page.wait_for_url(lambda url: "/new?prefill=" in url)
    phone = open_page(viewport=PHONE, locale="en")
    phone.goto(f"{server.url}/apps/crm/forms/followup?view=calendar")
    sign_in(phone)
    expect(phone.get_by_test_id("calendar")).to_be_visible()
    shot(phone, "views-06-calendar-phone-en")
