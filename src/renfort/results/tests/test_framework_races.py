"""Two people write the results framework at the same moment: a year's plan is drafted once,
moves once, and a period of an indicator holds one value.

Threads (one connection each) call the services together (``missions/tests/racing.py``), 20
rounds a race, on SQLite (IMMEDIATE transactions serialise them) and PostgreSQL (the plan row
is locked; a second draft of a year meets the unique year and is refused; the value's period
is unique and a second recording corrects the first).
"""

from __future__ import annotations

import datetime
from functools import partial

import pytest

from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.results.models import DeliveryPlan, DeliveryPlanStatus, IndicatorActual
from renfort.results.services import (
    delivery_plan_create,
    delivery_plan_transition,
    indicator_actual_record,
    indicator_create,
    objective_create,
)
from renfort.testing import Personas, make_personas, make_user, persona_mission

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def test_two_coordinators_draft_the_same_year_at_once(p: Personas) -> None:
    other = make_user("secretariat", p.secretariat_org)
    rounds = Rounds()
    for n in range(ROUNDS):
        year = 2040 + n
        result = race(
            *(partial(delivery_plan_create, year=year, by=by) for by in (p.secretariat, other))
        )
        rounds.record(result, names=f"the delivery plan of {year} exists already")
        rounds.expect(DeliveryPlan.objects.filter(year=year).count() == 1, "plans", str(year))
    rounds.assert_clean()


def test_publishing_and_sending_back_at_once_move_the_plan_once(p: Personas) -> None:
    other = make_user("secretariat", p.secretariat_org)
    rounds = Rounds()
    for n in range(ROUNDS):
        plan = delivery_plan_create(year=2070 + n, by=p.secretariat)
        delivery_plan_transition(plan=plan, to_status=DeliveryPlanStatus.APPROVED, by=other)
        result = race(
            partial(
                delivery_plan_transition,
                plan=plan,
                to_status=DeliveryPlanStatus.PUBLISHED,
                by=p.secretariat,
            ),
            partial(
                delivery_plan_transition, plan=plan, to_status=DeliveryPlanStatus.DRAFT, by=other
            ),
        )
        rounds.record(result, names="cannot go from")
        plan.refresh_from_db()
        winner = result.successes[0] if result.successes else None
        rounds.expect(
            winner is not None and plan.status == winner.status,  # type: ignore[attr-defined]
            "status",
            plan.status,
        )
        rounds.expect(
            (plan.status == DeliveryPlanStatus.PUBLISHED) == (plan.published_at is not None),
            "published_at",
            plan.status,
        )
    rounds.assert_clean()


def test_two_people_record_the_same_period_at_once(p: Personas) -> None:
    objective = objective_create(title="T", level="tactical", missions=[persona_mission(p)])
    rounds = Rounds()
    for n in range(ROUNDS):
        indicator = indicator_create(objective=objective, name=f"I{n}", baseline=0, target=10)
        day = datetime.date(2030, 1, 1)
        result = race(
            *(
                partial(
                    indicator_actual_record,
                    indicator=indicator,
                    period_start=day,
                    period_end=day,
                    value=value,
                    by=by,
                )
                for by, value in ((p.secretariat, 4), (p.member, 5))
            )
        )
        rounds.record(result, successes=2)
        rows = list(IndicatorActual.objects.filter(indicator=indicator))
        rounds.expect(len(rows) == 1, "rows", str(len(rows)))
        rounds.expect(rows[0].value in (4, 5), "value", str(rows[0].value))
    rounds.assert_clean()
