"""A platform admin looks after the members; a plain member cannot get into the admin area."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, shot, sign_in


def _member(server, token: str, name: str, password: str | None = None) -> dict:
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.com"
    body = {"email": email, "name": name, **({"password": password} if password else {})}
    answer = server.api("POST", "/users", body, token=token)
    assert isinstance(answer, dict)
    return answer


def test_admin_manages_members(server, open_page):
    token = server.admin_token()
    successor = _member(server, token, "Successor")
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/login")
    sign_in(page)

    # the user menu leads to the admin area
    page.get_by_test_id("user-menu").click()
    page.get_by_role("menuitem", name="管理后台").click()
    expect(page).to_have_url(re.compile(r"/admin/members$"))
    expect(page.get_by_test_id("member-table")).to_contain_text(successor["email"])
    shot(page, "admin-01-members-zh")

    # create a member; a short password is reported on its field
    email = f"lin-{uuid.uuid4().hex[:6]}@example.com"
    page.get_by_test_id("member-new").click()
    page.get_by_test_id("member-email").fill(email)
    page.get_by_test_id("member-name").fill("林小雨")
    page.get_by_test_id("member-password").fill("short")
    page.get_by_test_id("member-save").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".ant-form-item-explain-error")).to_be_visible()
    shot(page, "admin-02-create-error-zh")
    page.get_by_test_id("member-password").fill("a long enough password")
    page.get_by_test_id("member-save").click()
    expect(page.get_by_text("已创建成员 林小雨")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text("正常")

    # the one-time invitation link
    page.get_by_test_id(f"member-more-{email}").click()
    page.get_by_role("menuitem", name="邀请链接").click()
    expect(page.get_by_test_id("invite-url")).to_have_value(
        re.compile(r"^http://.+/accept-invite\?token=.+"))
    shot(page, "admin-03-invite-zh")
    page.get_by_role("button", name="关闭").first.click()

    # disable, after a confirmation
    page.get_by_test_id(f"member-more-{email}").click()
    page.get_by_role("menuitem", name="停用").click()
    page.get_by_test_id("confirm-ok").click()
    expect(row).to_contain_text("已停用")
    page.get_by_test_id(f"member-more-{email}").click()
    page.get_by_role("menuitem", name="启用").click()
    page.get_by_test_id("confirm-ok").click()
    expect(row).to_contain_text("正常")

    # offboard to the successor and see what moved
    page.get_by_test_id(f"member-more-{email}").click()
    page.get_by_role("menuitem", name="离职交接").click()
    page.get_by_test_id("offboard-successor").click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(
        has_text=successor["email"]).click()
    shot(page, "admin-04-offboard-zh")
    page.get_by_test_id("offboard-confirm").click()
    expect(page.get_by_test_id("offboard-result")).to_contain_text(successor["email"])
    shot(page, "admin-05-offboarded-zh")
    page.get_by_role("dialog").get_by_role("button", name="关闭").last.click()
    expect(row).to_contain_text("已停用")


def test_admin_on_a_phone(server, open_page):
    page = open_page(viewport=PHONE, locale="en")
    page.goto(f"{server.url}/admin/members")
    sign_in(page)
    expect(page).to_have_url(re.compile(r"/admin/members$"))
    expect(page.get_by_test_id("member-table")).to_be_visible()
    shot(page, "admin-06-members-phone")
    page.get_by_test_id("member-new").click()
    expect(page.get_by_test_id("member-email")).to_be_visible()
    shot(page, "admin-07-new-member-phone")


def test_non_admin_has_no_access(server, open_page):
    plain = _member(server, server.admin_token(), "Plain", password="a long enough password")
    page = open_page(locale="en")
    page.goto(f"{server.url}/admin/members")
    sign_in(page, plain["email"], "a long enough password")
    expect(page.get_by_test_id("admin-no-access")).to_contain_text("No access")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("menuitem", name="Admin")).to_have_count(0)
    shot(page, "admin-08-no-access")


def test_admin_departments(server, open_page):
    token = server.admin_token()
    top = f"ops_{uuid.uuid4().hex[:6]}"
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/admin/departments")
    sign_in(page)

    # create a top-level department, then a sub-department under it (by the API)
    page.get_by_test_id("department-new").click()
    page.get_by_test_id("department-key").fill(top)
    page.get_by_test_id("department-name").fill("运营中心")
    page.get_by_test_id("department-save").click()
    expect(page.get_by_test_id(f"department-{top}")).to_contain_text("运营中心")
    server.api("POST", "/departments",
               {"key": f"{top}_east", "name": "华东运营", "parent": top}, token=token)
    page.reload()
    expect(page.get_by_test_id(f"department-{top}_east")).to_contain_text("华东运营")
    shot(page, "admin-09-departments-zh")

    # moving a department under its own sub-department is refused on the parent field
    page.get_by_test_id(f"department-{top}").click()
    page.get_by_test_id("department-parent").click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(
        has_text=f"({top}_east)").click()
    page.get_by_test_id("department-save").click()
    expect(page.get_by_role("dialog")).to_contain_text("部门不能移到自身或其下级部门之下")
    shot(page, "admin-10-department-cycle-zh")


def test_admin_departments_on_a_phone(server, open_page):
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server.url}/admin/departments")
    sign_in(page)
    expect(page.get_by_test_id("department-new")).to_be_visible()
    shot(page, "admin-11-departments-phone")


def test_admin_app_roles(server, open_page):
    member = _member(server, server.admin_token(), "Rolf")
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/admin/roles?app=crm")
    sign_in(page)
    role = page.get_by_test_id("role-sales")
    expect(role).to_contain_text("销售")

    # give the role to a member
    page.get_by_test_id("role-assign-sales").click()
    page.get_by_test_id("role-users").click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(
        has_text=member["email"]).click()
    page.keyboard.press("Escape")
    page.get_by_test_id("role-save").click()
    expect(role).to_contain_text("Rolf")

    # the role's permissions, read from the app definition
    role.get_by_text("权限", exact=True).click()
    expect(role.get_by_test_id("permission-table")).to_contain_text("客户")
    shot(page, "admin-12-roles-zh")


def test_admin_app_roles_on_a_phone(server, open_page):
    page = open_page(viewport=PHONE, locale="en")
    page.goto(f"{server.url}/admin/roles?app=crm")
    sign_in(page)
    role = page.get_by_test_id("role-sales")
    role.get_by_text("Permissions", exact=True).click()
    expect(role.get_by_test_id("permission-table")).to_be_visible()
    shot(page, "admin-13-roles-phone")


def test_admin_audit_log(server, open_page):
    _member(server, server.admin_token(), "Audrey")
    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/admin/audit")
    sign_in(page)
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("user.created")

    # filter by action prefix; the export takes the same filters
    page.get_by_test_id("audit-action").fill("user.")
    page.get_by_test_id("audit-apply").click()
    expect(page.get_by_test_id("audit-export")).to_have_attribute(
        "href", re.compile(r"/api/v1/audit/export\?action=user\."))
    expect(table.locator("tr.ant-table-row").first).to_contain_text("user.")
    table.locator("tr.ant-table-row").first.locator(".ant-table-row-expand-icon").click()
    shot(page, "admin-14-audit-zh")
    with page.expect_download() as download:
        page.get_by_test_id("audit-export").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert content.startswith("at,action,actor")
    assert "user.created" in content
    rows = [line.split(",")[1] for line in content.splitlines()[1:] if line]
    assert rows and all(action.startswith("user.") for action in rows)


def test_admin_audit_log_on_a_phone(server, open_page):
    page = open_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server.url}/admin/audit")
    sign_in(page)
    expect(page.get_by_test_id("audit-table")).to_be_visible()
    shot(page, "admin-15-audit-phone")
