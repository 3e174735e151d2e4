"""The built browser app's assets: cached for good, gzipped when the browser accepts it, and
nothing outside the build directory; its page under a Content-Security-Policy that lets only
its own inline script run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tessera.app import create_app

SCRIPT = ("export const greeting = 'hello';\n" * 200).encode()
# the CSP spec's own example: this script's SHA-256, base64
BOOT = "alert('Hello, world.');"
BOOT_HASH = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
PAGE = (f"<!doctype html><head><script>{BOOT}</script>"
        "<script type=module src=/assets/index-3f2a.js></script></head><div id=root></div>")


@pytest.fixture(scope="module")
async def client(settings, tmp_path_factory) -> httpx.AsyncClient:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_text(PAGE)
    (dist / "assets" / "index-3f2a.js").write_bytes(SCRIPT)
    (dist / "assets" / "tiny-9c1b.css").write_text("a{}")
    (dist / "secret.txt").write_text("not an asset")
    app = create_app(replace(settings, frontend_dist=Path(dist)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as c:
            yield c


async def test_hashed_assets_are_immutable_and_gzipped(client) -> None:
    zipped = await client.get("/assets/index-3f2a.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert zipped.content == SCRIPT  # httpx decodes: the bytes round-trip
    assert int(zipped.headers["content-length"]) < len(SCRIPT) / 10

    plain = await client.get("/assets/index-3f2a.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == SCRIPT


async def test_small_files_go_uncompressed_and_head_answers(client) -> None:
    tiny = await client.get("/assets/tiny-9c1b.css", headers={"Accept-Encoding": "gzip"})
    assert tiny.status_code == 200 and "content-encoding" not in tiny.headers
    assert tiny.text == "a{}"
    head = await client.head("/assets/index-3f2a.js")
    assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize("path", ["/assets/missing.js", "/assets/%2e%2e/secret.txt",
                                  "/assets/..%2fsecret.txt", "/assets/"])
async def test_nothing_else_is_served_from_assets(client, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert b"not an asset" not in response.content


async def test_pages_are_revalidated(client) -> None:
    page = await client.get("/apps/crm/forms/customer")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    assert (await client.post("/assets/index-3f2a.js")).status_code == 405


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.parametrize("path", ["/", "/apps/crm/forms/customer", "/login", "/f/some-token"])
async def test_the_page_runs_only_its_own_scripts(client, path: str) -> None:
    page = await client.get(path)
    policy = directives(page.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'", BOOT_HASH]  # no 'unsafe-inline', no eval
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_a_rebuilt_page_gets_its_new_scripts_hash(client, settings, tmp_path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<script>one()</script>")
    app = create_app(replace(settings, frontend_dist=dist))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as c:
        before = directives((await c.get("/")).headers["content-security-policy"])
        (dist / "index.html").write_text("<script>two(); two()</script>")
        after = directives((await c.get("/")).headers["content-security-policy"])
    assert before["script-src"] != after["script-src"] and len(after["script-src"]) == 2


async def test_every_response_says_nosniff(client) -> None:
    for path in ("/assets/index-3f2a.js", "/api/v1/health", "/api/v1/no-such-endpoint"):
        response = await client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin", path
