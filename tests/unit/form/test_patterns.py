from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types
from engines.form.types.base import Invalid
from engines.form.types.patterns import idcard_check_char

CTX = RecordContext()
PHONE, EMAIL, URL, IDCARD = (field_types.get(k) for k in ("phone", "email", "url", "idcard"))


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("010-12345678", "010-12345678"),
        ("(010) 1234 5678", "010-12345678"),
        ("02187654321", "021-87654321"),
        ("0755-1234567-801", "0755-1234567-801"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_normal_forms(raw: str, normal: str) -> None:
    assert PHONE.normalise({}, raw, CTX) == normal


@pytest.mark.parametrize("raw", ["12345", "23812345678", "138123456789", "abc", "+1"])
def test_phone_refusals(raw: str) -> None:
    with pytest.raises(Invalid, match="invalid_phone"):
        PHONE.normalise({}, raw, CTX)


def test_phone_kinds_limit_what_is_accepted() -> None:
    mobile_only = {"kinds": ["mobile"]}
    assert PHONE.normalise(mobile_only, "13812345678", CTX) == "13812345678"
    with pytest.raises(Invalid):
        PHONE.normalise(mobile_only, "010-12345678", CTX)


def test_email() -> None:
    assert EMAIL.normalise({}, " Li.Lei@Example.CN ", CTX) == "Li.Lei@example.cn"
    for raw in ("a@b", "a..b@example.com", "@example.com", "a b@example.com", "a@-x.com"):
        with pytest.raises(Invalid, match="invalid_email"):
            EMAIL.normalise({}, raw, CTX)


def test_url() -> None:
    assert URL.normalise({}, "HTTP://Example.COM/Path", CTX) == "http://example.com/Path"
    for raw in ("example.com", "ftp://example.com", "javascript:alert(1)", "http://",
                "http://exa mple.com", "http://x.com:99999"):
        with pytest.raises(Invalid, match="invalid_url"):
            URL.normalise({}, raw, CTX)


def test_idcard_checksum_and_birth_date() -> None:
    assert IDCARD.normalise({}, "11010519491231002x", CTX) == "11010519491231002X"
    for raw in ("110105194912310021", "110105194902300028", "11010519491231002", "A10105"):
        with pytest.raises(Invalid, match="invalid_idcard"):
            IDCARD.normalise({}, raw, CTX)


@given(st.from_regex(r"[1-9]\d{5}(19[5-9]\d|20[01]\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}",
                     fullmatch=True))
def test_any_number_with_its_check_char_is_valid(first17: str) -> None:
    number = first17 + idcard_check_char(first17)
    assert IDCARD.normalise({}, number.lower(), CTX) == number


@given(st.text(alphabet="0123456789+-() ", max_size=20))
def test_phone_normalise_is_idempotent(raw: str) -> None:
    try:
        once = PHONE.normalise({}, raw, CTX)
    except Invalid:
        return
    assert PHONE.normalise({}, once, CTX) == once
