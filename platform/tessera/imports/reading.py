"""Reading uploaded spreadsheets row by row: xlsx / xls through python-calamine, csv through
the csv module. Pure (no database): bytes in, header and numbered rows out.

Row numbers are the ones a person sees when opening the file in Excel or WPS: the header is
row `header_row` (1 by default) and each following record is the next row, whatever line
breaks a quoted csv cell holds. Rows whose cells are all empty are skipped (their numbers are
not reused).

CSV encoding, when the caller does not name one: a byte-order mark decides (UTF-8 or UTF-16);
otherwise the whole file is checked as UTF-8 (an incremental decoder over 1 MiB slices, so
a Chinese character far down the file is seen), and a file that is not valid UTF-8 is read as
GB18030, the superset of GBK that Chinese Excel and WPS write ("CSV (逗号分隔)"). A file
that is neither is refused with `unknown_encoding`. Plain ASCII is UTF-8.

Why calamine for xlsx: it reads a 200,000-row sheet in ~1 s where openpyxl's read-only mode
takes ~11 s here; but it holds the sheet's cells in memory (~90 bytes a cell), so xlsx files
over STREAM_OVER (64 MiB, some 6 million cells) are streamed by openpyxl's read-only mode
instead, in constant memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FORMATS = ("csv", "xlsx", "xls")
DELIMITERS = (",", "\t", ";", "|")
_SLICE = 1 << 20
STREAM_OVER = 64 << 20  # xlsx files larger than this are streamed (openpyxl read-only)


class FileProblem(Exception):
    """The file as a whole cannot be read; `code` is stable."""

    def __init__(self, code: str, message: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params or {}  # the values the message names, for its other languages


@dataclass
class Sheet:
    """One table of cells: its header and its data rows as (row number, cells)."""

    format: str
    encoding: str | None
    sheet_name: str | None
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    estimated_rows: int | None = None


def detect_format(filename: str | None, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        raise FileProblem("unreadable_file", "The file is not a readable Excel workbook.")
    return "csv"


def _decodes(data: bytes, encoding: str) -> bool:
    """The whole of `data` is valid in `encoding` (checked slice by slice, no full copy)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _SLICE):
            decoder.decode(view[start:start + _SLICE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(data, encoding):
            return encoding
    raise FileProblem("unknown_encoding", "The file is neither UTF-8 nor GBK/GB18030 text; "
                      "save it as CSV UTF-8 or as xlsx.")


def detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _blank(cells: list[Any]) -> bool:
    for c in cells:  # noqa: SIM110 -- not all(<generator>): this runs for every row of a file
        if c is not None and (c.__class__ is not str or c.strip()):
            return False
    return True


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_sheet(data: bytes, filename: str | None = None, *, sheet: str | None = None,
               encoding: str | None = None, header_row: int = 1) -> Sheet:
    fmt = detect_format(filename, data[:8])
    if fmt == "csv":
        return _csv_sheet(data, encoding, header_row)
    return _excel_sheet(data, fmt, sheet, header_row)


def _with_header(fmt: str, encoding: str | None, name: str | None,
                 numbered: Iterator[tuple[int, list[Any]]], header_row: int,
                 estimate: int | None) -> Sheet:
    headers: list[str] | None = None
    for number, cells in numbered:
        if number < header_row:
            continue
        if number == header_row or (headers is None and not _blank(cells)):
            headers = [_header_text(c) for c in cells]
            break
    if not headers or all(h == "" for h in headers):
        raise FileProblem("no_header", f"Row {header_row} of the file holds no column names.",
                          {"row": header_row})
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in numbered:
            if _blank(cells):
                continue
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            yield number, cells

    return Sheet(fmt, encoding, name, headers, rows(),
                 None if estimate is None else max(estimate - header_row, 0))


def _csv_sheet(data: bytes, encoding: str | None, header_row: int) -> Sheet:
    enc = encoding or detect_encoding(data)
    try:
        codecs.lookup(enc)
    except LookupError:
        raise FileProblem("unknown_encoding", f"Unknown encoding {enc!r}.") from None
    text = io.TextIOWrapper(io.BytesIO(data), encoding=enc, newline="", errors="strict")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise FileProblem("unknown_encoding", f"The file is not {enc} text.") from None
    text.seek(0)
    reader = csv.reader(text, delimiter=detect_delimiter(first))

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [c if c != "" else None for c in cells]
        except UnicodeDecodeError:
            raise FileProblem("unknown_encoding", f"The file is not {enc} text.") from None
        except csv.Error as exc:
            raise FileProblem("malformed_csv", f"The csv file cannot be read: {exc}") from None

    return _with_header("csv", enc, None, numbered(), header_row, data.count(b"\n") + 1)


def _excel_value(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.timedelta):  # a duration cell: read as a time of day
        seconds = int(value.total_seconds()) % 86400
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    return value


def _streamed_xlsx(data: bytes, sheet: str | None, header_row: int) -> Sheet:
    """openpyxl's read-only mode: constant memory, ~10x slower than calamine."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip, xml and openpyxl's own errors
        raise FileProblem("unreadable_file", f"The workbook cannot be read: {exc}") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise FileProblem("unknown_sheet", f"The workbook has no sheet {sheet!r} "
                          f"(it has {', '.join(book.sheetnames)}).", {"sheet": sheet})
    ws = book[sheet] if sheet else book.worksheets[0]

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                yield number, [_excel_value(c) for c in cells]
        except Exception as exc:
            raise FileProblem("unreadable_file", f"The workbook cannot be read: {exc}") from None

    return _with_header("xlsx", None, ws.title, numbered(), header_row, ws.max_row)


def _excel_sheet(data: bytes, fmt: str, sheet: str | None, header_row: int) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    if fmt == "xlsx" and len(data) > STREAM_OVER:
        return _streamed_xlsx(data, sheet, header_row)

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise FileProblem("unknown_sheet", f"The workbook has no sheet {sheet!r} "
                              f"(it has {', '.join(names)}).", {"sheet": sheet})
        ws = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
        start_row = (ws.start or (0, 0))[0]
        height = ws.height
    except FileProblem:
        raise
    except (CalamineError, Exception) as exc:  # calamine raises several error types
        raise FileProblem("unreadable_file", f"The workbook cannot be read: {exc}") from None

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        for offset, cells in enumerate(ws.iter_rows()):
            yield start_row + offset + 1, [_excel_value(c) for c in cells]

    return _with_header(fmt, None, ws.name, numbered(), header_row, start_row + height)
