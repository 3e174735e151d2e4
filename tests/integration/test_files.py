"""Files: upload with sniffed content types, download and thumbnails, field constraints at
upload and at record save, and who may read a file (tenant, uploader, record viewers)."""

from __future__ import annotations

import io
import uuid
from dataclasses import replace

import pytest
from PIL import Image

from tests.integration.members import member, sql

APP = {
    "format": "tessera.app/1", "key": "docs", "name": {"en": "Docs"},
    "forms": [{
        "key": "claim", "name": {"en": "Claim"},
        "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}},
            {"key": "photos", "type": "image", "label": {"en": "Photos"}, "max_size_mb": 1},
            {"key": "papers", "type": "attachment", "label": {"en": "Papers"},
             "accept": [".pdf", "text/plain"]},
            {"key": "sign", "type": "signature", "label": {"en": "Signature"}},
            {"key": "secret", "type": "attachment", "label": {"en": "Secret"}},
            {"key": "rows", "type": "subform", "label": {"en": "Rows"}, "fields": [
                {"key": "scan", "type": "attachment", "label": {"en": "Scan"}}]},
        ],
    }],
    "roles": [
        {"key": "viewer", "name": {"en": "Viewer"},
         "permissions": [{"form": "claim", "actions": ["view"], "scope": "all"}]},
        {"key": "blind", "name": {"en": "Blind"},
         "permissions": [{"form": "claim", "actions": ["view"], "scope": "all",
                          "fields": {"hidden": ["secret"]}}]},
    ],
}
URL = "/api/v1/apps/docs/forms/claim/records"


