"""The sites a public fill link may be framed by: what an entry may say and how it is stored
(tessera.publiclinks.embedding)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.api.errors import ValidationFailed
from tessera.publiclinks.embedding import (
    MAX_ORIGINS,
    InvalidOrigin,
    normalise_origin,
    normalise_origins,
)


@pytest.mark.parametrize(("entry", "stored"), [
    ("https://www.example.com", "https://www.example.com"),
    ("  HTTPS://Shop.Example.COM/ ", "https://shop.example.com"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("https://example.com:0443", "https://example.com:443"),
    ("https://*.example.org", "https://*.example.org"),
    ("http://127.0.0.1:5173", "http://127.0.0.1:5173"),
    ("https://例子.中国", "https://xn--fsqu00a.xn--fiqs8s"),
])
def test_an_entry_is_stored_as_the_origin_the_browser_compares(entry: str, stored: str) -> None:
    assert normalise_origin(entry) == stored


@pytest.mark.parametrize("entry", [
    "", "   ", "www.example.com", "*", "https://*", "https://*.com", "'self'", "data:",
    "javascript:alert(1)", "ftp://example.com", "https://example.com/form",
    "https://example.com?x=1", "https://example.com#top", "https://user@example.com",
    "https://example.com:99999", "https://example.com:http", "https://-bad-.example.com",
    "https://exa mple.com", "https://example..com", "https://[::1]:8080",
])
def test_anything_else_is_refused(entry: str) -> None:
    with pytest.raises(InvalidOrigin):
        normalise_origin(entry)


def test_a_request_names_each_bad_entry_by_its_place() -> None:
    with pytest.raises(ValidationFailed) as refused:
        normalise_origins(["https://ok.example.com", "example.com", "https://ok.example.com",
                           "https://example.com/path"])
    assert [(p.path, p.code) for p in refused.value.errors] == [
        ("embed_origins[1]", "invalid_origin"), ("embed_origins[3]", "invalid_origin")]


def test_repeats_go_and_the_count_is_bounded() -> None:
    assert normalise_origins(["https://a.example.com", "HTTPS://A.example.com/"]) == [
        "https://a.example.com"]
    with pytest.raises(ValidationFailed) as refused:
        normalise_origins([f"https://s{i}.example.com" for i in range(MAX_ORIGINS + 1)])
    assert refused.value.errors[0].code == "too_many_origins"


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@given(scheme=st.sampled_from(["http", "https", "HTTPS"]),
       labels=st.lists(LABEL, min_size=1, max_size=4),
       wildcard=st.booleans(), port=st.none() | st.integers(1, 65535),
       upper=st.booleans(), slash=st.booleans())
def test_storing_is_idempotent_and_keeps_the_site(scheme: str, labels: list[str],
                                                  wildcard: bool, port: int | None,
                                                  upper: bool, slash: bool) -> None:
    host = ".".join(labels)
    if wildcard:
        host = "*." + host + ".example"
    entry = f"{scheme}://{host.upper() if upper else host}" + (f":{port}" if port else "") \
        + ("/" if slash else "")
    stored = normalise_origin(entry)
    assert normalise_origin(stored) == stored
    assert stored == f"{scheme.lower()}://{host.lower()}" + (f":{port}" if port else "")
