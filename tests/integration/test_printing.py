"""Printing: the generated default template, custom sandboxed templates stored in the app
definition, HTML and PDF output, sandbox escapes refused, hidden fields never printed."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tessera.printing.pdf import chromium_path
from tests.integration.members import member

TEMPLATES = [
    {"key": "simple", "name": {"en": "Simple"},
     "template": "<p class='t'>{{ record.title }} / {{ record.amount }}</p>"
                 "{% for f in fields %}[{{ f.key }}]{% endfor %}<i>{{ record.secret }}</i>"},
    {"key": "mro", "template": "{{ ''.__class__.__mro__ }}"},
    {"key": "globals", "template": "{{ cycler.__init__.__globals__ }}"},
    {"key": "subclasses", "template": "{{ ''.__class__.__base__.__subclasses__() }}"},
    {"key": "format", "template": "{{ '{0.__class__}'.format(record) }}"},
    {"key": "bomb", "template": "{% set ns = namespace(s='ab') %}{% for i in range(100) %}"
                                "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"},
    {"key": "broken", "template": "{% for x in %}"},
]
APP = {
    "format": "tessera.app/1", "key": "print", "name": {"zh-CN": "打印", "en": "Print"},
    "settings": {"print_templates": {"order": TEMPLATES}},
    "forms": [
        {"key": "customer", "name": {"zh-CN": "客户"}, "title_field": "name", "fields": [
            {"key": "name", "type": "text", "label": {"zh-CN": "名称"}}]},
        {"key": "order", "name": {"zh-CN": "销售订单", "en": "Order"}, "title_field": "title",
         "fields": [
             {"key": "title", "type": "text", "label": {"zh-CN": "标题", "en": "Title"}},
             {"key": "amount", "type": "money", "label": {"zh-CN": "金额"}, "precision": 2},
             {"key": "stage", "type": "select", "label": {"zh-CN": "阶段"},
              "options": [{"value": "won", "label": {"zh-CN": "赢单", "en": "Won"}}]},
             {"key": "customer", "type": "relation", "label": {"zh-CN": "客户"},
              "target": "customer"},
             {"key": "sales", "type": "member", "label": {"zh-CN": "销售"}},
             {"key": "photos", "type": "image", "label": {"zh-CN": "照片"}},
             {"key": "secret", "type": "text", "label": {"zh-CN": "底价"}},
             {"key": "items", "type": "subform", "label": {"zh-CN": "明细"}, "fields": [
                 {"key": "sku", "type": "text", "label": {"zh-CN": "品名"}},
                 {"key": "qty", "type": "number", "label": {"zh-CN": "数量"}}]},
         ]},
    ],
    "roles": [
        {"key": "printer", "name": {"en": "Printer"}, "permissions": [
            {"form": "order", "actions": ["view", "print"], "scope": "all",
             "fields": {"hidden": ["secret"]}},
            {"form": "customer", "actions": ["view"], "scope": "all"}]},
        {"key": "viewer", "name": {"en": "Viewer"}, "permissions": [
            {"form": "order", "actions": ["view"], "scope": "all"}]},
    ],
}
URL = "/api/v1/apps/print/forms/order/records"


@pytest.fixture(scope="module")
async def order(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text
    customer = (await admin.post("/api/v1/apps/print/forms/customer/records",
                                 json={"data": {"name": "华东机械"}})).json()
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(out, "PNG")
    photo = (await admin.post("/api/v1/files", files={"file": ("p.png", out.getvalue(),
                                                               "image/png")})).json()
    me = (await admin.get("/api/v1/me")).json()
    created = await admin.post(URL, json={"data": {
        "title": "<script>alert(1)</script>年度合同", "amount": "1234.5", "stage": "won",
        "customer": customer["_id"], "sales": me.get("id") or me["user"]["id"],
        "photos": [photo["id"]], "secret": "底价 888",
        "items": [{"sku": "齿轮", "qty": 3}, {"sku": "轴承", "qty": 12}]}})
    assert created.status_code == 201, created.text
    return created.json()


async def test_the_default_template_prints_every_field_readably(admin, order) -> None:
    response = await admin.get(f"{URL}/{order['_id']}/print", params={"locale": "zh-CN"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "sandbox" in response.headers["content-security-policy"]
    page = response.text
    assert "<h1>销售订单</h1>" in page and "Noto Sans CJK SC" in page
    assert "¥1,234.50" in page and "赢单" in page and "华东机械" in page
    assert "<th>品名</th><th>数量</th>" in page and "<td>齿轮</td><td>3</td>" in page
    assert "data:image/webp;base64," in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "底价 888" in page  # the admin sees every field


@pytest.mark.parametrize(("params", "headers", "language"), [
    ({}, {}, "en"),  # a script without the header: English, as its problems are
    ({}, {"Accept-Language": "en"}, "en"),
    ({}, {"Accept-Language": "zh-CN"}, "zh-CN"),
    ({"locale": "zh-CN"}, {"Accept-Language": "en"}, "zh-CN"),  # the parameter wins
    ({"locale": "en"}, {"Accept-Language": "zh-CN,zh;q=0.9"}, "en"),
])
async def test_a_printout_is_in_the_callers_language_unless_locale_names_one(
        admin, order, params, headers, language) -> None:
    response = await admin.get(f"{URL}/{order['_id']}/print", params=params, headers=headers)
    page = response.text
    assert f'<html lang="{language}">' in page
    assert response.headers["Content-Language"] == language
    assert response.headers["Vary"] == "Accept-Language"
    name, stage = ("销售订单", "赢单") if language == "zh-CN" else ("Order", "Won")
    assert f"<h1>{name}</h1>" in page and stage in page
    source = (await admin.get("/api/v1/apps/print/forms/order/print-templates/default",
                              params=params, headers=headers)).json()["template"]
    assert ("<th>标题</th>" if language == "zh-CN" else "<th>Title</th>") in source


async def test_custom_templates_render_in_the_sandbox(admin, order) -> None:
    page = (await admin.get(f"{URL}/{order['_id']}/print", params={"template": "simple"})).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;年度合同 / ¥1,234.50" in page
    assert "[title][amount][stage]" in page
    listed = (await admin.get("/api/v1/apps/print/forms/order/print-templates")).json()
    assert [t["key"] for t in listed["items"]][:2] == ["default", "simple"]
    source = (await admin.get("/api/v1/apps/print/forms/order/print-templates/default")).json()
    assert "{{ record.amount }}" in source["template"]
    check = await admin.post("/api/v1/apps/print/forms/order/print-templates/check",
                             json={"template": "{% if %}"})
    assert check.json()["ok"] is False and check.json()["problems"][0]["line"] == 1
    missing = await admin.get(f"{URL}/{order['_id']}/print", params={"template": "nope"})
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_template"


@pytest.mark.parametrize("key", ["mro", "globals", "subclasses", "format"])
async def test_templates_cannot_escape_the_sandbox(admin, order, key) -> None:
    response = await admin.get(f"{URL}/{order['_id']}/print", params={"template": key})
    if response.status_code == 200:  # some attempts just print nothing
        body = response.text.split("<body>", 1)[1].split("</body>", 1)[0]
        assert "class" not in body and "module" not in body and "function" not in body
    else:
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "invalid_template"
        assert response.json()["errors"][0]["code"] == "template_unsafe"
        assert "<class" not in response.text


async def test_costly_or_broken_templates_are_refused(admin, order) -> None:
    bomb = await admin.get(f"{URL}/{order['_id']}/print", params={"template": "bomb"})
    assert bomb.status_code == 422
    assert bomb.json()["errors"][0]["code"] in ("template_too_costly", "template_error")
    broken = await admin.get(f"{URL}/{order['_id']}/print", params={"template": "broken"})
    assert broken.json()["errors"][0]["code"] == "template_syntax"
    assert broken.json()["errors"][0]["params"]["line"] == 1


async def test_hidden_fields_are_never_printed(app, admin, settings, order) -> None:
    async with member(app, admin, settings, "printer@example.com",
                      {"print": ["printer"]}) as printer:
        default = await printer.get(f"{URL}/{order['_id']}/print")
        assert default.status_code == 200, default.text
        assert "底价" not in default.text and "888" not in default.text
        assert "华东机械" in default.text
        custom = (await printer.get(f"{URL}/{order['_id']}/print",
                                    params={"template": "simple"})).text
        assert "[secret]" not in custom and "888" not in custom and "<i></i>" in custom
        source = (await printer.get(
            "/api/v1/apps/print/forms/order/print-templates/default")).json()["template"]
        assert "secret" not in source
    async with member(app, admin, settings, "viewer@example.com",
                      {"print": ["viewer"]}) as viewer:
        refused = await viewer.get(f"{URL}/{order['_id']}/print")
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


@pytest.mark.skipif(chromium_path() is None,
                    reason="no Chromium on this machine (make test installs it)")
async def test_pdf_output(admin, order) -> None:
    response = await admin.get(f"{URL}/{order['_id']}/print", params={"format": "pdf"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"NotoSansCJK" in response.content or b"Noto" in response.content  # CJK font
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
