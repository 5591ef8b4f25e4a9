"""Imports through the services (docs/imports.md): all or nothing, every error with its line
and column, the same file twice changes nothing, each importer only where it may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renfort.accounts.models import Organisation, User
from renfort.assistance.models import Request
from renfort.imports.jobs import import_job_apply, import_job_check
from renfort.imports.models import ImportJob, ImportKey, ImportStatus
from renfort.imports.services import import_job_create
from renfort.imports.tests.helpers import (
    EXPERT_HEADERS,
    ORGANISATION_HEADERS,
    REQUEST_HEADERS,
    csv_file,
    expert_row,
    request_row,
    xlsx_file,
)
from renfort.roster.models import Expert
from renfort.testing import Personas, table_state

pytestmark = pytest.mark.django_db


def _import(user: User, kind: str, name: str, content: bytes, *, apply: bool = True) -> ImportJob:
    job = import_job_create(user=user, kind=kind, name=name, content=content)
    import_job_check(job_id=job.pk)
    job.refresh_from_db()
    if apply and job.status == ImportStatus.READY:
        import_job_apply(job_id=job.pk)
        job.refresh_from_db()
    return job


def _errors(job: ImportJob) -> set[tuple[int, str, str]]:
    return {(e["line"], e["column"], e["code"]) for e in job.result["errors"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_expert_file_imports_through_the_roster(personas: Personas, fmt: str) -> None:
    rows = [
        expert_row(),
        expert_row(email="", staff="SN-042", first_name="Moussa", last_name="Diop"),
    ]
    build = csv_file if fmt == "csv" else xlsx_file
    job = _import(personas.member, "experts", f"experts.{fmt}", build(EXPERT_HEADERS, rows))
    assert job.status == ImportStatus.DONE, job.result
    assert job.result["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "refused": 0}
    awa = Expert.objects.get(email="awa.ndiaye@example.org")
    assert awa.home_administration == personas.admin_a
    assert {s.topic.code: s.level for s in awa.skills.all()} == {"risk_management": 3, "aeo": 2}
    assert awa.released_days_per_year == 20 and awa.languages == ["fr", "en"]
    moussa = Expert.objects.get(first_name="Moussa")
    assert ImportKey.objects.get(key="SN-042").object_id == moussa.pk
    assert awa.field_history.first().history_user == personas.member


def test_the_same_file_twice_changes_nothing(personas: Personas) -> None:
    content = csv_file(EXPERT_HEADERS, [expert_row(), expert_row(email="", staff="SN-042")])
    _import(personas.member, "experts", "experts.csv", content)
    before = table_state()
    keys = list(ImportKey.objects.values_list("pk", "key", "object_id"))
    job = _import(personas.member, "experts", "experts.csv", content)
    assert job.result["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "refused": 0}
    assert table_state() == before
    assert list(ImportKey.objects.values_list("pk", "key", "object_id")) == keys


def test_a_changed_row_updates_what_an_import_may_change(personas: Personas) -> None:
    _import(personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, [expert_row()]))
    changed = expert_row(languages="fr", skills="risk_management:4")
    job = _import(personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, [changed]))
    assert job.result["rows"][0]["action"] == "updated"
    assert set(job.result["rows"][0]["changes"]) == {"languages", "skills"}
    expert = Expert.objects.get(email="awa.ndiaye@example.org")
    assert expert.languages == ["fr"] and expert.skills.get().level == 4


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_error(personas: Personas) -> None:
    rows = [
        expert_row(),  # line 2: good
        expert_row(email="x@example.org", categories="wizard"),  # line 3
        expert_row(code="ZZ", email="y@example.org"),  # line 4
        expert_row(email="", staff=""),  # line 5
        expert_row(email="z@example.org", skills="aeo:two", released_days_per_year="many"),  # 6
        expert_row(),  # line 7 repeats line 2
    ]
    before = table_state()
    job = _import(personas.member, "experts", "bad.csv", csv_file(EXPERT_HEADERS, rows))
    assert job.status == ImportStatus.INVALID
    assert table_state() == before and not ImportKey.objects.exists()
    assert _errors(job) >= {
        (3, "categories", "imports.row.rule"),
        (4, "home_administration", "imports.row.unknown_organisation"),
        (5, "email", "imports.row.no_key"),
        (6, "skills", "imports.row.skills"),
        (6, "released_days_per_year", "imports.row.number"),
        (7, "", "imports.row.repeated"),
    }
    assert job.result["counts"]["refused"] == 5
    # A valid row reports what it would have done.
    assert job.result["rows"][0] == {
        "line": 2,
        "action": "created",
        "label": "Awa Ndiaye",
        "changes": [],
    }


def test_a_focal_point_imports_only_into_its_own_administration(personas: Personas) -> None:
    rows = [expert_row(), expert_row(code="KE", email="k@example.org")]
    before = table_state()
    job = _import(personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, rows))
    assert _errors(job) == {(3, "home_administration", "imports.row.not_yours")}
    assert table_state() == before
    # The secretariat imports anywhere, and the history names it.
    job = _import(personas.secretariat, "experts", "e.csv", csv_file(EXPERT_HEADERS, rows))
    assert job.status == ImportStatus.DONE
    kenyan = Expert.objects.get(email="k@example.org")
    assert kenyan.home_administration == personas.admin_c
    assert kenyan.field_history.first().history_user == personas.secretariat
    assert job.uploaded_by == personas.secretariat


def test_a_dry_run_writes_nothing_but_the_job(personas: Personas) -> None:
    before = table_state()
    job = _import(
        personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, [expert_row()]), apply=False
    )
    assert job.status == ImportStatus.READY
    assert job.result["counts"]["created"] == 1 and job.result["dry_run"] is True
    assert table_state() == before and not ImportKey.objects.exists()


def test_requests_are_submitted_once_by_their_reference(personas: Personas) -> None:
    content = xlsx_file(REQUEST_HEADERS, [request_row(), request_row("SN-2027-02", "SN CI")])
    job = _import(personas.member, "requests", "r.xlsx", content)
    assert job.status == ImportStatus.INVALID  # no organisation has the code CI
    assert _errors(job) == {(3, "administrations", "imports.row.unknown_organisation")}
    content = xlsx_file(REQUEST_HEADERS, [request_row(), request_row("SN-2027-02", "SN KE")])
    job = _import(personas.member, "requests", "r.xlsx", content)
    assert job.status == ImportStatus.DONE, job.result
    assert Request.objects.count() == 2
    regional = Request.objects.get(administrations=personas.admin_c)
    assert regional.focal_point == personas.member
    before = table_state()
    job = _import(personas.member, "requests", "r.xlsx", content)
    assert job.result["counts"]["unchanged"] == 2 and table_state() == before


def test_a_focal_point_imports_no_request_of_another_administration(personas: Personas) -> None:
    before = table_state()
    content = csv_file(REQUEST_HEADERS, [request_row(admins="KE")])
    job = _import(personas.member, "requests", "r.csv", content)
    assert (2, "administrations", "imports.row.not_yours") in _errors(job)
    assert table_state() == before


def test_the_secretariat_names_the_focal_point_of_an_imported_request(personas: Personas) -> None:
    headers = [*REQUEST_HEADERS, "focal_point"]
    rows = [[*request_row(), "member"], [*request_row("X-1"), ""]]
    job = _import(personas.secretariat, "requests", "r.csv", csv_file(headers, rows))
    assert _errors(job) == {(3, "focal_point", "imports.row.required")}
    job = _import(personas.secretariat, "requests", "r.csv", csv_file(headers, rows[:1]))
    assert job.status == ImportStatus.DONE
    assert Request.objects.get().focal_point == personas.member


def test_organisations_are_imported_by_the_secretariat_only(personas: Personas) -> None:
    rows = [["GH", "Ghana Revenue Authority", "member", "GH", "WCA", "en", "yes"]]
    content = csv_file(ORGANISATION_HEADERS, rows, sep=";")
    with pytest.raises(PermissionDenied):
        import_job_create(user=personas.member, kind="organisations", name="o.csv", content=content)
    job = _import(personas.secretariat, "organisations", "o.csv", content)
    assert job.status == ImportStatus.DONE, job.result
    ghana = Organisation.objects.get(short_name="GH")
    assert ghana.lends_experts and ghana.region == "WCA" and ghana.languages == ["en"]
    before = table_state()
    job = _import(personas.secretariat, "organisations", "o.csv", content)
    assert job.result["counts"]["unchanged"] == 1 and table_state() == before


def test_formula_looking_cells_are_imported_as_plain_text(personas: Personas) -> None:
    content = xlsx_file(EXPERT_HEADERS, [expert_row(first_name="=1+1", last_name="@SUM(A1)")])
    job = _import(personas.member, "experts", "e.xlsx", content)
    assert job.status == ImportStatus.DONE, job.result
    expert = Expert.objects.get(email="awa.ndiaye@example.org")
    assert (expert.first_name, expert.last_name) == ("=1+1", "@SUM(A1)")


def test_files_that_are_not_tables_or_too_large_are_refused(
    personas: Personas, settings: object
) -> None:
    for name, content in [("e.pdf", b"%PDF"), ("e.xls", b"x"), ("e.xlsx", b"not a zip")]:
        with pytest.raises(ValidationError) as refused:
            import_job_create(user=personas.member, kind="experts", name=name, content=content)
        assert "file" in refused.value.message_dict
    settings.IMPORT_MAX_BYTES = 100  # type: ignore[attr-defined]
    big = csv_file(EXPERT_HEADERS, [expert_row()] * 5)
    with pytest.raises(ValidationError, match="too large"):
        import_job_create(user=personas.member, kind="experts", name="e.csv", content=big)
    assert not ImportJob.objects.exists()


def test_too_many_rows_or_wrong_columns_refuse_the_file(
    personas: Personas, settings: object
) -> None:
    settings.IMPORT_MAX_ROWS = 2  # type: ignore[attr-defined]
    rows = [expert_row(email=f"e{i}@example.org") for i in range(3)]
    job = _import(personas.member, "experts", "e.csv", csv_file(EXPERT_HEADERS, rows))
    assert _errors(job) == {(0, "", "imports.file.too_many_rows")}
    job = _import(personas.member, "experts", "e.csv", csv_file(["name"], [["x"]]))
    assert _errors(job) == {(0, "", "imports.file.missing_columns")}
    job = _import(personas.member, "experts", "e.csv", "nom\n\xe9".encode("latin-1"))
    assert _errors(job) == {(0, "", "imports.file.encoding")}


def test_the_task_bodies_are_safe_to_run_twice(personas: Personas) -> None:
    """SAFE_TWICE: a checked job is not checked again, an imported one not imported again,
    and a check or an import cut short (its worker died) runs again from the start."""
    content = csv_file(EXPERT_HEADERS, [expert_row()])
    job = import_job_create(user=personas.member, kind="experts", name="e.csv", content=content)
    assert import_job_check(job_id=job.pk) == ImportStatus.READY
    before = table_state()
    job.refresh_from_db()
    checked = (job.checked_at, job.result)
    assert import_job_check(job_id=job.pk) == ImportStatus.READY
    job.refresh_from_db()
    assert (job.checked_at, job.result) == checked and table_state() == before
    assert import_job_apply(job_id=job.pk) == ImportStatus.DONE
    after = table_state()
    assert import_job_apply(job_id=job.pk) == ImportStatus.DONE
    assert table_state() == after and Expert.objects.count() == 2
    # A job left "importing" by a dead worker is imported when the task runs again.
    again = import_job_create(user=personas.member, kind="experts", name="e.csv", content=content)
    import_job_check(job_id=again.pk)
    ImportJob.objects.filter(pk=again.pk).update(status=ImportStatus.IMPORTING)
    assert import_job_apply(job_id=again.pk) == ImportStatus.DONE
    assert table_state() == after
