"""Public fill links: made and managed by admins, read and submitted anonymously as the link
owner, without hidden fields; passwords, expiry, disabling and per-address throttling; files
uploaded through a link (sniffed, limited, throttled, usable only in that link's submissions)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from PIL import Image

from tests.integration.conftest import ADMIN_EMAIL
from tests.integration.members import member, sql

APP = {
    "format": "tessera.app/1", "key": "survey", "name": {"en": "Survey"},
    "forms": [
        {"key": "company", "name": {"en": "Company"}, "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}}]},
        {"key": "lead", "name": {"en": "Lead"}, "title_field": "name",
         "layout": {"rows": [["name", "phone"], ["internal_note"]]},
         "fields": [
             {"key": "name", "type": "text", "label": {"en": "Name"}, "required": True,
              "unique": True},
             {"key": "phone", "type": "phone", "label": {"en": "Phone"}},
             {"key": "internal_note", "type": "text", "label": {"en": "Internal"}},
             {"key": "status", "type": "select", "label": {"en": "Status"},
              "options": [{"value": "new"}, {"value": "done"}]},
             {"key": "company", "type": "relation", "label": {"en": "Company"},
              "target": "company"},
             {"key": "files", "type": "attachment", "label": {"en": "Files"}},
         ]},
    ],
    "roles": [{"key": "filler", "name": {"en": "Filler"}, "permissions": [
        {"form": "lead", "actions": ["view", "create"], "scope": "own",
         "fields": {"hidden": ["internal_note"], "readonly": ["status"]}}]}],
}
LINKS = "/api/v1/apps/survey/forms/lead/public-links"


@pytest.fixture(scope="module")
def settings(settings):  # type: ignore[no-untyped-def]
    return replace(settings, public_upload_max_bytes=100_000,
                   extra={**settings.extra, "public_submit_limit": 3,
                          "public_password_failures": 2, "public_upload_limit": 12})


@pytest.fixture(scope="module", autouse=True)
async def survey_app(app, admin, settings):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text
    async with member(app, admin, settings, "owner@example.com", {"survey": ["filler"]}):
        pass


def public(app, ip: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """An anonymous visitor from `ip` (no cookies, no token)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(ip, 5555)),
                             base_url="http://tessera.test")


