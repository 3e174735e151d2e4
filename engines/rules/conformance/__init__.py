"""The language-independent conformance cases (cases.json): Python, SQL and the browser."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

CASES_FILE = Path(__file__).with_name("cases.json")


@cache
def document() -> dict[str, Any]:
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))


def clock() -> dt.datetime:
    """The fixed "now" every back end uses for the cases."""
    return dt.datetime.fromisoformat(document()["clock"])


def cases() -> list[dict[str, Any]]:
    """Every case (group headers left out), each with an `id` for test names."""
    out = []
    group = ""
    for case in document()["cases"]:
        if "expr" not in case:
            group = case.get("group", group)
            continue
        out.append({**case, "id": f"{group}: {json.dumps(case['expr'], ensure_ascii=False)}"})
    return out


# --- the SQL side: the typed table the `"sql": true` cases' data is stored in ---------------

COLUMN_TYPES = {
    "n": "number",
    "m": "number",
    "i": "number",
    "t": "text",
    "u": "text",
    "d": "date",
    "e": "date",
    "ts": "datetime",
    "b": "checkbox",
    "tags": "multiselect",
}


def table(name: str = "expr_cases") -> Any:
    """A SQLAlchemy Core table with one typed column per key the SQL cases use."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Numeric),
        sa.Column("m", sa.Numeric),
        sa.Column("i", sa.Integer),
        sa.Column("t", sa.Text),
        sa.Column("u", sa.Text),
        sa.Column("d", sa.Date),
        sa.Column("e", sa.Date),
        sa.Column("ts", sa.DateTime(timezone=True)),
        sa.Column("b", sa.Boolean),
        sa.Column("tags", postgresql.ARRAY(sa.Text)),
    )


def to_row(data: dict[str, Any]) -> dict[str, Any]:
    """Case data (JSON) as column values for an INSERT."""
    from decimal import Decimal

    row: dict[str, Any] = dict.fromkeys(COLUMN_TYPES)
    for key, value in data.items():
        if key not in COLUMN_TYPES:
            raise KeyError(f"{key!r} is not a column of the conformance table")
        kind = COLUMN_TYPES[key]
        if value is None:
            row[key] = None
        elif kind == "number" and key != "i":
            row[key] = Decimal(repr(value))
        elif kind == "date":
            row[key] = dt.date.fromisoformat(value)
        elif kind == "datetime":
            row[key] = dt.datetime.fromisoformat(value)
        else:
            row[key] = value
    return row
