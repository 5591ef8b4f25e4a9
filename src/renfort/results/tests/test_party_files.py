"""The files of each party's results: CSV (text), XLSX (opened with openpyxl) and PDF (text
extracted with pypdf), the recognition certificate, and the writer they share
(``lib.tabular``) with its guard against formula injection."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from renfort.lib.tabular import Sheet, csv_bytes, csv_cell, sheet_name, xlsx_bytes
from renfort.missions.models import Mission
from renfort.results.party_reports.base import period
from renfort.results.tests.party_world import ANA_COMMENT, BRUNO_COMMENT, World, make_world
from renfort.testing import make_expert

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def world(personas) -> World:
    w = make_world(personas, missions=2)
    # A title someone typed that a spreadsheet would run as a formula.
    Mission.objects.filter(pk=w.missions[0].pk).update(title=FORMULA)
    return w


def download(client: Client, user, name: str, *args: object) -> bytes:
    """The file, directly or, for a long list, through an export prepared by a task (the
    test backend runs it at once): the page, its button, the export's page, the file."""
    client.force_login(user)
    url = reverse(f"results:{name}", args=list(args))
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return response.content
    response = client.post(url, follow=True)
    assert response.status_code == 200
    export = response.context["export"]
    assert export.status == "done", export.status
    response = client.get(reverse("exports:export_file", args=[export.pk]))
    assert response.status_code == 200
    return response.getvalue()


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a byte order mark: spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def xlsx_values(content: bytes) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def test_the_track_record_as_csv_xlsx_and_pdf(client: Client, world: World) -> None:
    p, m = world.p, world.missions[1]
    assert m.start is not None
    rows = csv_rows(download(client, p.expert_user, "expert_record_file", p.expert.pk, "csv"))
    flat = [cell for row in rows for cell in row]
    assert "Ana Lima" in flat and m.reference in flat and ANA_COMMENT in flat
    assert BRUNO_COMMENT not in flat
    assert ["Expert days", "10"] in rows
    assert m.start.isoformat() in flat  # dates are ISO in files
    assert "'" + FORMULA in flat and FORMULA not in flat  # guarded: shown as text, never run

    sheets = xlsx_values(download(client, p.expert_user, "expert_record_file", p.expert.pk, "xlsx"))
    assert {"Summary", "Missions", "Topics", "Ratings of experts"} <= set(sheets)
    assert ["Expert days", 10] in sheets["Summary"]
    missions = sheets["Missions"]
    assert missions[0][:2] == ["Reference", "Title"]
    row = next(r for r in missions if r[0] == m.reference)
    assert row[4] == datetime.datetime.combine(m.start, datetime.time())  # a real date
    assert row[6] == 5 and row[7] == 5  # days and her rating, as numbers
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, p.expert_user, "expert_record_file", p.expert.pk, "xlsx"))
    )
    guarded = next(c for r in book["Missions"].iter_rows() for c in r if c.value == FORMULA)
    assert guarded.data_type == "s" and guarded.quotePrefix

    text = pdf_text(download(client, p.expert_user, "expert_record_file", p.expert.pk, "pdf"))
    assert "Track record: Ana Lima" in text and "French Customs" in text and m.reference in text


