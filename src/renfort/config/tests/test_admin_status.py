"""The admin changes no status by hand: status fields are read-only, and its actions go
through the transition services (rules, history rows, notices), reporting each refusal."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import User
from renfort.assistance.models import Request, RequestStatus
from renfort.missions.models import Assignment, AssignmentStatus, Mission, MissionStatus
from renfort.planning.models import PlannerRun
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_request,
    persona_mission,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, personas: Personas) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    return client


def changelist(model: type) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def change_form_fields(client: Client, obj: object) -> set[str]:
    meta = obj._meta  # type: ignore[attr-defined]
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])  # type: ignore[attr-defined]
    response = client.get(url)
    assert response.status_code == 200
    return set(response.context["adminform"].form.fields)


def act(client: Client, model: type, action: str, rows: list, **data: str):
    return client.post(
        changelist(model),
        {"action": action, "_selected_action": [r.pk for r in rows], **data},
        follow=True,
    )


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_status_fields_are_read_only(admin_client: Client, personas: Personas) -> None:
    mission = persona_mission(personas)
    assignment = make_assignment(mission.slots.get(), personas.expert)
    run = PlannerRun.objects.create(created_by=personas.secretariat)
    request = mission.requests.get()
    assert "status" not in change_form_fields(admin_client, mission)
    assert "status" not in change_form_fields(admin_client, request)
    assert "status" not in change_form_fields(admin_client, run)
    assert "release_status" not in change_form_fields(admin_client, personas.expert)
    fields = change_form_fields(admin_client, assignment)
    assert not {"status", "release_status", "slot", "expert"} & fields
    # Assignments are made by the service that checks the rules and writes the history.
    assert admin_client.get(reverse("admin:missions_assignment_add")).status_code == 403


def test_cancel_missions_asks_the_reason_and_goes_through_the_service(
    admin_client: Client, personas: Personas
) -> None:
    mission = persona_mission(personas, status=MissionStatus.PLANNED)
    assignment = make_assignment(
        mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED
    )
    closed = persona_mission(personas, status=MissionStatus.CLOSED)
    asked = act(admin_client, Mission, "cancel_missions", [mission, closed])
    assert asked.templates[0].name == "admin/renfort_status_action.html"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PLANNED  # nothing changes before the reason
    response = act(
        admin_client, Mission, "cancel_missions", [mission, closed], apply="1", reason="No budget"
    )
    mission.refresh_from_db()
    closed.refresh_from_db()
    assert (mission.status, mission.cancel_reason) == (MissionStatus.CANCELLED, "No budget")
    assert mission.history.get(to_status=MissionStatus.CANCELLED).note == "No budget"
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    assert assignment.history.filter(to_status=AssignmentStatus.WITHDRAWN).exists()
    assert closed.status == MissionStatus.CLOSED
    messages = said(response)
    assert any(m.startswith(str(closed)) for m in messages), messages
    assert "1 row changed." in messages


def test_withdraw_assignments_writes_history_and_reports_refusals(
    admin_client: Client, personas: Personas
) -> None:
    mission = persona_mission(personas)
    proposed = make_assignment(mission.slots.get(), personas.expert)
    done_mission = persona_mission(personas, status=MissionStatus.DELIVERED)
    completed = make_assignment(
        done_mission.slots.get(),
        make_expert(home_administration=personas.admin_b),
        status=AssignmentStatus.COMPLETED,
    )
    response = act(admin_client, Assignment, "withdraw_assignments", [proposed, completed])
    proposed.refresh_from_db()
    completed.refresh_from_db()
    assert proposed.status == AssignmentStatus.WITHDRAWN
    change = proposed.history.get()
    assert (change.from_status, change.to_status) == (
        AssignmentStatus.PROPOSED,
        AssignmentStatus.WITHDRAWN,
    )
    assert completed.status == AssignmentStatus.COMPLETED
    messages = said(response)
    assert any(m.startswith(str(completed)) for m in messages), messages


def test_decline_requests_needs_the_reason(admin_client: Client, personas: Personas) -> None:
    submitted = make_request(administrations=[personas.admin_a], status=RequestStatus.SUBMITTED)
    closed = make_request(administrations=[personas.admin_a], status=RequestStatus.CLOSED)
    empty = act(admin_client, Request, "decline_requests", [submitted], apply="1", reason="")
    assert empty.templates[0].name == "admin/renfort_status_action.html"  # asked again
    response = act(
        admin_client,
        Request,
        "decline_requests",
        [submitted, closed],
        apply="1",
        reason="Outside the programme",
    )
    submitted.refresh_from_db()
    closed.refresh_from_db()
    assert (submitted.status, submitted.decline_reason) == (
        RequestStatus.DECLINED,
        "Outside the programme",
    )
    assert submitted.history.filter(to_status=RequestStatus.DECLINED).exists()
    assert closed.status == RequestStatus.CLOSED
    assert any(m.startswith(str(closed)) for m in said(response))


def test_history_rows_are_read_only_in_the_admin(admin_client: Client, personas: Personas):
    from renfort.assistance.models import RequestStatusChange
    from renfort.missions.models import AssignmentStatusChange, MissionStatusChange
    from renfort.missions.services import mission_transition

    mission = persona_mission(personas)
    mission_transition(mission=mission, to_status=MissionStatus.CANCELLED, note="No budget.")
    row = MissionStatusChange.objects.filter(mission=mission).last()
    assert row is not None
    for model in (RequestStatusChange, MissionStatusChange, AssignmentStatusChange):
        assert admin_client.get(changelist(model)).status_code == 200
        meta = model._meta
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert admin_client.get(add).status_code == 403
    url = reverse("admin:missions_missionstatuschange_change", args=[row.pk])
    before = (row.note, row.to_status)
    response = admin_client.post(url, {"note": "rewritten", "to_status": "draft"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.note, row.to_status) == before
    delete = reverse("admin:missions_missionstatuschange_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert MissionStatusChange.objects.filter(pk=row.pk).exists()
