"""The rules an assignment of an expert to a slot must keep.

``assignment_problems`` names every broken rule in a sentence that says which rule, which
expert, which slot and which value; an empty list means the assignment may stand. The
services call it before every write that puts an expert on a mission (create, swap, invite,
moving a mission's dates); the planner review and swap forms call it to explain a refusal.

Queries: two per call (the expert's other active assignments; the mission's assignments) when
the caller passes objects loaded with ``with_rule_data``/``prefetch_rule_data``; a few more
otherwise.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
    Slot,
    SlotRequirement,
)
from renfort.roster.models import Category, Expert, ReleaseStatus

# A mission in these statuses still takes experts.
STAFFABLE_MISSION_STATUSES = frozenset(
    {MissionStatus.DRAFT, MissionStatus.PLANNED, MissionStatus.SCHEDULED, MissionStatus.CONFIRMED}
)
# Missions whose assignments no longer hold the expert's time.
_DEAD_MISSION_STATUSES = [MissionStatus.CANCELLED]


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable ``code`` (for tests and UIs) and the sentence to show."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def travel_days() -> int:
    return int(getattr(settings, "PLANNER_TRAVEL_DAYS", 1))


def days_per_year(start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Days of the inclusive period ``start..end`` in each calendar year."""
    out: dict[int, int] = {}
    day = start
    while day <= end:
        year_end = min(end, datetime.date(day.year, 12, 31))
        out[day.year] = (year_end - day).days + 1
        day = year_end + datetime.timedelta(days=1)
    return out


