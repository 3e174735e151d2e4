"""The server-drawn first paint (ADR 0009, docs/first-paint.md) against the app that takes it over.

* Parity: a form with one field of every type the build drew a template for, on its new page and
  on the edit page of a record with every field filled, is loaded twice — once with the app's
  scripts held back (what the server drew) and once normally until `html[data-app=ready]` (what
  the app drew) — and each field cell is compared pixel by pixel, at 1440 and 390 px, in
  Chinese and English. A look-alike the templates no longer follow fails here.
* Typing before the take-over: with the scripts held, text typed into the first paint (caret
  moved back into it) is in the React form once it takes over, the caret with it, and Save
  stores it.
* Where there must be no first paint (signed out, no permission to create, a type without a
  template) the server sends the page the app always had.

Every page fails its test on a console error, an uncaught error or a Content-Security-Policy
refusal. Images of the cells go to test-artifacts/first-paint/ (all of a failing cell, a few of
the passing ones) with a summary per combination (parity-<page>-<width>-<lang>.json).
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, ROOT, sign_in

TEMPLATES = ROOT / "frontend" / "dist" / "first-paint" / "templates.json"
OUT = ARTIFACTS / "first-paint"
# an app of its own each run: a reused development server (TESSERA_E2E_URL) has the last one
APP_KEY, FORM, ODD_FORM = f"fp_{uuid.uuid4().hex[:6]}", "sheet", "odd"
ZONE = "Asia/Shanghai"  # the tenant's zone, in which the server draws dates and times
PASSWORD = "a long enough password"
SCRIPTS = "**/assets/*.js"
#: a channel differing by more than this (of 255) counts as a differing pixel
THRESHOLD = 40
#: at most this share of a cell's pixels may differ: both ways draw the same markup with the
#: same stylesheet, and were found identical to the pixel; a select's arrow drawn a size larger
#: (its class changed) was 0.12 % of the cell, which 0.5 % let through
BUDGET = 0.0005
#: cells whose images are kept even when they match (a few, to look at)
KEPT = ("title", "f_number", "f_select", "f_date")
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

OPTIONS = [{"value": v, "label": {"zh-CN": f"选项{v.upper()}", "en": f"Option {v.upper()}"}}
           for v in "abc"]


def label(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh-CN": zh}


#: one field definition per type (key `f_<type>`); `title`, a required text field, comes first
CATALOGUE: dict[str, dict[str, Any]] = {
    "text": {"max_length": 100},
    "textarea": {},
    "phone": {},
    "email": {},
    "url": {},
    "idcard": {},
    "number": {"min": 0, "help": label("Whole pieces", "按件计")},
    "money": {"currency": "CNY"},
    "percent": {},
    "rating": {},
    "select": {"options": OPTIONS},
    "multiselect": {"options": OPTIONS},
    "checkbox": {},
    "date": {},
    "datetime": {},
    "time": {},
    "member": {},
    "members": {},
    "department": {},
    "departments": {},
    "relation": {"target": "account"},
    "lookup": {"relation": "f_relation", "field": "name"},
    "rollup": {"relation": "f_relation", "agg": "count"},
    "formula": {"formula": "f_number * 2", "result_type": "number"},
    "serial": {},
    "address": {"level": "district", "detail": True},
    "location": {},
    "attachment": {},
    "image": {},
    "signature": {},
    "richtext": {},
    "subform": {"fields": [
        {"key": "part", "type": "text", "label": label("Part", "零件")},
        {"key": "qty", "type": "number", "label": label("Quantity", "数量")},
    ]},
}
#: types another field of the form depends on
NEEDS = {"lookup": "relation", "rollup": "relation", "formula": "number"}
#: types a new record's page may leave off (nothing to enter)
READ_ONLY = {"lookup", "rollup", "formula", "serial"}
#: the clerk's role hides one field and makes two read-only
HIDDEN, READ_ONLY_FOR_CLERK = "f_text", ("f_number", "f_select")


def templates() -> dict[str, Any]:
    """The build's templates file; the tests are about it, so it must be there."""
    assert TEMPLATES.exists(), f"no {TEMPLATES}: the build writes it (npm run build)"
    return json.loads(TEMPLATES.read_text())


def drawable_types() -> list[str]:
    """The field types the first paint can draw in both languages, in catalogue order."""
    locales = templates()["locales"]
    drawn = set.intersection(*(set(locales[lang]["fields"]) for lang in ("zh-CN", "en")))
    return [t for t in CATALOGUE if t in drawn and NEEDS.get(t, t) in drawn]


