"""A record form's checkbox in a real browser: drawn as antd's markup until the keyboard reaches
it (fields/types/choice.tsx), it must still take every way people toggle a checkbox — a click
on the box, a click on the field's label, Space after either, and the keyboard's Tab — and show
antd's click wave as antd's own box does."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Server, sign_in


def open_product(server: Server, open_page: Callable[..., Page]) -> tuple[Page, Locator]:
    """A new CRM product's form, signed in, and its "On sale" box (checked by default)."""
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/apps/crm/forms/product/new")
    sign_in(page)
    return page, page.get_by_role("checkbox", name="On sale")


def test_a_checkbox_toggles_by_click_label_and_space(server, open_page):
    page, box = open_product(server, open_page)
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
    page, box = open_product(server, open_page)
    expect(box).to_be_checked()
    page.locator("label[for=active]").click()  # the first thing done: the box is still drawn
    expect(box).not_to_be_checked()


# Records every antd wave drawn inside the field (a wave lives a few hundred ms: recorded as it
# is added rather than looked for): on which box (the one drawn when the page opened, or antd's),
# with its classes but the motion's.
WATCH_WAVES = """(key) => {
    window.__waves = [];
    window.__drawnBox = document.getElementById(key);
    new MutationObserver((changes) => {
        for (const change of changes) for (const node of change.addedNodes) {
            if (node.nodeType !== 1) continue;
            for (const wave of [node, ...node.querySelectorAll('*')]) {
                if (!wave.classList.contains('ant-wave')) continue;
                const input = wave.closest('.ant-checkbox').querySelector('input');
                window.__waves.push([input === window.__drawnBox ? 'drawn' : 'antd',
                    [...wave.classList].filter((name) => !name.startsWith('wave-motion')).sort()]);
            }
        }
    }).observe(document.querySelector(`[data-testid=field-${key}]`),
               {childList: true, subtree: true});
}"""


def test_a_click_on_the_drawn_box_shows_antds_wave(server, open_page):
    page, box = open_product(server, open_page)
    expect(box).to_be_checked()
    page.evaluate(WATCH_WAVES, "active")
    box.click()  # unchecked: antd shows no wave then
    box.click()
    expect(box).to_be_checked()
    page.wait_for_function("() => window.__waves.length > 0")
    page.locator("label[for=active]").click()  # the field's label too, as antd's box
    page.locator("label[for=active]").click()
    expect(box).to_be_checked()
    page.wait_for_function("() => window.__waves.length > 1")
    # still the drawn box: no antd Checkbox mounted for the wave
    assert page.evaluate("() => document.getElementById('active') === window.__drawnBox")

    # antd's own box, woken by the keyboard, draws the same wave on Space
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.wait_for_function("() => document.getElementById('active') !== window.__drawnBox")
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.wait_for_function("() => window.__waves.length > 2")
    waves = page.evaluate("() => window.__waves")
    # one wave a click that checks the box (none for one that clears it), drawn as antd's
    assert [on for on, _ in waves] == ["drawn", "drawn", "antd"]
    drawn, antds = waves[0][1], waves[2][1]
    assert drawn == antds
    assert "ant-wave" in drawn
