"""Automated accessibility checks (axe-core: WCAG 2.1 A and AA rules, and axe's best practices)
of the main screens.

Public-sector buyers check WCAG 2.1 AA; nothing else would notice a button without a name, a
field without a label or text too pale to read until a person with a screen reader or weak eyes
did. Each screen — login, home, a list, the kanban, a record's 360° view, a new record with a
sub-form, the import wizard, the admin pages, a public fill link — and the menus, drawers and
dropdowns that are cheap to open are run through axe-core on a 1440 px desktop in English and a
390 px phone in Chinese. A failure names the rule, its impact, the element's selector and a
snippet of its HTML, so it says what to fix. axe's best-practice rules (landmarks, heading
order, named table headers…) are not WCAG success criteria, but they are what a screen reader
user moves by, so they are held to the same bar.

axe-core comes from frontend/node_modules (an exact-pinned devDependency). It is evaluated in the
page through CDP (`page.evaluate`): the page's Content-Security-Policy would refuse a script tag.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ARTIFACTS, DESKTOP, PHONE, ROOT, shot, sign_in

AXE_SOURCE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
HUADONG = "上海华东精密制造有限公司"  # a demo customer with contacts, opportunities, follow-ups

# Violations we accept, each for a stated reason, per rule and per element (a regular expression
# searched in the element's selector). Never a whole rule for the whole run.
ACCEPTED: list[tuple[str, str, str]] = [
    # (rule id, selector pattern, why)
    ("aria-required-children", r"\.ant-tabs-nav$",
     "antd's Tabs (rc-tabs) draws its overflow 'more' button (button.ant-tabs-nav-more, "
     "aria-controls its dropdown) inside the role=tablist element; the tabs themselves are "
     "proper role=tab elements and the button is antd's markup, not ours"),
]

# axe's `region` rule (best practice: all content inside landmarks) treats some layers as regions
# of their own — by default a dialog — through its check's documented option `regionMatcher`
# (axe-core doc/check-options.md, "region"): a layer a person is taken to from a control (focus
# moves into a dialog) is not something to find in the landmark list. antd's menu and select
# popups are such layers: opened from their button or combobox (aria-controls or
# aria-activedescendant from there), drawn only while open, and put by antd into a container of
# their own at the end of `body` (a portal), outside every landmark. They are added here by
# their exact root as antd portals it, and nothing else: the same content anywhere else still
# fails (test_the_check_can_fail).
AXE_REGION_DEFAULT = "dialog, [role=dialog], [role=alertdialog], svg"  # axe 4.14's own default
POPUP_REGIONS = [
    "body > div > .ant-dropdown",  # Dropdown's menu (role=menu): the user menu, row actions
    "body > div > .ant-select-dropdown",  # Select's list (role=listbox and its options)
    "body > div > .ant-picker-dropdown",  # a date picker's panel (a grid of days)
]
REGION_MATCHER = ", ".join([AXE_REGION_DEFAULT, *POPUP_REGIONS])

RUN_AXE = """async ({tags, regionMatcher}) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    checks: {region: {options: {regionMatcher}}},
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary || '',
    })),
  }));
}"""


@dataclass
class Audit:
    """What axe found on every screen of one walk, reported together at the end so one run
    lists everything to fix rather than the first screen's problems only."""

    name: str  # of the walk: its screenshots are test-artifacts/a11y-<name>-<screen>.png
    found: dict[str, list[dict]] = field(default_factory=dict)

    def check(self, page, screen: str) -> None:
        _settle(page)
        shot(page, f"a11y-{self.name}-{screen}")  # also lets antd's motion finish
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        violations = page.evaluate(RUN_AXE, {"tags": TAGS, "regionMatcher": REGION_MATCHER})
        kept = []
        for violation in violations:
            nodes = [node for node in violation["nodes"]
                     if not _accepted(violation["id"], node["target"])]
            if nodes:
                kept.append({**violation, "nodes": nodes})
        self.found[screen] = kept

    def counts(self) -> dict[str, int]:
        """Elements in violation per rule, over all screens."""
        totals: dict[str, int] = {}
        for violations in self.found.values():
            for violation in violations:
                totals[violation["id"]] = totals.get(violation["id"], 0) + len(violation["nodes"])
        return dict(sorted(totals.items()))

    def report(self) -> str:
        lines = [f"axe-core found violations (elements per rule: {self.counts()})"]
        for screen, violations in self.found.items():
            for violation in violations:
                lines.append(f"\n[{screen}] {violation['id']} ({violation['impact']}): "
                             f"{violation['help']}")
                for node in violation["nodes"][:6]:
                    html = re.sub(r"\s+", " ", node["html"])[:220]
                    # the first way to fix it axe names ("Fix any of the following:" comes first)
                    why = (node["summary"].strip().splitlines()[1:2] or [""])[0].strip()[:200]
                    lines.append(f"    {node['target']}\n        {html}\n        → {why}")
                if len(violation["nodes"]) > 6:
                    lines.append(f"    … and {len(violation['nodes']) - 6} more")
        return "\n".join(lines)

    def assert_clean(self) -> None:
        if any(self.found.values()):
            pytest.fail(self.report(), pytrace=False)