def test_the_certificate_names_the_expert_her_administration_missions_and_dates(
    client: Client, world: World
) -> None:
    p = world.p
    client.force_login(p.expert_user)
    response = client.get(reverse("results:expert_certificate", args=[p.expert.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="certificate-ana-lima-en.pdf"' in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert "Certificate of recognition" in text
    assert "Ana Lima" in text and "French Customs (France)" in text
    for m in world.missions:
        assert m.reference in text
        assert " ".join(period(m.start, m.end).split()) in text
    assert "on 2 missions" in text and "10 expert days" in text
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert fonts and all("BitstreamVera" in f for f in fonts)  # lib.pdf's embedded fonts


def test_the_certificate_in_french(client: Client, world: World) -> None:
    p = world.p
    client.force_login(p.expert_user)
    response = client.get(
        reverse("results:expert_certificate", args=[p.expert.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = " ".join(pdf_text(response.content).split())
    assert "Certificat de reconnaissance" in text and "Ana Lima" in text


def test_no_certificate_before_a_delivered_mission(client: Client, world: World) -> None:
    p = world.p
    newcomer = make_expert(home_administration=p.admin_b, first_name="Nina", last_name="New")
    client.force_login(p.secretariat)
    response = client.get(reverse("results:expert_certificate", args=[newcomer.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("results:expert_record", args=[newcomer.pk])
    assert "there is none yet for Nina New" in response.content.decode()


def test_the_donors_files_hold_aggregates_only(client: Client, world: World) -> None:
    p = world.p
    for fmt in ("csv", "pdf"):
        content = download(client, p.donor, "donor_file", p.donor_agency.pk, fmt)
        text = pdf_text(content) if fmt == "pdf" else content.decode("utf-8-sig")
        assert world.agreement.reference in text and world.missions[1].reference in text
        assert ANA_COMMENT not in text and BRUNO_COMMENT not in text
        assert "Ana Lima" not in text
    sheets = xlsx_values(download(client, p.donor, "donor_file", p.donor_agency.pk, "xlsx"))
    agreements = sheets["Agreements"]
    row = next(r for r in agreements if r[0] == world.agreement.reference)
    assert row[6:10] == [Decimal("10000"), Decimal("1000"), Decimal("800"), 8.0] or row[6:10] == [
        10000,
        1000,
        800,
        8.0,
    ]
    indicators = sheets["Indicators"]
    assert any(r[1] == "Average release time" and r[-1] == 50.0 for r in indicators)


def test_every_partys_files_open(client: Client, world: World) -> None:
    p = world.p
    for user, name, key, title, party in (
        (p.lender, "lending_file", p.admin_b.pk, "Contribution of French Customs", "Bruno Sousa"),
        (p.member, "beneficiary_file", p.admin_a.pk, "Assistance received by", "Senegal Customs"),
        (p.regional, "region_file", "WCA", "Results in West & Central Africa", "Senegal Customs"),
    ):
        assert title in pdf_text(download(client, user, name, key, "pdf"))
        assert party in download(client, user, name, key, "csv").decode("utf-8-sig")
        assert "Summary" in xlsx_values(download(client, user, name, key, "xlsx"))
    client.force_login(p.secretariat)
    year = datetime.date.today().year
    response = client.get(reverse("results:year_file", args=["xlsx"]), {"year": year})
    assert response["Content-Disposition"].startswith("attachment;")
    summary = xlsx_values(response.content)["Summary"]
    assert ["Year", year] in summary and ["Expert days delivered", 20] in summary
    assert f"The year {year} in numbers" in pdf_text(
        client.get(reverse("results:year_file", args=["pdf"]), {"year": year}).content
    )


# --- the writer ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_is_written_as_text(text: str) -> None:
    assert csv_cell(text) == "'" + text
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("S", ["A"], [[text]])])))
    cell = book["S"]["A2"]
    assert cell.data_type == "s" and cell.quotePrefix


def test_numbers_dates_and_plain_text_stay_as_they_are() -> None:
    day = datetime.date(2027, 3, 4)
    assert [csv_cell(v) for v in (-5, Decimal("12.50"), day, None, "Dakar")] == [
        "-5",
        "12.50",
        "2027-03-04",
        "",
        "Dakar",
    ]
    content = csv_bytes([Sheet("One", ["a", "b"], [[1, "x"]]), Sheet("Two", ["c"], [["é"]])])
    assert content.decode("utf-8-sig").splitlines() == ["One", "a,b", "1,x", "", "Two", "c", "é"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("S", ["n"], [[-5], ["a\x01b"]])])))
    assert book["S"]["A2"].value == -5 and book["S"]["A3"].value == "ab"


def test_sheet_names_are_ones_excel_accepts() -> None:
    taken: set[str] = set()
    assert sheet_name("Missions: 2027/2028 [draft]?", taken) == "Missions 2027 2028 draft"
    assert sheet_name("Missions: 2027/2028 [draft]?", taken) == "Missions 2027 2028 draft (2)"
    assert len(sheet_name("x" * 50, taken)) == 31