async def make_link(admin, **body):  # type: ignore[no-untyped-def]
    response = await admin.post(LINKS, json={"owner": "owner@example.com", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_public_fills_the_form_as_the_owner_without_hidden_fields(app, admin
                                                                            ) -> None:
    link = await make_link(admin, name="Expo 2026")
    assert link["token"].startswith("tpl_") and link["url"] == f"/api/v1/public/{link['token']}"
    listed = (await admin.get(LINKS)).json()["items"]
    assert listed[0]["id"] == link["id"] and "token" not in listed[0]
    assert listed[0]["owner"] == "owner@example.com" and listed[0]["name"] == "Expo 2026"
    async with public(app, "198.51.100.1") as visitor:
        shown = await visitor.get(link["url"])
        assert shown.status_code == 200, shown.text
        form = shown.json()["form"]
        assert [f["key"] for f in form["fields"]] == ["name", "phone", "files"]
        assert form["layout"] == {"rows": [["name", "phone"], []]}
        assert "internal_note" not in shown.text and "status" not in shown.text
        created = await visitor.post(link["url"] + "/submit",
                                     json={"data": {"name": "Visitor", "phone": "13800138000"}})
        assert created.status_code == 201, created.text
        record = (await admin.get(
            f"/api/v1/apps/survey/forms/lead/records/{created.json()['_id']}")).json()
        users = (await admin.get("/api/v1/users")).json()["items"]
        owner = next(u for u in users if u["email"] == "owner@example.com")
        assert record["name"] == "Visitor" and record["_owner"] == owner["id"]
        hidden = await visitor.post(link["url"] + "/submit", json={
            "data": {"name": "Sneaky", "internal_note": "x", "status": "done"}})
        assert hidden.status_code == 422
        assert {e["path"] for e in hidden.json()["errors"]} == {"data.internal_note",
                                                                "data.status"}
        invalid = await visitor.post(link["url"] + "/submit", json={"data": {"phone": "1"}})
        assert invalid.status_code == 422
        assert "data.name" in {e["path"] for e in invalid.json()["errors"]}


async def test_duplicates_do_not_reveal_record_ids(app, admin) -> None:
    link = await make_link(admin)
    async with public(app, "198.51.100.2") as visitor:
        await visitor.post(link["url"] + "/submit", json={"data": {"name": "Twice"}})
        again = await visitor.post(link["url"] + "/submit", json={"data": {"name": "Twice"}})
    assert again.status_code == 409 and again.json()["code"] == "duplicate_value"
    assert "params" not in again.json()["errors"][0]


async def test_passwords_expiry_and_disabling(app, admin) -> None:
    link = await make_link(admin, password="open sesame")
    async with public(app, "198.51.100.3") as visitor:
        locked = await visitor.get(link["url"])
        assert locked.status_code == 401 and locked.json()["code"] == "password_required"
        wrong = await visitor.get(link["url"], headers={"X-Link-Password": "nope"})
        assert wrong.json()["code"] == "wrong_password"
        assert (await visitor.get(link["url"], headers={"X-Link-Password": "open sesame"})
                ).status_code == 200
        assert (await visitor.post(link["url"] + "/submit", json={
            "data": {"name": "NoPass"}})).json()["code"] == "password_required"
        assert (await visitor.post(link["url"] + "/submit", json={
            "data": {"name": "WithPass"}, "password": "open sesame"})).status_code == 201

    expired = await make_link(admin, expires_at=(datetime.now(UTC) - timedelta(hours=1)
                                                 ).isoformat())
    off = await make_link(admin)
    patched = await admin.patch(f"{LINKS}/{off['id']}", json={"enabled": False})
    assert patched.status_code == 200 and patched.json()["enabled"] is False
    async with public(app, "198.51.100.4") as visitor:
        gone = await visitor.get(expired["url"])
        assert gone.status_code == 410 and gone.json()["code"] == "link_expired"
        disabled = await visitor.post(off["url"] + "/submit", json={"data": {"name": "Off"}})
        assert disabled.status_code == 410 and disabled.json()["code"] == "link_disabled"
        unknown = await visitor.get("/api/v1/public/tpl_nothing-here")
        assert unknown.status_code == 404 and unknown.json()["code"] == "link_not_found"
        await admin.patch(f"{LINKS}/{off['id']}", json={"enabled": True})
        assert (await visitor.get(off["url"])).status_code == 200
        assert (await admin.delete(f"{LINKS}/{off['id']}")).status_code == 204
        assert (await visitor.get(off["url"])).status_code == 404


async def test_submissions_and_password_guesses_are_throttled_per_address(app, admin) -> None:
    link = await make_link(admin)
    async with public(app, "203.0.113.9") as visitor, public(app, "203.0.113.10") as other:
        for i in range(3):
            ok = await visitor.post(link["url"] + "/submit", json={"data": {"name": f"T{i}"}})
            assert ok.status_code == 201, ok.text
        limited = await visitor.post(link["url"] + "/submit", json={"data": {"name": "T9"}})
        assert limited.status_code == 429 and limited.json()["code"] == "too_many_submissions"
        assert int(limited.headers["retry-after"]) > 0
        assert (await other.post(link["url"] + "/submit", json={
            "data": {"name": "Other"}})).status_code == 201
    guarded = await make_link(admin, password="pw")
    async with public(app, "203.0.113.11") as guesser:
        for guess in ("a", "b"):
            assert (await guesser.post(guarded["url"] + "/submit", json={
                "data": {"name": "G"}, "password": guess})).status_code == 401
        blocked = await guesser.post(guarded["url"] + "/submit", json={
            "data": {"name": "G"}, "password": "pw"})
        assert blocked.status_code == 429


async def test_only_managers_make_links_for_owners_who_may_create(app, admin,
                                                                  settings) -> None:
    unknown = await admin.post(LINKS, json={"owner": "ghost@example.com"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_user"
    async with member(app, admin, settings, "nobody@example.com") as nobody:
        refused = await admin.post(LINKS, json={"owner": "nobody@example.com"})
        assert refused.json()["errors"][0]["code"] == "owner_cannot_create"
        forbidden = await nobody.post(LINKS, json={"owner": "owner@example.com"})
        assert forbidden.status_code == 403
        assert (await nobody.get(LINKS)).status_code == 403


async def test_managers_change_password_expiry_name_after_creation(app, admin,
                                                                   settings) -> None:
    link = await make_link(admin, name="Expo", password="first")
    url, path = link["url"], f"{LINKS}/{link['id']}"
    later = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)
    changed = await admin.patch(path, json={"password": "second", "name": "Expo 2027",
                                            "expires_at": later.isoformat()})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["name"], body["has_password"], body["enabled"]) == ("Expo 2027", True, True)
    assert datetime.fromisoformat(body["expires_at"]) == later
    async with public(app, "198.51.100.20") as visitor:
        old = await visitor.get(url, headers={"X-Link-Password": "first"})
        assert old.status_code == 401 and old.json()["code"] == "wrong_password"
        opened = await visitor.get(url, headers={"X-Link-Password": "second"})
        assert opened.status_code == 200
        assert datetime.fromisoformat(opened.json()["expires_at"]) == later
        # only the keys given change: removing the password keeps the name and expiry
        cleared = (await admin.patch(path, json={"password": "", "expires_at": None})).json()
        assert (cleared["has_password"], cleared["expires_at"], cleared["name"]) == (
            False, None, "Expo 2027")
        assert (await visitor.get(url)).status_code == 200
        # an expiry in the past ends the link now
        past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        assert (await admin.patch(path, json={"expires_at": past})).status_code == 200
        assert (await visitor.get(url)).json()["code"] == "link_expired"
    unnamed = (await admin.patch(path, json={"name": ""})).json()
    assert unnamed["name"] is None
    logged = sql(settings, "select details from audit_log where action = 'public_link.changed' "
                           "and target_id = %s order by at", (link["id"],))
    assert logged[0][0]["password"] == "set" and logged[0][0]["name"] == "Expo 2027"
    assert logged[0][0]["form"] == "lead"
    assert logged[1][0]["password"] == "removed" and logged[1][0]["expires_at"] is None
    assert all("second" not in str(details) for (details,) in logged)


async def test_link_changes_are_checked_and_only_for_managers(app, admin, settings) -> None:
    link = await make_link(admin)
    path = f"{LINKS}/{link['id']}"
    bad = await admin.patch(path, json={"expires_at": "next tuesday", "password": "x" * 129,
                                        "name": "n" * 101})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert {e["path"] for e in bad.json()["errors"]} == {"expires_at", "password", "name"}
    missing = await admin.patch(f"{LINKS}/0190f2a4-0000-7000-8000-000000000000",
                                json={"enabled": False})
    assert missing.status_code == 404 and missing.json()["code"] == "link_not_found"
    other_form = await admin.patch(f"/api/v1/apps/survey/forms/company/public-links/"
                                   f"{link['id']}", json={"enabled": False})
    assert other_form.status_code == 404
    async with member(app, admin, settings, "nobody@example.com") as nobody:
        refused = await nobody.patch(path, json={"password": "mine"})
        assert refused.status_code == 403
    listed = {i["id"]: i for i in (await admin.get(LINKS)).json()["items"]}
    assert listed[link["id"]]["has_password"] is False and listed[link["id"]]["enabled"]


# ---- files through a public link ---------------------------------------------------------------

CLAIMS = {
    "format": "tessera.app/1", "key": "claims", "name": {"en": "Claims"},
    "forms": [
        {"key": "claim", "name": {"en": "Claim"}, "title_field": "title", "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True},
            {"key": "photo", "type": "image", "label": {"en": "Photo"}, "max_size_mb": 1},
            {"key": "papers", "type": "attachment", "label": {"en": "Papers"},
             "accept": [".pdf", "text/plain"]},
            {"key": "sign", "type": "signature", "label": {"en": "Signature"}},
            {"key": "rows", "type": "subform", "label": {"en": "Rows"}, "fields": [
                {"key": "scan", "type": "attachment", "label": {"en": "Scan"}},
                {"key": "who", "type": "member", "label": {"en": "Who"}}]}]},
        {"key": "other", "name": {"en": "Other"}, "fields": [
            {"key": "papers", "type": "attachment", "label": {"en": "Papers"}}]},
    ],
}
CLAIM_LINKS = "/api/v1/apps/claims/forms/claim/public-links"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
async def claim_links(admin) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    assert (await admin.post("/api/v1/apps", json=CLAIMS)).status_code == 201
    made = []
    for form in ("claim", "other"):
        response = await admin.post(f"/api/v1/apps/claims/forms/{form}/public-links",
                                    json={"owner": ADMIN_EMAIL})
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made[0], made[1]


async def put(client, link: dict, field: str, name: str, data: bytes,  # type: ignore[no-untyped-def]
              **headers: str) -> httpx.Response:
    return await client.post(link["url"] + "/files", params={"field": field},
                             files={"file": (name, data, "application/octet-stream")},
                             headers=headers)


async def test_public_uploads_go_into_that_links_submission(app, admin, settings,
                                                            claim_links) -> None:
    link, _other = claim_links
    async with public(app, "192.0.2.10") as visitor:
        form = (await visitor.get(link["url"])).json()["form"]
        assert [f["key"] for f in form["fields"]] == ["title", "photo", "papers", "sign", "rows"]
        assert [f["key"] for f in form["fields"][-1]["fields"]] == ["scan"]  # no member picker
        picker = await visitor.post(link["url"] + "/submit", json={"data": {
            "title": "Who", "rows": [{"who": "00000000-0000-0000-0000-000000000000"}]}})
        assert picker.status_code == 422
        assert picker.json()["errors"][0]["path"] == "data.rows[0].who"
        photo = await put(visitor, link, "photo", "me.png", png())
        assert photo.status_code == 201, photo.text
        assert photo.json()["content_type"] == "image/png"
        assert photo.json()["image"] == {"width": 20, "height": 10}
        paper = await put(visitor, link, "papers", "note.txt", "出差说明".encode())
        scan = await put(visitor, link, "rows.scan", "scan.txt", b"scanned")
        assert paper.status_code == scan.status_code == 201
        ids = [r.json()["id"] for r in (photo, paper, scan)]
        created = await visitor.post(link["url"] + "/submit", json={"data": {
            "title": "Taxi", "photo": [ids[0]], "papers": [ids[1]],
            "rows": [{"scan": [ids[2]]}]}})
        assert created.status_code == 201, created.text
    record = (await admin.get(
        f"/api/v1/apps/claims/forms/claim/records/{created.json()['_id']}")).json()
    assert record["photo"] == [ids[0]] and record["rows"][0]["scan"] == [ids[2]]
    rows = sql(settings, "select f.id::text, f.created_by = l.owner_id, "
               "f.metadata->>'attached', f.metadata->>'public_link' = l.id::text "
               "from files f join public_links l on l.id::text = f.metadata->>'public_link' "
               "where f.id::text = any(%s)", (ids,))
    assert sorted(r[0] for r in rows) == sorted(ids)
    assert all(r[1] and r[2] == created.json()["_id"] and r[3] for r in rows)
    got = await admin.get(f"/api/v1/files/{ids[1]}")
    assert got.status_code == 200 and got.content == "出差说明".encode()


async def test_public_upload_abuse_is_refused(app, admin, claim_links) -> None:
    link, other = claim_links
    async with public(app, "192.0.2.20") as visitor:
        wrong = await visitor.post("/api/v1/public/tpl_nope/files", params={"field": "photo"},
                                   files={"file": ("a.png", png())})
        assert wrong.status_code == 404 and wrong.json()["code"] == "link_not_found"
        not_file = await put(visitor, link, "title", "a.txt", b"x")
        assert not_file.status_code == 422
        assert not_file.json()["errors"][0]["code"] == "not_a_file_field"
        assert (await put(visitor, link, "nope.scan", "a.txt", b"x")).status_code == 422
        big = await put(visitor, link, "papers", "big.txt", b"a" * 200_000)
        assert big.status_code == 413 and big.json()["code"] == "payload_too_large"
        fake = await put(visitor, link, "photo", "evil.png", b"<html><script>1</script>")
        assert fake.status_code == 422 and fake.json()["code"] == "file_rejected"
        assert fake.json()["errors"][0]["code"] == "not_an_image"
        exe = await put(visitor, link, "papers", "x.exe", b"MZ\x90\x00\x03" + b"\x00" * 64)
        assert exe.json()["errors"][0]["code"] == "file_type_not_accepted"
        empty = await put(visitor, link, "papers", "e.txt", b"")
        assert empty.status_code == 422 and empty.json()["code"] == "empty_file"
        missing = await visitor.post(link["url"] + "/files", params={"field": "papers"},
                                     data={"x": "1"})
        assert missing.status_code == 422

        elsewhere = await put(visitor, other, "papers", "o.txt", b"for the other form")
        assert elsewhere.status_code == 201
        theirs = (await admin.post("/api/v1/files", files={"file": ("m.txt", b"member's")}
                                   )).json()["id"]
        for foreign in (elsewhere.json()["id"], theirs):
            refused = await visitor.post(link["url"] + "/submit", json={"data": {
                "title": "Borrowed", "papers": [foreign]}})
            assert refused.status_code == 422, refused.text
            assert refused.json()["errors"][0] == {
                **refused.json()["errors"][0], "path": "data.papers[0]", "code": "unknown_file"}
            nested = await visitor.post(link["url"] + "/submit", json={"data": {
                "title": "Borrowed", "rows": [{}, {"scan": [foreign]}]}})
            assert nested.json()["errors"][0]["path"] == "data.rows[1].scan[0]"

    off = await admin.post(CLAIM_LINKS, json={"owner": ADMIN_EMAIL, "password": "pw"})
    off_link = off.json()
    async with public(app, "192.0.2.21") as visitor:
        locked = await put(visitor, off_link, "papers", "a.txt", b"x")
        assert locked.status_code == 401 and locked.json()["code"] == "password_required"
        assert (await put(visitor, off_link, "papers", "a.txt", b"x",
                          **{"X-Link-Password": "pw"})).status_code == 201
        await admin.patch(f"{CLAIM_LINKS}/{off_link['id']}", json={"enabled": False})
        gone = await put(visitor, off_link, "papers", "a.txt", b"x",
                         **{"X-Link-Password": "pw"})
        assert gone.status_code == 410 and gone.json()["code"] == "link_disabled"


async def test_public_uploads_are_throttled_per_address(app, claim_links) -> None:
    link, _other = claim_links
    async with public(app, "192.0.2.30") as visitor, public(app, "192.0.2.31") as other:
        codes = [(await put(visitor, link, "papers", f"{i}.txt", b"x" if i % 2 else b"")
                  ).status_code for i in range(12)]
        assert set(codes) == {201, 422}  # refused uploads count too
        limited = await put(visitor, link, "papers", "n.txt", b"x")
        assert limited.status_code == 429 and limited.json()["code"] == "too_many_submissions"
        assert (await put(other, link, "papers", "n.txt", b"x")).status_code == 201
