"""The server-drawn first paint (ADR 0009, docs/first-paint.md §2) through HTTP on real
Postgres: a full load of the CRM's new and edit pages comes with the form drawn for the
caller (their fields, values, permissions and language), and every page it cannot draw is
`index.html` unchanged, with the same CSP.

The templates are the build's file (`frontend/dist/first-paint/templates.json`) once it can
draw the pages tested here (the page template, the messages, every type of the CRM's customer
and contact forms), else a small fixture in the same format
(tests/unit/firstpaint/templates.fixture.json): the build writes its templates type by type.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from tessera.api.page_security import content_security_policy
from tessera.config import Settings
from tessera.db.engine import create_engine
from tessera.org.tenants import ensure_tenant
from tessera.org.users import create_user
from tessera.templates import load_template
from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.members import member

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "frontend" / "dist" / "first-paint" / "templates.json"
FIXTURE = ROOT / "tests" / "unit" / "firstpaint" / "templates.fixture.json"
PAGE = ("<!doctype html><html lang=\"zh-CN\"><head><script>boot()</script><title>Tessera</title>"
        "</head><body><div id=\"root\"></div></body></html>")
CUSTOMER = "/apps/crm/forms/customer"
HTML = {"Accept": "text/html,application/xhtml+xml"}
ZH = {**HTML, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {**HTML, "Accept-Language": "en-US,en;q=0.9"}

DEFINITION, _ = load_template("crm")
PRODUCT_CATEGORY = next(f for form in DEFINITION["forms"] if form["key"] == "product"
                        for f in form["fields"] if f["key"] == "category")["options"][0]["value"]
MESSAGES = ("form.newTitle", "form.editTitle", "action.save", "action.submit")


def templates_file() -> Path:
    """The build's templates when they draw every page tested here, else the fixture."""
    if not BUILT.exists():
        return FIXTURE
    forms = {form["key"]: form for form in DEFINITION["forms"]}
    needed = {f["type"] for key in ("customer", "contact") for f in forms[key]["fields"]}
    built = json.loads(BUILT.read_text(encoding="utf-8"))
    complete = all(
        {"form", "public"} <= set(body.get("page") or {})
        and needed <= set(body.get("fields") or {})
        and all(m in (body.get("messages") or {}) for m in MESSAGES)
        for body in (built.get("locales") or {}).values())
    return BUILT if complete and set(built.get("locales") or {}) >= {"zh-CN", "en"} else FIXTURE
ROLES = [
    {"key": "fp_clerk", "name": {"en": "Clerk"}, "permissions": [
        {"form": "customer", "actions": ["view", "create", "edit"], "scope": "all",
         "fields": {"hidden": ["phone"], "readonly": ["annual_revenue"]}}]},
    {"key": "fp_viewer", "name": {"en": "Viewer"}, "permissions": [
        {"form": "customer", "actions": ["view"], "scope": "all"}]},
    {"key": "fp_manager", "name": {"en": "Manager"}, "permissions": [
        {"form": "customer", "actions": ["view", "create", "edit", "manage"], "scope": "all"}]},
    {"key": "fp_own", "name": {"en": "Own editor"}, "permissions": [
        {"form": "customer", "actions": ["view"], "scope": "all"},
        {"form": "customer", "actions": ["create", "edit"],
         "scope": {"==": [{"var": "owner"}, {"var": "$user"}]}}]},
]
#: a form with a field type the first paint does not draw
ODD_APP = {"format": "tessera.app/1", "key": "fp_odd", "name": {"en": "Odd"}, "forms": [
    {"key": "visit", "name": {"en": "Visit"}, "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}},
        {"key": "where", "type": "location", "label": {"en": "Where"}}]},
    {"key": "photo", "name": {"en": "Photo"}, "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}},
        {"key": "shot", "type": "signature", "label": {"en": "Shot"}}]}]}


