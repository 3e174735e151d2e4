"""A sub-form's rows as cells (`f.rows`): each row a list of its fields' `f`, with the row's own
related titles (a row's `_titles`) and ids per row (`fp-lines_1_qty`, `field-lines.1.qty`).

Row fields with conditions of their own (`visible_when`, `required_when`, `editable_when` read
the row and the record around it: subform.tsx `useRowConditions`) are not drawn here yet: such
a sub-form leaves the page to the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from tessera.firstpaint.cells import Draw, FieldDef, cell, shows
from tessera.firstpaint.form import CONDITIONS, editable
from tessera.firstpaint.templates import CannotDraw


def _rows(value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
        raise CannotDraw(f"not sub-form rows: {value!r}")
    return value


@shows("subform")
def _subform(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    subfields = fdef.get("fields") or []
    if any(c in sub for sub in subfields for c in CONDITIONS):
        raise CannotDraw("row conditions")
    rows = []
    for index, row in enumerate(_rows(value)):
        titles = row.get("_titles") if isinstance(row.get("_titles"), Mapping) else {}
        row_draw = replace(draw, titles=titles)
        rows.append([cell(sub, row.get(sub["key"]), row_draw,
                          path=f"{fdef['key']}.{index}.{sub['key']}",
                          required=bool(sub.get("required")) and editable(sub), disabled=False)
                     for sub in subfields])
    return {"rows": rows}


def row_values(value: Any) -> list[Mapping[str, Any]]:
    """The rows of a sub-form's value (for gathering the ids their cells name)."""
    return _rows(value)