def mission_days_per_year(
    mission: Mission, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[int, int]:
    """A mission's days per year: from its dates (or ``start``/``end``); an undated window
    counts its duration in the year the window opens."""
    start = start or mission.start
    end = end or mission.end
    if start is not None and end is not None:
        return days_per_year(start, end)
    if mission.window_start is not None and mission.duration_days:
        return {mission.window_start.year: mission.duration_days}
    return {}


# --- loading helpers ------------------------------------------------------------------------


def prefetch_rule_data(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """``assignments`` with everything ``assignment_problems`` reads on each row."""
    return assignments.select_related(
        "slot__mission", "expert__home_administration"
    ).prefetch_related(
        Prefetch("slot__requirements", queryset=SlotRequirement.objects.select_related("topic")),
        "slot__mission__beneficiaries",
        "expert__skills",
        "expert__unavailable",
    )


def with_rule_data(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    """``experts`` with what ``assignment_problems`` reads about each."""
    return experts.select_related("home_administration").prefetch_related("skills", "unavailable")


def slots_with_rule_data(slots: QuerySet[Slot]) -> QuerySet[Slot]:
    """``slots`` with what ``assignment_problems`` reads about each."""
    return slots.select_related("mission").prefetch_related(
        Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
        "mission__beneficiaries",
    )


# --- the rules ------------------------------------------------------------------------------


def assignment_problems(
    *,
    slot: Slot,
    expert: Expert,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    exclude: Assignment | None = None,
) -> list[str]:
    """Every rule that putting ``expert`` in ``slot`` breaks; ``[]`` when it may stand.

    ``start``/``end`` check against dates other than the mission's own (a move, or dates the
    planner picked). ``exclude`` is an assignment to leave out of the checks (the one being
    replaced or re-checked).
    """
    return [
        p.message
        for p in assignment_problem_list(
            slot=slot, expert=expert, start=start, end=end, exclude=exclude
        )
    ]


def assignment_problem_list(
    *,
    slot: Slot,
    expert: Expert,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    exclude: Assignment | None = None,
) -> list[Problem]:
    """As ``assignment_problems``, with a stable code for each problem."""
    mission = slot.mission
    start = start or mission.start
    end = end or mission.end
    names = {
        "expert": str(expert),
        "slot": slot.code,
        "mission": mission.reference,
    }
    problems: list[Problem] = []

    def add(code: str, message: str, **values: object) -> None:
        problems.append(Problem(code, message % {**names, **values}))

    exclude_pks = [exclude.pk] if exclude is not None else []

    # The mission must still take experts, and have dates.
    if mission.status not in STAFFABLE_MISSION_STATUSES:
        add(
            "mission_status",
            _("Mission %(mission)s is %(status)s: it takes no more experts (slot %(slot)s)."),
            status=MissionStatus(mission.status).label,
        )
    if start is None or end is None:
        add(
            "mission_dates",
            _(
                "Mission %(mission)s has no dates yet: set its dates or let the planner choose "
                "them (slot %(slot)s, expert %(expert)s)."
            ),
        )

    # The expert must be in the pool.
    if not expert.active:
        add("expert_active", _("Expert %(expert)s is not active in the pool (slot %(slot)s)."))
    if expert.release_status == ReleaseStatus.REFUSED:
        add(
            "expert_release",
            _("Expert %(expert)s: %(home)s refused to release them to the pool (slot %(slot)s)."),
            home=expert.home_administration.name,
        )

    # Profile: category, topic levels, language.
    if slot.category not in expert.categories:
        add(
            "category",
            _(
                "Expert %(expert)s is not a %(category)s, the category of slot %(slot)s "
                "(their categories: %(has)s)."
            ),
            category=_label(slot.category),
            has=", ".join(_label(c) for c in expert.categories) or "-",
        )
    levels = {skill.topic_id: skill.level for skill in expert.skills.all()}
    for requirement in slot.requirements.all():
        has = levels.get(requirement.topic_id)
        if has is None:
            add(
                "topic_level",
                _(
                    "Expert %(expert)s has no level in %(topic)s; slot %(slot)s needs level "
                    "%(level)s or more."
                ),
                topic=str(requirement.topic),
                level=requirement.level,
            )
        elif has < requirement.level:
            add(
                "topic_level",
                _(
                    "Expert %(expert)s has level %(has)s in %(topic)s; slot %(slot)s needs "
                    "level %(level)s or more."
                ),
                topic=str(requirement.topic),
                level=requirement.level,
                has=has,
            )
    if mission.language not in expert.languages:
        add(
            "language",
            _(
                "Expert %(expert)s does not speak %(language)s, the language of mission "
                "%(mission)s (slot %(slot)s)."
            ),
            language=mission.language,
        )

    # From outside the beneficiary administrations (by country).
    home = expert.home_administration
    beneficiaries = list(mission.beneficiaries.all())
    if any(b.pk == home.pk or (b.country and b.country == home.country) for b in beneficiaries):
        add(
            "beneficiary",
            _(
                "Expert %(expert)s comes from %(home)s (%(country)s), a beneficiary of mission "
                "%(mission)s; experts come from outside the beneficiary administrations "
                "(slot %(slot)s)."
            ),
            home=home.name,
            country=home.country or "-",
        )

    # The mission's own assignments: the slot is free, one slot per expert, countries.
    mission_assignments = list(
        Assignment.objects.filter(
            slot__mission_id=mission.pk, status__in=list(ACTIVE_ASSIGNMENT_STATUSES)
        )
        .exclude(pk__in=exclude_pks)
        .select_related("expert__home_administration", "slot")
    )
    for other in mission_assignments:
        if other.slot_id == slot.pk and other.expert_id != expert.pk:
            add(
                "slot_taken",
                _(
                    "Slot %(slot)s is already held by %(other)s (%(status)s); withdraw or swap "
                    "that assignment before giving it to expert %(expert)s."
                ),
                other=str(other.expert),
                status=AssignmentStatus(other.status).label,
            )
        elif other.expert_id == expert.pk:
            add(
                "same_mission",
                _(
                    "Expert %(expert)s already holds slot %(other_slot)s of mission "
                    "%(mission)s; one expert takes one slot (slot %(slot)s)."
                ),
                other_slot=other.slot.code,
            )
        elif (
            mission.distinct_countries == "required"
            and other.expert.home_administration.country == home.country
        ):
            add(
                "distinct_countries",
                _(
                    "Expert %(expert)s comes from %(country)s like %(other)s in slot "
                    "%(other_slot)s; mission %(mission)s requires experts from different "
                    "countries (slot %(slot)s)."
                ),
                country=home.country or home.name,
                other=str(other.expert),
                other_slot=other.slot.code,
            )

    if start is None or end is None:
        return problems

    # Availability.
    for period in expert.unavailable.all():
        if period.start <= end and period.end >= start:
            add(
                "unavailable",
                _(
                    "Expert %(expert)s is unavailable from %(from)s to %(to)s%(why)s, during "
                    "mission %(mission)s (%(start)s to %(end)s, slot %(slot)s)."
                ),
                **{"from": period.start, "to": period.end},
                why=f" ({period.reason})" if period.reason else "",
                start=start,
                end=end,
            )

    # Other missions of the expert: no overlap, travel days between, yearly released days.
    travel = travel_days()
    others = (
        Assignment.objects.filter(expert_id=expert.pk, status__in=list(ACTIVE_ASSIGNMENT_STATUSES))
        .exclude(pk__in=exclude_pks)
        .exclude(slot__mission_id=mission.pk)
        .exclude(slot__mission__status__in=_DEAD_MISSION_STATUSES)
        .select_related("slot__mission")
    )
    used: dict[int, int] = defaultdict(int)
    seen_missions: set[int] = set()
    for other in others:
        other_mission = other.slot.mission
        if other_mission.pk in seen_missions:
            continue
        seen_missions.add(other_mission.pk)
        for year, days in mission_days_per_year(other_mission).items():
            used[year] += days
        o_start, o_end = other_mission.start, other_mission.end
        if o_start is None or o_end is None:
            continue
        gap = datetime.timedelta(days=travel)
        if o_start <= end + gap and o_end >= start - gap:
            add(
                "overlap",
                _(
                    "Expert %(expert)s is on mission %(other)s from %(ostart)s to %(oend)s, "
                    "which overlaps mission %(mission)s (%(start)s to %(end)s, slot %(slot)s) "
                    "or leaves fewer than %(travel)s travel day(s) between them."
                ),
                other=other_mission.reference,
                ostart=o_start,
                oend=o_end,
                start=start,
                end=end,
                travel=travel,
            )
    for year, days in sorted(days_per_year(start, end).items()):
        if used[year] + days > expert.released_days_per_year:
            add(
                "released_days",
                _(
                    "Expert %(expert)s is released for %(cap)s days in %(year)s: %(used)s are "
                    "already assigned and mission %(mission)s (slot %(slot)s) needs %(days)s "
                    "more."
                ),
                cap=expert.released_days_per_year,
                year=year,
                used=used[year],
                days=days,
            )
    return problems


def _label(category: str) -> str:
    return str(Category(category).label) if category in Category.values else category


def problems_for_assignments(
    assignments: Iterable[Assignment],
) -> dict[int, list[str]]:
    """``{assignment id: problems}`` for assignments loaded with ``prefetch_rule_data``."""
    return {a.pk: assignment_problems(slot=a.slot, expert=a.expert, exclude=a) for a in assignments}
