"""A second file changes what it may through the same services, and refuses the rest."""

from __future__ import annotations

import pytest

from renfort.accounts.models import Organisation
from renfort.assistance.models import Request, RequestStatus
from renfort.imports.models import ImportStatus
from renfort.imports.tests.helpers import (
    EXPERT_HEADERS,
    ORGANISATION_HEADERS,
    REQUEST_HEADERS,
    csv_file,
    expert_row,
    request_row,
)
from renfort.imports.tests.test_services import _errors, _import
from renfort.testing import Personas, table_state

pytestmark = pytest.mark.django_db


def test_a_changed_request_is_changed_through_its_service(personas: Personas) -> None:
    _import(personas.member, "requests", "r.csv", csv_file(REQUEST_HEADERS, [request_row()]))
    request = Request.objects.get()
    changed = request_row(title="Risk management and profiling workshop", priority="")
    job = _import(personas.member, "requests", "r.csv", csv_file(REQUEST_HEADERS, [changed]))
    assert job.status == ImportStatus.DONE, job.result
    assert job.result["rows"][0]["changes"] == ["title"]
    request.refresh_from_db()
    assert request.title == "Risk management and profiling workshop" and request.priority == 3
    assert request.history.filter(note_code="request.changed").count() == 1


def test_a_decided_request_is_not_changed_by_an_import(personas: Personas) -> None:
    _import(personas.member, "requests", "r.csv", csv_file(REQUEST_HEADERS, [request_row()]))
    Request.objects.update(status=RequestStatus.ACCEPTED)
    before = table_state()
    changed = request_row(title="Another title")
    job = _import(personas.member, "requests", "r.csv", csv_file(REQUEST_HEADERS, [changed]))
    assert job.status == ImportStatus.INVALID
    assert job.result["errors"][0]["line"] == 2
    assert "can no longer be changed" in job.result["errors"][0]["params"]["message"]
    assert table_state() == before


def test_an_import_never_renames_an_expert(personas: Personas) -> None:
    _import(personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, [expert_row()]))
    before = table_state()
    renamed = expert_row(first_name="Awa Marie", categories="modernization_adviser")
    job = _import(personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, [renamed]))
    assert _errors(job) == {
        (2, "first_name", "imports.row.unchangeable"),
        (2, "categories", "imports.row.unchangeable"),
    }
    assert table_state() == before


def test_an_organisation_is_updated_by_its_code(personas: Personas) -> None:
    rows = [["gh", "Ghana Revenue Authority", "member", "GH", "WCA", "en", "no"]]
    _import(personas.secretariat, "organisations", "o.csv", csv_file(ORGANISATION_HEADERS, rows))
    rows = [["GH", "Ghana Revenue Authority (Customs)", "member", "", "", "", "yes"]]
    job = _import(
        personas.secretariat, "organisations", "o.csv", csv_file(ORGANISATION_HEADERS, rows)
    )
    assert job.status == ImportStatus.DONE, job.result
    ghana = Organisation.objects.get(short_name="gh")
    assert ghana.name == "Ghana Revenue Authority (Customs)" and ghana.lends_experts
    assert (ghana.country, ghana.region, ghana.languages) == ("GH", "WCA", ["en"])


def test_bad_organisation_rows_are_all_reported(personas: Personas) -> None:
    rows = [
        ["XX", "Nowhere", "member", "QQ", "WCA", "en", "yes"],  # unknown country
        ["SN2", "Senegal Customs bis", "member", "SN", "", "", ""],  # Senegal has one
        ["SEC2", "Second secretariat", "secretariat", "", "", "", ""],
        ["NDA2", "Nordic Development Agency", "donor", "SE", "", "", "maybe"],
    ]
    before = table_state()
    job = _import(
        personas.secretariat, "organisations", "o.csv", csv_file(ORGANISATION_HEADERS, rows)
    )
    assert _errors(job) == {
        (2, "country", "imports.row.rule"),
        (3, "country", "imports.row.rule"),
        (4, "kind", "imports.row.rule"),
        (5, "lends_experts", "imports.row.yes_no"),
    }
    assert table_state() == before
