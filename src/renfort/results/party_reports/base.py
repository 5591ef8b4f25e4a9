"""A party's results as a file: one ``Report`` (a title, the key figures, tables) written as
CSV, XLSX (``lib.tabular``) or PDF (``lib.pdf``), in the reader's language (the active one).

CSV and XLSX keep numbers as numbers and dates as dates (ISO in CSV), so that a spreadsheet
computes with them; the PDF writes them as people read them (``4 Mar 2027``, ``1,250.50`` /
``1 250,50``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from renfort.lib.pdf import (
    BOLD,
    FONT,
    MARGIN,
    Block,
    Heading,
    KeyValues,
    Para,
    Table,
    Title,
    document,
    printable,
    register_fonts,
)
from renfort.lib.tabular import Cell, Sheet, csv_bytes, xlsx_bytes
from renfort.missions.models import Mission
from renfort.results.figures.common import IndicatorRow, Ratings, shown_days

FORMATS = ("csv", "xlsx", "pdf")
# The size of a table cell's text in lib.pdf, and the padding around it (points).
CELL_SIZE = 9
PADDING = 10
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Part:
    """A table of a report: ``sheet`` for CSV and XLSX (one figure a column, for computing),
    ``page`` a narrower form of it for the PDF's A4 page (else the sheet itself)."""

    sheet: Sheet
    page: Sheet | None = None