def field_def(kind: str) -> dict[str, Any]:
    return {"key": f"f_{kind}", "type": kind,
            "label": label(f"{kind.title()} field", f"{kind}字段"), **CATALOGUE[kind]}


def app_definition(kinds: list[str], odd: str | None) -> dict[str, Any]:
    """The app: `sheet` with the drawable types, `account` for relations, and `odd` (a text
    field and one type the first paint cannot draw) when there is such a type."""
    forms = [
        {"key": FORM, "name": label("Sheet", "清单"), "title_field": "title",
         "fields": [{"key": "title", "type": "text", "label": label("Title", "标题"),
                     "required": True}, *(field_def(k) for k in kinds)]},
        {"key": "account", "name": label("Account", "客户"), "title_field": "name",
         "fields": [{"key": "name", "type": "text", "label": label("Name", "名称")}]},
    ]
    if odd:
        forms.append({"key": ODD_FORM, "name": label("Odd", "另类"), "title_field": "title",
                      "fields": [{"key": "title", "type": "text", "label": label("Title", "标题")},
                                 field_def(odd)]})
    return {
        "format": "tessera.app/1", "key": APP_KEY, "name": label("First paint", "首屏"),
        "version": "1.0.0", "forms": forms,
        "roles": [
            {"key": "viewer", "name": label("Viewer", "只读"), "permissions": [
                {"form": FORM, "actions": ["view"], "scope": "all"}]},
            {"key": "clerk", "name": label("Clerk", "文员"), "permissions": [
                {"form": FORM, "actions": ["view", "create", "edit"], "scope": "all",
                 "fields": {"hidden": [HIDDEN], "readonly": list(READ_ONLY_FOR_CLERK)}},
                {"form": "account", "actions": ["view"], "scope": "all"}]},
        ],
    }