def _accepted(rule: str, target: str) -> bool:
    return any(rule == accepted_rule and re.search(pattern, target)
               for accepted_rule, pattern, _why in ACCEPTED)


def _settle(page) -> None:
    """Waits for the page's data, so axe sees what the user sees. The pointer stays where the
    walk last clicked: that control's hover colours are measured too."""
    expect(page.locator(".ant-spin-spinning, .ant-skeleton")).to_have_count(0)


def _close_popups(page) -> None:
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)


def _walk(server, page, audit: Audit, phone: bool) -> None:
    """Every main screen, in the order a user would meet them."""
    page.goto(f"{server.url}/login")
    page.get_by_test_id("login-submit").wait_for()
    audit.check(page, "login")
    sign_in(page)

    page.goto(server.url)
    expect(page.get_by_test_id("app-tile-crm")).to_be_visible()
    audit.check(page, "home")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("menu")).to_be_visible()
    audit.check(page, "home-user-menu")
    _close_popups(page)

    page.goto(f"{server.url}/apps/crm/forms/customer")
    expect(page.get_by_role("link", name=HUADONG)).to_be_visible()
    audit.check(page, "list")
    if phone:
        page.get_by_test_id("nav-open").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        audit.check(page, "list-nav-drawer")
        _close_popups(page)
        # a phone card is opened from the keyboard: its title is a link, Enter follows it
        page.get_by_role("link", name=HUADONG).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=HUADONG)).to_be_visible()
        page.go_back()
        expect(page.get_by_role("link", name=HUADONG)).to_be_visible()

    page.get_by_test_id("import-open").click()
    expect(page.locator(".io-wizard input[type=file]")).to_be_attached()
    audit.check(page, "import-wizard")
    _close_popups(page)

    page.goto(f"{server.url}/apps/crm/forms/opportunity?view=kanban&group=stage")
    expect(page.locator(".kanban-card").first).to_be_visible()
    audit.check(page, "kanban")

    page.goto(f"{server.url}/apps/crm/forms/customer")
    page.get_by_role("link", name=HUADONG).click()
    expect(page.get_by_role("heading", name=HUADONG)).to_be_visible()
    expect(page.get_by_test_id("related-table-contact").locator("tr.related-row").first
           ).to_be_visible()
    audit.check(page, "record")

    page.goto(f"{server.url}/apps/crm/forms/quote/new")
    page.get_by_role("button", name="添加一行" if phone else "Add row").click()
    expect(page.locator(".subform__card, .subform tr").first).to_be_visible()
    audit.check(page, "new-quote-subform")
    page.locator("form .ant-select").first.click()
    expect(page.locator(".ant-select-dropdown:visible")).to_be_visible()
    page.wait_for_timeout(300)
    audit.check(page, "new-quote-select-open")
    _close_popups(page)
    page.get_by_test_id("field-valid_until").locator(".ant-picker").click()
    expect(page.locator(".ant-picker-dropdown:visible")).to_be_visible()
    page.wait_for_timeout(300)
    audit.check(page, "new-quote-date-open")
    _close_popups(page)
    page.get_by_test_id("form-save").click()  # required fields left empty: the error texts
    expect(page.locator(".ant-form-item-explain-error").first).to_be_visible()
    audit.check(page, "new-quote-errors")

    for screen, path, loaded in (
            ("admin-members", "/admin/members", "[data-testid=admin-members] .ant-table-row"),
            ("admin-roles", "/admin/roles?app=crm", "[data-testid=role-edit-sales]"),
            ("admin-departments", "/admin/departments", "[data-testid=admin-departments]"),
            ("admin-audit", "/admin/audit", "[data-testid=admin-audit] .ant-table-row")):
        page.goto(f"{server.url}{path}")
        expect(page.locator(loaded).first).to_be_visible()
        audit.check(page, screen)
        if screen == "admin-members":
            page.get_by_test_id("member-new").click()
            expect(page.get_by_role("dialog")).to_be_visible()
            audit.check(page, "admin-member-dialog")
            _close_popups(page)
        if screen == "admin-roles":
            page.get_by_test_id("role-edit-sales").click()
            expect(page.get_by_test_id("role-editor")).to_be_visible()
            audit.check(page, "admin-role-editor")
            _close_popups(page)

    link = server.api("POST", "/apps/crm/forms/lead/public-links",
                      {"owner": ADMIN_EMAIL, "name": "Accessibility fair"},
                      token=server.admin_token())
    assert isinstance(link, dict)
    page.goto(f"{server.url}/f/{link['token']}")
    expect(page.get_by_role("heading", name="线索" if phone else "Lead")).to_be_visible()
    audit.check(page, "public-fill")


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-US"), (PHONE, "zh-CN")],
                         ids=["desktop-en", "phone-zh"])
