"""A beneficiary evaluates the mission and each expert; the mission closes, its requests with
it."""

from __future__ import annotations

import pytest

from renfort.accounts.models import Notification
from renfort.assistance.models import RequestStatus
from renfort.missions.models import MissionStatus
from renfort.results.models import Evaluation, ExpertRating
from renfort.results.services import ExpertRatingSpec, evaluation_submit, mission_report_submit
from renfort.results.tests.factories import delivered, second_expert
from renfort.testing import Personas, make_expert, make_request, make_user, refuses

pytestmark = pytest.mark.django_db


def _rated(p: Personas, *experts, rating: int = 4):
    return [
        ExpertRatingSpec(e, rating, f"Good work, {e.first_name}.") for e in experts or (p.expert,)
    ]


def test_evaluating_rates_the_mission_and_each_expert(personas: Personas) -> None:
    bruno = second_expert(personas)
    mission = delivered(personas, experts=(personas.expert, bruno))
    evaluation = evaluation_submit(
        mission=mission,
        by=personas.member,
        rating=5,
        comments="Very useful.",
        expert_ratings=_rated(personas, personas.expert, bruno),
    )
    assert (evaluation.organisation, evaluation.rating) == (personas.admin_a, 5)
    assert sorted(evaluation.ratings.values_list("expert__first_name", "rating")) == [
        ("Ana", 4),
        ("Bruno", 4),
    ]
    told = set(Notification.objects.values_list("recipient__username", "code"))
    assert ("secretariat", "evaluation.submitted") in told
    assert ("expert", "evaluation.expert_rated") in told
    assert ("lender", "evaluation.expert_rated") in told  # France lends both
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DELIVERED  # the reports are not in yet


def test_the_evaluation_closes_a_reported_mission_and_its_requests(personas: Personas) -> None:
    mission = delivered(personas)
    mission.requests.update(status=RequestStatus.DELIVERED)
    mission_report_submit(
        mission=mission, author=personas.expert, by=personas.expert_user, activities="Done."
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.REPORTED
    evaluation_submit(
        mission=mission, by=personas.member, rating=4, expert_ratings=_rated(personas)
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED
    request = mission.requests.get()
    assert request.status == RequestStatus.CLOSED
    step = request.history.get(to_status=RequestStatus.CLOSED)
    assert (step.note_code, step.note_params) == (
        "request.closed_by_mission",
        {"mission": mission.reference},
    )
    assert "Closed with mission" in step.note_text
    assert Notification.objects.filter(code="mission.closed", recipient=personas.expert_user)


def test_an_evaluation_first_closes_the_mission_at_the_last_report(personas: Personas) -> None:
    mission = delivered(personas)
    evaluation_submit(
        mission=mission, by=personas.member, rating=4, expert_ratings=_rated(personas)
    )
    mission_report_submit(
        mission=mission, author=personas.expert, by=personas.expert_user, activities="Done."
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED
    assert [c.to_status for c in mission.history.all()] == ["reported", "closed"]


def test_a_request_answered_by_another_open_mission_stays_open(personas: Personas) -> None:
    mission = delivered(personas, status=MissionStatus.REPORTED)
    request = mission.requests.get()
    request.status = RequestStatus.DELIVERED
    request.save()
    other = delivered(personas, requests=[request], experts=(second_expert(personas),))
    assert other.status == MissionStatus.DELIVERED
    evaluation_submit(
        mission=mission, by=personas.member, rating=3, expert_ratings=_rated(personas)
    )
    mission.refresh_from_db()
    request.refresh_from_db()
    assert (mission.status, request.status) == (MissionStatus.CLOSED, RequestStatus.DELIVERED)


@pytest.mark.parametrize("who", ["outsider", "lender", "donor", "secretariat", "expert_user"])
def test_only_a_beneficiary_evaluates(personas: Personas, who: str) -> None:
    refuses(
        evaluation_submit,
        text="only a focal point of a beneficiary",
        field="by",
        mission=delivered(personas),
        by=getattr(personas, who),
        rating=3,
        expert_ratings=_rated(personas),
    )


def test_once_per_beneficiary_administration(personas: Personas) -> None:
    mission = delivered(personas)
    evaluation_submit(
        mission=mission, by=personas.member, rating=5, expert_ratings=_rated(personas)
    )
    colleague = make_user("member", personas.admin_a)
    refuses(
        evaluation_submit,
        text="Senegal Customs has already evaluated mission",
        field="by",
        mission=mission,
        by=colleague,
        rating=4,
        expert_ratings=_rated(personas),
    )


def test_each_beneficiary_of_a_regional_mission_evaluates(personas: Personas) -> None:
    request = make_request(administrations=[personas.admin_a, personas.admin_c])
    mission = delivered(personas, requests=[request])
    evaluation_submit(
        mission=mission, by=personas.member, rating=5, expert_ratings=_rated(personas)
    )
    evaluation_submit(
        mission=mission, by=personas.outsider, rating=3, expert_ratings=_rated(personas)
    )
    assert set(Evaluation.objects.values_list("organisation__name", flat=True)) == {
        "Senegal Customs",
        "Kenya Revenue Authority",
    }


@pytest.mark.parametrize("status", ["draft", "planned", "scheduled", "confirmed", "cancelled"])
def test_evaluation_after_delivery(personas: Personas, status: str) -> None:
    refuses(
        evaluation_submit,
        text="it can be evaluated once delivered",
        field="mission",
        mission=delivered(personas, status=status),
        by=personas.member,
        rating=3,
    )


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_rating_one_to_five(personas: Personas, rating) -> None:
    refuses(
        evaluation_submit,
        text=f"Rating: {rating} is not between 1 and 5",
        field="rating",
        mission=delivered(personas),
        by=personas.member,
        rating=rating,
        expert_ratings=_rated(personas),
    )


def test_every_expert_is_rated_once_and_nobody_else(personas: Personas) -> None:
    bruno = second_expert(personas)
    mission = delivered(personas, experts=(personas.expert, bruno))
    stranger = make_expert(home_administration=personas.admin_c, first_name="Zoe")
    cases = [
        (_rated(personas, personas.expert), f"Rating of {bruno}: rate the work of each expert"),
        (
            _rated(personas, personas.expert, bruno, stranger),
            f"{stranger} did not take part in mission {mission.reference}",
        ),
        (_rated(personas, personas.expert, bruno, bruno), f"{bruno} is rated twice"),
        (
            [ExpertRatingSpec(personas.expert, 9), ExpertRatingSpec(bruno, 3)],
            f"Rating of {personas.expert}: 9 is not between 1 and 5",
        ),
        (
            [ExpertRatingSpec(personas.expert, 4, "c" * 2001), ExpertRatingSpec(bruno, 3)],
            f"{personas.expert}: Comment: 2001 characters, at most 2000.",
        ),
    ]
    for ratings, text in cases:
        refuses(
            evaluation_submit,
            text=text,
            field="expert_ratings",
            mission=mission,
            by=personas.member,
            rating=4,
            expert_ratings=ratings,
        )
    assert not ExpertRating.objects.exists()
