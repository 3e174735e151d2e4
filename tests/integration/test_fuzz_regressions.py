"""Requests the API fuzz (test_api_fuzz.py) once answered with a 500, each now a 4xx
problem+json naming the offending value."""

from __future__ import annotations

import json
from typing import Any


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body


async def test_nul_in_a_json_body_is_refused_with_its_path(anon, admin) -> None:
    """Postgres text cannot hold U+0000: asyncpg failed on the lookup itself."""
    body = _problem(await anon.post("/api/v1/auth/login",
                                    json={"email": "a\x00@b.c", "password": "x"}),
                    422, "invalid_text")
    assert body["errors"][0]["path"] == "email"
    body = _problem(await admin.post("/api/v1/departments",
                                     json={"key": "ok", "name": "n", "managers": ["m\x00"]}),
                    422, "invalid_text")
    assert body["errors"][0]["path"] == "managers[0]"
    body = _problem(await admin.post("/api/v1/departments",
                                     json={"key": "ok", "name": "n", "x\x00": 1}),
                    422, "invalid_text")
    assert body["errors"][0]["path"] == "x\x00"


async def test_nul_in_a_query_or_path_value_is_refused(admin) -> None:
    body = _problem(await admin.get("/api/v1/audit", params={"actor": "a\x00"}),
                    422, "invalid_text")
    assert body["errors"][0]["path"] == "query.actor"
    body = _problem(await admin.get("/api/v1/apps/a%00b"), 422, "invalid_text")
    assert body["errors"][0]["path"] == "path.app"


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(admin) -> None:
    """`\\\\u0000` in JSON is a backslash followed by "u0000": no NUL, nothing refused."""
    r = await admin.post("/api/v1/departments",
                         content=b'{"key": "slashed", "name": "a\\\\u0000b"}',
                         headers={"content-type": "application/json"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "a\\u0000b"


async def test_an_audit_cursor_beyond_bigint_is_a_422(admin) -> None:
    body = _problem(await admin.get("/api/v1/audit", params={"cursor": str(2**70)}),
                    422, "invalid_request")
    assert body["errors"][0]["path"] == "query.cursor"
    assert (await admin.get("/api/v1/audit", params={"cursor": str(2**63 - 1)})
            ).status_code == 200


async def test_versions_beyond_integer_are_422s(admin) -> None:
    """A version is a Postgres integer: 2**31 and more failed in the driver."""
    r = await admin.post("/api/v1/apps", json={
        "format": "tessera.app/1", "key": "fz", "name": {"en": "Fz"},
        "forms": [{"key": "f", "name": {"en": "F"}, "fields": [
            {"key": "at", "type": "datetime", "label": {"en": "At"}}]}]})
    assert r.status_code == 201, r.text
    record = (await admin.post("/api/v1/apps/fz/forms/f/records", json={"data": {}})).json()
    body = _problem(await admin.post(
        f"/api/v1/apps/fz/forms/f/records/{record['_id']}/history/{2**36}/restore", json={}),
        422, "invalid_request")
    assert body["errors"][0]["path"] == "path.version"
    body = _problem(await admin.post(f"/api/v1/apps/fz/versions/{2**40}/restore-draft"),
                    422, "invalid_request")
    assert body["errors"][0]["path"] == "path.version"
    body = _problem(await admin.post("/api/v1/apps/fz/forms/f/records", json={
        "data": {"at": "0001-01-01T00:00:00+14:00"}}), 422, "validation_failed")
    assert body["errors"][0]["path"] == "data.at"


async def test_numbers_past_64_bits_and_overflowing_filters_are_answered(admin) -> None:
    """A number field holds up to 1e28, but the records API's JSON encoder refused integers
    past 64 bits (a 500 on create and on every read); a filter whose arithmetic overflows
    double precision made Postgres fail the statement (a 500, now a 422)."""
    r = await admin.post("/api/v1/apps", json={
        "format": "tessera.app/1", "key": "big", "name": {"en": "Big"},
        "forms": [{"key": "f", "name": {"en": "F"}, "fields": [
            {"key": "amount", "type": "number", "label": {"en": "Amount"}},
            {"key": "d", "type": "date", "label": {"en": "D"}}]}]})
    assert r.status_code == 201, r.text
    base = "/api/v1/apps/big/forms/f/records"
    created = await admin.post(base, json={"data": {"amount": 1e27, "d": "2026-01-01"}})
    assert created.status_code == 201, created.text
    assert created.json()["amount"] == "1000000000000000000000000000"
    listed = (await admin.get(base)).json()["items"]
    assert listed[0]["amount"] == "1000000000000000000000000000"
    for expression in ({">": [{"*": [{"var": "amount"}, 1e308]}, 1]},
                       {"<": [{"date_diff": [{"var": "d"}, "0001-01-01", "d"]}, 5]}):
        r = await admin.get(base, params={"filter": json.dumps(expression)})
        _problem(r, 422, "value_out_of_range")
