"""The rules an assignment of an expert to a slot must keep, said in sentences.

The rules themselves live in ``missions.eligibility``: one small function per family over
plain facts, shared by everything that decides who may take a slot. Here
``assignment_problem_list`` loads the facts of one pair and turns each broken rule into a
sentence that says which rule, which expert, which slot and which value; an empty list means
the assignment may stand. The services call it before every write that puts an expert on a
mission (create, swap, invite, moving a mission's dates); the planner review and swap forms
call it to explain a refusal.

Queries: four per call (the mission's active assignments; the expert's assignments and
exclusions on the mission; the expert's other missions) when the caller passes objects loaded
with ``with_rule_data``/``prefetch_rule_data``/``slots_with_rule_data``; a few more otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from renfort.missions.eligibility import (
    ExclusionKind,
    ExpertFacts,
    Miss,
    SlotFacts,
    assignment_misses,
    bookings_of,
    bookings_outside,
    crew_of,
    exclusions_of,
    slot_facts,
    travel_days,
)
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    MissionStatus,
    Slot,
    SlotRequirement,
)
from renfort.roster.models import Category, Expert


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable ``code`` (for tests and UIs) and the sentence to show."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


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
    skip = exclude.pk if exclude is not None else None
    excluded = exclusions_of([slot.mission_id], expert_ids=[expert.pk])
    facts = slot_facts(
        slot,
        held=crew_of([slot.mission_id], exclude=skip)[slot.mission_id],
        excluded=excluded.of(slot.pk, slot.mission_id),
        start=start,
        end=end,
    )
    who = ExpertFacts.of(expert)
    bookings = bookings_of([expert.pk], exclude_missions=[slot.mission_id]).get(expert.pk, [])
    misses = assignment_misses(
        facts,
        who,
        unavailable=list(expert.unavailable.all()),
        bookings=bookings_outside(bookings, facts, skip),
        travel=travel_days(),
    )
    return [Problem(m.code, _SENTENCES[m.code](m, _Names(facts, who, slot))) for m in misses]


@dataclass(frozen=True)
class _Names:
    """What the sentences name: the expert, the slot, the mission."""

    slot: SlotFacts
    expert: ExpertFacts
    slot_row: Slot

    def __call__(self, **values: object) -> dict[str, object]:
        return {
            "expert": self.expert.name,
            "slot": self.slot.code,
            "mission": self.slot.reference,
            **values,
        }

    def topic(self, key: object) -> str:
        return next(
            (str(r.topic) for r in self.slot_row.requirements.all() if r.topic_id == key), ""
        )


def _mission_sentence(miss: Miss, say: _Names) -> str:
    if miss.code == "mission_status":
        return _(
            "Mission %(mission)s is %(status)s: it takes no more experts (slot %(slot)s)."
        ) % say(status=MissionStatus(miss.values["status"]).label)
    return (
        _(
            "Mission %(mission)s has no dates yet: set its dates or let the planner choose "
            "them (slot %(slot)s, expert %(expert)s)."
        )
        % say()
    )


def _pool_sentence(miss: Miss, say: _Names) -> str:
    if miss.code == "expert_active":
        return _("Expert %(expert)s is not active in the pool (slot %(slot)s).") % say()
    return _(
        "Expert %(expert)s: %(home)s refused to release them to the pool (slot %(slot)s)."
    ) % say(home=say.expert.home_name)


def _profile_sentence(miss: Miss, say: _Names) -> str:
    expert = say.expert
    if miss.code == "category":
        return _(
            "Expert %(expert)s is not a %(category)s, the category of slot %(slot)s "
            "(their categories: %(has)s)."
        ) % say(
            category=_label(say.slot.needs.category),
            has=", ".join(_label(c) for c in expert.categories) or "-",
        )
    if miss.code == "topic_level":
        values = say(topic=say.topic(miss.values["topic"]), level=miss.values["level"])
        if miss.values["has"] is None:
            return (
                _(
                    "Expert %(expert)s has no level in %(topic)s; slot %(slot)s needs level "
                    "%(level)s or more."
                )
                % values
            )
        return _(
            "Expert %(expert)s has level %(has)s in %(topic)s; slot %(slot)s needs "
            "level %(level)s or more."
        ) % {**values, "has": miss.values["has"]}
    if miss.code == "language":
        return _(
            "Expert %(expert)s does not speak %(language)s, the language of mission "
            "%(mission)s (slot %(slot)s)."
        ) % say(language=say.slot.needs.language)
    return _(
        "Expert %(expert)s comes from %(home)s (%(country)s), a beneficiary of mission "
        "%(mission)s; experts come from outside the beneficiary administrations "
        "(slot %(slot)s)."
    ) % say(home=expert.home_name, country=expert.country or "-")


def _crew_sentence(miss: Miss, say: _Names) -> str:
    other = miss.values["other"]
    if miss.code == "slot_taken":
        return _(
            "Slot %(slot)s is already held by %(other)s (%(status)s); withdraw or swap "
            "that assignment before giving it to expert %(expert)s."
        ) % say(other=other.expert_name, status=AssignmentStatus(other.status).label)
    if miss.code == "same_mission":
        return _(
            "Expert %(expert)s already holds slot %(other_slot)s of mission "
            "%(mission)s; one expert takes one slot (slot %(slot)s)."
        ) % say(other_slot=other.slot_code)
    return _(
        "Expert %(expert)s comes from %(country)s like %(other)s in slot "
        "%(other_slot)s; mission %(mission)s requires experts from different "
        "countries (slot %(slot)s)."
    ) % say(
        country=say.expert.country or say.expert.home_name,
        other=other.expert_name,
        other_slot=other.slot_code,
    )


def _exclusion_sentence(miss: Miss, say: _Names) -> str:
    exclusion = miss.values["exclusion"]
    values = say(other_slot=exclusion.slot_code, home=say.expert.home_name)
    if exclusion.kind == ExclusionKind.MANUAL:
        return _(
            "Expert %(expert)s is excluded from slot %(slot)s by %(by)s%(why)s; remove the "
            "exclusion on the mission's page to place them there."
        ) % {
            **values,
            "by": exclusion.by or "-",
            "why": f" ({exclusion.reason})" if exclusion.reason else "",
        }
    if exclusion.kind == ExclusionKind.DECLINED:
        return (
            _(
                "Expert %(expert)s declined slot %(other_slot)s of mission %(mission)s: they "
                "are not placed in this mission again (slot %(slot)s)."
            )
            % values
        )
    if exclusion.kind == ExclusionKind.RELEASE_REFUSED:
        return (
            _(
                "%(home)s refused to release expert %(expert)s for mission %(mission)s (slot "
                "%(other_slot)s): they are not placed in this mission again (slot %(slot)s)."
            )
            % values
        )
    return (
        _(
            "Expert %(expert)s was withdrawn from slot %(other_slot)s of mission %(mission)s: "
            "they are not placed in this mission again (slot %(slot)s)."
        )
        % values
    )


def _availability_sentence(miss: Miss, say: _Names) -> str:
    dates = {"start": say.slot.start, "end": say.slot.end}
    if miss.code == "unavailable":
        period = miss.values["period"]
        reason = getattr(period, "reason", "")
        return _(
            "Expert %(expert)s is unavailable from %(from)s to %(to)s%(why)s, during "
            "mission %(mission)s (%(start)s to %(end)s, slot %(slot)s)."
        ) % say(
            **{"from": period.start, "to": period.end},
            why=f" ({reason})" if reason else "",
            **dates,
        )
    if miss.code == "overlap":
        other = miss.values["other"]
        return _(
            "Expert %(expert)s is on mission %(other)s from %(ostart)s to %(oend)s, "
            "which overlaps mission %(mission)s (%(start)s to %(end)s, slot %(slot)s) "
            "or leaves fewer than %(travel)s travel day(s) between them."
        ) % say(
            other=other.reference,
            ostart=other.start,
            oend=other.end,
            travel=miss.values["travel"],
            **dates,
        )
    if miss.code == "window_busy":
        window = miss.values["window"]
        return _(
            "Expert %(expert)s has no %(days)s free days in the window of mission %(mission)s "
            "(%(from)s to %(to)s, slot %(slot)s): unavailable, on other missions or out of "
            "released days."
        ) % say(
            days=miss.values["days"],
            **{"from": formats.date_format(window.start), "to": formats.date_format(window.end)},
        )
    return _(
        "Expert %(expert)s is released for %(cap)s days in %(year)s: %(used)s are "
        "already assigned and mission %(mission)s (slot %(slot)s) needs %(days)s "
        "more."
    ) % say(**miss.values)


_SENTENCES: dict[str, Callable[[Miss, _Names], str]] = {
    "mission_status": _mission_sentence,
    "mission_dates": _mission_sentence,
    "expert_active": _pool_sentence,
    "expert_release": _pool_sentence,
    "category": _profile_sentence,
    "topic_level": _profile_sentence,
    "language": _profile_sentence,
    "beneficiary": _profile_sentence,
    "slot_taken": _crew_sentence,
    "same_mission": _crew_sentence,
    "distinct_countries": _crew_sentence,
    "excluded": _exclusion_sentence,
    "unavailable": _availability_sentence,
    "overlap": _availability_sentence,
    "released_days": _availability_sentence,
    "window_busy": _availability_sentence,
}


def _label(category: str) -> str:
    return str(Category(category).label) if category in Category.values else category


def problems_for_assignments(
    assignments: Iterable[Assignment],
) -> dict[int, list[str]]:
    """``{assignment id: problems}`` for assignments loaded with ``prefetch_rule_data``."""
    return {a.pk: assignment_problems(slot=a.slot, expert=a.expert, exclude=a) for a in assignments}
