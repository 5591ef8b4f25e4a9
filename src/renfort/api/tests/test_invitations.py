"""Invitations through the API: an expert answers hers, a member focal point answers for an
expert of its administration who has no login; the same services as the pages, their
refusals as 422 problems naming the rule, nothing written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renfort.accounts.models import Notification
from renfort.api.testing import api_client
from renfort.missions.models import Assignment, AssignmentStatus, MissionStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    next_year,
    persona_mission,
    table_state,
)

pytestmark = pytest.mark.django_db

INVITATIONS = "/api/v1/invitations/"


def _invitation(p: Personas, expert=None, **mission_kwargs) -> Assignment:
    mission_kwargs.setdefault("start", next_year(4, 6))
    mission_kwargs.setdefault("end", next_year(4, 10))
    mission_kwargs.setdefault("status", MissionStatus.PLANNED)
    mission = persona_mission(p, **mission_kwargs)
    return make_assignment(
        mission.slots.get(), expert or p.expert, status=AssignmentStatus.INVITED, busy=True
    )


def _post(client, pk, action, body=None):
    return client.post(f"{INVITATIONS}{pk}/{action}/", body or {}, content_type="application/json")


def test_an_expert_lists_and_accepts_her_invitation(personas: Personas):
    invitation = _invitation(personas)
    client = api_client(personas.expert_user)
    listed = client.get(INVITATIONS).json()
    assert [i["id"] for i in listed["results"]] == [invitation.pk]
    item = listed["results"][0]
    assert item["may_answer"] is True and item["status"] == "invited"
    assert item["mission"]["reference"] == invitation.slot.mission.reference
    assert item["slot"]["requirements"][0]["topic"] == "risk_management"
    response = _post(client, invitation.pk, "accept")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["may_answer"] is False
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.ACCEPTED
    last = invitation.history.last()
    assert last is not None and last.by == personas.expert_user
    assert Notification.objects.filter(recipient=personas.secretariat).exists()
    assert client.get(INVITATIONS, {"status": "invited"}).json()["count"] == 0


def test_declining_needs_a_reason_named_by_its_field(personas: Personas):
    invitation = _invitation(personas)
    client = api_client(personas.expert_user)
    before = table_state()
    for body in ({}, {"reason": "   "}, {"reason": "x" * 5000}):
        response = _post(client, invitation.pk, "decline", body)
        assert response.status_code == 422, body
        assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert table_state() == before
    response = _post(client, invitation.pk, "decline", {"reason": "On leave that week."})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.DECLINED
    assert invitation.decline_reason == "On leave that week."


def test_someone_elses_invitation_is_404_and_nothing_is_written(personas: Personas):
    p = personas
    other = make_expert(home_administration=p.admin_c, first_name="Wanjiru", last_name="Kamau")
    theirs = _invitation(p, other)
    before = table_state()
    for user in (p.expert_user, p.member, p.lender):
        client = api_client(user)
        assert client.get(f"{INVITATIONS}{theirs.pk}/").status_code == 404, user
        response = _post(client, theirs.pk, "accept")
        assert response.status_code == 404, user
        assert "Kamau" not in response.content.decode()
        assert _post(client, theirs.pk, "decline", {"reason": "No"}).status_code == 404
    assert table_state() == before


def test_a_proposal_is_no_invitation(personas: Personas):
    mission = persona_mission(personas, start=next_year(4, 6), end=next_year(4, 10))
    proposal = make_assignment(mission.slots.get(), personas.expert)
    client = api_client(personas.expert_user)
    assert client.get(INVITATIONS).json()["count"] == 0
    assert _post(client, proposal.pk, "accept").status_code == 404


def test_other_roles_are_403(personas: Personas):
    invitation = _invitation(personas)
    before = table_state()
    for user in (personas.secretariat, personas.regional, personas.donor):
        client = api_client(user)
        assert client.get(INVITATIONS).status_code == 403, user
        assert client.get(f"{INVITATIONS}{invitation.pk}/").status_code == 403
        assert _post(client, invitation.pk, "accept").status_code == 403
    assert table_state() == before


def test_a_broken_rule_is_422_naming_it_and_writes_nothing(personas: Personas):
    invitation = _invitation(personas)
    mission = invitation.slot.mission
    # Straight to the ORM: a mission delivered while the invitation was still open.
    type(mission).objects.filter(pk=mission.pk).update(status=MissionStatus.DELIVERED)
    client = api_client(personas.expert_user)
    before = table_state()
    response = _post(client, invitation.pk, "accept")
    assert response.status_code == 422
    problem = response.json()
    assert "takes no more experts" in problem["errors"][0]["message"]
    assert "takes no more experts" in problem["detail"]
    assert table_state() == before


def test_answering_twice_is_422_naming_the_transition(personas: Personas):
    invitation = _invitation(personas)
    client = api_client(personas.expert_user)
    assert _post(client, invitation.pk, "accept").status_code == 200
    before = table_state()
    response = _post(client, invitation.pk, "decline", {"reason": "Changed my mind"})
    assert response.status_code == 422
    assert "cannot go from Accepted to Declined" in response.json()["detail"]
    assert table_state() == before


def test_a_member_answers_for_its_expert_without_a_login(personas: Personas):
    p = personas
    lent = make_expert(home_administration=p.admin_b, first_name="Paul", last_name="Martin")
    invitation = _invitation(p, lent)
    client = api_client(p.lender)
    listed = client.get(INVITATIONS).json()["results"]
    assert {i["id"]: i["may_answer"] for i in listed} == {invitation.pk: True}
    response = _post(client, invitation.pk, "accept")
    assert response.status_code == 200, response.content
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.ACCEPTED
    last = invitation.history.last()
    assert last is not None and last.note_code == "assignment.answered_on_behalf"


def test_a_member_may_not_answer_for_an_expert_with_a_login(personas: Personas):
    invitation = _invitation(personas)  # Ana Lima, lent by France, has a login
    client = api_client(personas.lender)
    assert client.get(f"{INVITATIONS}{invitation.pk}/").json()["may_answer"] is False
    before = table_state()
    response = _post(client, invitation.pk, "decline", {"reason": "Not available"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "expert" and "has a login" in error["message"]
    assert table_state() == before


def test_filters_and_pages(personas: Personas):
    first = _invitation(personas, start=next_year(3, 2), end=next_year(3, 4))
    second = _invitation(personas, start=next_year(6, 2), end=next_year(6, 4))
    client = api_client(personas.expert_user)
    page = client.get(INVITATIONS, {"page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and [i["id"] for i in page["results"]] == [second.pk]
    mission = first.slot.mission_id
    assert [i["id"] for i in client.get(INVITATIONS, {"mission": mission}).json()["results"]] == [
        first.pk
    ]
    response = client.get(INVITATIONS, {"status": "maybe"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"


def test_the_list_reads_a_fixed_number_of_queries(personas: Personas):
    client = api_client(personas.expert_user)
    _invitation(personas, start=next_year(3, 2), end=next_year(3, 4))

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            assert client.get(INVITATIONS).status_code == 200
        return len(done)

    few = queries()
    for month in (5, 7, 9, 11):
        _invitation(personas, start=next_year(month, 2), end=next_year(month, 4))
    assert queries() == few


def test_kenyas_focal_point_sees_none_of_frances_experts(personas: Personas):
    invitation = _invitation(personas)
    kenya = make_mission(
        requests=[make_request(administrations=[personas.admin_c])],
        start=next_year(8, 1),
        end=next_year(8, 3),
    )
    assert kenya.pk
    client = api_client(personas.outsider)
    assert client.get(INVITATIONS).json()["count"] == 0
    assert client.get(f"{INVITATIONS}{invitation.pk}/").status_code == 404