@pytest.fixture(scope="module")
def settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text(PAGE, encoding="utf-8")
    (dist / "first-paint").mkdir()
    shutil.copy(templates_file(), dist / "first-paint" / "templates.json")
    return replace(settings, frontend_dist=dist)


@pytest.fixture(scope="module")
async def crm(admin: httpx.AsyncClient) -> dict[str, Any]:
    """The CRM with two extra roles, and one customer with a value in most of its fields."""
    definition = copy.deepcopy(DEFINITION)
    definition["roles"] = [*definition.get("roles", []), *ROLES]
    assert (await admin.post("/api/v1/apps", json=definition)).status_code == 201
    assert (await admin.post("/api/v1/apps", json=ODD_APP)).status_code == 201
    me = (await admin.get("/api/v1/me")).json()
    made = await admin.post(f"/api/v1{CUSTOMER}/records", json={"data": {
        "name": "上海华东精密 <b>制造</b>", "pool": "private", "owner": me["id"], "level": "A",
        "phone": "021-58881234", "website": "https://hdjm.example.cn",
        "address": {"province": "31", "district": "310115", "detail": "张江路 88 号"},
        "annual_revenue": 860000000.5, "remark": "二期 & 三期"}})
    assert made.status_code == 201, made.text
    return {"customer": made.json(), "me": me}


