"""Files for the import tests: CSV and XLSX built from rows of cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from renfort.testing import next_year

START = next_year(5, 4).isoformat()
END = next_year(5, 15).isoformat()
EXPERT_HEADERS = [
    "home_administration",
    "email",
    "staff_number",
    "first_name",
    "last_name",
    "categories",
    "languages",
    "skills",
    "released_days_per_year",
]
REQUEST_HEADERS = [
    "external_reference",
    "administrations",
    "title",
    "topics",
    "level",
    "needs",
    "preferred_start",
    "preferred_end",
    "language",
    "priority",
]
ORGANISATION_HEADERS = ["code", "name", "kind", "country", "region", "languages", "lends_experts"]


def csv_file(headers: Sequence[str], rows: Sequence[Sequence[object]], *, sep: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def expert_row(
    code: str = "SN", email: str = "awa.ndiaye@example.org", staff: str = "", **kw: object
) -> list[object]:
    values: dict[str, object] = {
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "categories": "specialized_trainer",
        "languages": "fr en",
        "skills": "risk_management:3 aeo:2",
        "released_days_per_year": 20,
        **kw,
    }
    return [
        code,
        email,
        staff,
        values["first_name"],
        values["last_name"],
        values["categories"],
        values["languages"],
        values["skills"],
        values["released_days_per_year"],
    ]


def request_row(reference: str = "SN-2027-01", admins: str = "SN", **kw: object) -> list[object]:
    values: dict[str, object] = {
        "title": "Risk management workshop",
        "topics": "risk_management",
        "level": "operational",
        "needs": "Train twenty officers in risk profiling.",
        "start": START,
        "end": END,
        "language": "fr",
        "priority": 3,
        **kw,
    }
    return [
        reference,
        admins,
        values["title"],
        values["topics"],
        values["level"],
        values["needs"],
        values["start"],
        values["end"],
        values["language"],
        values["priority"],
    ]