@dataclass
class Report:
    title: str
    subtitle: str
    name: str  # the file's name, without its extension
    summary: list[tuple[str, Cell]] = field(default_factory=list)
    tables: list[Sheet | Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def sheets(self) -> list[Sheet]:
        return [t.sheet if isinstance(t, Part) else t for t in self.tables]

    def pages(self) -> list[Sheet]:
        return [(t.page or t.sheet) if isinstance(t, Part) else t for t in self.tables]


def language() -> str:
    return (get_language() or "en").split("-")[0]


def file_name(*parts: str | int) -> str:
    return slugify("-".join([*(str(p) for p in parts), language()]))


def _formats() -> tuple[str, str]:
    """A day, and a day without its year, as the reader's language writes them: 4 Mar 2027
    in English, 4 mars 2027 in French (whose month names are short already)."""
    return ("j F Y", "j F") if language() == "fr" else ("j M Y", "j M")


def day(value: datetime.date | None) -> str:
    """A date as people read it: 4 Mar 2027, 4 mars 2027."""
    return formats.date_format(value, _formats()[0]) if value else "–"


def period(first: datetime.date | None, last: datetime.date | None) -> str:
    """A range of days as people write it: 4–8 Mar 2027, 28 Feb – 3 Mar 2027,
    30 Dec 2026 – 3 Jan 2027 (in the reader's language)."""
    if first is None or last is None:
        return "–"
    if first == last:
        return day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{formats.date_format(first, 'j')}–{day(last)}"
    if first.year == last.year:
        return f"{formats.date_format(first, _formats()[1])} – {day(last)}"
    return f"{day(first)} – {day(last)}"


def text(value: Cell) -> str:
    """A cell as the PDF shows it."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return day(value)
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    return str(value)


def _width(text: str, font: str) -> float:
    return float(stringWidth(printable(text), font, CELL_SIZE))


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Fractions of the page's width for each column, measured in the PDF's font: each
    column gets its longest word first (no word breaks in the middle while the page holds
    them all), then the room left goes to the columns whose cells are longer, up to a line."""
    register_fonts()
    page = A4[0] - 2 * MARGIN
    least, most = [], []
    for col, header in enumerate(headers):
        cells = [str(row[col]) for row in rows if col < len(row)]
        words = [(w, FONT) for c in cells for w in c.split()] + [(w, BOLD) for w in header.split()]
        word = max((_width(w, f) for w, f in words), default=0.0)
        line = max([_width(c, FONT) for c in cells] + [_width(header, BOLD)])
        least.append(word + PADDING)
        most.append(max(min(line, page / 2), word) + PADDING)
    if sum(least) >= page:
        return [w / sum(least) for w in least]
    room, wanted = page - sum(least), sum(m - w for m, w in zip(most, least, strict=True))
    share = min(room / wanted, 1.0) if wanted else 0.0
    widths = [w + (m - w) * share for w, m in zip(least, most, strict=True)]
    return [w / sum(widths) for w in widths]


def summary_sheet(report: Report) -> Sheet:
    return Sheet(_("Summary"), [_("Figure"), _("Value")], report.summary)


def as_csv(report: Report) -> bytes:
    return csv_bytes([summary_sheet(report), *report.sheets()])


def as_xlsx(report: Report) -> bytes:
    return xlsx_bytes([summary_sheet(report), *report.sheets()])


def as_pdf(report: Report) -> bytes:
    blocks: list[Block] = [
        Title(report.title, report.subtitle),
        Para(_("Produced on %(day)s.") % {"day": day(timezone.localdate())}, muted=True),
        KeyValues([(label, text(value)) for label, value in report.summary]),
    ]
    for note in report.notes:
        blocks.append(Para(note, muted=True))
    for table in report.pages():
        blocks.append(Heading(table.title))
        if table.rows:
            rows = [[text(c) for c in row] for row in table.rows]
            blocks.append(Table(table.headers, rows, widths=column_widths(table.headers, rows)))
        else:
            blocks.append(Para(_("Nothing to show."), muted=True))
    return document(
        blocks,
        title=report.title,
        subject=report.subtitle,
        author="Renfort",
        language=language(),
        footer=f"Renfort · {report.title}",
        page_label=_("Page %(page)s of %(pages)s"),
    )


def report_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "csv":
        return as_csv(report)
    if fmt == "xlsx":
        return as_xlsx(report)
    return as_pdf(report)


# --- tables every party shares --------------------------------------------------------------


def percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def rating_rows(ratings: Ratings, label: str) -> list[tuple[str, Cell]]:
    """Key figures of a set of ratings: how many, and their mean."""
    return [
        (_("%(what)s: how many") % {"what": label}, ratings.count),
        (_("%(what)s: mean (1 to 5)") % {"what": label}, ratings.mean),
    ]


def beneficiary_names(mission: Mission) -> str:
    return "; ".join(b.name for b in mission.beneficiaries.all())


def _rating(mission: Mission) -> float | None:
    value = getattr(mission, "rating", None)
    return None if value is None else round(float(value), 2)


def missions_part(missions: Sequence[Mission], *, rating: str = "") -> Part:
    """Missions (rows of ``figures.common.mission_rows`` with ``days_shown``) with their
    dates and days; with ``rating``, a last column of that name from each row's ``rating``."""
    headers = [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Beneficiaries"),
        _("First day"),
        _("Last day"),
        _("Days"),
    ]
    rows: list[list[Cell]] = []
    page: list[list[Cell]] = []
    for m in missions:
        first, last = getattr(m, "first", None), getattr(m, "last", None)
        rated: list[Cell] = [_rating(m)] if rating else []
        rows.append(
            [
                m.reference,
                m.title,
                m.get_status_display(),
                beneficiary_names(m),
                first,
                last,
                shown_days(m),
                *rated,
            ]
        )
        page.append(
            [
                f"{m.reference} · {m.title}",
                beneficiary_names(m),
                period(first, last),
                shown_days(m),
                m.get_status_display(),
                *rated,
            ]
        )
    extra = [rating] if rating else []
    page_headers = [_("Mission"), _("Beneficiaries"), _("Dates"), _("Days"), _("Status")]
    return Part(
        Sheet(_("Missions"), [*headers, *extra], rows),
        Sheet(_("Missions"), [*page_headers, *extra], page),
    )


def topics_sheet(top: Sequence[tuple[str, int]]) -> Sheet:
    return Sheet(_("Topics"), [_("Topic"), _("Missions")], [list(t) for t in top])


def years_sheet(by_year: Sequence[tuple[str, int]]) -> Sheet:
    return Sheet(
        _("Expert days by year"), [_("Year"), _("Expert days")], [list(y) for y in by_year]
    )


def indicators_part(rows: Sequence[IndicatorRow]) -> Part:
    headers = [
        _("Objective"),
        _("Indicator"),
        _("Unit"),
        _("Direction"),
        _("Baseline"),
        _("Latest value"),
        _("Latest period from"),
        _("Target"),
        _("Progress (percent)"),
    ]
    sheet = Sheet(
        _("Indicators"),
        headers,
        [
            [
                r.indicator.objective.title,
                r.indicator.name,
                r.indicator.unit,
                r.indicator.get_direction_display(),
                r.indicator.baseline,
                r.latest.value if r.latest else None,
                r.latest.period_start if r.latest else None,
                r.indicator.target,
                r.percent,
            ]
            for r in rows
        ],
    )
    page = Sheet(
        _("Indicators"),
        [_("Indicator"), _("Baseline"), _("Latest value"), _("Target"), _("Progress (percent)")],
        [
            [
                f"{r.indicator.name}" + (f" ({r.indicator.unit})" if r.indicator.unit else ""),
                r.indicator.baseline,
                f"{text(r.latest.value)} ({day(r.latest.period_start)})" if r.latest else None,
                r.indicator.target,
                r.percent,
            ]
            for r in rows
        ],
    )
    return Part(sheet, page)