async def browser(app: Any, email: str, password: str,
                  tenant: str | None = None) -> httpx.AsyncClient:
    """A client signed in as the browser is: the session cookie, no Authorization header."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.66.0.1", 1)),
                               base_url="http://tessera.test")
    body = {"email": email, "password": password, **({"tenant": tenant} if tenant else {})}
    assert (await client.post("/api/v1/auth/login", json=body)).status_code == 200
    return client


@pytest.fixture(scope="module")
async def signed_in(app: Any, crm: dict[str, Any]) -> AsyncIterator[httpx.AsyncClient]:
    client = await browser(app, ADMIN_EMAIL, ADMIN_PASSWORD)
    yield client
    await client.aclose()


class Cells(HTMLParser):
    """The drawn page's field cells by test id, each with its text, and every element id."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.disabled: set[str] = set()
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id") and any(test_id in self.cells for _, test_id in self._open):
            self.ids.append(str(found["id"]))  # an id inside a field cell
        if "disabled" in found and found.get("id"):
            self.disabled.add(str(found["id"]))
        test_id = found.get("data-testid")
        if test_id and test_id.startswith("field-"):
            self.cells[test_id] = []
        if tag not in ("input", "br", "img", "meta", "link"):
            self._open.append((tag, test_id))
        if tag == "input" and found.get("value"):
            self._text(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._text(data.strip())

    def _text(self, text: str) -> None:
        for _, test_id in self._open:
            if test_id in self.cells:
                self.cells[test_id].append(text)


def cells_of(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


def drawn(response: httpx.Response) -> Cells:
    """The drawn cells of a first-paint page, after the checks every drawn page must pass."""
    assert response.status_code == 200, response.text
    body = response.text
    assert '<div id="first-paint" data-first-paint="' in body
    assert body.count('<div id="root" data-first-paint=""></div>') == 1
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["vary"] == "Cookie, Accept-Language, Accept-Encoding"
    # httpx asks for gzip, as browsers do: the drawn page is sent compressed
    assert response.headers["content-encoding"] == "gzip"
    # the CSP still names exactly the page's inline scripts (the drawn HTML adds none)
    assert response.headers["content-security-policy"] == content_security_policy(body)
    assert response.headers["content-security-policy"] == content_security_policy(PAGE)
    found = cells_of(body)
    # fp- ids, and fpm- on a sub-form's phone cards (docs/first-paint.md, Sub-forms)
    assert found.ids and all(i.startswith(("fp-", "fpm-")) for i in found.ids)
    assert len(found.ids) == len(set(found.ids)), "duplicate ids"
    return found


def plain(response: httpx.Response) -> None:
    assert response.status_code == 200
    assert response.text == PAGE
    assert response.headers["content-security-policy"] == content_security_policy(PAGE)
    assert response.headers["cache-control"] == "no-cache"


async def test_a_new_customer_is_drawn_in_chinese(signed_in: httpx.AsyncClient) -> None:
    response = await signed_in.get(f"{CUSTOMER}/new", headers=ZH)
    page = drawn(response)
    assert 'data-first-paint="crm/customer"' in response.text
    assert '<html lang="zh-CN">' in response.text
    assert "<title>新建客户 · 客户管理 · Tessera</title>" in response.text
    assert page.cells["field-name"][0] == "客户名称"
    assert "填写营业执照上的全称，系统按名称查重" in page.cells["field-name"]
    assert page.cells["field-pool"][:2] == ["公海/私海", "私海"]  # its default's label
    assert re.search(r'for="fp-name" class="[^"]*required', response.text)
    # a new record shows the fields one fills: no rollups
    assert "field-followup_count" not in page.cells and "field-last_followup" not in page.cells
    assert list(page.cells)[:3] == ["field-name", "field-short_name", "field-pool"]
    assert "fp-annual_revenue" not in page.disabled


async def test_the_language_is_the_picked_one_else_the_browsers(
        signed_in: httpx.AsyncClient) -> None:
    response = await signed_in.get(f"{CUSTOMER}/new", headers=EN)
    english = drawn(response)
    assert response.text.startswith('<!doctype html><html lang="en">')
    assert english.cells["field-name"][0] == "Customer name"
    assert english.cells["field-pool"][:2] == ["Pool", "Assigned"]
    signed_in.cookies.set("tessera_locale", "en")
    try:
        picked = await signed_in.get(f"{CUSTOMER}/new", headers=ZH)
    finally:
        signed_in.cookies.delete("tessera_locale")
    assert "<title>New Customer · CRM · Tessera</title>" in picked.text
    no_header = await signed_in.get(f"{CUSTOMER}/new", headers=HTML)
    assert "<title>New Customer · CRM · Tessera</title>" in no_header.text


async def test_prefill_and_back_are_applied_as_the_browser_does(
        signed_in: httpx.AsyncClient) -> None:
    response = await signed_in.get(f"{CUSTOMER}/new", headers=ZH, params={
        "prefill": json.dumps({"level": "B", "nope": 1}), "back": "/apps/crm/forms/lead"})
    page = drawn(response)
    assert page.cells["field-level"] == ["客户等级", "B（普通）"]
    if templates_file() == FIXTURE:  # the build's page draws the back button as a button
        assert 'href="/apps/crm/forms/lead"' in response.text


async def test_a_prefilled_relation_shows_the_related_title(signed_in: httpx.AsyncClient,
                                                            crm: dict[str, Any]) -> None:
    customer = crm["customer"]
    response = await signed_in.get("/apps/crm/forms/contact/new", headers=EN, params={
        "prefill": json.dumps({"customer": customer["_id"]})})
    assert drawn(response).cells["field-customer"][1] == customer["name"]
    unknown = await signed_in.get("/apps/crm/forms/contact/new", headers=EN, params={
        "prefill": json.dumps({"customer": str(uuid.uuid4())})})
    # a record it cannot read: the id, as the browser shows it then
    assert "field-customer" in drawn(unknown).cells


async def test_an_edit_page_shows_the_record(signed_in: httpx.AsyncClient,
                                             crm: dict[str, Any]) -> None:
    record = crm["customer"]
    response = await signed_in.get(f"{CUSTOMER}/records/{record['_id']}/edit", headers=ZH)
    page = drawn(response)
    assert f'data-first-paint="crm/customer/{record["_id"]}"' in response.text
    assert "<title>编辑客户 · 客户管理 · Tessera</title>" in response.text
    # values escaped, formatted as the editors show them
    assert "上海华东精密 &lt;b&gt;制造&lt;/b&gt;" in response.text
    assert page.cells["field-name"][1] == "上海华东精密 <b>制造</b>"
    assert page.cells["field-annual_revenue"] == ["年营业额", "¥", "860,000,000.50"]
    assert page.cells["field-address"] == ["地址", "上海市 / 浦东新区", "张江路 88 号"]
    assert page.cells["field-owner"][1] == crm["me"]["name"]
    assert page.cells["field-remark"][-1] == "二期 & 三期"
    # computed fields are shown on a saved record
    assert page.cells["field-followup_count"] == ["跟进次数", "0"]
    assert page.cells["field-last_followup"][0] == "最近跟进时间"  # and a hint, no value
    assert len(page.cells["field-last_followup"]) == 2
    english = drawn(await signed_in.get(f"{CUSTOMER}/records/{record['_id']}/edit", headers=EN))
    assert english.cells["field-address"][1] == "Shanghai / Pudong New Area"
    assert english.cells["field-level"][-1] == "A (key account)"


def input_tag(html: str, element_id: str) -> str:
    """The start tag of the input with this id (one, or the test fails)."""
    found = re.findall(rf'<input[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert len(found) == 1, (element_id, found)
    return found[0]


async def test_an_edit_page_with_sub_form_rows_is_drawn(admin: httpx.AsyncClient,
                                                       signed_in: httpx.AsyncClient,
                                                       crm: dict[str, Any]) -> None:
    product = await admin.post("/api/v1/apps/crm/forms/product/records", json={"data": {
        "name": "精密轴承 A1", "code": "A1", "category": PRODUCT_CATEGORY, "price": 100}})
    assert product.status_code == 201, product.text
    quote = await admin.post("/api/v1/apps/crm/forms/quote/records", json={"data": {
        "customer": crm["customer"]["_id"], "quote_date": "2026-11-25",
        "valid_until": "2026-12-25", "lines": [
            {"product": product.json()["_id"], "quantity": 2, "unit_price": 100,
             "discount_rate": 1},
            {"description": "安装 & <调试>", "quantity": 1, "unit_price": 50,
             "discount_rate": 0.9}]}})
    assert quote.status_code == 201, quote.text
    response = await signed_in.get(
        f"/apps/crm/forms/quote/records/{quote.json()['_id']}/edit", headers=ZH)
    page = drawn(response)
    html = response.text
    assert page.cells["field-lines"][0] == "产品明细"
    # each row's cells twice (the grid's fp- ids, the cards' fpm- ones), with the app's test ids
    for row in (0, 1):
        for sub in ("product", "description", "quantity", "unit_price", "discount_rate"):
            assert f'id="fp-lines_{row}_{sub}"' in html and f'id="fpm-lines_{row}_{sub}"' in html
            assert html.count(f'data-testid="field-{row}.{sub}"') == 2
    assert page.cells["field-0.product"][-1] == "精密轴承 A1"  # the row's own related title
    assert "安装 &amp; &lt;调试&gt;" in html
    # required_when per row: a description is needed only where no product is picked
    assert 'aria-required="true"' not in input_tag(html, "fp-lines_0_description")
    assert 'aria-required="true"' in input_tag(html, "fp-lines_1_description")
    assert 'aria-required="true"' in input_tag(html, "fpm-lines_1_description")
    assert 'value="2.00"' in input_tag(html, "fp-lines_0_quantity")  # precision 2
    english = await signed_in.get(
        f"/apps/crm/forms/quote/records/{quote.json()['_id']}/edit", headers=EN)
    assert "Description" in "".join(drawn(english).cells["field-0.description"])


async def test_field_permissions_hide_and_lock(app: Any, admin: httpx.AsyncClient,
                                               settings: Settings, crm: dict[str, Any]) -> None:
    record = crm["customer"]
    async with member(app, admin, settings, "fp-clerk@example.com", {"crm": ["fp_clerk"]}):
        clerk = await browser(app, "fp-clerk@example.com", "member-password-1")
        for path in (f"{CUSTOMER}/new", f"{CUSTOMER}/records/{record['_id']}/edit"):
            response = await clerk.get(path, headers=ZH)
            page = drawn(response)
            assert "field-phone" not in page.cells and 'id="fp-phone"' not in response.text
            assert "021-58881234" not in response.text
            assert "fp-annual_revenue" in page.disabled
            assert "fp-name" not in page.disabled
        await clerk.aclose()


async def test_what_it_cannot_draw_is_index_html(app: Any, admin: httpx.AsyncClient,
                                                 settings: Settings,
                                                 signed_in: httpx.AsyncClient,
                                                 crm: dict[str, Any]) -> None:
    record = crm["customer"]
    edit = f"{CUSTOMER}/records/{record['_id']}/edit"
    # not signed in (`anon` holds the cookie of the admin's login: a client of its own)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.66.0.9", 1)),
                                 base_url="http://tessera.test") as stranger:
        plain(await stranger.get(f"{CUSTOMER}/new", headers=ZH))
        plain(await stranger.get(edit, headers=ZH))
    plain(await signed_in.get(f"{CUSTOMER}/records/{uuid.uuid4()}/edit", headers=ZH))
    plain(await signed_in.get(f"{CUSTOMER}/records/not-an-id/edit", headers=ZH))
    plain(await signed_in.get("/apps/crm/forms/nope/new", headers=ZH))
    plain(await signed_in.get("/apps/fp_odd/forms/visit/new", headers=ZH))  # a location field
    plain(await signed_in.get("/apps/fp_odd/forms/photo/new", headers=ZH))  # a signature
    plain(await signed_in.get(f"{CUSTOMER}/new", headers={"Accept": "*/*"}))
    async with member(app, admin, settings, "fp-viewer@example.com", {"crm": ["fp_viewer"]}):
        viewer = await browser(app, "fp-viewer@example.com", "member-password-1")
        plain(await viewer.get(f"{CUSTOMER}/new", headers=ZH))
        plain(await viewer.get(edit, headers=ZH))
        await viewer.aclose()
    async with member(app, admin, settings, "fp-own@example.com", {"crm": ["fp_own"]}):
        own = await browser(app, "fp-own@example.com", "member-password-1")
        drawn(await own.get(f"{CUSTOMER}/new", headers=ZH))
        plain(await own.get(edit, headers=ZH))  # may see it, may not edit it: the admin's
        await own.aclose()


async def test_a_record_of_another_tenant_is_not_drawn(app: Any, settings: Settings,
                                                       signed_in: httpx.AsyncClient) -> None:
    engine = create_engine(settings, pool_size=1)
    try:
        async with engine.begin() as conn:
            await create_user(conn, tenant_id=await ensure_tenant(conn, "fpother", "Other"),
                              email="boss@other.example", name="Boss",
                              password="other-pass-123", is_admin=True)
    finally:
        await engine.dispose()
    other = await browser(app, "boss@other.example", "other-pass-123", tenant="fpother")
    token = (await other.post("/api/v1/auth/login", json={
        "email": "boss@other.example", "password": "other-pass-123",
        "tenant": "fpother"})).json()["access_token"]
    other.headers["Authorization"] = f"Bearer {token}"
    assert (await other.post("/api/v1/apps", json=copy.deepcopy(DEFINITION))).status_code == 201
    theirs = await other.post(f"/api/v1{CUSTOMER}/records", json={"data": {
        "name": "Elsewhere Ltd", "pool": "public"}})
    assert theirs.status_code == 201, theirs.text
    drawn(await other.get(f"{CUSTOMER}/records/{theirs.json()['_id']}/edit", headers=EN))
    plain(await signed_in.get(f"{CUSTOMER}/records/{theirs.json()['_id']}/edit", headers=EN))
    await other.aclose()


class Nav(HTMLParser):
    """The side bar's entries (`nav-form-…`, `nav-links-…` test ids) in order, with their text."""

    VOID = frozenset(("area", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "wbr"))

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, str]] = []
        self._open: list[bool] = []

    def _entry(self, attrs: list[tuple[str, str | None]]) -> bool:
        test_id = dict(attrs).get("data-testid") or ""
        entry = test_id.startswith(("nav-form-", "nav-links-"))
        if entry:
            self.entries.append((test_id, ""))
        return entry

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._entry(attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        entry = self._entry(attrs)
        if tag not in self.VOID:
            self._open.append(entry)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and any(self._open):
            test_id, text = self.entries[-1]
            self.entries[-1] = (test_id, text + data.strip())


def nav_of(response: httpx.Response) -> list[tuple[str, str]]:
    drawn(response)
    parser = Nav()
    parser.feed(response.text)
    return parser.entries


async def test_the_public_links_entry_is_drawn_for_who_manages_the_form(
        app: Any, admin: httpx.AsyncClient, settings: Settings, signed_in: httpx.AsyncClient,
        crm: dict[str, Any]) -> None:
    """FormNav shows "Public links" under the open form from its first render when the app's
    access lists `manage` for the caller on it: the drawn side bar has it exactly then (an
    admin, a role with manage) and not for a role without (the clerk creates and edits)."""
    edit = f"{CUSTOMER}/records/{crm['customer']['_id']}/edit"
    forms = [form["key"] for form in DEFINITION["forms"]]
    wanted = [f"nav-form-{key}" for key in forms]
    with_links = [*wanted[:forms.index("customer") + 1], "nav-links-customer",
                  *wanted[forms.index("customer") + 1:]]
    for path in (f"{CUSTOMER}/new", edit):
        for headers, label in ((ZH, "外链填写"), (EN, "Public links")):
            entries = nav_of(await signed_in.get(path, headers=headers))
            assert [test_id for test_id, _ in entries] == with_links
            assert dict(entries)["nav-links-customer"] == label
    clerk_forms = ["customer"]  # the clerk's copy of the definition: the forms they have a part in
    async with member(app, admin, settings, "fp-manager@example.com", {"crm": ["fp_manager"]}):
        manager = await browser(app, "fp-manager@example.com", "member-password-1")
        access = (await manager.get("/api/v1/apps/crm")).json()["access"]
        assert "manage" in access["customer"]["actions"]
        entries = nav_of(await manager.get(f"{CUSTOMER}/new", headers=EN))
        assert [test_id for test_id, _ in entries] == ["nav-form-customer", "nav-links-customer"]
        await manager.aclose()
    async with member(app, admin, settings, "fp-clerk@example.com", {"crm": ["fp_clerk"]}):
        clerk = await browser(app, "fp-clerk@example.com", "member-password-1")
        access = (await clerk.get("/api/v1/apps/crm")).json()["access"]
        assert "manage" not in access["customer"]["actions"]
        for path in (f"{CUSTOMER}/new", edit):
            entries = nav_of(await clerk.get(path, headers=ZH))
            assert [test_id for test_id, _ in entries] == [f"nav-form-{k}" for k in clerk_forms]
        await clerk.aclose()


# ---- a public fill link's page (`/f/<token>`, page.public) ----

#: a form made to be filled by the public: a description, defaults, a field shown only for "b"
SIGNUP_APP = {"format": "tessera.app/1", "key": "fp_pub", "name": {"en": "Events",
                                                                   "zh-CN": "活动"},
              "forms": [{"key": "signup", "name": {"en": "Sign up", "zh-CN": "报名"},
                         "description": {"en": "Tell us <who> & when", "zh-CN": "请如实填写"},
                         "fields": [
                             {"key": "name", "type": "text", "required": True,
                              "label": {"en": "Name", "zh-CN": "姓名"}},
                             {"key": "seats", "type": "number", "default": 2,
                              "label": {"en": "Seats", "zh-CN": "人数"}},
                             {"key": "kind", "type": "select", "default": "a",
                              "label": {"en": "Kind", "zh-CN": "类别"},
                              "options": [
                                  {"value": "a", "label": {"en": "Adult", "zh-CN": "成人"}},
                                  {"value": "b", "label": {"en": "Child", "zh-CN": "儿童"}}]},
                             {"key": "school", "type": "text", "label": {"en": "School"},
                              "visible_when": {"==": [{"var": "kind"}, "b"]}},
                             {"key": "email", "type": "email",
                              "label": {"en": "Email", "zh-CN": "邮箱"}},
                             {"key": "phone", "type": "phone",
                              "label": {"en": "Phone", "zh-CN": "电话"}},
                             {"key": "remark", "type": "textarea",
                              "label": {"en": "Anything else?", "zh-CN": "备注"}}]}]}
SHOP = "https://shop.example.com"


@pytest.fixture(scope="module")
async def signup(admin: httpx.AsyncClient, crm: dict[str, Any]) -> None:
    assert (await admin.post("/api/v1/apps", json=SIGNUP_APP)).status_code == 201


async def public_link(admin: httpx.AsyncClient, app_key: str, form: str,
                      owner: str = ADMIN_EMAIL, **body: Any) -> str:
    """A new link's token."""
    made = await admin.post(f"/api/v1/apps/{app_key}/forms/{form}/public-links",
                            json={"owner": owner, **body})
    assert made.status_code == 201, made.text
    return str(made.json()["token"])


def visitor(app: Any) -> httpx.AsyncClient:
    """A stranger's browser: no session."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.66.9.1", 1)),
                             base_url="http://tessera.test")


async def test_an_open_public_link_is_drawn(app: Any, admin: httpx.AsyncClient,
                                            signup: None) -> None:
    """PublicFormPage's page, in the visitor's language: the app's name in the bar, the form's
    name and description in the card, a new record's fields (defaults in, `visible_when` false
    left out) and Submit; the public API's fields, nothing else."""
    token = await public_link(admin, "fp_pub", "signup")
    async with visitor(app) as browser_:
        zh = await browser_.get(f"/f/{token}", headers=ZH)
        found = drawn(zh)
        assert list(found.cells) == ["field-name", "field-seats", "field-kind", "field-email",
                                     "field-phone", "field-remark"]
        assert found.cells["field-seats"] == ["人数", "2"]
        assert found.cells["field-kind"] == ["类别", "成人"]
        assert '<html lang="zh-CN"' in zh.text and "<title>报名 · 活动 · Tessera</title>" in zh.text
        assert 'data-testid="public-page"' in zh.text and "请如实填写" in zh.text
        assert "<span>提 交</span>" in zh.text
        en = await browser_.get(f"/f/{token}", headers=EN)
        assert list(drawn(en).cells) == list(found.cells)
        assert '<html lang="en"' in en.text
        assert "<title>Sign up · Events · Tessera</title>" in en.text
        assert "Tell us &lt;who&gt; &amp; when" in en.text and "<span>Submit</span>" in en.text
        picked = await browser_.get(f"/f/{token}", headers=EN, cookies={"tessera_locale": "zh-CN"})
        assert '<html lang="zh-CN"' in picked.text
        given = (await browser_.get(f"/api/v1/public/{token}")).json()["form"]["fields"]
        assert set(found.cells) <= {f"field-{f['key']}" for f in given}


