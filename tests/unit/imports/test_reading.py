"""Reading files: formats by content, csv encodings (UTF-8 with and without BOM, GBK,
UTF-16), delimiters, header rows, row numbers as Excel shows them, blank rows skipped."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from tessera.imports.reading import FileProblem, detect_encoding, open_sheet

ROWS = [["名称", "数量"], ["苹果", "3"], ["", ""], ["香蕉，黄色", "4"]]


def _csv(rows, encoding: str, delimiter: str = ",") -> bytes:
    return "\r\n".join(delimiter.join(r) for r in rows).encode(encoding)


@pytest.mark.parametrize(("encoding", "detected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"),
    ("gb18030", "gb18030"), ("utf-16", "utf-16")])
def test_csv_encodings_are_detected(encoding: str, detected: str) -> None:
    data = _csv(ROWS, encoding)
    assert detect_encoding(data) == detected
    sheet = open_sheet(data, "x.csv")
    assert sheet.headers == ["名称", "数量"]
    assert list(sheet.rows) == [(2, ["苹果", "3"]), (4, ["香蕉，黄色", "4"])]


def test_a_gbk_character_far_down_the_file_is_seen() -> None:
    data = ("a,b\n" + "x,1\n" * 300_000 + "中文,2\n").encode("gbk")
    assert detect_encoding(data) == "gb18030"
    assert list(open_sheet(data, "x.csv").rows)[-1] == (300_002, ["中文", "2"])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(delimiter: str) -> None:
    sheet = open_sheet(_csv(ROWS, "utf-8", delimiter), "x.csv")
    assert sheet.headers == ["名称", "数量"]


def test_quoted_line_breaks_keep_excel_row_numbers() -> None:
    data = b'a,b\n"two\nlines",1\nnext,2\n'
    assert list(open_sheet(data, "x.csv").rows) == [(2, ["two\nlines", "1"]), (3, ["next", "2"])]


def test_xlsx_cells_keep_their_types_and_header_row() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户列表"])
    sheet.append(["名称", "数量", "日期", "是否"])
    sheet.append(["苹果", 3, dt.date(2026, 1, 2), True])
    sheet.append([None, None, None, None])
    sheet.append(["梨", 2.5, None, False])
    out = io.BytesIO()
    book.save(out)
    read = open_sheet(out.getvalue(), "x.xlsx", header_row=2)
    assert read.format == "xlsx" and read.headers == ["名称", "数量", "日期", "是否"]
    rows = list(read.rows)
    assert rows[0][0] == 3 and rows[0][1][:2] == ["苹果", 3]
    assert rows[0][1][2] in (dt.date(2026, 1, 2), dt.datetime(2026, 1, 2))
    assert rows[1] == (5, ["梨", 2.5, None, False])


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"PK\x03\x04garbage", "x.xlsx", "unreadable_file"),
    (b"not excel", "x.xlsx", "unreadable_file"),
    (bytes(range(128, 256)) * 3, "x.csv", "unknown_encoding"),
    (b"\n\n", "x.csv", "no_header"),
])
def test_unreadable_files_are_file_problems(data: bytes, name: str, code: str) -> None:
    with pytest.raises(FileProblem) as caught:
        open_sheet(data, name)
    assert caught.value.code == code


def test_unknown_sheet_names_the_sheets() -> None:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    with pytest.raises(FileProblem, match="Sheet"):
        open_sheet(out.getvalue(), "x.xlsx", sheet="nope")


def test_large_xlsx_files_are_streamed_with_the_same_rows(monkeypatch) -> None:
    from tessera.imports import reading

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称", "数量", "日期"])
    sheet.append(["苹果", 3, dt.datetime(2026, 1, 2)])
    sheet.append([None, None, None])
    sheet.append(["梨", 2.5, None])
    out = io.BytesIO()
    book.save(out)
    fast = open_sheet(out.getvalue(), "x.xlsx")
    fast_rows = list(fast.rows)
    monkeypatch.setattr(reading, "STREAM_OVER", 0)
    streamed = open_sheet(out.getvalue(), "x.xlsx")
    assert streamed.headers == fast.headers
    assert [(n, c[:2]) for n, c in streamed.rows] == [(n, c[:2]) for n, c in fast_rows]


def test_the_error_report_holds_any_cell_a_file_can_hold() -> None:
    from tessera.imports.importer import CellError
    from tessera.imports.report import error_report

    nasty = "a\x00b\x07c"
    content = error_report(["名称\x01", "=x"], [CellError(2, "名称\x01", "name", "required",
                                                          "=bad", nasty)],
                           [(2, [nasty, "=1+1"])])
    book = openpyxl.load_workbook(io.BytesIO(content))
    errors, rows = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert errors[1][:6] == (2, "名称", "name", "=bad", "required", "abc")
    assert rows[0] == ("名称", "=x", "错误 Errors") and rows[1][:2] == ("abc", "=1+1")
