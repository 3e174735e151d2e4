"""What a fresh pair of eyes found wrong on screens the other journeys pass by (session 10's
screenshots of every main screen at 1440 and 390 px in both languages)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, shot, sign_in


def test_the_filter_offers_a_value_box_on_a_list_opened_first(server, open_page) -> None:
    """The condition builder loads lazily with the list, whose page registers only the field
    types' display half: opened before any form had loaded the editors, a condition had a field
    and an operator but no box for its value, so no filter could be built."""
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page)
    page.get_by_test_id("filter-open").click()
    page.get_by_test_id("filter-add").click()
    value = page.get_by_test_id("condition-value").locator("input")
    expect(value).to_be_visible()
    shot(page, "ux-01-filter-value-phone-zh")
    value.fill("华东")
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_role("link", name="上海华东精密制造有限公司")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_member_without_a_role_is_told_to_ask_for_access(server, open_page) -> None:
    """A member whom no app role names sees no app; the CRM is installed all the same, so
    'ask your administrator to install a template' was the wrong advice."""
    token = server.admin_token()
    email = "no-role-ux@example.com"
    server.api("POST", "/users", {"email": email, "name": "No role",
                                  "password": "a long enough password"}, token=token)
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/login")
    sign_in(page, email, "a long enough password")
    expect(page.get_by_text("还没有应用")).to_be_visible()
    expect(page.get_by_text("请联系管理员开通你需要的应用")).to_be_visible()
    expect(page.get_by_text("安装一个模板")).to_have_count(0)
    shot(page, "ux-02-home-no-role-zh")


FITS_PLACEHOLDER = """(input) => {
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(input.placeholder).width <= room;
}"""


def test_the_members_search_shows_its_whole_placeholder_on_a_phone(server, open_page) -> None:
    """At 390 px the search beside the 'New member' button read 'Search name or em…'; the
    search icon already says 'search', so the placeholder says what to type."""
    page = open_page(viewport=PHONE, locale="en-US")
    page.goto(f"{server.url}/admin/members")
    sign_in(page)
    search = page.get_by_test_id("member-search").locator("input")
    expect(search).to_be_visible()
    assert search.evaluate(FITS_PLACEHOLDER), search.get_attribute("placeholder")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "ux-03-members-phone-en")
