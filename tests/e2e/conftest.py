"""Browser tests: the real `tessera serve` on a fresh database, driven by headless Chromium.

Chromium comes from Debian (`make browser`); `playwright install` is never used. The server
serves the built front end (frontend/dist, `make frontend`). Screenshots of every journey go to
test-artifacts/ so a person can look at what the user saw.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tessera.child_server import ServerDidNotStart, call_api, free_port, stop, wait_until_healthy
from tessera.headless_chromium import CHROMIUM, launched

ROOT = Path(__file__).resolve().parents[2]
DIST_INDEX = ROOT / "frontend" / "dist" / "index.html"
ARTIFACTS = ROOT / "test-artifacts"
# TESSERA_E2E_URL points the tests at a server that is already running (while developing);
# the admin of that server is then given by TESSERA_E2E_ADMIN_EMAIL / _PASSWORD.
EXISTING_SERVER = os.environ.get("TESSERA_E2E_URL")
ADMIN_EMAIL = os.environ.get("TESSERA_E2E_ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("TESSERA_E2E_ADMIN_PASSWORD", "correct horse battery")
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _tessera_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("tessera")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("tessera")
    if found:
        return [found]
    return [sys.executable, "-c", "from tessera.cli import main; main()"]


@dataclass(frozen=True)
class Server:
    url: str

    def api(self, method: str, path: str, body: object | None = None,
            token: str | None = None) -> object:
        return call_api(self.url, method, path, body, token=token)

    def admin_token(self) -> str:
        answer = self.api("POST", "/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert isinstance(answer, dict)
        return str(answer["access_token"])


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if EXISTING_SERVER:
        yield Server(EXISTING_SERVER.rstrip("/"))
        return
    fresh_db = request.getfixturevalue("fresh_db")
    if not DIST_INDEX.exists():
        pytest.skip("the front end is not built: run `make frontend` "
                    "(cd frontend && npm run build)")
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_db.async_url,
        "TESSERA_ADMIN_EMAIL": ADMIN_EMAIL,
        "TESSERA_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "TESSERA_IN_PROCESS_WORKER": "0",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*_tessera_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--no-worker"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_healthy(process, url, log_path)
        except ServerDidNotStart as error:
            pytest.fail(str(error))
        yield Server(url)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: run `make browser`")
    with launched() as instance:
        yield instance


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., object]]:
    """Opens a page with a viewport ("desktop" or "phone") and a browser language; fails the
    test on any uncaught error in the page and on anything the page's Content-Security-Policy
    refused (Chromium reports each refusal as a console error), so that every journey the e2e
    tests walk also proves the policy lets the app work."""
    contexts = []
    page_errors: list[str] = []

    def make(viewport: dict[str, int] = DESKTOP, locale: str = "zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.on("console", lambda message: page_errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert page_errors == [], f"errors in the page: {page_errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(350)  # let antd's motion settle
    page.evaluate("window.scrollTo(0, 0)")  # sticky bars drawn where they belong
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    """Fills the login form of the page (which must be on /login) and waits to leave it."""
    page.get_by_test_id("login-submit").wait_for()
    page.locator("input[autocomplete=username]").fill(email)
    page.locator("input[autocomplete=current-password]").fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


def field_input(page, key: str, selector: str = "input, textarea"):
    return page.get_by_test_id(f"field-{key}").locator(selector).first


def choose(page, key: str, option: str) -> None:
    """Opens the select of field `key` and picks the option whose label is `option`."""
    page.get_by_test_id(f"field-{key}").locator(".ant-select").first.click()
    page.locator(f".ant-select-dropdown:visible .ant-select-item-option[title='{option}']").click()


def submit_public_lead(form, who: str, company: str, source: str) -> None:
    """Fills the CRM lead's required fields in a public fill link's form (`form`: the page, or
    the frame it is embedded in), sends it and waits for the thank-you page."""
    field_input(form, "name").fill(who)
    field_input(form, "company").fill(company)
    field_input(form, "mobile").fill("13800138000")  # one contact way is required
    choose(form, "source", source)
    form.get_by_test_id("form-save").click()
    expect(form.get_by_test_id("public-thanks")).to_be_visible()
