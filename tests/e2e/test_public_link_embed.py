"""A public fill link embedded in another website: the form's manager names the site when
making the link and copies the embed code; a page of that site (another origin) shows the form
in its frame and a visitor fills it there. A link that names no site stays out of other sites'
frames (the browser refuses it: frame-ancestors)."""

from __future__ import annotations

import contextlib
import http.server
import threading
import uuid
from collections.abc import Iterator

from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, DESKTOP, shot, sign_in, submit_public_lead


@contextlib.contextmanager
def other_site() -> Iterator[tuple[str, dict[str, str]]]:
    """A website on an origin of its own (another port): yields its origin and its pages."""
    pages: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    finally:
        httpd.shutdown()
        httpd.server_close()


def shop_page(embed_code: str) -> str:
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Shop</title></head>"
            f"<body><h1>Our shop</h1><p>Tell us about your company:</p>{embed_code}</body></html>")


def test_a_link_named_site_shows_the_form_in_its_frame(server, open_page) -> None:
    with other_site() as (origin, pages):
        admin = open_page(locale="en")
        admin.goto(f"{server.url}/apps/crm/forms/lead/links")
        sign_in(admin)
        admin.get_by_test_id("link-new").click()
        admin.get_by_test_id("link-name").fill("Shop website")
        admin.get_by_test_id("link-embed").get_by_role("combobox").press_sequentially(
            f"{origin}/ ")
        admin.get_by_test_id("link-create").click()
        code = admin.get_by_test_id("link-embed-code").locator("code").inner_text()
        assert code.startswith(f'<iframe src="{server.url}/f/tpl_'), code
        shot(admin, "public-embed-01-code-en")
        admin.get_by_test_id("link-done").click()
        expect(admin.get_by_test_id("links-table")).to_contain_text(origin)

        pages["/contact.html"] = shop_page(code)
        visitor = open_page(viewport=DESKTOP, locale="en")
        visitor.goto(f"{origin}/contact.html")
        form = visitor.frame_locator("iframe")
        who = f"Framed visitor {uuid.uuid4().hex[:6]}"
        submit_public_lead(form, who, "Ningbo Haitian", "Website / hotline")
        shot(visitor, "public-embed-02-thanks-in-frame-en")
        found = server.api("GET", f"/apps/crm/forms/lead/records?q={who.split()[-1]}",
                           token=server.admin_token())
        assert who in {item.get("name") for item in found["items"]}


def test_a_link_naming_no_site_is_refused_in_other_sites_frames(server, browser) -> None:
    link = server.api("POST", "/apps/crm/forms/lead/public-links", {"owner": ADMIN_EMAIL},
                      token=server.admin_token())
    with other_site() as (origin, pages):
        pages["/contact.html"] = shop_page(f'<iframe src="{server.url}/f/{link["token"]}">'
                                           "</iframe>")
        # a context of its own: the browser's refusal is a CSP console error, which the
        # open_page fixture would count as the app's fault
        context = browser.new_context(viewport=DESKTOP, locale="en")
        try:
            page = context.new_page()
            refusals: list[str] = []
            page.on("console", lambda m: refusals.append(m.text)
                    if "frame-ancestors" in m.text else None)
            page.goto(f"{origin}/contact.html")
            expect(page.get_by_role("heading", name="Our shop")).to_be_visible()
            page.wait_for_timeout(1500)
            frame = page.frames[1]
            assert frame.url.startswith("chrome-error://") or \
                frame.locator("[data-testid=public-page]").count() == 0
            assert any("frame-ancestors 'self'" in text for text in refusals), refusals
        finally:
            context.close()
