"""The template files offered on the upload page: the columns of each kind and one example
row, as CSV and as XLSX. The headers are the same in every language (docs/imports.md)."""

from __future__ import annotations

import datetime

from renfort.imports.engine import IMPORTERS
from renfort.imports.models import ImportKind
from renfort.lib.tabular import Sheet, csv_bytes, xlsx_bytes

EXAMPLES: dict[str, dict[str, str | int]] = {
    ImportKind.EXPERTS: {
        "home_administration": "SN",
        "email": "awa.ndiaye@example.org",
        "staff_number": "SN-0042",
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "categories": "specialized_trainer technical_operational_expert",
        "languages": "fr en",
        "skills": "risk_management:3 aeo:2",
        "released_days_per_year": 30,
    },
    ImportKind.ORGANISATIONS: {
        "code": "GH",
        "name": "Ghana Revenue Authority",
        "kind": "member",
        "country": "GH",
        "region": "WCA",
        "languages": "en",
        "lends_experts": "yes",
    },
    ImportKind.REQUESTS: {
        "external_reference": "DG-2027-014",
        "administrations": "SN",
        "focal_point": "",
        "title": "Risk management workshop",
        "topics": "risk_management",
        "level": "operational",
        "needs": "Train twenty officers in risk profiling at the port.",
        "preferred_start": "",
        "preferred_end": "",
        "language": "fr",
        "priority": 3,
    },
}


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """The template of ``kind`` as ``(content, file name, content type)``."""
    columns = IMPORTERS[kind].columns
    example = dict(EXAMPLES[kind])
    if kind == ImportKind.REQUESTS:
        year = datetime.date.today().year + 1
        example["preferred_start"] = datetime.date(year, 5, 4).isoformat()
        example["preferred_end"] = datetime.date(year, 5, 15).isoformat()
    sheet = Sheet(kind, list(columns), [[example.get(c, "") for c in columns]])
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return xlsx_bytes([sheet]), f"renfort-{kind}.xlsx", content_type
    return csv_bytes([sheet]), f"renfort-{kind}.csv", "text/csv; charset=utf-8"
