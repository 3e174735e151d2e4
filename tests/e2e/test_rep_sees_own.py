"""A sales rep who may only see their own customers (and the public pool) sees exactly those
in the browser: the server filters in SQL, the page just shows what it gets."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import shot, sign_in

PASSWORD = "a long enough password"


def test_a_rep_sees_only_own_and_pool_customers(server, open_page) -> None:
    token = server.admin_token()
    email = f"rep-{uuid.uuid4().hex[:6]}@example.com"
    server.api("POST", "/users", {"email": email, "name": "销售小王", "password": PASSWORD},
               token=token)
    server.api("PUT", "/apps/crm/roles/sales/members", {"users": [email]}, token=token)
    mine = f"小王的客户 {uuid.uuid4().hex[:4]}"
    rep_token = server.api("POST", "/auth/login", {"email": email, "password": PASSWORD})
    assert isinstance(rep_token, dict)
    server.api("POST", "/apps/crm/forms/customer/records",
               {"data": {"name": mine, "pool": "private", "status": "potential"}},
               token=str(rep_token["access_token"]))

    page = open_page(locale="zh-CN")
    page.goto(f"{server.url}/apps/crm/forms/customer")
    sign_in(page, email, PASSWORD)
    table = page.get_by_test_id("record-table")
    expect(table.get_by_text(mine)).to_be_visible()
    expect(table.get_by_text("深圳南山优选零售连锁有限公司")).to_be_visible()  # 公海
    expect(table.get_by_text("上海华东精密制造有限公司")).to_have_count(0)  # the admin's
    shot(page, "rep-01-own-customers-zh")
    # a deep link to someone else's record answers "not found", not the record
    admin_rows = server.api("GET", "/apps/crm/forms/customer/records?q=%E5%8D%8E%E4%B8%9C",
                            token=token)
    assert isinstance(admin_rows, dict)
    other = admin_rows["items"][0]["_id"]
    page.goto(f"{server.url}/apps/crm/forms/customer/records/{other}")
    expect(page.get_by_text("该记录不存在或已被删除。")).to_be_visible()
    expect(page.get_by_text("上海华东精密制造有限公司")).to_have_count(0)
    shot(page, "rep-02-other-record-zh")
