"""A record form's checkbox in a real browser: drawn as antd's markup until the keyboard reaches
it (fields/types/choice.tsx), it must still take every way people toggle a checkbox — a click
on the box, a click on the field's label, Space after either, and the keyboard's Tab."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_a_checkbox_toggles_by_click_label_and_space(server, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/product/new")
    sign_in(page)
    box = page.get_by_role("checkbox", name="On sale")
    expect(box).to_be_checked()  # the field's default
    box.click()
    expect(box).not_to_be_checked()
    expect(box).to_be_focused()  # as any checkbox clicked: Space goes on from here
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    # the field's label (outside the box) toggles it too, whichever box is drawn
    page.locator("label[for=active]").click()
    expect(box).not_to_be_checked()
    page.locator("label[for=active]").click()
    expect(box).to_be_checked()
    # the keyboard's focus hands over to antd's Checkbox, which takes Space
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).not_to_be_checked()


def test_the_label_toggles_the_drawn_box(server, open_page):
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/product/new")
    sign_in(page)
    box = page.get_by_role("checkbox", name="On sale")
    expect(box).to_be_checked()
    page.locator("label[for=active]").click()  # the first thing done: the box is still drawn
    expect(box).not_to_be_checked()
