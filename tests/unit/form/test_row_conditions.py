"""The row condition conformance cases (engines/form/conformance/row_conditions.json) through the
server's own path: each row of a case's record saved by ``validate_record`` (an update: the
record as stored, its input fields and the one row's input cells sent), with what the engine's
conditions decided for that row read as they are evaluated, and what its formula and defaults
gave. The browser's vitest (frontend/src/form/rowConditions.test.tsx) runs the same records
through the RecordForm and the live formulas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from engines.form import expr, record
from engines.form.conformance import row_conditions
from engines.form.record import validate_record
from engines.form.types import field_types

DOCUMENT = row_conditions()
FORM: dict[str, Any] = DOCUMENT["form"]
ROWS = next(f for f in FORM["fields"] if f["key"] == "lines")
CASES = [
    pytest.param(case, index, id=f"{case['name']} / row {index}")
    for case in DOCUMENT["cases"]
    for index in range(len(case["record"]["lines"]))
]


def inputs(fields: list[Mapping[str, Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """What a client sends of `values`: the input fields it has (and a row's `_id`)."""
    writable = {f["key"] for f in fields if not field_types.get(f["type"]).read_only}
    return {k: v for k, v in values.items() if k in writable or k == "_id"}


def decided(monkeypatch: pytest.MonkeyPatch, stored: Mapping[str, Any], index: int
            ) -> tuple[dict[int, bool], dict[str, Any]]:
    """What the engine's `condition` answered, by the condition (its definition object), while
    it checked row `index` of `stored` sent back with the record's input fields; and the row
    as it was then saved (JSON)."""
    answers: dict[int, bool] = {}
    real = record.condition

    def watched(expression: Any, view: Any, ctx: Any, *, default: bool) -> bool:
        answers[id(expression)] = answer = real(expression, view, ctx, default=default)
        return answer

    monkeypatch.setattr(record, "condition", watched)
    data = inputs(FORM["fields"], stored)
    data["lines"] = [inputs(ROWS["fields"], stored["lines"][index])]
    result = validate_record(FORM, data, existing=stored)
    return answers, record.to_json({"fields": ROWS["fields"]}, result.children["lines"][0])


def states(field: Mapping[str, Any], row: Mapping[str, Any], answers: Mapping[int, bool]
           ) -> dict[str, bool]:
    """A row field's visible / required / editable as the engine decided them. editable_when
    is asked only of a saved row's field that was sent (a new row is editable)."""

    def answer(prop: str) -> bool:
        assert id(field[prop]) in answers, f"{field['key']}.{prop} was not evaluated"
        return answers[id(field[prop])]

    saved = "_id" in row and field["key"] in row
    return {
        "visible": answer("visible_when") if "visible_when" in field else True,
        "required": bool(field.get("required"))
        or ("required_when" in field and answer("required_when")),
        "editable": answer("editable_when") if "editable_when" in field and saved else True,
    }


@pytest.mark.skipif(not expr.available(), reason="engines.rules is needed to evaluate conditions")
@pytest.mark.parametrize(("case", "index"), CASES)
def test_the_engine_decides_as_expected(monkeypatch: pytest.MonkeyPatch, case: dict[str, Any],
                                        index: int) -> None:
    stored = case["record"]
    answers, saved = decided(monkeypatch, stored, index)
    row = stored["lines"][index]
    by_key = {f["key"]: f for f in ROWS["fields"]}
    got = {key: states(by_key[key], row, answers) for key in case["expected"][index]}
    assert got == case["expected"][index]
    assert {key: saved.get(key) for key in case["values"][index]} == case["values"][index]


def test_every_conditioned_row_field_is_expected_in_every_row() -> None:
    conditioned = {f["key"] for f in ROWS["fields"]
                   if {"visible_when", "required_when", "editable_when"} & f.keys()}
    for case in DOCUMENT["cases"]:
        assert len(case["expected"]) == len(case["values"]) == len(case["record"]["lines"])
        assert all(set(row) == conditioned for row in case["expected"])
