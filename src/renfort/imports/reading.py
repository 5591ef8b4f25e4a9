"""Reading an uploaded table (docs/imports.md, "Files"): CSV or XLSX, into rows of text.

CSV: UTF-8, with or without a byte order mark; comma or semicolon, whichever the header line
uses (a spreadsheet set to French writes semicolons). XLSX: the first worksheet, read in
openpyxl's read-only mode, every cell as text: a formula is read as its text (``=1+1``),
never computed, and is imported as that text. Limits: ``IMPORT_MAX_BYTES`` (5 MB) and
``IMPORT_MAX_ROWS`` (5,000 rows), settings read with their defaults here.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A cell longer than this is cut (every field Renfort stores is shorter: the service then
# names the field as too long).
CELL_MAX = 10_000
# Blank lines are skipped, but no more than this many times the row limit are read.
BLANK_FACTOR = 4


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS))


@dataclass(frozen=True)
class Problem:
    """One thing wrong: a message code and its parameters, with the line of the file (1 is
    the header line; 0: the file as a whole) and the column it is about."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    column: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": self.code, "params": self.params}


class FileRefused(Exception):
    """The file as a whole cannot be imported."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.problem = Problem(code, params)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]


def file_format(name: str, content: bytes) -> str:
    """``"csv"`` or ``"xlsx"``, from the name and checked against the content."""
    lower = name.lower()
    if lower.endswith(".xls"):
        raise FileRefused("imports.file.xls", name=name[:100])
    if lower.endswith(".xlsx"):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise FileRefused("imports.file.unreadable", name=name[:100])
        return "xlsx"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    raise FileRefused("imports.file.format", name=name[:100])


def read_table(name: str, content: bytes) -> Table:
    """The header line and the rows of the file (blank rows skipped), or ``FileRefused``."""
    if len(content) > max_bytes():
        raise FileRefused("imports.file.too_big", limit=str(max_bytes()))
    fmt = file_format(name, content)
    lines = _csv_lines(content) if fmt == "csv" else _xlsx_lines(name, content)
    return _table(lines)


def _table(lines: Iterator[tuple[int, list[str]]]) -> Table:
    header = next(lines, None)
    if header is None or not any(header[1]):
        raise FileRefused("imports.file.empty")
    headers = [h.strip().lower() for h in header[1]]
    while headers and not headers[-1]:
        headers.pop()
    seen: set[str] = set()
    for h in headers:
        if h and h in seen:
            raise FileRefused("imports.file.repeated_column", column=h[:60])
        seen.add(h)
    rows: list[Row] = []
    limit = max_rows()
    for read, (line, cells) in enumerate(lines, start=1):
        if not any(c.strip() for c in cells):
            if read > BLANK_FACTOR * limit:  # a sheet of endless empty rows
                raise FileRefused("imports.file.too_many_rows", limit=str(limit))
            continue
        if len(rows) >= limit:
            raise FileRefused("imports.file.too_many_rows", limit=str(limit))
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)}
        values.pop("", None)
        rows.append(Row(line, values))
    if not rows:
        raise FileRefused("imports.file.no_rows")
    return Table([h for h in headers if h], rows)


def _csv_lines(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused("imports.file.encoding") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, [c[:CELL_MAX] for c in cells]
    except csv.Error as exc:
        raise FileRefused("imports.file.encoding") from exc


def _xlsx_lines(name: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield number, [_xlsx_text(c) for c in cells]
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise FileRefused("imports.file.unreadable", name=name[:100]) from exc


def _xlsx_text(value: Any) -> str:
    """A cell as text: dates ISO, whole numbers without ``.0``, a formula as its text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:CELL_MAX]


def split_list(value: str) -> list[str]:
    """A list in one cell: items separated by spaces, commas, semicolons or ``|``."""
    for sep in ",;|":
        value = value.replace(sep, " ")
    return [item for item in value.split() if item]


def columns_problem(headers: Sequence[str], required: Sequence[str], known: Sequence[str]) -> None:
    """Refuse a header line that lacks a required column or names an unknown one."""
    missing = [c for c in required if c not in headers]
    if missing:
        raise FileRefused("imports.file.missing_columns", columns=", ".join(missing))
    unknown = [h for h in headers if h not in known]
    if unknown:
        raise FileRefused(
            "imports.file.unknown_columns",
            columns=", ".join(u[:40] for u in unknown[:10]),
            expected=", ".join(known),
        )
