"""A member focal point answers a mission invitation for one of its experts without a login;
the assignment's history says who answered for whom, in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renfort.missions.models import Assignment, AssignmentStatus, MissionStatus
from renfort.missions.services.on_behalf import assignment_answer_on_behalf
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_personas,
    make_user,
    persona_mission,
    refuses,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _invited(p: Personas, *, with_login: bool = False) -> Assignment:
    """An invitation of a French expert (lent by ``p.lender``'s administration)."""
    if with_login:
        expert = p.expert
    else:
        expert = make_expert(home_administration=p.admin_b, first_name="Lucie", last_name="Martin")
    mission = persona_mission(p, status=MissionStatus.SCHEDULED)
    return make_assignment(mission.slots.get(), expert, status=AssignmentStatus.INVITED)


def test_the_focal_point_accepts_for_its_expert_without_a_login(p: Personas) -> None:
    p.lender.first_name, p.lender.last_name = "Jeanne", "Roux"
    p.lender.save()
    assignment = _invited(p)
    assignment_answer_on_behalf(assignment=assignment, by=p.lender, accept=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    change = assignment.history.order_by("-pk").first()
    assert change is not None and change.by == p.lender
    assert change.note_code == "assignment.answered_on_behalf"
    assert change.note_params == {
        "by": "Jeanne Roux",
        "org": "French Customs",
        "expert": "Lucie Martin",
    }
    with translation.override("en"):
        assert change.note_text == (
            "Answered by Jeanne Roux (French Customs) on behalf of Lucie Martin."
        )
    with translation.override("fr"):
        assert change.note_text == (
            "Réponse donnée par Jeanne Roux (French Customs) au nom de Lucie Martin."
        )


def test_declining_on_behalf_needs_a_reason_and_keeps_it(p: Personas) -> None:
    assignment = _invited(p)
    refuses(
        assignment_answer_on_behalf,
        text="Reason: say why Lucie Martin declines",
        assignment=assignment,
        by=p.lender,
        accept=False,
    )
    assignment_answer_on_behalf(
        assignment=assignment, by=p.lender, accept=False, reason="On leave that week."
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decline_reason) == (
        AssignmentStatus.DECLINED,
        "On leave that week.",
    )


def test_another_administrations_focal_point_is_refused(p: Personas) -> None:
    assignment = _invited(p)
    for other in (p.outsider, p.member, p.secretariat):
        refuses(
            assignment_answer_on_behalf,
            text="is not an expert of your administration",
            field="expert",
            assignment=assignment,
            by=other,
            accept=True,
        )


def test_an_expert_with_a_login_answers_herself(p: Personas) -> None:
    assignment = _invited(p, with_login=True)
    refuses(
        assignment_answer_on_behalf,
        text="Expert: Ana Lima has a login and answers their invitations.",
        field="expert",
        assignment=assignment,
        by=p.lender,
        accept=True,
    )


def test_only_an_invitation_is_answered(p: Personas) -> None:
    assignment = _invited(p)
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.PROPOSED)
    refuses(
        assignment_answer_on_behalf,
        text="is not invited to this slot",
        assignment=assignment,
        by=p.lender,
        accept=True,
    )


def test_a_deactivated_focal_point_is_refused(p: Personas) -> None:
    assignment = _invited(p)
    p.lender.is_active = False
    p.lender.save()
    refuses(
        assignment_answer_on_behalf,
        text="is not an expert of your administration",
        assignment=assignment,
        by=p.lender,
        accept=True,
    )


# --- the page --------------------------------------------------------------------------------


def test_the_releases_page_offers_to_answer_only_for_experts_without_a_login(
    client: Client, p: Personas
) -> None:
    free = _invited(p)
    logged = _invited(p, with_login=True)
    client.force_login(p.lender)
    html = client.get(reverse("roster:releases")).content.decode()
    assert reverse("roster:answer_on_behalf", args=[free.pk]) in html
    assert reverse("roster:answer_on_behalf", args=[logged.pk]) not in html


def test_answering_on_the_page_asks_once_more(client: Client, p: Personas) -> None:
    assignment = _invited(p)
    url = reverse("roster:answer_on_behalf", args=[assignment.pk])
    client.force_login(p.lender)
    page = client.post(url, {"answer": "accept"})
    assert page.status_code == 200
    assert "on behalf of Lucie Martin" in page.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.INVITED
    # Declining without a reason: the confirmation comes back with the error.
    assert client.post(url, {"answer": "decline", "confirmed": "yes"}).status_code == 400
    response = client.post(url, {"answer": "accept", "confirmed": "yes"})
    assert response.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ACCEPTED


def test_the_page_answers_404_to_another_administration(client: Client, p: Personas) -> None:
    assignment = _invited(p)
    url = reverse("roster:answer_on_behalf", args=[assignment.pk])
    client.force_login(p.outsider)
    assert client.post(url, {"answer": "accept", "confirmed": "yes"}).status_code == 404
    client.force_login(p.expert_user)
    assert client.post(url, {"answer": "accept", "confirmed": "yes"}).status_code == 403
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.INVITED


def test_the_page_refuses_for_an_expert_with_a_login(client: Client, p: Personas) -> None:
    assignment = _invited(p, with_login=True)
    colleague = make_user("member", p.admin_b)
    client.force_login(colleague)
    url = reverse("roster:answer_on_behalf", args=[assignment.pk])
    response = client.post(url, {"answer": "accept", "confirmed": "yes"}, follow=True)
    assert "has a login and answers their invitations" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.INVITED
