"""The results of the history's missions: delivery, reports and evaluations."""

from __future__ import annotations

from typing import Any

from renfort.accounts.models import User
from renfort.demo import texts
from renfort.demo.history_builder import DAY, MS, CrewMember, HistoryBuilder, MissionDays
from renfort.missions.models import Mission
from renfort.results.models import Evaluation, ExpertRating, MissionDelivery, MissionReport

LINK = "/results/missions/{mission}/"


def add_results(
    builder: HistoryBuilder,
    mission: Mission,
    crew: list[CrewMember],
    days: MissionDays,
    focal: list[User | None],
    info: dict[str, Any],
) -> None:
    """Delivered with its actual days, a report by each expert, and (closed) an
    evaluation by each beneficiary rating each expert."""
    assert mission.start is not None and mission.end is not None
    builder.rows.add(
        MissionDelivery(
            mission=mission,
            actual_start=mission.start,
            actual_end=mission.end,
            by=builder.coordinator,
            at=builder.stamp(days.delivered),
        )
    )
    _reports(builder, mission, crew, days, info)
    if mission.status == MS.CLOSED:
        _evaluations(builder, mission, crew, days, focal, info)


def _reports(
    builder: HistoryBuilder,
    mission: Mission,
    crew: list[CrewMember],
    days: MissionDays,
    info: dict[str, Any],
) -> None:
    rng = builder.rng
    for p, _, _ in crew:
        at = builder.stamp(days.reported - DAY * rng.randint(0, 5))
        builder.rows.add(
            MissionReport(
                mission=mission,
                author=p.expert,
                filed_by=builder.coordinator,
                submitted_at=at,
                activities=rng.choice(texts.REPORT_SUMMARIES),
                findings=rng.choice(texts.REPORT_OUTCOMES),
                recommendations=rng.choice(texts.REPORT_RECOMMENDATIONS),
            )
        )
        builder.notify(
            builder.secretariat,
            "report.submitted",
            {**info, "expert": f"{p.expert.first_name} {p.expert.last_name}"},
            LINK,
            mission,
            at,
        )


def _evaluations(
    builder: HistoryBuilder,
    mission: Mission,
    crew: list[CrewMember],
    days: MissionDays,
    focal: list[User | None],
    info: dict[str, Any],
) -> None:
    rng = builder.rng
    for org, user in zip(mission._beneficiaries, focal, strict=True):  # type: ignore[attr-defined]
        at = builder.stamp(days.closed - DAY * rng.randint(1, 6))
        rating = rng.choices([2, 3, 4, 5], [5, 20, 45, 30])[0]
        evaluation = Evaluation(
            mission=mission,
            organisation=org,
            by=user,
            rating=rating,
            comments=rng.choice(texts.EVALUATION_COMMENTS),
            submitted_at=at,
        )
        evaluation._ratings = [  # type: ignore[attr-defined]
            ExpertRating(expert=p.expert, rating=min(5, max(1, rating + rng.choice([-1, 0, 0, 1]))))
            for p, _, _ in crew
        ]
        builder.rows.add(evaluation)
        builder.notify(
            builder.secretariat,
            "evaluation.submitted",
            {**info, "org": org.name, "rating": str(rating)},
            LINK + "evaluations/",
            mission,
            at,
        )
