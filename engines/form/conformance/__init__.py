"""Conformance cases the server and the browser both run.

Formula results (formula_results.json): what the server stores and answers for a formula
field's raw result, by ``result_type`` and ``precision``.

The browser computes formulas live with its own copy of that normalisation
(frontend/src/form/formulaResult.ts ``formulaResult``); both test suites run this one file, so the
copy cannot drift from the server's (which stays the truth: it computes again on save).

Row conditions (row_conditions.json): what a sub-form row's visible_when / required_when /
editable_when decide, given the record around the row; the browser shows rows by them as the
user types, so it must build the row the same view of its record as the server does.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CASES_FILE = Path(__file__).with_name("formula_results.json")
ROW_CONDITIONS_FILE = Path(__file__).with_name("row_conditions.json")


@cache
def document() -> dict[str, Any]:
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))


def cases() -> list[dict[str, Any]]:
    """Every case (group headers left out), each with an `id` for test names."""
    out = []
    group = ""
    for case in document()["cases"]:
        if "raw" not in case:
            group = case.get("group", group).split(" (")[0]
            continue
        raw = json.dumps(case["raw"], ensure_ascii=True)
        out.append({**case, "id": f"{group}: {json.dumps(case['field'])} {raw}"})
    return out


@cache
def row_conditions() -> dict[str, Any]:
    """The row conditions document: its `form` and its `cases` (record, expected per row)."""
    return json.loads(ROW_CONDITIONS_FILE.read_text(encoding="utf-8"))
