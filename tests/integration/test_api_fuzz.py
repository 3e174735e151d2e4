"""Never a 500: a property-based fuzz of the HTTP API from its own OpenAPI (schemathesis).

Schemathesis turns every operation of the platform's OpenAPI and of the CRM template's
per-app OpenAPI (`/apps/crm/openapi.json`) into a Hypothesis strategy of requests; each is
sent, signed in as the first admin, to a real server over real Postgres (the integration
fixtures' database). Every answer must be below 500, and every 4xx an RFC 9457 problem+json
with a stable `code`.

Why not `@schema.parametrize()`: the schema only exists once the server runs (a fixture), and
one test that walks the operations can bound the whole run's cost (FUZZ_EXAMPLES per
operation, no shrinking) and report every failing operation at once instead of the first.
Path parameters named `app`, `form` and `record_id` are pinned to the CRM's real keys and
demo records about half the time, so requests reach the code behind the 404 of an unknown
app or record. Invalid requests (schemathesis's negative mode) include ones it sends without
the token on purpose: their 401 must be a problem document too.

Skipped: operations that would sign the fuzzer out or take the admin's powers away (logout,
SSO settings, offboarding and editing members, publishing random drafts over the CRM).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tessera.config import Settings
from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.unit.rules.strategies import operator_nodes

API = "/api/v1"
# Examples per operation (valid and invalid requests mixed): ~70 platform and ~90 CRM
# operations and 80 filters at this count take ~30 s of CPU on the 2-core machine, inside the
# 90 s budget even when other work shares it (load average 12: ~90 s). Raise it locally with
# TESSERA_FUZZ_EXAMPLES for a deeper search (runs at 25-80, and a random one at 50, found
# nothing beyond what is fixed).
FUZZ_EXAMPLES = int(os.environ.get("TESSERA_FUZZ_EXAMPLES", "8"))
# CI replays the same requests every run; TESSERA_FUZZ_RANDOM=1 explores new ones locally.
REPLAY = os.environ.get("TESSERA_FUZZ_RANDOM") != "1"

# (method, path template) pairs that would end the fuzzer's session or its admin rights, or
# replace the CRM it is fuzzing: exercised by their own integration tests instead.
SKIPPED = {
    ("POST", "/api/v1/auth/logout"),
    ("PUT", "/api/v1/auth/sso"),
    ("PATCH", "/api/v1/users/{user_id}"),
    ("POST", "/api/v1/users/{user_id}/offboard"),
    ("PUT", "/api/v1/apps/{app}/draft"),
    ("POST", "/api/v1/apps/{app}/publish"),
    ("POST", "/api/v1/apps/{app}/versions/{version}/restore-draft"),
}


# Operations that hash a password on every call (~0.5 s each here): a few examples suffice.
FEWER = {("POST", "/api/v1/auth/login"): 3, ("POST", "/api/v1/auth/accept-invite"): 3,
         ("POST", "/api/v1/users"): 4}


@dataclass
class Server:
    url: str
    headers: dict[str, str]


@pytest.fixture(scope="module")
def live(settings: Settings) -> Iterator[Server]:
    """The app served by uvicorn on a loopback port in a thread of its own (its own event
    loop), with the CRM installed and the admin signed in."""
    import uvicorn

    from tessera.app import create_app
    from tessera.bootstrap import bootstrap
    from tessera.db.engine import create_engine

    config = replace(settings, install_default_app=True)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config), lifespan="on",
                                           log_level="critical", access_log=False))

    async def main() -> None:
        engine = create_engine(config, pool_size=2)
        await bootstrap(engine, config)
        await engine.dispose()
        await server.serve(sockets=[sock])

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    token = httpx.post(f"{url}{API}/auth/login", json={"email": ADMIN_EMAIL,
                                                        "password": ADMIN_PASSWORD}
                       ).json()["access_token"]
    try:
        yield Server(url, {"Authorization": f"Bearer {token}"})
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _problem_issue(response: Any) -> str | None:
    """What is wrong with a 4xx answer, or None when it is a proper problem+json."""
    if response.status_code < 400 or response.status_code >= 500:
        return None
    raw = response.headers.get("content-type") or ""
    content_type = raw[0] if isinstance(raw, list) else raw  # schemathesis: header -> values
    if not content_type.startswith("application/problem+json"):
        return f"content-type {content_type!r}"
    try:
        body = response.json()
    except ValueError:
        return "a body that is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("code"), str) \
            or body.get("status") != response.status_code:
        return "no stable code or a wrong status in the body"
    return None


def _run_operation(operation: Any, server: Server, pins: dict[str, Any],
                   found: list[str]) -> int:
    """FUZZ_EXAMPLES generated requests to one operation; the first failure goes to `found`
    (the same bug tends to repeat, and skipping shrinking keeps the run's cost bounded)."""
    method = operation.method.upper()
    sent = 0

    @settings(max_examples=FEWER.get((method, operation.path), FUZZ_EXAMPLES),
              deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], derandomize=REPLAY,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                          operation.as_strategy(GenerationMode.NEGATIVE)), data=st.data())
    def run(case: Any, data: Any) -> None:
        nonlocal sent
        for name, strategy in pins.items():
            if name in case.path_parameters and data.draw(st.booleans(), label="pin"):
                case.path_parameters[name] = data.draw(strategy, label=name)
        if found:
            return
        try:
            response = case.call(base_url=server.url, headers=server.headers, timeout=60)
        except Exception as exc:  # a dropped connection is a crash too
            found.append(f"{method} {case.formatted_path}: {type(exc).__name__}: {exc}")
            return
        sent += 1
        issue = (f"status {response.status_code}" if response.status_code >= 500
                 else _problem_issue(response))
        if issue:
            found.append(f"{method} {case.formatted_path} -> {issue}: "
                         f"{response.text[:300]} | query={case.query} body={case.body!r:.300}")

    run()
    return sent


