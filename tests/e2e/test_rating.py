"""A record form's rating in a real browser: its stars are drawn as antd Rate's markup until the
pointer comes over them or one takes the focus (fields/types/number.tsx, fields/lazy.tsx
useDrawnUntilWoken). The swap must lose nothing a person does: a click that comes with the
pointer still sets its star, which keeps the focus; the keyboard's focus stays on the list or the
star it reached, which then takes the arrow keys and Enter; and neither the stars nor the checkbox
beside them move when antd's own control takes their place. (A press that beats the hover's swap
is a vitest in frontend/src/fields/lazy.test.tsx: Chromium here draws the swap before the press.)"""

from __future__ import annotations

import urllib.error
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PHONE, Server, field_input, shot, sign_in

SURVEY_APP = {
    "format": "tessera.app/1", "key": "survey", "version": "1.0.0",
    "name": {"zh-CN": "回访", "en": "Survey"},
    "forms": [{"key": "visit", "name": {"zh-CN": "回访", "en": "Visit"}, "title_field": "title",
               "fields": [
                   {"key": "title", "type": "text", "label": {"zh-CN": "标题", "en": "Title"}},
                   {"key": "satisfaction", "type": "rating", "default": 3,
                    "label": {"zh-CN": "满意度", "en": "Satisfaction"}},
                   {"key": "follow_up", "type": "checkbox", "default": True,
                    "label": {"zh-CN": "需要跟进", "en": "Follow up"}},
               ]}],
}
NEW_VISIT = "/apps/survey/forms/visit/new"
# whether the rating's list / the checkbox is still the one drawn when the page opened (open_visit)
STILL_DRAWN = "() => document.getElementById('satisfaction') === window.__drawnStars"
BOX_STILL_DRAWN = "() => document.getElementById('follow_up') === window.__drawnBox"


@pytest.fixture(scope="module")
def survey(server: Server) -> Server:
    try:
        server.api("POST", "/apps", SURVEY_APP, token=server.admin_token())
    except urllib.error.HTTPError as error:
        if error.code != 409:  # already there on a reused development server
            raise
    return server


def open_visit(survey: Server, open_page: Callable[..., Page],
               viewport: dict[str, int] | None = None) -> Page:
    """A new visit's form, signed in, its drawn rating and checkbox marked (STILL_DRAWN)."""
    page = open_page(locale="en-US", **({"viewport": viewport} if viewport else {}))
    page.goto(f"{survey.url}{NEW_VISIT}")
    sign_in(page)
    expect(page.get_by_role("heading", name="New Visit")).to_be_visible()
    page.evaluate("""() => {
        window.__drawnStars = document.getElementById('satisfaction');
        window.__drawnBox = document.getElementById('follow_up');
    }""")
    return page


def stars(page: Page) -> Locator:
    return page.get_by_test_id("field-satisfaction").get_by_role("radio")


def expect_woken(page: Page, still_drawn: str = STILL_DRAWN) -> None:
    """antd's own control has taken the drawn one's place (waited for: it is drawn on the next
    render, and the drawn one has the same id, role and focus until then)."""
    page.wait_for_function(f"() => !({still_drawn})()")


def expect_checked(page: Page, count: int) -> None:
    """The first `count` stars checked (retried: the pointer's leave is drawn a moment later)."""
    page.mouse.move(0, 0)  # Rate shows the star under the pointer as checked: away from it
    for index, star in enumerate(stars(page).all()):
        expect(star).to_have_attribute("aria-checked", "true" if index < count else "false")


def test_a_click_that_comes_with_the_pointer_sets_its_star(survey: Server, open_page) -> None:
    page = open_visit(survey, open_page)
    assert page.evaluate(STILL_DRAWN)
    # Playwright's click moves the pointer over the stars (which wakes them) and presses at once
    stars(page).nth(3).click()
    expect(stars(page).nth(3)).to_be_focused()
    expect_woken(page)
    expect_checked(page, 4)
    page.keyboard.press("ArrowRight")
    expect_checked(page, 5)


def test_the_pointer_over_the_stars_wakes_the_rating(survey: Server, open_page) -> None:
    page = open_visit(survey, open_page)
    stars(page).nth(1).hover()
    expect_woken(page)
    expect_checked(page, 3)  # a hover sets nothing


def test_the_keyboard_keeps_the_focus_where_it_reached_the_stars(survey: Server,
                                                                 open_page) -> None:
    page = open_visit(survey, open_page)
    field_input(page, "title").click()
    page.keyboard.press("Tab")  # the stars' list
    real_list = page.locator("ul#satisfaction")
    expect_woken(page)
    expect(real_list).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect_checked(page, 2)

    page = open_visit(survey, open_page)
    page.get_by_role("checkbox", name="Follow up").focus()
    page.keyboard.press("Shift+Tab")  # back to the last star
    expect_woken(page)
    expect(stars(page).nth(4)).to_be_focused()
    page.keyboard.press("Enter")
    expect_checked(page, 5)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_nothing_moves_when_antd_takes_over(survey: Server, open_page,
                                            viewport: dict[str, int] | None) -> None:
    page = open_visit(survey, open_page, viewport)
    suffix = "phone" if viewport else "desktop"
    shot(page, f"survey-01-drawn-{suffix}")
    box = page.get_by_role("checkbox", name="Follow up")
    drawn_stars = [star.bounding_box() for star in stars(page).all()]
    drawn_box = box.bounding_box()

    field_input(page, "title").click()
    page.keyboard.press("Tab")  # wakes the rating
    page.keyboard.press("Shift+Tab")
    for _ in range(7):  # the list, its five stars, then the checkbox: wakes antd's Checkbox
        page.keyboard.press("Tab")
    expect_woken(page)
    expect_woken(page, BOX_STILL_DRAWN)
    expect(box).to_be_focused()
    page.mouse.move(0, 0)
    assert [star.bounding_box() for star in stars(page).all()] == drawn_stars
    assert box.bounding_box() == drawn_box
    shot(page, f"survey-02-woken-{suffix}")