def png(width: int, height: int, colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    """The app as the tests find it: its server, the filled record, the types drawn."""

    url: str
    kinds: list[str]
    odd: str | None
    record_id: str
    state: dict[str, Any]
    viewer: tuple[str, str]
    clerk: tuple[str, str]
    values: dict[str, Any] = field(default_factory=dict)

    def form_url(self, page: str, form: str = FORM) -> str:
        base = f"{self.url}/apps/{APP_KEY}/forms/{form}"
        return f"{base}/new" if page == "new" else f"{base}/records/{self.record_id}/edit"


def upload(request: Any, url: str, token: str, name: str, mime: str, data: bytes) -> str:
    """Uploads a file with the API token (a request without the browser's session cookie)."""
    answer = request.post(f"{url}/api/v1/files", headers={"Authorization": f"Bearer {token}"},
                          multipart={"file": {"name": name, "mimeType": mime, "buffer": data}})
    assert answer.ok, answer.text()
    return str(answer.json()["id"])


def filled(kinds: list[str], refs: dict[str, Any]) -> dict[str, Any]:
    """A value for every writable field, as a person would have saved it."""
    sample: dict[str, Any] = {
        "text": "Short text 短文本", "textarea": "First line\n第二行", "phone": "13800138000",
        "email": "someone@example.com", "url": "https://example.com/page",
        "idcard": "11010519491231002X", "number": 1234.5, "money": 98765.43, "percent": 0.125,
        "rating": 4, "select": "b", "multiselect": ["a", "c"], "checkbox": True,
        "date": "2026-11-24", "datetime": "2026-11-24T09:30:00+08:00", "time": "09:30:00",
        "member": refs["me"], "members": [refs["me"]], "department": refs["dept"],
        "departments": [refs["dept"]], "relation": refs["account"],
        "address": {"province": "44", "city": "4403", "district": "440305",
                    "detail": "科技园 1 号"},
        "location": {"lng": 113.9345, "lat": 22.5431, "address": "Shenzhen Bay"},
        "attachment": [refs["paper"]], "image": [refs["photo"]], "signature": refs["sign"],
        "richtext": "<p><strong>Agreed</strong> on the renewal</p>",
        "subform": [{"part": "Bolt", "qty": 12}, {"part": "螺母", "qty": 30}],
    }
    values = {f"f_{k}": sample[k] for k in kinds if k in sample}
    values["title"] = "Every field 每种字段"
    return values


@pytest.fixture(scope="module")
def world(server, browser) -> World:
    kinds = drawable_types()
    assert {"text", "number"} <= set(kinds), f"the first paint draws only {kinds}"
    odd = next((t for t in CATALOGUE if t not in kinds and NEEDS.get(t) in (None, *kinds)), None)
    token = server.admin_token()
    server.api("POST", "/apps", app_definition(kinds, odd), token=token)
    me = server.api("GET", "/me", token=token)["id"]
    dept = server.api("POST", "/departments",
                      {"key": f"fp_{uuid.uuid4().hex[:6]}", "name": "Sales East"}, token=token)
    account = server.api("POST", f"/apps/{APP_KEY}/forms/account/records",
                         {"data": {"name": "ACME 艾克米"}}, token=token)
    people = {}
    for role, name in (("viewer", "只读小张"), ("clerk", "文员小李")):
        people[role] = f"{role}-{uuid.uuid4().hex[:6]}@example.com"
        server.api("POST", "/users", {"email": people[role], "name": name,
                                      "password": PASSWORD}, token=token)
        server.api("PUT", f"/apps/{APP_KEY}/roles/{role}/members", {"users": [people[role]]},
                   token=token)

    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    refs = {"me": me, "dept": dept["id"], "account": account["_id"],
            "paper": upload(context.request, server.url, token, "terms.txt", "text/plain",
                            b"terms\n"),
            "photo": upload(context.request, server.url, token, "site.png", "image/png",
                            png(64, 48, "#3a7")),
            "sign": upload(context.request, server.url, token, "sign.png", "image/png",
                           png(120, 40, "#234"))}
    context.close()
    values = filled(kinds, refs)
    record = server.api("POST", f"/apps/{APP_KEY}/forms/{FORM}/records", {"data": values},
                        token=token)
    return World(server.url, kinds, odd, str(record["_id"]), session(browser, server.url),
                 (people["viewer"], PASSWORD), (people["clerk"], PASSWORD), values)


def session(browser: Any, url: str, *who: str) -> dict[str, Any]:
    """The cookies of one sign-in through the login page (the admin's, or `who`'s), for the
    contexts of the tests: a held page cannot sign in, its scripts are held."""
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.goto(f"{url}/login")
    sign_in(page, *who)
    state = context.storage_state()
    context.close()
    return {"cookies": state["cookies"], "origins": []}


# ---- pages ----------------------------------------------------------------------------------
@dataclass
class Held:
    """The app's scripts held back by a route handler until `release()`."""

    routes: list[Route] = field(default_factory=list)
    released: bool = False

    def handle(self, route: Route) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()
        self.routes.clear()


@pytest.fixture
def open_tab(browser) -> Iterator[Callable[..., Page]]:
    """A page in a context of its own (viewport, language, the tenant's time zone, signed in
    when given a state), failing the test on any console error or uncaught error: a script the
    page was refused by its Content-Security-Policy is a console error."""
    contexts = []
    problems: list[str] = []

    def make(viewport: dict[str, int] = DESKTOP, locale: str = "zh-CN",
             state: dict[str, Any] | None = None, refused: int | None = None) -> Page:
        """`refused`: the status (401, 403) the app's own reads are answered with on this
        page, which Chromium logs as an error; every other console error still counts."""
        context = browser.new_context(viewport=viewport, locale=locale, timezone_id=ZONE,
                                      storage_state=state)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        expected = f"Failed to load resource: the server responded with a status of {refused} "
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and not (refused and message.text.startswith(expected))
                else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == [], f"errors in the page: {problems}"


def hold_scripts(page: Page) -> Held:
    held = Held()
    page.route(SCRIPTS, held.handle)
    return held


def settle_first_paint(page: Page) -> None:
    """The document is parsed (the held module scripts keep DOMContentLoaded back, not the
    parser), its stylesheets, fonts and images are loaded."""
    page.wait_for_function("""() => document.readyState !== 'loading'
        && [...document.querySelectorAll('link[rel=stylesheet]')].every((l) => l.sheet)
        && [...document.images].every((i) => i.complete)""")
    page.evaluate("document.fonts.ready.then(() => true)")


def settle_app(page: Page) -> None:
    page.locator("html[data-app=ready]").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => [...document.images].every((i) => i.complete)")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(400)  # antd's motion (a select's value, a wave) settles


# a sub-form row's cell is `field-1.qty` inside `field-items` as the app draws it, and may be
# `field-items.1.qty` as docs/first-paint.md writes it: both are named `items.1.qty` here;
# a cell the page does not show (a sub-form's other layout, display: none) is left out
CELLS_JS = """(scope) => [...document.querySelectorAll(`${scope} [data-testid^="field-"]`)]
  .filter((el) => el.classList.contains('field-item') && el.getClientRects().length > 0)
  .map((el) => { const r = el.getBoundingClientRect();
    let id = el.dataset.testid.slice(6);
    const outer = el.parentElement.closest('.field-item[data-testid^="field-"]');
    if (outer && /^[0-9]/.test(id)) id = `${outer.dataset.testid.slice(6)}.${id}`;
    return { id, x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height }; })"""


def cell_images(page: Page, scope: str) -> tuple[Image.Image, dict[str, Image.Image]]:
    """Each field cell (`field-item` with a `field-<key>` test id) under `scope`, cut from one
    screenshot of the whole page, taken with the window as tall as the page: a sticky action
    bar then sits below the form, not over whichever cells a 900 px window ends on."""
    page.evaluate("() => { document.activeElement?.blur?.(); window.scrollTo(0, 0); }")
    page.mouse.move(0, 0)
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    boxes = page.evaluate(CELLS_JS, scope)
    whole = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
    return whole, {b["id"]: whole.crop((round(b["x"]), round(b["y"]), round(b["x"] + b["w"]),
                                        round(b["y"] + b["h"]))) for b in boxes}


def difference(server: Image.Image, app: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels differing by more than THRESHOLD in any channel, and a picture of
    them (red over the app's cell, faded); cells of different sizes (by more than a pixel)
    differ entirely."""
    w, h = min(server.width, app.width), min(server.height, app.height)
    if abs(server.width - app.width) > 1 or abs(server.height - app.height) > 1 or not w * h:
        return 1.0, Image.new("RGB", (max(server.width, app.width, 1),
                                      max(server.height, app.height, 1)), "red")
    delta = ImageChops.difference(server.crop((0, 0, w, h)), app.crop((0, 0, w, h)))
    strongest = ImageChops.lighter(ImageChops.lighter(*delta.split()[:2]), delta.split()[2])
    mask = strongest.point(lambda v: 255 if v > THRESHOLD else 0)
    share = mask.histogram()[255] / (w * h)
    picture = Image.blend(app.crop((0, 0, w, h)), Image.new("RGB", (w, h), "white"), 0.6)
    picture.paste(Image.new("RGB", (w, h), "red"), mask=mask)
    return share, picture


def type_of(key: str) -> str:
    """The field type of a cell's key (`f_number`; a sub-form row's cell, `f_subform.0.qty`,
    is `subform/number`)."""
    if key == "title":
        return "text (title)"
    if "." in key:
        sub = key.split(".")[-1]
        inner = next(f["type"] for f in CATALOGUE["subform"]["fields"] if f["key"] == sub)
        return f"subform/{inner}"
    return key.removeprefix("f_")


# ---- parity ---------------------------------------------------------------------------------
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("which", ["edit", "new"])
def test_each_field_cell_looks_the_same_drawn_by_the_server_and_by_the_app(
        world: World, open_tab, which: str, width: str, locale: str) -> None:
    results = both_ways(world, open_tab, world.form_url(which), width, locale, world.state,
                        f"{which}-{width}-{locale}")
    expected = {"title", *(f"f_{k}" for k in world.kinds
                           if which == "edit" or k not in READ_ONLY)}
    assert expected <= set(results), f"cells missing: {sorted(expected - set(results))}"


def both_ways(world: World, open_tab: Callable[..., Page], url: str, width: str, locale: str,
              state: dict[str, Any], combo: str) -> dict[str, Any]:
    """Loads `url` with the app's scripts held (the server's first paint) and normally (the
    app), compares each field cell, writes parity-<combo>.json and fails on any difference;
    answers the results by cell."""
    first = open_tab(WIDTHS[width], locale, state)
    hold_scripts(first)
    answer = first.goto(url, wait_until="commit")
    assert answer is not None and 'id="first-paint"' in answer.text(), "not server-drawn"
    settle_first_paint(first)
    server_page, served = cell_images(first, "#first-paint")

    second = open_tab(WIDTHS[width], locale, state)
    second.goto(url)
    settle_app(second)
    expect(second.locator("#first-paint")).to_have_count(0)
    app_page, drawn = cell_images(second, "#root")

    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for key in sorted(set(served) | set(drawn), key=lambda k: [*served, *drawn].index(k)):
        if key not in served or key not in drawn:
            results[key] = {"type": type_of(key), "pass": False,
                            "why": "only the app draws it" if key in drawn else
                            "only the server draws it"}
            continue
        share, picture = difference(served[key], drawn[key])
        ok = share <= BUDGET
        results[key] = {"type": type_of(key), "pass": ok, "differing": round(share, 5),
                        "server": list(served[key].size), "app": list(drawn[key].size)}
        if not ok or key in KEPT:
            stem = OUT / f"{combo}-{key}"
            served[key].save(f"{stem}-server.png")
            drawn[key].save(f"{stem}-app.png")
            picture.save(f"{stem}-diff.png")
    (OUT / f"parity-{combo}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    failed = {k: r for k, r in results.items() if not r["pass"]}
    if failed:
        server_page.save(OUT / f"{combo}-page-server.png")
        app_page.save(OUT / f"{combo}-page-app.png")
    assert not failed, f"{combo}: cells differ (images in {OUT}): {failed}"
    return results


def test_a_role_s_hidden_field_is_not_drawn_and_its_read_only_fields_look_the_same(
        world: World, browser, open_tab) -> None:
    """The clerk's role hides `f_text` (never in the HTML, not even its value) and makes the
    number and the select read-only: drawn disabled, as the app draws them."""
    state = session(browser, world.url, *world.clerk)
    page = open_tab(DESKTOP, "zh-CN", state)
    hold_scripts(page)
    answer = page.goto(world.form_url("edit"), wait_until="commit")
    assert answer is not None
    html = answer.text()
    assert 'id="first-paint"' in html
    assert f'"field-{HIDDEN}"' not in html and world.values[HIDDEN] not in html
    settle_first_paint(page)
    for key in READ_ONLY_FOR_CLERK:
        expect(page.locator(f"#first-paint #fp-{key}")).to_be_disabled()
    results = both_ways(world, open_tab, world.form_url("edit"), "desktop", "zh-CN", state,
                        "edit-desktop-zh-CN-clerk")
    assert HIDDEN not in results and set(READ_ONLY_FOR_CLERK) <= set(results)


# ---- typing before the take-over ------------------------------------------------------------
def typed_into_first_paint(page: Page, title: str, number: str, back: int) -> None:
    """Types a number and then the title into the server's fields, moving the caret `back`
    characters into the title (the carets of both must come back)."""
    fp = page.locator("#first-paint")
    number_input = fp.get_by_test_id("field-f_number").locator("input")
    number_input.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(number)
    title_input = fp.get_by_test_id("field-title").locator("input")
    title_input.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(title)
    for _ in range(back):
        page.keyboard.press("ArrowLeft")
    expect(title_input).to_have_value(title)
    expect(number_input).to_have_value(number)


@pytest.mark.parametrize(("which", "width", "locale"), [("new", "desktop", "zh-CN"),
                                                         ("edit", "phone", "en")])
def test_what_is_typed_before_the_take_over_is_in_the_form_and_saved(
        world: World, open_tab, which: str, width: str, locale: str) -> None:
    page = open_tab(WIDTHS[width], locale, world.state)
    held = hold_scripts(page)
    page.goto(world.form_url(which), wait_until="commit")
    settle_first_paint(page)
    title, number = f"Typed early {which} 先打的字", "4321.5"
    typed_into_first_paint(page, title, number, back=5)
    assert not page.evaluate("document.documentElement.dataset.app"), "the app ran already"
    held.release()

    page.locator("html[data-app=ready]").wait_for(state="attached")
    expect(page.locator("#first-paint")).to_have_count(0)
    title_input = page.get_by_test_id("field-title").locator("input")
    expect(title_input).to_have_value(title)
    expect(title_input).to_be_focused()
    caret = title_input.evaluate("(el) => [el.selectionStart, el.selectionEnd]")
    assert caret == [len(title) - 5, len(title) - 5], caret
    shown = page.get_by_test_id("field-f_number").locator("input").input_value()
    assert shown.replace(",", "") == number, shown
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"typed-{which}-{width}-{locale}.png"), full_page=True)

    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    record_id = page.url.rsplit("/", 1)[1]
    if which == "edit":
        assert record_id == world.record_id
    stored = page.request.get(f"{world.url}/api/v1/apps/{APP_KEY}/forms/{FORM}/records/"
                              f"{record_id}").json()
    assert stored["title"] == title
    assert stored["f_number"] == float(number)
    if which == "edit":  # the fields nobody touched keep their values
        assert stored["f_text"] == world.values["f_text"]


@pytest.mark.parametrize(("width", "prefix"), [("desktop", "fp-"), ("phone", "fpm-")])
def test_what_is_typed_into_a_sub_form_row_before_the_take_over_is_saved(
        world: World, open_tab, width: str, prefix: str) -> None:
    """A row's cell as the page shows it: the grid's on a desktop, the card's (ids `fpm-`) on
    a phone (docs/first-paint.md, Sub-forms)."""
    if "subform" not in world.kinds:
        pytest.skip("the first paint does not draw sub-forms")
    page = open_tab(WIDTHS[width], "en", world.state)
    held = hold_scripts(page)
    page.goto(world.form_url("edit"), wait_until="commit")
    settle_first_paint(page)
    typed = f"Washer {width} 垫圈"
    cell = page.locator(f"#{prefix}f_subform_1_part")
    cell.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(typed)
    expect(cell).to_have_value(typed)
    assert not page.evaluate("document.documentElement.dataset.app"), "the app ran already"
    held.release()

    page.locator("html[data-app=ready]").wait_for(state="attached")
    expect(page.locator("#first-paint")).to_have_count(0)
    mine = page.locator("#f_subform_1_part")
    expect(mine).to_have_value(typed)
    expect(mine).to_be_focused()
    page.get_by_test_id("form-save").click()
    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}$"))
    stored = page.request.get(f"{world.url}/api/v1/apps/{APP_KEY}/forms/{FORM}/records/"
                              f"{world.record_id}").json()
    assert [row["part"] for row in stored["f_subform"]] == [
        world.values["f_subform"][0]["part"], typed]


# ---- where there is no first paint -----------------------------------------------------------
def served_html(page: Page, url: str) -> str:
    answer = page.goto(url)
    assert answer is not None and answer.ok, answer
    return answer.text()


def test_signed_out_gets_the_app_and_its_login_page(world: World, open_tab) -> None:
    page = open_tab(DESKTOP, "zh-CN", refused=401)
    html = served_html(page, world.form_url("edit"))
    assert 'id="first-paint"' not in html and '<div id="root"></div>' in html
    page.get_by_test_id("login-submit").wait_for()
    assert "/login" in page.url
    expect(page.locator("#first-paint")).to_have_count(0)


def test_no_first_paint_for_a_caller_who_may_not_create_or_edit(world: World, open_tab) -> None:
    page = open_tab(PHONE, "en", refused=403)
    page.goto(f"{world.url}/login")
    sign_in(page, *world.viewer)
    for which in ("new", "edit"):
        html = served_html(page, world.form_url(which))
        assert 'id="first-paint"' not in html, which
        assert '<div id="root"></div>' in html, which
        # the app says "no permission" on both pages (a new record's form is not offered for
        # the server to refuse on save)
        expect(page.locator(".ant-result")).to_be_visible()
        expect(page.get_by_test_id("field-title")).to_have_count(0)
        expect(page.locator("#first-paint")).to_have_count(0)
        expect(page.locator("html[data-app=ready]")).to_have_count(1)
    # the same caller may read the record: its page is the app's, as before
    page.goto(f"{world.url}/apps/{APP_KEY}/forms/{FORM}/records/{world.record_id}")
    expect(page.get_by_text(world.values["title"]).first).to_be_visible()


def test_a_form_with_a_type_the_first_paint_cannot_draw_is_drawn_by_the_app(
        world: World, open_tab) -> None:
    if world.odd is None:
        pytest.fail("the first paint draws every type: this test needs another way to show "
                    "a form the server leaves to the app")
    page = open_tab(DESKTOP, "en", world.state)
    html = served_html(page, world.form_url("new", ODD_FORM))
    assert 'id="first-paint"' not in html and '<div id="root"></div>' in html
    page.locator("html[data-app=ready]").wait_for(state="attached")
    expect(page.get_by_test_id(f"field-f_{world.odd}")).to_be_visible()
    expect(page.locator("#first-paint")).to_have_count(0)
    # and the form beside it, all drawable, is server-drawn (the test is about the type)
    assert 'id="first-paint"' in served_html(page, world.form_url("new"))
