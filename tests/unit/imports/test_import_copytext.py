"""`copytext`: import records as COPY text data — the escapes of the text format, NULL,
arrays, and which column types it leaves to the binary path."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from tessera.imports.copytext import copy_data, encoders


def test_values_are_written_with_the_text_formats_escapes() -> None:
    encode = encoders([Text(), Numeric(), Integer(), Boolean(), Date(), DateTime(timezone=True),
                       UUID(), JSONB(), ARRAY(Text())])
    assert encode is not None
    when = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    data = copy_data([
        ("a\tb\nc\rd\\e", Decimal("1.50"), 7, True, dt.date(2026, 1, 2), when,
         uuid.UUID(int=1), '{"k": "v\\n"}', ['x"y', "z\\w", None, "1\n2"]),
        (None, None, None, False, None, None, None, None, []),
    ], encode)
    assert data.decode().split("\n") == [
        "a\\tb\\nc\\rd\\\\e\t1.50\t7\tt\t2026-01-02\t2026-11-24T06:00:00+00:00\t"
        '00000000-0000-0000-0000-000000000001\t{"k": "v\\\\n"}\t'
        '{"x\\\\"y","z\\\\\\\\w",NULL,"1\\n2"}',
        "\\N\t\\N\t\\N\tf\t\\N\t\\N\t\\N\t\\N\t{}",
        "",
    ]


def test_unknown_column_types_and_odd_values_are_refused() -> None:
    assert encoders([Text(), LargeBinary()]) is None
    assert encoders([ARRAY(JSONB())]) is None
    encode = encoders([Boolean()])
    assert encode is not None
    with pytest.raises(TypeError):
        copy_data([("yes",)], encode)


def test_constant_columns_are_encoded_once_from_the_first_record() -> None:
    encode = encoders([Text(), Text(), Integer()])
    assert encode is not None
    data = copy_data([("{same}", "a", 1), ("{same}", "b", None)], encode, constant={0})
    assert data.decode() == "{same}\ta\t1\n{same}\tb\t\\N\n"
    assert copy_data([], encode) == b""
