from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types
from engines.form.types.base import Invalid

CTX = RecordContext()
DATE, DATETIME, TIME = (field_types.get(k) for k in ("date", "datetime", "time"))


def test_date() -> None:
    assert DATE.normalise({}, "2026-11-24", CTX) == dt.date(2026, 11, 24)
    assert DATE.to_json({}, dt.date(2026, 11, 24)) == "2026-11-24"
    for raw in ("2026-02-30", "24/11/2026", 20261124, dt.datetime(2026, 1, 1)):
        with pytest.raises(Invalid, match="invalid_date"):
            DATE.normalise({}, raw, CTX)


def test_naive_datetime_is_read_in_the_context_zone() -> None:
    value = DATETIME.normalise({}, "2026-11-24 09:00", CTX)  # Asia/Shanghai
    assert value == dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)
    assert DATETIME.to_json({}, value) == "2026-11-24T01:00:00Z"
    utc = RecordContext(timezone="UTC")
    assert DATETIME.normalise({}, "2026-11-24T09:00", utc).hour == 9


@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-05:00",
                                 "0001-01-01T08:00"])  # the last: naive, read in UTC+8
def test_a_datetime_that_leaves_the_calendar_in_utc_is_invalid(raw: str) -> None:
    """Found by the API fuzz: the conversion to UTC overflowed (a 500, not a field error)."""
    with pytest.raises(Invalid, match="invalid_datetime"):
        DATETIME.normalise({}, raw, CTX)


def test_datetime_with_offset_and_bounds() -> None:
    f = {"min": "2026-01-01T00:00:00Z"}
    assert DATETIME.normalise(f, "2026-11-24T09:00:00-05:00", CTX).hour == 14
    with pytest.raises(Invalid, match="too_small"):
        DATETIME.normalise(f, "2025-12-31T23:00:00Z", CTX)
    with pytest.raises(Invalid, match="invalid_datetime"):
        DATETIME.normalise({}, "soon", CTX)


def test_time() -> None:
    assert TIME.normalise({}, "09:30", CTX) == dt.time(9, 30)
    assert TIME.to_json({}, dt.time(9, 30)) == "09:30:00"
    for raw in ("25:00", "09:30+08:00"):
        with pytest.raises(Invalid, match="invalid_time"):
            TIME.normalise({}, raw, CTX)


@given(st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))])))
def test_datetime_round_trips(moment: dt.datetime) -> None:
    once = DATETIME.normalise({}, moment.isoformat(), CTX)
    assert once == moment
    assert DATETIME.normalise({}, DATETIME.to_json({}, once), CTX) == once
