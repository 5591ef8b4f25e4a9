"""Tables as files: CSV and XLSX from headers and rows, for every download Renfort offers.

A table is a ``Sheet``: a title (the XLSX sheet's name), the column headers and the rows,
each cell a string, a number, a date or nothing. Numbers stay numbers (no thousands
separator, a point before the decimals) and dates are ISO in CSV and real dates in XLSX, so a
spreadsheet can compute with them; the words are already in the reader's language.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some, a tab or a carriage return) as a formula. Text people typed (a mission's title,
a comment) must never run, so such a text cell is written as text: in CSV with a leading
apostrophe (``'=1+1``, which spreadsheets show as text), in XLSX as a string cell with the
quote prefix set (what a spreadsheet does when someone types ``'=1+1``), its text unchanged.
Numbers are not text: ``-5`` stays the number −5.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | datetime.date | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a sheet name may not hold, and its longest length (Excel's rules).
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_SHEET_MAX = 31
_WIDEST = 60


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet would read the text ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Cell) -> str:
    """One CSV field: text guarded against formulas, ISO dates, plain numbers, nothing empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def csv_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one CSV file (UTF-8 with a byte order mark, so spreadsheets read the
    accents right): each sheet's title on its own line, its headers, its rows, then an empty
    line before the next."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for i, sheet in enumerate(sheets):
        if i:
            writer.writerow([])
        if len(sheets) > 1:
            writer.writerow([csv_cell(sheet.title)])
        writer.writerow([csv_cell(h) for h in sheet.headers])
        for row in sheet.rows:
            writer.writerow([csv_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique in the workbook."""
    words = " ".join(title.translate(_SHEET_FORBIDDEN).split()).strip("'")
    base = words[:_SHEET_MAX].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: _SHEET_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _xlsx_value(value: Cell) -> str | int | float | Decimal | datetime.date | None:
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, int | float | Decimal | datetime.date):
        return value
    # Control characters cannot be stored in the file format: they are dropped.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an XLSX workbook, one worksheet each, headers in bold and frozen."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet_name(sheet.title, taken))
        widths = [len(str(h)) for h in sheet.headers]
        for col, header in enumerate(sheet.headers, start=1):
            cell = ws.cell(row=1, column=col)
            _set_text(cell, str(header))
            cell.font = bold
        for r, row in enumerate(sheet.rows, start=2):
            for col, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=col)
                shown = _xlsx_value(value)
                if isinstance(shown, str):
                    _set_text(cell, shown)
                else:
                    cell.value = shown
                    if isinstance(shown, datetime.date):
                        cell.number_format = "yyyy-mm-dd"
                if col <= len(widths):
                    widths[col - 1] = max(widths[col - 1], len(str(shown or "")))
                else:
                    widths.append(len(str(shown or "")))
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(width + 2, _WIDEST)
        ws.freeze_panes = "A2"
    if not sheets:
        book.create_sheet("Sheet")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _set_text(cell: object, text: str) -> None:
    """Write ``text`` as a string cell; one a spreadsheet would read as a formula keeps its
    text but gets the quote prefix, so it is never run."""
    cell.value = text  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]
    if is_formula_like(text):
        cell.quotePrefix = True  # type: ignore[attr-defined]