async def test_a_public_link_draws_only_what_the_public_gets(
        app: Any, admin: httpx.AsyncClient, settings: Settings, crm: dict[str, Any]) -> None:
    """The owner's hidden and read-only fields and the fields a stranger cannot use (a member
    picker) are left out, as `GET /public/{token}` leaves them out."""
    async with member(app, admin, settings, "fp-pub-owner@example.com", {"crm": ["fp_clerk"]}):
        token = await public_link(admin, "crm", "customer", owner="fp-pub-owner@example.com")
        async with visitor(app) as browser_:
            found = drawn(await browser_.get(f"/f/{token}", headers=ZH))
            given = (await browser_.get(f"/api/v1/public/{token}")).json()["form"]["fields"]
        keys = {f"field-{f['key']}" for f in given}
        assert found.cells and set(found.cells) <= keys
        for left_out in ("phone", "annual_revenue", "owner"):
            assert f"field-{left_out}" not in keys and f"field-{left_out}" not in found.cells


async def test_a_public_link_it_cannot_draw_is_index_html(
        app: Any, admin: httpx.AsyncClient, settings: Settings, signup: None) -> None:
    """A password (the app asks for it first), a link turned off or expired, an unknown token,
    a form with a type without a template: `index.html` as before."""
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    off = await public_link(admin, "fp_pub", "signup")
    links = (await admin.get("/api/v1/apps/fp_pub/forms/signup/public-links")).json()["items"]
    assert (await admin.patch(f"/api/v1/apps/fp_pub/forms/signup/public-links/{links[0]['id']}",
                              json={"enabled": False})).status_code == 200
    tokens = [await public_link(admin, "fp_pub", "signup", password="open sesame"),
              await public_link(admin, "fp_pub", "signup", expires_at=earlier),
              await public_link(admin, "fp_odd", "visit"),
              "tpl_nosuchlink", "nonsense"]
    async with visitor(app) as browser_:
        assert (await browser_.get(f"/api/v1/public/{off}")).json()["code"] == "link_disabled"
        for token in (off, *tokens):
            response = await browser_.get(f"/f/{token}", headers=ZH)
            plain(response)
            assert response.headers["vary"] == "Cookie, Accept-Language"


