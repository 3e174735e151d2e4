"""A batch of import records as the data of one `COPY … (FORMAT text)`, built in a thread.

asyncpg's `copy_records_to_table` encodes records to Postgres's binary format on the event
loop's thread as it sends them (~14 µs a record of the bench's form, measured with cProfile):
that held `tessera serve`'s loop for ~70 ms a batch and could not overlap anything. Text-format
COPY data is plain Python string work, so the importer builds it in a worker thread
(`asyncio.to_thread`) and the loop only streams bytes; Postgres parses it as it parses the
bench's baseline CSV.

Columns of types this module does not write (arrays, anything unusual) make `encoders` return
None, and the importer keeps `copy_records_to_table` for that form.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, Time, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

Encoder = Callable[[Any], str]
# the text format's escapes (https://www.postgresql.org/docs/current/sql-copy.html)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _text(value: Any) -> str:
    return (value if isinstance(value, str) else str(value)).translate(_ESCAPES)


def _boolean(value: Any) -> str:
    if not isinstance(value, bool):
        raise TypeError(f"not a boolean: {value!r}")
    return "t" if value else "f"


def _iso(value: Any) -> str:
    return value.isoformat()


def _number(value: Any) -> str:
    if isinstance(value, bool | str):
        raise TypeError(f"not a number: {value!r}")
    return str(value)


def _array(item: Encoder) -> Encoder:
    """An array literal (`{"a","b"}`, NULL elements unquoted), then escaped like text."""

    def encode(value: Any) -> str:
        if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
            raise TypeError(f"not a list: {value!r}")
        quoted = ["NULL" if x is None else
                  '"' + item(x).replace("\\", "\\\\").replace('"', '\\"') + '"'
                  for x in value]
        return ("{" + ",".join(quoted) + "}").translate(_ESCAPES)

    return encode


def encoder(column_type: Any) -> Encoder | None:
    """How a value of a column of this type is written, or None: not supported here.
    JSONB values arrive as JSON text (the importer dumps them)."""
    if isinstance(column_type, JSONB):
        return _text
    if isinstance(column_type, ARRAY):
        item = encoder(column_type.item_type)
        if item is None or isinstance(column_type.item_type, ARRAY | JSONB):
            return None
        return _array(str if item is _text else item)
    for kind, encode in ((Boolean, _boolean), (Numeric, _number), (Integer, _number),
                         (DateTime, _iso), (Date, _iso), (Time, _iso), (Uuid, str),
                         (String, _text)):
        if isinstance(column_type, kind):
            return encode
    return None


def encoders(column_types: Sequence[Any]) -> list[Encoder] | None:
    """One encoder per column, or None when any column's type is not supported."""
    found = [encoder(t) for t in column_types]
    return None if any(e is None for e in found) else found  # type: ignore[return-value]


def copy_data(records: Sequence[Sequence[Any]], encode: Sequence[Encoder],
              constant: Collection[int] = ()) -> bytes:
    """The records as COPY text data: a line each, tab-separated, `\\N` for NULL. The
    columns at the positions in `constant` hold the same value in every record (the system
    columns of a batch: tenant, owner, times): encoded once, from the first record."""
    if not records:
        return b""
    first = records[0]
    varying = [(i, e) for i, e in enumerate(encode) if i not in constant]
    parts = ["{}" if i not in constant else
             (NULL if first[i] is None else e(first[i])).replace("{", "{{").replace("}", "}}")
             for i, e in enumerate(encode)]
    line = "\t".join(parts).format
    lines = [line(*[NULL if (v := record[i]) is None else e(v) for i, e in varying])
             for record in records]
    lines.append("")
    return "\n".join(lines).encode()
