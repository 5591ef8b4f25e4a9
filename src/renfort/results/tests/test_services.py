from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from renfort.missions.models import MissionStatus
from renfort.results.models import IndicatorActual
from renfort.results.services import (
    evaluation_submit,
    indicator_actual_record,
    indicator_create,
    mission_report_submit,
    objective_create,
)
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_user,
    next_year,
    persona_mission,
    table_state,
)

PAST = datetime.date.today() - datetime.timedelta(days=20)


def refuses(call, *, text: str, **kwargs) -> None:
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert text in " | ".join(exc.value.messages), exc.value.messages
    assert table_state() == before


def delivered(p: Personas, **kwargs):
    mission = persona_mission(
        p, status="delivered", start=PAST, end=PAST + datetime.timedelta(days=4), **kwargs
    )
    make_assignment(mission.slots.get(), p.expert, status="completed", release_status="granted")
    return mission


@pytest.mark.django_db
def test_objective_indicator_and_actuals(personas: Personas) -> None:
    mission = persona_mission(personas)
    objective = objective_create(title="Faster clearance", level="strategic", missions=[mission])
    assert list(objective.missions.all()) == [mission]
    indicator = indicator_create(
        objective=objective, name="Release time", unit="hours", baseline=72, target="24"
    )
    assert indicator.target == Decimal("24")
    indicator_actual_record(
        indicator=indicator, period_start=next_year(1, 1), period_end=next_year(6, 30), value=60
    )
    indicator_actual_record(
        indicator=indicator, period_start=next_year(1, 1), period_end=next_year(6, 30), value=55
    )
    assert IndicatorActual.objects.get().value == Decimal("55")


@pytest.mark.django_db
def test_objective_and_indicator_validation(personas: Personas) -> None:
    refuses(objective_create, text="Title: required", title=" ", level="strategic")
    refuses(objective_create, text="galactic is not strategic", title="T", level="galactic")
    objective = objective_create(title="T", level="tactical")
    refuses(
        indicator_create,
        text="Baseline: many is not a number",
        objective=objective,
        name="N",
        baseline="many",
        target=1,
    )
    refuses(
        indicator_create,
        text="is before the baseline date",
        objective=objective,
        name="N",
        baseline=1,
        target=2,
        baseline_date=next_year(6, 1),
        target_date=next_year(1, 1),
    )
    indicator = indicator_create(objective=objective, name="N", baseline=1, target=2)
    refuses(
        indicator_actual_record,
        text="Period: the end",
        indicator=indicator,
        period_start=next_year(6, 1),
        period_end=next_year(1, 1),
        value=1,
    )


@pytest.mark.django_db
def test_report_by_an_assigned_expert_reports_the_mission(personas: Personas) -> None:
    mission = delivered(personas)
    report = mission_report_submit(mission=mission, author=personas.expert, summary="Went well.")
    assert report.author == personas.expert
    mission.refresh_from_db()
    assert mission.status == MissionStatus.REPORTED
    assert mission.history.get().to_status == MissionStatus.REPORTED


@pytest.mark.django_db
def test_report_author_must_have_been_assigned(personas: Personas) -> None:
    mission = delivered(personas)
    stranger = make_expert(home_administration=personas.admin_b, first_name="Zoe")
    refuses(
        mission_report_submit,
        text=f"{stranger} was not assigned to mission {mission.reference}",
        mission=mission,
        author=stranger,
        summary="I was not there.",
    )
    withdrawn = make_expert(home_administration=personas.admin_c, first_name="Wim")
    make_assignment(mission.slots.get(), withdrawn, status="withdrawn")
    refuses(
        mission_report_submit,
        text="was not assigned",
        mission=mission,
        author=withdrawn,
        summary="x",
    )


@pytest.mark.django_db
def test_report_follows_delivery(personas: Personas) -> None:
    mission = persona_mission(personas, status="confirmed")
    make_assignment(mission.slots.get(), personas.expert, status="confirmed")
    refuses(
        mission_report_submit,
        text="a report follows a delivered mission",
        mission=mission,
        author=personas.expert,
        summary="Early.",
    )
    refuses(
        mission_report_submit,
        text="Summary: required",
        mission=delivered(personas),
        author=personas.expert,
        summary="",
    )


@pytest.mark.django_db
def test_evaluation_by_a_beneficiary_focal_point(personas: Personas) -> None:
    mission = delivered(personas)
    evaluation = evaluation_submit(mission=mission, by=personas.member, rating=5, comments="Great")
    assert evaluation.rating == 5
    refuses(
        evaluation_submit,
        text="has already evaluated",
        mission=mission,
        by=personas.member,
        rating=4,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "lender", "donor", "secretariat", "expert_user"])
def test_evaluation_only_by_the_beneficiary(personas: Personas, who: str) -> None:
    refuses(
        evaluation_submit,
        text="only a focal point of a beneficiary",
        mission=delivered(personas),
        by=getattr(personas, who),
        rating=3,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "planned", "scheduled", "confirmed", "cancelled"])
def test_evaluation_after_delivery(personas: Personas, status: str) -> None:
    refuses(
        evaluation_submit,
        text="it can be evaluated once delivered",
        mission=persona_mission(personas, status=status),
        by=personas.member,
        rating=3,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 6, -1])
def test_rating_one_to_five(personas: Personas, rating: int) -> None:
    second = make_user("member", personas.admin_a)
    refuses(
        evaluation_submit,
        text=f"Rating: {rating} is not between 1 and 5",
        mission=delivered(personas),
        by=second,
        rating=rating,
    )
