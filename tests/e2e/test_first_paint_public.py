"""The server-drawn first paint of a public fill link, `/f/<token>` (ADR 0009, page.public in
docs/first-paint.md), against PublicFormPage taking it over, for a stranger (no session):

* what is typed on a 390 px phone before the app's scripts have run (held back by a route
  handler) is in the React form once it takes over, focused, and submitted with the link (the
  link's "open until" line reads the same before and after);
* each field cell looks the same, to tests/e2e/test_first_paint.py's pixel budget, drawn by
  the server (scripts held) and by the app (`html[data-app=ready]`), at 1440 and 390 px, in
  Chinese and English; that module's helpers compare them (imported, not copied).

Every page fails its test on a console error or an uncaught error (`open_tab`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import test_first_paint as first_paint
from tests.e2e.conftest import ADMIN_EMAIL
from tests.e2e.test_first_paint import (
    WIDTHS,
    both_ways,
    hold_scripts,
    label,
    settle_first_paint,
    typed_into_first_paint,
)

#: a page in a context of its own, failing the test on a console or uncaught error (a fixture)
open_tab = first_paint.open_tab

APP_KEY, FORM = f"fpp_{uuid.uuid4().hex[:6]}", "signup"
OPTIONS = [{"value": "a", "label": label("Adult", "成人")},
           {"value": "b", "label": label("Child", "儿童")}]
DEFINITION = {
    "format": "tessera.app/1", "key": APP_KEY, "name": label("Events", "活动"),
    "forms": [{"key": FORM, "name": label("Sign up", "报名"),
               "description": label("Tell us who is coming", "请填写参加人"),
               "fields": [
                   # the keys test_first_paint's helpers type into (title, f_number) and name
                   # the cells' types in its parity summaries (f_<type>)
                   {"key": "title", "type": "text", "label": label("Name", "姓名"),
                    "required": True},
                   {"key": "f_number", "type": "number", "label": label("Seats", "人数"),
                    "default": 2},
                   {"key": "f_select", "type": "select", "label": label("Kind", "类别"),
                    "options": OPTIONS, "default": "a"},
                   {"key": "school", "type": "text", "label": label("School", "学校"),
                    "visible_when": {"==": [{"var": "f_select"}, "b"]}},
                   {"key": "f_date", "type": "date", "label": label("Day", "日期")},
                   {"key": "f_textarea", "type": "textarea",
                    "label": label("Anything else?", "备注")}]}]}


#: the page once the app has taken over: the first paint gone, the focused field's cell, its
#: value and caret, and what the number holds
TAKEN_JS = """() => { const el = document.activeElement;
  const number = document.querySelector('#root [data-testid="field-f_number"] input');
  return { paint: document.getElementById('first-paint') !== null,
           cell: el?.closest('[data-testid^="field-"]')?.dataset.testid ?? null,
           value: el?.value ?? null, caret: el?.selectionStart ?? null,
           number: number?.value ?? null }; }"""


@dataclass(frozen=True)
class Link:
    url: str
    token: str
    admin: str

    @property
    def page(self) -> str:
        return f"{self.url}/f/{self.token}"


@pytest.fixture(scope="module")
def link(server) -> Link:
    admin = server.admin_token()
    server.api("POST", "/apps", DEFINITION, token=admin)
    made = server.api("POST", f"/apps/{APP_KEY}/forms/{FORM}/public-links",
                      {"owner": ADMIN_EMAIL, "expires_at": "2031-02-03T04:05:00Z"}, token=admin)
    assert isinstance(made, dict)
    return Link(server.url, str(made["token"]), admin)


def test_what_a_phone_types_before_the_take_over_is_submitted(server, link: Link,
                                                              open_tab) -> None:
    page: Page = open_tab(WIDTHS["phone"], "zh-CN")
    held = hold_scripts(page)
    answer = page.goto(link.page, wait_until="commit")
    assert answer is not None and 'id="first-paint"' in answer.text(), "not server-drawn"
    settle_first_paint(page)
    fp = page.locator("#first-paint")
    expect(fp.get_by_test_id("public-page")).to_be_visible()
    expect(fp.get_by_test_id("field-school")).to_have_count(0)
    # the link's expiry, in the tenant's zone (the browser's here): the app writes the same
    expect(fp.locator(".public-card__expiry")).to_have_text("开放至 2031年2月3日 12:05")
    name = f"先到的 {uuid.uuid4().hex[:6]}"
    typed_into_first_paint(page, name, "7", back=1)
    assert not page.evaluate("document.documentElement.dataset.app"), "the app ran already"
    held.release()

    page.locator("html[data-app=ready]").wait_for(state="attached")
    taken = page.evaluate(TAKEN_JS)
    assert taken == {"paint": False, "cell": "field-title", "value": name,
                     "caret": len(name) - 1, "number": "7"}, taken
    expect(page.locator(".public-card__expiry")).to_have_text("开放至 2031年2月3日 12:05")
    page.get_by_test_id("form-save").click()
    expect(page.get_by_test_id("public-thanks")).to_be_visible()

    stored = server.api("GET", f"/apps/{APP_KEY}/forms/{FORM}/records?limit=50",
                        token=link.admin)
    assert isinstance(stored, dict)
    mine = [r for r in stored["items"] if r.get("title") == name]
    assert len(mine) == 1, stored["items"]
    assert mine[0]["f_number"] == 7 and mine[0]["f_select"] == "a"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_each_cell_of_the_public_page_looks_the_same_drawn_by_the_server_and_by_the_app(
        link: Link, open_tab: Callable[..., Page], width: str, locale: str) -> None:
    results = both_ways(None, open_tab, link.page, width, locale, None,  # type: ignore[arg-type]
                        f"public-{width}-{locale}")
    assert set(results) == {"title", "f_number", "f_select", "f_date", "f_textarea"}
