"""A public fill link changed after it was made, in the browser: its manager renames it and
gives it a new password from the link list; a visitor with the old password is refused and
the new one opens the form at the same address."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, PHONE, shot, sign_in


def new_link(server, form: str, name: str, password: str) -> dict:
    """A link on a CRM form made through the API, owned by the admin, with its token."""
    link = server.api("POST", f"/apps/crm/forms/{form}/public-links",
                      {"owner": ADMIN_EMAIL, "name": name, "password": password},
                      token=server.admin_token())
    assert isinstance(link, dict)
    return link


def test_change_a_links_password_and_name(server, open_page) -> None:
    link = new_link(server, "lead", "Spring fair", "first-pass")
    admin = open_page(locale="en")
    admin.goto(f"{server.url}/apps/crm/forms/lead/links")
    sign_in(admin)
    admin.get_by_test_id(f"link-edit-{link['id']}").click()
    admin.get_by_test_id("link-edit-name").fill("Autumn fair")
    admin.get_by_label("Set a new password").check()
    admin.get_by_test_id("link-edit-password").fill("second-pass")
    shot(admin, "public-link-edit-01-dialog-en")
    admin.get_by_test_id("link-edit-save").click()
    expect(admin.get_by_text("Link updated")).to_be_visible()
    expect(admin.get_by_test_id("links-table")).to_contain_text("Autumn fair")

    visitor = open_page(viewport=PHONE, locale="zh-CN")
    visitor.goto(f"{server.url}/f/{link['token']}")
    visitor.get_by_test_id("public-password-input").fill("first-pass")
    visitor.get_by_test_id("public-password-submit").click()
    expect(visitor.get_by_test_id("public-password")).to_contain_text("密码不正确")
    visitor.get_by_test_id("public-password-input").fill("second-pass")
    visitor.get_by_test_id("public-password-submit").click()
    expect(visitor.get_by_role("heading", name="线索")).to_be_visible()
    shot(visitor, "public-link-edit-02-opened-phone-zh")
