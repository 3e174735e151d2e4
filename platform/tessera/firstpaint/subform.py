"""A sub-form's `f` (docs/first-paint.md §1 "Sub-forms"): its columns (`f.columns`) and its
rows (`f.rows`), each row's cells drawn here with their own type's template (one renderer:
the sub-form's template only places them), twice: bare in the desktop grid (`row.grid`, ids
`fp-lines_1_qty`), stacked in the phone card (`row.card`, ids `fpm-lines_1_qty`: both are in
the page, page.css shows one, and ids must stay unique). A cell's test id is the app's own
(`field-1.qty`, its row and key inside the sub-form's cell).

Row conditions are decided as fields/types/subform.tsx `useRowConditions` decides them, over
the row as expressions see it (visibility.ts `rowView`: the record's outer-readable values,
overridden by the row's): a cell whose `visible_when` is false is left empty, `required_when`
marks it required (not on a row not saved yet whose field the server fills), and a saved row's
field whose `editable_when` is false is drawn disabled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from tessera.firstpaint.cells import Draw, FieldDef, cell, shows
from tessera.firstpaint.form import CONDITIONS, condition_holds, editable, locked, required
from tessera.firstpaint.templates import CannotDraw, LocaleTemplates

#: the phone cards' cells' id prefix (the grid's cells have the contract's `fp-`)
CARD_PREFIX = "fpm-"


def _rows(value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
        raise CannotDraw(f"not sub-form rows: {value!r}")
    return value


def _row_view(subfields: list[FieldDef], row: Mapping[str, Any],
              around: Mapping[str, Any]) -> dict[str, Any]:
    """visibility.ts `rowView(record, valuesForExpressions(subfields, row))`."""
    view = dict(around)
    if row.get("_id") is not None:
        view["_id"] = row["_id"]
    for sub in subfields:
        view[sub["key"]] = row.get(sub["key"])
    return view


def _row_cell(sub: FieldDef, row: Mapping[str, Any], index: int, fdef: FieldDef,
              subfields: list[FieldDef], draw: Draw) -> dict[str, Any] | None:
    """One row's cell `f` (ids and test id as the app's), None when its row hides it."""
    can_edit = editable(sub)
    is_required, is_locked = bool(sub.get("required")) and can_edit, False
    if sub["type"] == "subform":
        raise CannotDraw("a sub-form in a sub-form's row")
    if any(sub.get(key) is not None for key in CONDITIONS):
        if draw.ctx is None:
            raise CannotDraw("row conditions without the record's context")
        view = _row_view(subfields, row, draw.around)
        visible_when = sub.get("visible_when")
        if visible_when is not None and not condition_holds(visible_when, view, draw.ctx,
                                                             default=True):
            return None
        saved = bool(row.get("_id"))
        is_required = required(sub, view, not saved, can_edit, draw.ctx)
        is_locked = saved and locked(sub, view, draw.ctx)
    titles = row.get("_titles") if isinstance(row.get("_titles"), Mapping) else {}
    f = cell(sub, row.get(sub["key"]), replace(draw, titles=titles),
             path=f"{fdef['key']}.{index}.{sub['key']}", required=is_required,
             disabled=is_locked)
    f["test_id"] = f"field-{index}.{sub['key']}"
    return f


@shows("subform")
def _subform(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    subfields = list(fdef.get("fields") or [])
    rows = [[_row_cell(sub, row, index, fdef, subfields, draw) for sub in subfields]
            for index, row in enumerate(_rows(value))]
    columns = [{"label": draw.text(sub.get("label")), "required": bool(sub.get("required")),
                "def": sub} for sub in subfields]
    return {"columns": columns, "rows": rows}


def draw_rows(f: dict[str, Any], texts: LocaleTemplates) -> None:
    """A sub-form's `f.rows` from its cells' `f` to what the template places: each row's cells
    drawn by their type's template, `grid` (bare: no help) and `card` ("" for a hidden cell),
    disabled with the sub-form."""
    drawn = []
    for row in f["rows"]:
        grid, card = [], []
        for inner in row:
            if inner is None:
                grid.append(Markup(""))
                card.append(Markup(""))
                continue
            if f["disabled"]:
                inner["disabled"] = True
            template = texts.field(inner["def"]["type"])
            grid.append(Markup(template.render(f={**inner, "place": "grid", "help": ""})))
            card.append(Markup(template.render(
                f={**inner, "place": "card", "id": CARD_PREFIX + inner["id"][len("fp-"):]})))
        drawn.append({"grid": grid, "card": card})
    f["rows"] = drawn


def row_values(value: Any) -> list[Mapping[str, Any]]:
    """The rows of a sub-form's value (for gathering the ids their cells name)."""
    return _rows(value)