@pytest.fixture(scope="module")
def settings(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    return replace(settings, data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module", autouse=True)
async def docs_app(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


async def upload(client, name: str, data: bytes, ctype: str = "application/octet-stream",  # type: ignore[no-untyped-def]
                 **params: str):
    return await client.post("/api/v1/files", files={"file": (name, data, ctype)},
                             params=params)


async def test_upload_sniffs_and_serves_images_inline(admin, settings) -> None:
    data = png(200, 150)
    response = await upload(admin, "红色.png", data, "text/html")  # the client's type is ignored
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "image/png" and body["size"] == len(data)
    assert body["name"] == "红色.png" and body["image"] == {"width": 200, "height": 150}
    got = await admin.get(body["url"])
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("inline;")
    assert "filename*=UTF-8''%E7%BA%A2%E8%89%B2.png" in got.headers["content-disposition"]
    assert got.headers["x-content-type-options"] == "nosniff"
    forced = await admin.get(body["url"], params={"download": "true"})
    assert forced.headers["content-disposition"].startswith("attachment;")
    thumb = await admin.get(body["thumbnail_url"], params={"size": 64})
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(thumb.content)) as img:
        assert max(img.size) == 64
    # content-addressed: stored once under its hash in the data dir
    stored = list((settings.data_dir / "files" / "sha256").rglob("*"))
    assert any(p.is_file() for p in stored)


async def test_html_posing_as_an_image_is_not_served_as_one(admin) -> None:
    body = (await upload(admin, "evil.png", b"<html><script>alert(1)</script></html>",
                         "image/png")).json()
    assert not body["content_type"].startswith("image/") and "image" not in body
    got = await admin.get(body["url"])
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in got.headers["content-security-policy"]
    assert (await admin.get(body["url"] + "/thumbnail")).json()["code"] == "no_thumbnail"


async def test_upload_checks_the_field_when_named(admin) -> None:
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    rejected = await upload(admin, "a.pdf", pdf, app="docs", form="claim", field="photos")
    assert rejected.status_code == 422
    assert rejected.json()["errors"][0] == {"path": "file", "code": "not_an_image",
                                            "message": "The file is not an image."}
    ok = await upload(admin, "a.pdf", pdf, app="docs", form="claim", field="papers")
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    big = await upload(admin, "big.bmp", b"BM" + b"\0" * (1024 * 1024 + 10),
                       app="docs", form="claim", field="photos")
    assert big.status_code == 422  # not a decodable image, and too large anyway
    empty = await upload(admin, "e.txt", b"")
    assert empty.status_code == 422 and empty.json()["code"] == "empty_file"


async def test_records_accept_only_fitting_files_of_the_tenant(admin, settings) -> None:
    image = (await upload(admin, "p.png", png())).json()
    text = (await upload(admin, "notes.txt", "备注 notes".encode())).json()
    assert text["content_type"] == "text/plain"
    created = await admin.post(URL, json={"data": {
        "title": "ok", "photos": [image["id"]], "papers": [text["id"]], "sign": image["id"]}})
    assert created.status_code == 201, created.text
    assert created.json()["photos"] == [image["id"]]
    bad = await admin.post(URL, json={"data": {
        "title": "bad", "photos": [text["id"]], "papers": [image["id"]],
        "sign": str(uuid.uuid4())}})
    assert bad.status_code == 422
    codes = {e["path"]: e["code"] for e in bad.json()["errors"]}
    assert codes == {"data.photos[0]": "unknown_file", "data.papers[0]": "unknown_file",
                     "data.sign": "unknown_file"}
    # a file of another tenant is unknown here, for records and for downloads alike
    other = uuid.uuid4()
    sql(settings, "insert into tenants (id, key, name) values (%s, 'other', 'Other')", (other,))
    foreign = uuid.uuid4()
    sql(settings, "insert into files (id, tenant_id, name, content_type, size, sha256, "
        "storage_key) values (%s, %s, 'x.txt', 'text/plain', 1, 'ab', 'sha256/ab/ab')",
        (foreign, other))
    response = await admin.post(URL, json={"data": {"papers": [str(foreign)]}})
    assert response.json()["errors"][0]["code"] == "unknown_file"
    assert (await admin.get(f"/api/v1/files/{foreign}")).json()["code"] == "file_not_found"


async def test_members_read_only_their_files_or_those_of_records_they_see(app, admin,
                                                                          settings) -> None:
    async with member(app, admin, settings, "uploader@example.com") as uploader:
        mine = (await upload(uploader, "m.txt", b"mine")).json()
        assert (await uploader.get(mine["url"])).status_code == 200
        assert (await admin.get(mine["url"])).status_code == 200  # admins read everything
    shown = (await upload(admin, "shown.txt", b"shown")).json()
    secret = (await upload(admin, "secret.txt", b"secret")).json()
    loose = (await upload(admin, "loose.txt", b"loose")).json()
    scan = (await upload(admin, "scan.txt", b"scan")).json()
    created = await admin.post(URL, json={"data": {"papers": [shown["id"]],
                                                   "secret": [secret["id"]],
                                                   "rows": [{"scan": [scan["id"]]}]}})
    assert created.status_code == 201, created.text
    async with member(app, admin, settings, "stranger@example.com") as stranger:
        assert (await stranger.get(mine["url"])).status_code == 404
        assert (await stranger.get(shown["url"])).status_code == 404
    async with member(app, admin, settings, "viewer@example.com",
                      {"docs": ["viewer"]}) as viewer:
        assert (await viewer.get(shown["url"])).content == b"shown"
        assert (await viewer.get(secret["url"])).content == b"secret"
        assert (await viewer.get(loose["url"])).status_code == 404
        assert (await viewer.get(scan["url"])).content == b"scan"  # in a sub-form row
    async with member(app, admin, settings, "blind@example.com", {"docs": ["blind"]}) as blind:
        assert (await blind.get(shown["url"])).status_code == 200
        assert (await blind.get(secret["url"])).status_code == 404  # its field is hidden
    # a record in the recycle bin no longer lends its files
    record_id = created.json()["_id"]
    assert (await admin.delete(f"{URL}/{record_id}")).status_code == 204
    async with member(app, admin, settings, "viewer@example.com") as viewer:
        assert (await viewer.get(shown["url"])).status_code == 404
