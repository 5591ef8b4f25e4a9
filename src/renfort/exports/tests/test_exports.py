"""Exports prepared in the background (docs/performance.md, "Exports"): only the person who
asked reads the export and its file; a build is safe to run twice; old exports go."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import User
from renfort.exports.building import export_build
from renfort.exports.models import Export, ExportStatus
from renfort.exports.services import export_request, exports_prune
from renfort.testing import Personas, persona_mission, table_state

pytestmark = pytest.mark.django_db


def _export(user: User) -> Export:
    return export_request(user=user, kind="iati", params={}, title="IATI", language="en")


def test_only_the_person_who_asked_reads_the_export(client: Client, personas: Personas) -> None:
    persona_mission(personas)  # an agreement the secretariat may see
    export = _export(personas.secretariat)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.size > 0
    detail = reverse("exports:export_detail", args=[export.pk])
    file = reverse("exports:export_file", args=[export.pk])
    assert client.get(detail).status_code == 302  # anonymous: sign in
    client.force_login(personas.member)  # sees the same agreement, but did not ask
    assert client.get(detail).status_code == 404
    assert client.get(file).status_code == 404
    client.force_login(personas.secretariat)
    assert "Download" in client.get(detail).content.decode()
    response = client.get(file)
    assert response.status_code == 200
    assert b"iati-activities" in response.getvalue()


def test_an_export_with_nothing_to_show_fails_with_a_sentence(
    client: Client, personas: Personas
) -> None:
    export = _export(personas.secretariat)  # no agreement at all
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.file
    client.force_login(personas.secretariat)
    page = client.get(reverse("exports:export_detail", args=[export.pk])).content.decode()
    assert "could not be prepared" in page and "Traceback" not in page
    assert client.get(reverse("exports:export_file", args=[export.pk])).status_code == 404


def test_a_build_is_safe_to_run_twice(personas: Personas) -> None:
    persona_mission(personas)
    export = _export(personas.secretariat)
    before = table_state()
    assert export_build(export_id=export.pk) == ExportStatus.DONE
    assert table_state() == before


def test_a_refused_request_writes_nothing(client: Client, personas: Personas) -> None:
    persona_mission(personas)
    client.force_login(personas.expert_user)
    before = table_state()
    assert client.post(reverse("exports:iati")).status_code == 403
    assert table_state() == before and not Export.objects.exists()


def test_old_exports_and_their_files_go(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    persona_mission(personas)
    old = _export(personas.secretariat)
    old.refresh_from_db()
    path = old.file.path
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _export(personas.secretariat)  # asking prunes the person's old ones
    assert list(Export.objects.all()) == [fresh]
    assert exports_prune() == 0
    assert not os.path.exists(path)
