"""A small world for the list files: the personas' objects, a few more of each kind so that
every list runs over several pages (with page sizes made tiny), and one object of another
party (Kenya, the outsider's administration) on each list, named ``OTHER``."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from renfort.accounts.models import Notification, Role, User
from renfort.agreements.models import PartyRole
from renfort.assistance.models import RequestStatus
from renfort.exports.models import Export
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.results.models import Objective
from renfort.testing import (
    Personas,
    make_agreement,
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    make_user,
    persona_mission,
)

OTHER = "OTHER"


def build(p: Personas) -> None:
    """Three missions (and requests, agreements, objectives) of Senegal's, the expert on
    each; requests of each status; experts lent by Senegal; accounts and notifications."""
    statuses = (MissionStatus.PLANNED, MissionStatus.DRAFT, MissionStatus.PLANNED)
    for i, status in enumerate(statuses):
        mission = persona_mission(p, title=f"Own mission {i}", status=status)
        make_assignment(mission.slots.get(), p.expert, status=AssignmentStatus.ACCEPTED)
        objective = Objective.objects.create(title=f"Own objective {i}", level="operational")
        objective.missions.add(mission)
    for i, asked in enumerate((RequestStatus.SUBMITTED, RequestStatus.ACCEPTED) * 2):
        make_request(
            administrations=[p.admin_a], focal_point=p.member, status=asked, title=f"Own {i}"
        )
    for i in range(3):
        make_expert(home_administration=p.admin_a, first_name="Awa", last_name=f"Diallo {i}")
        make_user(Role.MEMBER_FOCAL_POINT, p.admin_a, username=f"senegal{i}", last_name="Ndiaye")
    for i in range(3):
        Notification.objects.create(recipient=p.member, subject=f"Note {i}", body="Read me.")
    Notification.objects.filter(subject="Note 1").update(read_at="2026-01-01T00:00:00Z")
    _other_party(p)


def _other_party(p: Personas) -> None:
    """Kenya's objects: none of the Senegalese, regional (West & Central Africa), donor or
    expert personas may see them."""
    request = make_request(
        administrations=[p.admin_c], focal_point=p.outsider, title=f"{OTHER} request"
    )
    mission = make_mission(requests=[request], title=f"{OTHER} mission", status="planned")
    make_agreement(
        parties=[(p.admin_c, PartyRole.BENEFICIARY), (p.admin_b, PartyRole.FUNDING)],
        missions=[mission],
        title=f"{OTHER} agreement",
    )
    objective = Objective.objects.create(title=f"{OTHER} objective", level="operational")
    objective.missions.add(mission)
    make_expert(home_administration=p.admin_c, first_name=OTHER, last_name="Kamau")
    make_user(Role.MEMBER_FOCAL_POINT, p.admin_c, username="otherkenya", last_name=OTHER)
    Notification.objects.create(recipient=p.outsider, subject=f"{OTHER} note", body="Private.")


def read(content: bytes, fmt: str) -> list[list[Any]]:
    """A file's rows (headers first): CSV as text, XLSX as its cells' values."""
    if fmt == "csv":
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def fetch(client: Client, user: User, name: str, fmt: str, query: dict[str, str]) -> bytes:
    """The list's file as ``user`` gets it through the pages: asked for (POST), prepared by
    the task (immediate in tests), then downloaded; or downloaded at once (a direct list)."""
    url = reverse(f"exports:{name}_file", kwargs={"fmt": fmt})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    direct = client.get(url)
    assert direct.status_code == 200, (name, user.username, direct.status_code)
    if direct.get("Content-Disposition", "").startswith("attachment"):
        return direct.content
    before = set(Export.objects.values_list("pk", flat=True))
    response = client.post(url)
    assert response.status_code == 302, response.status_code
    (export,) = Export.objects.exclude(pk__in=before)
    assert export.requested_by_id == user.pk and export.status == "done", export.status
    assert response["Location"] == reverse("exports:export_detail", args=[export.pk])
    file = client.get(reverse("exports:export_file", args=[export.pk]))
    assert file.status_code == 200
    return b"".join(file.streaming_content)  # type: ignore[attr-defined]
