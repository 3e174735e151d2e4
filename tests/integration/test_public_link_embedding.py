"""A public fill link's form in other sites' frames: the sites its owner names (checked and
stored as origins) are the only others the link's page lets frame it; every other page of the
app stays unframeable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.integration.conftest import ADMIN_EMAIL

APP = {
    "format": "tessera.app/1", "key": "signup", "name": {"en": "Sign-up"},
    "forms": [{"key": "guest", "name": {"en": "Guest"}, "fields": [
        {"key": "name", "type": "text", "label": {"en": "Name"}}]}],
}
LINKS = "/api/v1/apps/signup/forms/guest/public-links"
PAGE = "<!doctype html><head><script>boot()</script></head><div id=root></div>"


@pytest.fixture(scope="module")
def settings(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text(PAGE)
    return replace(settings, frontend_dist=Path(dist))


@pytest.fixture(scope="module", autouse=True)
async def signup_app(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


def frame_ancestors(response) -> list[str]:  # type: ignore[no-untyped-def]
    policy = response.headers["content-security-policy"]
    found = [part.split()[1:] for part in policy.split(";")
             if part.split()[:1] == ["frame-ancestors"]]
    assert len(found) == 1, policy
    return found[0]


async def test_the_named_sites_may_frame_that_link_and_no_other_page(admin, anon) -> None:
    made = await admin.post(LINKS, json={"owner": ADMIN_EMAIL, "embed_origins": [
        " HTTPS://Shop.Example.com/ ", "https://*.example.org", "http://localhost:8080",
        "https://shop.example.com"]})
    assert made.status_code == 201, made.text
    origins = ["https://shop.example.com", "https://*.example.org", "http://localhost:8080"]
    assert made.json()["embed_origins"] == origins
    assert (await admin.get(LINKS)).json()["items"][0]["embed_origins"] == origins

    page = await anon.get(f"/f/{made.json()['token']}")
    assert page.status_code == 200 and page.text == PAGE
    assert frame_ancestors(page) == ["'self'", *origins]
    # the inline boot script is still the only inline script allowed
    assert "'unsafe-inline'" not in page.headers["content-security-policy"].split(
        "script-src")[1].split(";")[0]
    for other in ("/f/tpl_no-such-link", "/f/not-a-token", "/apps/signup/forms/guest",
                  "/login", f"/f/{made.json()['token']}/extra"):
        assert frame_ancestors(await anon.get(other)) == ["'self'"], other


async def test_a_link_without_sites_stays_unframeable(admin, anon) -> None:
    made = (await admin.post(LINKS, json={"owner": ADMIN_EMAIL})).json()
    assert made["embed_origins"] == []
    assert frame_ancestors(await anon.get(f"/f/{made['token']}")) == ["'self'"]


async def test_changing_the_sites_changes_the_page_and_is_audited(admin, anon) -> None:
    made = (await admin.post(LINKS, json={"owner": ADMIN_EMAIL, "name": "Expo"})).json()
    one = f"{LINKS}/{made['id']}"
    changed = await admin.patch(one, json={"embed_origins": ["https://expo.example.com"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["embed_origins"] == ["https://expo.example.com"]
    assert changed.json()["name"] == "Expo"  # the other settings stay
    assert frame_ancestors(await anon.get(f"/f/{made['token']}")) == [
        "'self'", "https://expo.example.com"]
    renamed = await admin.patch(one, json={"name": "Expo 2027"})
    assert renamed.json()["embed_origins"] == ["https://expo.example.com"]
    cleared = await admin.patch(one, json={"embed_origins": []})
    assert cleared.json()["embed_origins"] == []
    assert frame_ancestors(await anon.get(f"/f/{made['token']}")) == ["'self'"]
    audit = (await admin.get("/api/v1/audit", params={"action": "public_link.changed"})).json()
    noted = [item["details"].get("embed_origins") for item in audit["items"]
             if item["target_id"] == made["id"]]
    assert ["https://expo.example.com"] in noted and [] in noted


async def test_bad_sites_are_refused_by_their_place_and_nothing_is_made(admin) -> None:
    before = len((await admin.get(LINKS)).json()["items"])
    refused = await admin.post(LINKS, json={"owner": ADMIN_EMAIL, "embed_origins": [
        "https://ok.example.com", "*", "https://example.com/form"]})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [(e["path"], e["code"]) for e in refused.json()["errors"]] == [
        ("embed_origins[1]", "invalid_origin"), ("embed_origins[2]", "invalid_origin")]
    assert len((await admin.get(LINKS)).json()["items"]) == before
    made = (await admin.post(LINKS, json={"owner": ADMIN_EMAIL})).json()
    patched = await admin.patch(f"{LINKS}/{made['id']}", json={"embed_origins": ["data:"]})
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["path"] == "embed_origins[0]"
    too_many = await admin.post(LINKS, json={"owner": ADMIN_EMAIL, "embed_origins": [
        f"https://s{i}.example.com" for i in range(21)]})
    assert too_many.json()["errors"][0]["code"] == "too_many_origins"