async def test_a_public_link_s_expiry_is_written_as_the_app_writes_it(
        app: Any, admin: httpx.AsyncClient, signup: None) -> None:
    """An expiring link says until when it is open (lib/dates.ts formatWhen), in the business
    time zone as datetime fields are drawn (Asia/Shanghai: 04:05 UTC is 12:05 there)."""
    token = await public_link(admin, "fp_pub", "signup", expires_at="2031-02-03T04:05:00Z")
    async with visitor(app) as browser_:
        zh = await browser_.get(f"/f/{token}", headers=ZH)
        en = await browser_.get(f"/f/{token}", headers=EN)
    drawn(zh)
    assert "开放至 2031年2月3日 12:05" in zh.text
    drawn(en)
    assert "Open until Feb 3, 2031 12:05" in en.text


async def test_a_public_link_keeps_its_embedding_sites(app: Any, admin: httpx.AsyncClient,
                                                      signup: None) -> None:
    """The sites a link may be framed by stay in the drawn page's frame-ancestors, as in the
    page the browser draws (a password-protected link's); every other page stays unframeable."""
    drawn_token = await public_link(admin, "fp_pub", "signup", embed_origins=[SHOP])
    plain_token = await public_link(admin, "fp_pub", "signup", embed_origins=[SHOP],
                                    password="open sesame")
    async with visitor(app) as browser_:
        framed = await browser_.get(f"/f/{drawn_token}", headers=EN)
        asked = await browser_.get(f"/f/{plain_token}", headers=EN)
        other = await browser_.get(f"/f/{await public_link(admin, 'fp_pub', 'signup')}",
                                   headers=EN)
    assert 'id="first-paint"' in framed.text and asked.text == PAGE
    assert framed.headers["content-encoding"] == "gzip"
    policy = content_security_policy(PAGE, [SHOP])
    assert f"frame-ancestors 'self' {SHOP}" in policy
    assert framed.headers["content-security-policy"] == policy
    assert asked.headers["content-security-policy"] == policy
    assert 'id="first-paint"' in other.text
    assert other.headers["content-security-policy"] == content_security_policy(PAGE)
