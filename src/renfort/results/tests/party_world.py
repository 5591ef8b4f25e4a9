"""Demo-like results for the party pages, built through the services: delivered missions for
Senegal (funded by the donor agency, staffed by France's experts), their reports with a
follow-up action, Senegal's evaluations with a rating of each expert, an agreement with
budget lines, a funding and an actual cost, and an indicator with actuals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from renfort.agreements.models import Agreement, AgreementStatus
from renfort.agreements.services import actual_cost_record, agreement_fund_mission
from renfort.agreements.tests.factories import funded_agreement
from renfort.assistance.models import Level
from renfort.missions.models import Mission, MissionStatus
from renfort.results.models import Indicator
from renfort.results.services import (
    ExpertRatingSpec,
    FollowUpSpec,
    evaluation_submit,
    indicator_actual_record,
    indicator_create,
    mission_report_submit,
    objective_create,
)
from renfort.results.tests.factories import TODAY, delivered, second_expert
from renfort.roster.models import Expert
from renfort.testing import Personas

START = TODAY - datetime.timedelta(days=60)
ANA_COMMENT = "Clear, practical and patient with the trainees."
BRUNO_COMMENT = "Kept the schedule; slides came late."


@dataclass
class World:
    p: Personas
    bruno: Expert
    agreement: Agreement
    indicator: Indicator
    missions: list[Mission] = field(default_factory=list)


def deliver_one(w: World, n: int) -> Mission:
    """One more mission delivered for Senegal with Ana and Bruno, reported and evaluated
    (Ana 5/5 with a comment, Bruno 4/5), a follow-up action for Senegal, funded by the
    agreement with an actual cost."""
    p = w.p
    start = START - datetime.timedelta(days=20 * n)
    mission = delivered(
        p, experts=(p.expert, w.bruno), start=start, title=f"Risk management workshop {n}"
    )
    due = TODAY + datetime.timedelta(days=30 + n)
    for expert in (p.expert, w.bruno):
        assert expert.user is not None
        mission_report_submit(
            mission=mission,
            author=expert,
            by=expert.user,
            activities="Trained 20 officers.",
            follow_ups=[FollowUpSpec(f"Publish the risk profiles ({expert})", p.admin_a, due)],
        )
    evaluation_submit(
        mission=mission,
        by=p.member,
        rating=4,
        comments="Useful.",
        expert_ratings=[
            ExpertRatingSpec(p.expert, 5, ANA_COMMENT),
            ExpertRatingSpec(w.bruno, 4, BRUNO_COMMENT),
        ],
    )
    agreement_fund_mission(
        agreement=w.agreement,
        mission=mission,
        amount=Decimal("500"),
        budget_line=w.agreement.lines.first(),
        by=p.secretariat,
    )
    assert mission.end is not None
    actual_cost_record(
        agreement=w.agreement,
        mission=mission,
        budget_line=w.agreement.lines.first(),
        description="Daily allowances",
        paid_on=mission.end,
        paid_amount=Decimal("400"),
        paid_currency="EUR",
        by=p.secretariat,
    )
    w.indicator.objective.missions.add(mission)
    w.missions.append(mission)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED
    return mission


def make_world(p: Personas, missions: int = 1) -> World:
    bruno = second_expert(p)
    agreement, _lines = funded_agreement(
        p,
        start=TODAY.replace(month=1, day=1) - datetime.timedelta(days=400),
        end=TODAY.replace(month=12, day=31),
        status=AgreementStatus.ACTIVE,
    )
    objective = objective_create(
        title="Faster clearance in Senegal", level=Level.TACTICAL, agreements=[agreement]
    )
    indicator = indicator_create(
        objective=objective,
        name="Average release time",
        unit="hours",
        baseline=48,
        target=24,
        direction="lower",
    )
    for months, value in ((9, 44), (6, 40), (3, 36)):
        first = TODAY - datetime.timedelta(days=30 * months)
        indicator_actual_record(
            indicator=indicator,
            period_start=first,
            period_end=first + datetime.timedelta(days=27),
            value=value,
            by=p.secretariat,
        )
    w = World(p=p, bruno=bruno, agreement=agreement, indicator=indicator)
    for n in range(missions):
        deliver_one(w, n)
    return w