def _fuzz(schema: Any, server: Server, pins: dict[str, Any]) -> tuple[int, list[str]]:
    """Send FUZZ_EXAMPLES generated requests per operation; the failures found, one line
    each (the first per operation: the same bug tends to repeat)."""
    failures: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        method = operation.method.upper()
        if (method, operation.path) in SKIPPED:
            continue
        found: list[str] = []
        sent += _run_operation(operation, server, pins, found)
        failures.extend(found)
    return sent, failures


_CRM: dict[str, Any] = {}


def _crm(server: Server) -> dict[str, Any]:
    """The CRM's published definition (read once)."""
    if not _CRM:
        _CRM.update(httpx.get(f"{server.url}{API}/apps/crm", headers=server.headers).json())
    return _CRM


def _record_ids(server: Server) -> list[str]:
    """A few real record ids of each CRM form (its demo data), so record paths reach past the
    404 of an unknown id."""
    crm = httpx.get(f"{server.url}{API}/apps/crm", headers=server.headers).json()
    ids = []
    for form in crm["forms"]:
        page = httpx.get(f"{server.url}{API}/apps/crm/forms/{form['key']}/records",
                         params={"limit": 3}, headers=server.headers).json()
        ids += [r["_id"] for r in page["items"]]
    assert ids
    return ids


def test_platform_api_never_answers_500(live: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{live.url}{API}/openapi.json")
    crm = httpx.get(f"{live.url}{API}/apps/crm", headers=live.headers).json()
    forms = [f["key"] for f in crm["forms"]]
    sent, failures = _fuzz(schema, live, {"app": st.just("crm"),
                                          "form": st.sampled_from(forms),
                                          "record_id": st.sampled_from(_record_ids(live))})
    assert sent > 100
    assert not failures, "\n".join(failures)


def test_crm_api_never_answers_500(live: Server) -> None:
    spec = httpx.get(f"{live.url}{API}/apps/crm/openapi.json", headers=live.headers).json()
    assert spec["servers"] == [{"url": API}]  # its paths are relative to the API's prefix
    schema = schemathesis.openapi.from_dict(spec)
    sent, failures = _fuzz(schema, Server(live.url + API, live.headers),
                           {"record_id": st.sampled_from(_record_ids(live))})
    assert sent > 50
    assert not failures, "\n".join(failures)


FILTER_OPS = [
    "==", "!=", "===", "!==", "<", "<=", ">", ">=", "and", "or", "!", "!!", "if", "in",
    "contains", "starts_with", "ends_with", "regex_match", "+", "-", "*", "/", "coalesce",
    "lower", "upper", "length", "year", "month", "day", "date_diff", "date_add", "is_empty",
    "missing", "missing_some", "today", "now",
]  # fmt: skip
# Literals at the edges: magnitudes that overflow doubles, the calendar's ends, non-ids.
EDGE_LITERALS = st.one_of(
    st.none(), st.booleans(), st.sampled_from([0, -1, 0.5, 1e308, -1e308, 5e-324, 2**70]),
    st.sampled_from(["", "a", "A", "0001-01-01", "9999-12-31", "2026-11-24T00:00:00Z", "d",
                     "days", "years", "(a*)*b", "[", "00000000-0000-0000-0000-000000000001"]),
    st.lists(st.sampled_from(["a", 1, None]), max_size=2),
)


@settings(max_examples=FUZZ_EXAMPLES * 10, deadline=None, database=None, derandomize=REPLAY,
          suppress_health_check=list(HealthCheck), phases=[Phase.generate])
@given(data=st.data())
def test_any_list_filter_is_answered_without_a_500(live: Server, data: Any) -> None:
    """Random expression trees over the CRM opportunity's fields as list filters: each is a
    page (200) or a problem (422), never a 500 from the compiler or from Postgres."""
    crm = _crm(live)
    form = next(f for f in crm["definition"]["forms"] if f["key"] == "opportunity")
    names = [f["key"] for f in form["fields"]] + ["_id", "_owner", "_created_at", "_version"]
    tree = data.draw(st.recursive(
        st.one_of(st.sampled_from([{"var": n} for n in names]), EDGE_LITERALS),
        lambda inner: operator_nodes(inner, FILTER_OPS, extra=2), max_leaves=6), label="filter")
    response = httpx.get(f"{live.url}{API}/apps/crm/forms/opportunity/records",
                         params={"filter": json.dumps(tree), "limit": 5},
                         headers=live.headers, timeout=60)
    assert response.status_code in (200, 422), (tree, response.text[:300])
    assert _problem_issue(response) is None, (tree, response.text[:300])
