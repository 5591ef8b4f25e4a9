"""The history's assignments: each walked from the proposal to its outcome, with the
notifications the secretariat and the expert's home administration would have had."""

from __future__ import annotations

import datetime
from typing import Any

from renfort.demo import texts
from renfort.demo.history_builder import AS, DAY, HistoryBuilder, MissionDays, Pooled, Step
from renfort.missions.messages import topic_level
from renfort.missions.models import Assignment, AssignmentSource, Mission, Slot
from renfort.roster.models import ReleaseStatus

LINK = "/missions/{mission}/"


def add_assignment(
    builder: HistoryBuilder,
    mission: Mission,
    slot: Slot,
    p: Pooled,
    outcome: str,
    days: MissionDays,
    info: dict[str, Any],
) -> None:
    """One assignment walked to ``outcome`` ("declined", "refused", completed or
    withdrawn with the mission): proposed, invited, and on."""
    rng = builder.rng
    planner = rng.random() < 0.6
    invited = days.planned + DAY * rng.randint(1, 3)
    answered = invited + DAY * rng.randint(1, 10)
    home = builder.focal.get(p.expert.home_administration_id)
    who = {**info, "expert": str(p.expert.first_name + " " + p.expert.last_name)}
    a = Assignment(
        slot=slot,
        expert=p.expert,
        source=AssignmentSource.PLANNER if planner else AssignmentSource.MANUAL,
        release_status=ReleaseStatus.GRANTED,
        created_at=builder.stamp(days.planned),
    )
    if planner:
        _explain(builder, a, mission, slot, p)
    steps: list[Step] = [
        ("", AS.PROPOSED, a.created_at, "", {}, ""),
        (AS.PROPOSED, AS.INVITED, builder.stamp(invited), "", {}, ""),
    ]
    builder.notify(
        [home], "assignment.release_asked", who, "/experts/releases/", mission, steps[-1][2]
    )
    if outcome == "declined":
        _declined(builder, a, mission, who, answered, steps)
    elif outcome == "refused":
        _refused(builder, a, mission, p, who, answered, steps)
    elif outcome == AS.WITHDRAWN:  # the mission was cancelled before anyone answered
        _withdrawn_with_mission(builder, a, mission, days, steps)
    else:
        _completed(builder, a, mission, p, who, answered, days, steps)
    a.updated_at = steps[-1][2]
    builder.rows.add(a)
    builder.steps(a, steps)


def _explain(
    builder: HistoryBuilder, a: Assignment, mission: Mission, slot: Slot, p: Pooled
) -> None:
    """The planner's explanation of its proposal, and how well the expert fits the slot."""
    requirements = slot._requirements  # type: ignore[attr-defined]
    a.explanation_code = "assignment.fit"
    a.explanation_params = {
        "category": slot.category,
        "language": mission.language,
        "skills": [
            topic_level(t, builder.ctx.topics[t].name, p.skills.get(t, 0), lv)
            for t, lv in sorted(requirements.items())
        ],
        "country": p.country.code,
    }
    a.fit = round(
        sum(min(1.0, p.skills.get(t, 0) / 4) for t in requirements) / max(len(requirements), 1),
        2,
    )


def _slot_code(mission: Mission, a: Assignment) -> str:
    return f"{mission.reference}-{a.slot.position}"


def _declined(
    builder: HistoryBuilder,
    a: Assignment,
    mission: Mission,
    who: dict[str, Any],
    answered: datetime.date,
    steps: list[Step],
) -> None:
    a.status = AS.DECLINED
    a.release_status = ReleaseStatus.PENDING
    a.decline_reason = builder.rng.choice(texts.DECLINE_INVITATION_REASONS)
    steps.append((AS.INVITED, AS.DECLINED, builder.stamp(answered), "", {}, a.decline_reason))
    builder.notify(
        builder.secretariat,
        "assignment.answered",
        {**who, "status": AS.DECLINED, "slot": _slot_code(mission, a), "note": a.decline_reason},
        LINK,
        mission,
        steps[-1][2],
    )


def _refused(
    builder: HistoryBuilder,
    a: Assignment,
    mission: Mission,
    p: Pooled,
    who: dict[str, Any],
    answered: datetime.date,
    steps: list[Step],
) -> None:
    """The expert's home administration refused the release: withdrawn."""
    a.status = AS.WITHDRAWN
    a.release_status = ReleaseStatus.REFUSED
    home_name = p.expert.home_administration.name
    steps.append(
        (
            AS.INVITED,
            AS.WITHDRAWN,
            builder.stamp(answered),
            "assignment.release_refused",
            {"home": home_name},
            "",
        )
    )
    builder.notify(
        builder.secretariat,
        "release.refused",
        {"expert": who["expert"], "home": home_name, "reference": mission.reference},
        LINK,
        mission,
        steps[-1][2],
    )


def _withdrawn_with_mission(
    builder: HistoryBuilder,
    a: Assignment,
    mission: Mission,
    days: MissionDays,
    steps: list[Step],
) -> None:
    a.status = AS.WITHDRAWN
    a.release_status = ReleaseStatus.PENDING
    steps.append(
        (
            AS.INVITED,
            AS.WITHDRAWN,
            builder.stamp(days.cancelled),
            "assignment.mission_cancelled",
            {"mission": mission.reference},
            "",
        )
    )


def _completed(
    builder: HistoryBuilder,
    a: Assignment,
    mission: Mission,
    p: Pooled,
    who: dict[str, Any],
    answered: datetime.date,
    days: MissionDays,
    steps: list[Step],
) -> None:
    """Accepted, released, confirmed and completed with the mission."""
    ref = {"mission": mission.reference}
    a.status = AS.COMPLETED
    steps.append((AS.INVITED, AS.ACCEPTED, builder.stamp(answered), "", {}, ""))
    builder.notify(
        builder.secretariat,
        "assignment.answered",
        {**who, "status": AS.ACCEPTED, "slot": _slot_code(mission, a)},
        LINK,
        mission,
        steps[-1][2],
    )
    granted = builder.stamp(answered + DAY * builder.rng.randint(1, 7))
    builder.notify(
        builder.secretariat,
        "release.granted",
        {
            "expert": who["expert"],
            "home": p.expert.home_administration.name,
            "reference": mission.reference,
        },
        LINK,
        mission,
        granted,
    )
    steps.append(
        (
            AS.ACCEPTED,
            AS.CONFIRMED,
            builder.stamp(days.confirmed),
            "assignment.mission_confirmed",
            ref,
            "",
        )
    )
    steps.append(
        (
            AS.CONFIRMED,
            AS.COMPLETED,
            builder.stamp(days.delivered),
            "assignment.mission_delivered",
            ref,
            "",
        )
    )
    assert mission.start is not None and mission.end is not None
    a.busy_from, a.busy_to = mission.start, mission.end + DAY * builder.travel