def test_main_screens_have_no_axe_violations(server, open_page, viewport, locale) -> None:
    page = open_page(viewport=viewport, locale=locale)
    audit = Audit(f"{'phone' if viewport == PHONE else 'desktop'}-{locale}")
    _walk(server, page, audit, phone=viewport == PHONE)
    print(f"axe counts {locale}: {audit.counts()}")
    # every element, not only the first few the failure message shows
    (ARTIFACTS / f"a11y-{locale}.json").write_text(
        json.dumps(audit.found, ensure_ascii=False, indent=1), encoding="utf-8")
    audit.assert_clean()


def test_the_check_can_fail(server, open_page) -> None:
    """A known violation — an icon-only button without a name, a field without a label, text
    outside every landmark (also in a portal like antd's, and with a popup's class where antd
    does not put one) — is reported with its rule, selector and HTML: the walk above does not
    pass by looking away, and the popups' regions (POPUP_REGIONS) pass only antd's own portals."""
    page = open_page(locale="en-US")
    page.goto(f"{server.url}/login")
    page.get_by_test_id("login-submit").wait_for()
    page.evaluate("""() => {
      const button = document.createElement('button');
      button.id = 'a11y-bad-button';
      button.innerHTML = '<svg width="16" height="16"></svg>';
      document.body.appendChild(button);
      const input = document.createElement('input');
      input.id = 'a11y-bad-input';
      document.body.appendChild(input);
      // axe names the outermost element outside a landmark: here the containers at body's end
      for (const [id, html] of [
        ['a11y-bad-region', '<p>Outside every landmark</p>'],
        ['a11y-bad-popup',
         '<div><div class="ant-dropdown"><p>Not where antd portals a popup</p></div></div>'],
      ]) {
        const container = document.createElement('div');
        container.id = id;
        container.innerHTML = html;
        document.body.appendChild(container);
      }
    }""")
    audit = Audit("self-test")
    audit.check(page, "known-violation")
    assert {"button-name", "label", "region"} <= set(audit.counts()), audit.report()
    for selector in ("#a11y-bad-button", "#a11y-bad-region", "#a11y-bad-popup"):
        assert selector in audit.report()
    with pytest.raises(pytest.fail.Exception, match="button-name"):
        audit.assert_clean()
