"""The formula result conformance cases (engines/form/conformance/formula_results.json) through
the server's own path: a formula field computed by ``validate_record``, its stored value given
back by ``to_json``. The browser's vitest (frontend/src/form/formulas.test.ts) runs the same file
through ``formulaResult``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engines.form import expr
from engines.form.conformance import cases
from engines.form.model import RecordContext
from engines.form.record import to_json, validate_record
from engines.form.types.computed import RESULT_TYPES

CASES = cases()


def server_result(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    """What the API answers for a formula whose expression gave `raw`, and the error codes a
    save gets. The expression reads `raw` from the view a sub-form row gets of its record
    (`outer`), so any JSON value, not only what an input field accepts, can be the result."""
    form = {"key": "t", "fields": [{"key": "f", "type": "formula", "formula": {"var": "raw"},
                                    **field}]}
    result = validate_record(form, {}, context=RecordContext(outer={"raw": raw}))
    codes = [e.code for e in result.errors if e.path == "f"]
    return to_json(form, result.values).get("f"), codes


@pytest.mark.skipif(not expr.available(), reason="engines.rules is needed to compute formulas")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_server_gives_the_expected_value(case: dict[str, Any]) -> None:
    got, codes = server_result(case["field"], case["raw"])
    # JSON text equality: 1 is not 1.0 nor true, "1" is not 1
    assert json.dumps(got) == json.dumps(case["expected"]), got
    assert codes == (["formula_error"] if case.get("error") else []), codes


def test_the_cases_cover_every_result_type() -> None:
    covered = {c["field"].get("result_type", "number") for c in CASES}
    assert covered == set(RESULT_TYPES)


def test_the_cases_pin_the_rounding() -> None:
    """Half away from zero (Decimal ROUND_HALF_UP), not banker's: 0.125 -> 0.13, 2.5 -> 3."""
    pinned = {(c["raw"], c["field"].get("precision")): c["expected"] for c in CASES
              if isinstance(c["raw"], float)}
    assert pinned[(0.125, 2)] == 0.13
    assert pinned[(2.5, 0)] == 3
    assert pinned[(-2.5, 0)] == -3
