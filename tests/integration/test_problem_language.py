"""Problems in the caller's language (issue #6): the same failures through the HTTP API with
`Accept-Language: zh-CN` and `en` — the platform's own texts, pydantic's, the handlers' —
while codes, paths and English texts stay as they were, and the form engine's messages
(already in the caller's language) are not translated twice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.integration.conftest import ADMIN_EMAIL

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {"Accept-Language": "en-US,en;q=0.9"}

APP = {
    "format": "tessera.app/1", "key": "desk", "name": {"en": "Desk"},
    "forms": [{"key": "ticket", "name": {"en": "Ticket"}, "title_field": "title", "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True},
        {"key": "qty", "type": "number", "label": {"en": "Qty"}}]}],
}
LINKS = "/api/v1/apps/desk/forms/ticket/public-links"
LIMIT = 50_000  # the body cap, small so a 413 is cheap to provoke


@pytest.fixture(scope="module")
def settings(settings):  # type: ignore[no-untyped-def]
    return replace(settings, max_body_bytes=LIMIT)


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def texts(body: dict[str, Any]) -> list[str]:
    return [body["title"], body["detail"], *(e["message"] for e in body.get("errors", []))]


@pytest.fixture(scope="module", autouse=True)
async def desk(admin) -> None:  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


async def both(admin, method: str, url: str, headers: dict[str, str] | None = None,  # type: ignore[no-untyped-def]
               **kwargs: Any) -> tuple[dict, dict]:
    """The same request in Chinese and in English; both answers checked alike."""
    zh = await admin.request(method, url, headers={**(headers or {}), **ZH}, **kwargs)
    en = await admin.request(method, url, headers={**(headers or {}), **EN}, **kwargs)
    assert zh.status_code == en.status_code and zh.status_code >= 400, (zh.text, en.text)
    assert zh.headers["content-type"] == "application/problem+json"
    zh_body, en_body = zh.json(), en.json()
    # the contract does not move with the language
    assert zh_body["code"] == en_body["code"]
    assert [(e["path"], e["code"], e.get("params")) for e in zh_body.get("errors", [])] == \
        [(e["path"], e["code"], e.get("params")) for e in en_body.get("errors", [])]
    assert all(chinese(t) for t in texts(zh_body)), zh_body
    assert not any(chinese(t) for t in texts(en_body)), en_body
    return zh_body, en_body


async def test_public_link_with_an_unknown_owner(admin) -> None:
    zh, en = await both(admin, "POST", LINKS, json={"owner": "nobody@example.com"})
    assert en["detail"] == "The owner must be an active member."
    assert en["errors"][0]["message"] == "No such active member."
    assert zh["errors"][0] == {"path": "owner", "code": "unknown_user",
                               "message": "找不到邮箱为“nobody@example.com”的成员",
                               "params": {"email": "nobody@example.com"}}
    assert zh["title"] == "数据有误"


async def test_inviting_a_member_with_a_taken_email(admin) -> None:
    # no password: the member would be invited
    zh, en = await both(admin, "POST", "/api/v1/users", json={"email": ADMIN_EMAIL,
                                                              "name": "Again"})
    assert en["code"] == "duplicate_email"
    assert en["detail"] == f"A member with the e-mail {ADMIN_EMAIL} already exists."
    assert zh["detail"] == f"已有邮箱为 {ADMIN_EMAIL} 的成员。"
    assert zh["errors"][0]["message"] == "该值已被使用"
    assert en["errors"][0]["message"] == "Already in use."


async def test_pydantic_over_length(admin) -> None:
    zh, en = await both(admin, "POST", "/api/v1/users",
                        json={"email": "long@example.com", "name": "x" * 201})
    assert zh["code"] == "invalid_request"
    assert en["errors"][0]["message"] == "String should have at most 200 characters"
    assert zh["errors"][0]["message"] == "最多 200 个字符"
    assert zh["errors"][0]["params"] == {"max_length": 200}
    assert en["detail"] == "The request does not match the API schema."


async def test_unknown_app(admin) -> None:
    zh, en = await both(admin, "GET", "/api/v1/apps/nope/forms/ticket/records")
    assert en["detail"] == "There is no app 'nope'."
    assert zh["detail"] == "没有标识为“nope”的应用。"
    assert (zh["title"], en["title"]) == ("未找到", "Not found")


async def test_the_handlers(admin) -> None:
    zh, en = await both(admin, "GET", "/api/v1/no-such-route")
    assert (zh["code"], zh["detail"]) == ("not_found", "找不到请求的内容。")
    zh, _ = await both(admin, "DELETE", "/api/v1/users")
    assert zh["code"] == "method_not_allowed"
    zh, en = await both(admin, "POST", "/api/v1/users", content=b"{not json",
                        headers={"content-type": "application/json"})
    assert zh["code"] == "malformed_json" and zh["detail"].startswith("请求内容不是有效的 JSON：")
    assert en["detail"].startswith("The request body is not valid JSON: ")
    zh, en = await both(admin, "POST", "/api/v1/users", content=b"x" * (LIMIT + 1),
                        headers={"content-type": "application/json"})
    assert zh["code"] == "payload_too_large"
    assert zh["detail"] == f"提交的内容超过了 {LIMIT} 字节的上限。"
    assert en["detail"] == f"The request body is larger than {LIMIT} bytes."


async def test_form_engine_messages_are_not_translated_again(admin) -> None:
    url = "/api/v1/apps/desk/forms/ticket/records"
    zh, en = await both(admin, "POST", url, json={"data": {"title": ""}})
    assert zh["errors"][0]["message"] == "此项为必填项"
    assert en["errors"][0]["message"] == "This field is required"
    assert zh["detail"] == "记录填写有误：title: 此项为必填项"
    assert en["detail"] == "The record is not valid: title: This field is required"


async def test_per_row_bulk_outcomes(admin) -> None:
    url = "/api/v1/apps/desk/forms/ticket/records/bulk"
    body = {"mode": "per_row", "create": [{"data": {"title": ""}}],
            "update": [{"_id": "not-an-id", "_version": 1, "data": {"title": "x"}}]}
    zh = (await admin.post(url, json=body, headers=ZH)).json()
    en = (await admin.post(url, json=body, headers=EN)).json()
    assert zh["create"][0]["errors"][0]["message"] == "此项为必填项"  # the engine's, as it was
    assert en["create"][0]["errors"][0]["message"] == "This field is required"
    assert (zh["update"][0]["errors"][0]["code"], zh["update"][0]["errors"][0]["message"]) == \
        ("invalid_id", "不是有效的 ID")
    assert en["update"][0]["errors"][0]["message"] == "Expected a UUID."


async def test_without_a_language_problems_stay_english(admin) -> None:
    body = (await admin.get("/api/v1/apps/nope/forms/ticket/records")).json()
    assert body["detail"] == "There is no app 'nope'."


RECORDS = "/api/v1/apps/desk/forms/ticket/records"
INVALID = {"data": {"title": "", "qty": "lots"}}  # two of the form engine's field errors
MIXED_BULK = {"mode": "per_row", "create": [INVALID],  # the engine's messages and the platform's
              "update": [{"_id": "not-an-id", "_version": 1, "data": {"title": "x"}}]}


def bulk_texts(body: dict[str, Any]) -> list[str]:
    return [e["message"] for kind in ("create", "update", "delete") for row in body[kind]
            for e in row["errors"]]


async def test_without_a_language_everything_is_in_the_default_language(admin) -> None:
    """A script (curl, an integration) sends no Accept-Language: the title, the detail and the
    form engine's field messages all come in the API's one default, English — the engine's
    messages used to default to Chinese in the same English problem."""
    response = await admin.post(RECORDS, json=INVALID)
    assert response.status_code == 422, response.text
    body = response.json()
    assert {e["path"]: e["code"] for e in body["errors"]} == {
        "data.title": "required", "data.qty": "invalid_number"}
    assert not any(chinese(t) for t in texts(body)), body
    assert body["title"] == "The data is not valid"
    assert {e["path"]: e["message"] for e in body["errors"]}["data.title"] == \
        "This field is required"

    outcome = await admin.post(f"{RECORDS}/bulk", json=MIXED_BULK)
    assert outcome.status_code == 200, outcome.text
    messages = bulk_texts(outcome.json())
    assert len(messages) == 3 and not any(chinese(m) for m in messages), messages


@pytest.mark.parametrize("language", ["zh-CN", "en;q=0.5, zh-CN"])
async def test_a_chinese_caller_gets_everything_in_chinese(admin, language: str) -> None:
    """`Accept-Language: zh-CN` (or Chinese weighted above English): every text is Chinese,
    the platform's and the form engine's alike."""
    headers = {"Accept-Language": language}
    response = await admin.post(RECORDS, json=INVALID, headers=headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert len(body["errors"]) == 2 and all(chinese(t) for t in texts(body)), body
    assert body["title"] == "数据有误"

    outcome = await admin.post(f"{RECORDS}/bulk", json=MIXED_BULK, headers=headers)
    messages = bulk_texts(outcome.json())
    assert len(messages) == 3 and all(chinese(m) for m in messages), messages
