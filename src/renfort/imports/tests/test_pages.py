"""The import pages: upload, check, confirm; only the uploader sees a job; long files go to
the background with progress; the template files; who may import what."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from renfort.imports.models import ImportJob, ImportStatus
from renfort.imports.tests.helpers import EXPERT_HEADERS, csv_file, expert_row
from renfort.roster.models import Expert
from renfort.testing import Personas, table_state

pytestmark = pytest.mark.django_db


def _upload(
    client: Client, content: bytes, name: str = "experts.csv", kind: str = "experts"
) -> Any:
    return client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}
    )


def test_upload_check_then_confirm(client: Client, personas: Personas) -> None:
    client.force_login(personas.member)
    before = table_state()
    response = _upload(client, csv_file(EXPERT_HEADERS, [expert_row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert table_state() == before  # the check wrote nothing
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "Import this file" in page and "Awa Ndiaye" in page and "Created" in page
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Expert.objects.filter(email="awa.ndiaye@example.org").exists()
    # Confirming again imports nothing more.
    before = table_state()
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert table_state() == before


def test_errors_are_listed_with_line_and_column_in_french(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.member)
    rows = [
        expert_row(),
        expert_row(code="KE", email="k@example.org"),
        expert_row(email="", staff=""),
    ]
    _upload(client, csv_file(EXPERT_HEADERS, rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    url = reverse("imports:job_detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert "Import this file" not in page and "2 problems to fix" in page
    assert "<td>3</td><td><code>home_administration</code></td>" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.cookies["django_language"] = "fr"
    page = client.get(url).content.decode()
    assert "vous ne pouvez importer que pour Senegal Customs" in page, page
    # Confirming a file with errors is refused.
    before = table_state()
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert table_state() == before


def test_only_the_uploader_sees_a_job(client: Client, personas: Personas) -> None:
    client.force_login(personas.member)
    _upload(client, csv_file(EXPERT_HEADERS, [expert_row()]))
    job = ImportJob.objects.get()
    for other in (personas.secretariat, personas.outsider):
        client.force_login(other)
        assert client.get(reverse("imports:job_detail", args=[job.pk])).status_code == 404
        before = table_state()
        assert client.post(reverse("imports:job_confirm", args=[job.pk])).status_code == 404
        assert table_state() == before
    client.logout()
    assert client.get(reverse("imports:job_detail", args=[job.pk])).status_code == 302


def test_who_may_import_what(client: Client, personas: Personas) -> None:
    content = csv_file(["code", "name", "kind"], [["GH", "Ghana Revenue Authority", "member"]])
    for user, code in [(personas.member, 403), (personas.donor, 403), (personas.expert_user, 403)]:
        client.force_login(user)
        assert client.get(reverse("imports:upload", args=["organisations"])).status_code == code
        assert _upload(client, content, kind="organisations").status_code == code
    assert not ImportJob.objects.exists()
    client.force_login(personas.regional)
    assert client.get(reverse("imports:index")).status_code == 403
    client.force_login(personas.member)
    assert client.get(reverse("imports:upload", args=["nothing"])).status_code == 404
    assert "Organisations" not in client.get(reverse("imports:index")).content.decode()
    client.force_login(personas.secretariat)
    assert client.get(reverse("imports:upload", args=["organisations"])).status_code == 200


def test_a_bad_file_is_refused_on_the_form(
    client: Client, personas: Personas, settings: object
) -> None:
    client.force_login(personas.member)
    response = _upload(client, b"%PDF-1.4", name="cv.pdf")
    assert response.status_code == 200
    assert "cv.pdf is neither a CSV file" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 50  # type: ignore[attr-defined]
    response = _upload(client, csv_file(EXPERT_HEADERS, [expert_row()]))
    assert "The file is too large" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_long_file_is_checked_and_imported_by_a_task(
    client: Client, personas: Personas, settings: object
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 2  # type: ignore[attr-defined]
    rows = [expert_row(email=f"e{i}@example.org") for i in range(3)]
    client.force_login(personas.member)
    _upload(client, csv_file(EXPERT_HEADERS, rows))
    job = ImportJob.objects.get()
    # The immediate task backend of the tests has run the check already.
    assert job.status == ImportStatus.READY and (job.rows_done, job.rows_total) == (3, 3)
    url = reverse("imports:job_detail", args=[job.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Expert.objects.count() == 4


def test_a_working_job_shows_its_progress(client: Client, personas: Personas) -> None:
    client.force_login(personas.member)
    _upload(client, csv_file(EXPERT_HEADERS, [expert_row()]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, rows_total=600, rows_done=300
    )
    partial = client.get(reverse("imports:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert 'value="50"' in text and "300 of 600 rows checked" in text and "hx-get" in text
    assert "HX-Refresh" not in partial


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_files_have_the_columns_and_an_example(
    client: Client, personas: Personas, fmt: str
) -> None:
    client.force_login(personas.member)
    response = client.get(reverse("imports:template", args=["experts", fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0]
        assert header.split(",") == EXPERT_HEADERS
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert [c.value for c in sheet[1]] == EXPERT_HEADERS
        assert sheet.max_row == 2
    # The template imports as it is (the example row is good).
    assert _upload(client, response.content, name=f"t.{fmt}").status_code == 302
    assert ImportJob.objects.get().status == ImportStatus.READY, ImportJob.objects.get().result


def test_the_pages_read_a_bounded_number_of_rows(
    client: Client, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.member)
    for i in range(12):
        _upload(client, csv_file(EXPERT_HEADERS, [expert_row(email=f"e{i}@example.org")]))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("imports:index")).content.decode()
    assert page.count("/imports/jobs/") == 10
    job = ImportJob.objects.latest("pk")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("imports:job_detail", args=[job.pk])).status_code == 200


def test_old_files_go_but_the_record_stays(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from django.utils import timezone

    client.force_login(personas.member)
    _upload(client, csv_file(EXPERT_HEADERS, [expert_row()]))
    old = ImportJob.objects.get()
    path = old.file.path
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_file(EXPERT_HEADERS, [expert_row()]))
    old.refresh_from_db()
    assert not old.file and old.checksum and ImportJob.objects.count() == 2
    import os

    assert not os.path.exists(path)
    # Confirming the old job now imports nothing and says why.
    client.post(reverse("imports:job_confirm", args=[old.pk]))
    old.refresh_from_db()
    assert old.status == ImportStatus.INVALID
    assert old.result["errors"][0]["code"] == "imports.file.changed"
