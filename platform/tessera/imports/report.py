"""The downloadable error report of an import: an xlsx with two sheets.

`错误 Errors`: one line per problem (row number, column, field, message, code, the cell).
`数据 Rows`: the bad rows as they were in the file, with the file's header and a last column
saying what is wrong, so that a person can fix them there and import that sheet again.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tessera.imports.importer import CellError

ERRORS_HEADER = ["行号 Row", "列 Column", "字段 Field", "错误 Message", "代码 Code", "值 Value"]
PROBLEMS_HEADER = "错误 Errors"


def text_cell(sheet: Any, value: Any) -> Any:
    """openpyxl writes a string starting with `=` as a formula: keep what people typed as
    text, so that a file's cells never run as formulas when the report is opened. Control
    characters an xlsx cannot hold (openpyxl refuses them) are dropped."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def error_report(headers: list[str], errors: list[CellError],
                 bad_rows: list[tuple[int, list[Any]]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("错误 Errors")
    sheet.append(ERRORS_HEADER)
    for e in errors:
        sheet.append([e.row, text_cell(sheet, e.column), e.field, text_cell(sheet, e.message),
                      e.code, text_cell(sheet, e.value)])
    by_row: dict[int, list[str]] = {}
    for e in errors:
        by_row.setdefault(e.row, []).append(f"{e.column or e.field or ''}: {e.message}"
                                            if (e.column or e.field) else e.message)
    rows = book.create_sheet("数据 Rows")
    rows.append([*(text_cell(rows, h) for h in headers), PROBLEMS_HEADER])
    for number, cells in bad_rows:
        problems = "; ".join(by_row.get(number, []))
        rows.append([*(text_cell(rows, c) for c in cells[:len(headers)]),
                     *([None] * (len(headers) - len(cells))), text_cell(rows, problems)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
