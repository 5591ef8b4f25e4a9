"""A title a spreadsheet would run as a formula is written as text in both files: in CSV with
a leading apostrophe, in XLSX as a string cell with the quote prefix, its text unchanged."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from renfort.exports.tests.list_world import fetch, read
from renfort.testing import Personas, persona_mission

pytestmark = pytest.mark.django_db

TITLES = {
    "=": "=1+1",
    "+": "+33 1 23",
    "-": "-2+3",
    "@": "@SUM(A1:A2)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


@pytest.fixture
def titled(personas: Personas) -> dict[str, str]:
    """A mission per dangerous title: reference -> title."""
    return {persona_mission(personas, title=title).reference: title for title in TITLES.values()}


def test_csv_cells_starting_a_formula_are_text(
    client: Client, personas: Personas, titled: dict[str, str]
) -> None:
    client.force_login(personas.secretariat)
    rows = read(fetch(client, personas.secretariat, "missions", "csv", {}), "csv")
    by_reference = {row[0]: row[1] for row in rows[1:]}
    for reference, title in titled.items():
        assert by_reference[reference] == "'" + title, repr(title)


def test_xlsx_cells_starting_a_formula_are_quoted_strings(
    client: Client, personas: Personas, titled: dict[str, str]
) -> None:
    client.force_login(personas.secretariat)
    content = fetch(client, personas.secretariat, "missions", "xlsx", {})
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    seen = {}
    for reference_cell, title_cell in sheet.iter_rows(min_row=2, max_col=2):
        seen[reference_cell.value] = title_cell
    for reference, title in titled.items():
        cell = seen[reference]
        assert cell.data_type == "s", repr(title)  # a string, never a formula
        assert cell.quotePrefix, repr(title)
        # XML reads a carriage return back as a line feed; the text is otherwise unchanged.
        assert cell.value in (title, title.replace("\r", "\n")), repr(cell.value)


def test_numbers_stay_numbers(client: Client, personas: Personas) -> None:
    persona_mission(personas, title="Numbers")
    client.force_login(personas.secretariat)
    rows = read(fetch(client, personas.secretariat, "missions", "xlsx", {}), "xlsx")
    slots = rows[0].index("Slots")
    assert all(isinstance(row[slots], int) for row in rows[1:])
