"""Who may take a slot: every rule an assignment keeps, defined once, over plain facts.

The facts are what the rules read and nothing more (``missions.eligibility_data``, re-exported
here). About the slot (``SlotFacts``): its mission's status and dates, what it asks of a
profile (``Needs``), the mission's other active assignments (``Held``), the experts never to
place there (``Exclusion``). About the expert (``ExpertFacts``): pool, profile and released
days, their unavailable periods, their ``Booking``s on other missions. Each family of rules is
one small function that returns ``Miss``es, a stable code with the values that explain it:

- ``mission_misses``: mission_status, mission_dates;
- ``pool_misses``: expert_active, expert_release (``roster.models.POOL_RELEASE_STATUSES``);
- ``profile_misses``: category, topic_level, language, beneficiary;
- ``crew_misses``: slot_taken, same_mission, distinct_countries;
- ``exclusion_misses``: excluded (declined or withdrawn from the mission, release refused for
  it, or kept out of the slot by a coordinator: ``exclusions_of``);
- ``availability_misses``: unavailable, overlap (``overlaps`` with the travel days),
  released_days (``days_per_year``); without dates, ``window_busy``: no run of the mission's
  days in what is left of its window passes them (``window_periods``).

Every decision about who may take a slot goes through these functions: the services
(``missions.rules.assignment_problem_list`` turns each miss into a sentence), the experts
offered in forms (``missions.candidates``), the planner's problem (``planning.problem``), pool
gaps (``planning.gaps``), the calendars' conflict marks and the demo builder. The loaders
(``ExpertFacts.of``, ``needs_of``, ``crew_of``, ``bookings_of``, ``exclusions_of``, in
``eligibility_data``) are the one definition of the data the rules read;
``qualified_experts`` compiles the pool and profile rules to SQL from the same ``Needs``
(``tests/test_rule_home.py`` proves both forms agree).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet

from renfort.lib.json_lists import JSONListHas

# The facts and their loaders, re-exported: callers import every name from here.
from renfort.missions.eligibility_data import Booking as Booking
from renfort.missions.eligibility_data import Dated as Dated
from renfort.missions.eligibility_data import Exclusion as Exclusion
from renfort.missions.eligibility_data import ExclusionKind as ExclusionKind
from renfort.missions.eligibility_data import Exclusions as Exclusions
from renfort.missions.eligibility_data import ExpertFacts as ExpertFacts
from renfort.missions.eligibility_data import Held as Held
from renfort.missions.eligibility_data import Needs as Needs
from renfort.missions.eligibility_data import Period as Period
from renfort.missions.eligibility_data import Profile as Profile
from renfort.missions.eligibility_data import SlotFacts as SlotFacts
from renfort.missions.eligibility_data import bookings_of as bookings_of
from renfort.missions.eligibility_data import bookings_outside as bookings_outside
from renfort.missions.eligibility_data import crew_of as crew_of
from renfort.missions.eligibility_data import days_per_year as days_per_year
from renfort.missions.eligibility_data import exclusions_from as exclusions_from
from renfort.missions.eligibility_data import exclusions_of as exclusions_of
from renfort.missions.eligibility_data import held_of as held_of
from renfort.missions.eligibility_data import mission_days_per_year as mission_days_per_year
from renfort.missions.eligibility_data import needs_of as needs_of
from renfort.missions.eligibility_data import slot_facts as slot_facts
from renfort.missions.eligibility_data import used_days as used_days
from renfort.missions.models import STAFFABLE_MISSION_STATUSES
from renfort.missions.models import travel_days as travel_days  # the rule's gap, re-exported
from renfort.roster.models import POOL_RELEASE_STATUSES, Expert, Skill

# --- time -----------------------------------------------------------------------------------


Day = datetime.date


def overlaps(a_start: Day, a_end: Day, b_start: Day, b_end: Day, gap: int = 0) -> bool:
    """The inclusive periods a and b share a day, or lie fewer than ``gap`` + 1 days apart:
    with ``gap`` travel days, a mission ending on day d lets the next start on d + gap + 1."""
    pad = datetime.timedelta(days=gap)
    return a_start <= b_end + pad and b_start <= a_end + pad


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Miss:
    """One broken rule: its code (docs/rules.md) and the values that explain it."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


# --- the rules ------------------------------------------------------------------------------


def window_periods(
    slot: SlotFacts, unavailable: Iterable[Dated], bookings: Iterable[Booking], travel: int
) -> list[Period]:
    """The periods of the slot's duration to try in what is left of its window: starting on
    its first day, or on the first free day after each of the expert's blocking periods (if
    some start fits, one of these does). Empty when the slot has dates, or no room left."""
    if slot.window is None or slot.duration < 1:
        return []
    length = datetime.timedelta(days=slot.duration - 1)
    lo, hi = slot.window.start, slot.window.end - length
    day = datetime.timedelta(days=1)
    starts = {lo}
    starts |= {p.end + day for p in unavailable if p.end is not None}
    starts |= {b.end + day * (travel + 1) for b in bookings if b.end is not None}
    return [Period(s, s + length) for s in sorted(starts) if lo <= s <= hi]


def mission_misses(slot: SlotFacts) -> list[Miss]:
    """The mission still takes experts, and has dates (or dates are given to check), or a
    window with room left for its duration."""
    misses = []
    if slot.status not in STAFFABLE_MISSION_STATUSES:
        misses.append(Miss("mission_status", {"status": slot.status}))
    if (slot.start is None or slot.end is None) and not window_periods(slot, (), (), 0):
        misses.append(Miss("mission_dates"))
    return misses


def pool_misses(*, active: bool, release_status: str) -> list[Miss]:
    """The expert is in the pool: active, and their release not refused."""
    misses = []
    if not active:
        misses.append(Miss("expert_active"))
    if release_status not in POOL_RELEASE_STATUSES:
        misses.append(Miss("expert_release"))
    return misses


def from_beneficiary(expert: Profile, needs: Needs) -> bool:
    """The expert's home administration is a beneficiary, or shares a beneficiary's country."""
    return expert.home_id in needs.beneficiaries or expert.country in needs.beneficiary_countries


def profile_misses(expert: Profile, needs: Needs) -> list[Miss]:
    """Category, every topic at its level, the language, from outside the beneficiaries."""
    misses = []
    if needs.category not in expert.categories:
        misses.append(Miss("category"))
    for topic, level in needs.levels.items():
        has = expert.levels.get(topic)
        if has is None or has < level:
            misses.append(Miss("topic_level", {"topic": topic, "level": level, "has": has}))
    if needs.language not in expert.languages:
        misses.append(Miss("language"))
    if from_beneficiary(expert, needs):
        misses.append(Miss("beneficiary"))
    return misses


def qualifies(expert: Profile, needs: Needs) -> bool:
    return not profile_misses(expert, needs)


def crew_misses(
    *, slot_id: int, held: Iterable[Held], distinct_required: bool, expert_id: int, country: str
) -> list[Miss]:
    """The slot is free, the expert holds no other slot of the mission, and with distinct
    countries required no other expert of the mission (``held``) comes from ``country``."""
    misses = []
    for other in held:
        if other.slot_id == slot_id and other.expert_id != expert_id:
            misses.append(Miss("slot_taken", {"other": other}))
        elif other.expert_id == expert_id:
            misses.append(Miss("same_mission", {"other": other}))
        elif distinct_required and other.country == country:
            misses.append(Miss("distinct_countries", {"other": other}))
    return misses


def exclusion_misses(slot: SlotFacts, expert_id: int) -> list[Miss]:
    """The expert is not excluded from the slot (``SlotFacts.excluded``): they did not
    decline the mission, were not withdrawn from it nor refused release for it, and no
    coordinator kept them out of the slot."""
    exclusion = slot.excluded.get(expert_id)
    return [] if exclusion is None else [Miss("excluded", {"exclusion": exclusion})]


def availability_misses(
    *,
    start: datetime.date,
    end: datetime.date,
    unavailable: Iterable[Dated],
    busy: Iterable[Dated],
    used: Mapping[int, int],
    cap: int,
    travel: int,
) -> list[Miss]:
    """No unavailable period over the dates; no other mission within ``travel`` days of
    them; per calendar year, the days ``used`` plus these within the ``cap``."""
    misses = [
        Miss("unavailable", {"period": p})
        for p in unavailable
        if p.start is not None and p.end is not None and overlaps(p.start, p.end, start, end)
    ]
    misses += [
        Miss("overlap", {"other": b, "travel": travel})
        for b in busy
        if b.start is not None
        and b.end is not None
        and overlaps(b.start, b.end, start, end, travel)
    ]
    for year, days in sorted(days_per_year(start, end).items()):
        if used.get(year, 0) + days > cap:
            values = {"year": year, "used": used.get(year, 0), "days": days, "cap": cap}
            misses.append(Miss("released_days", values))
    return misses


def expert_misses(
    slot: SlotFacts,
    expert: ExpertFacts,
    *,
    unavailable: Sequence[Dated],
    bookings: Sequence[Booking],
    travel: int,
) -> list[Miss]:
    """Every broken rule that depends on the expert. ``bookings``: the expert's bookings on
    missions other than the slot's (``bookings_outside``)."""
    misses = [
        *pool_misses(active=expert.active, release_status=expert.release_status),
        *profile_misses(expert, slot.needs),
        *crew_misses(
            slot_id=slot.pk,
            held=slot.held,
            distinct_required=slot.distinct_required,
            expert_id=expert.pk,
            country=expert.country,
        ),
        *exclusion_misses(slot, expert.pk),
    ]
    if slot.start is None or slot.end is None:
        return misses + _window_misses(slot, expert, unavailable, bookings, travel)
    return misses + availability_misses(
        start=slot.start,
        end=slot.end,
        unavailable=unavailable,
        busy=bookings,
        used=used_days(bookings),
        cap=expert.released_days,
        travel=travel,
    )


def _window_misses(
    slot: SlotFacts,
    expert: ExpertFacts,
    unavailable: Sequence[Dated],
    bookings: Sequence[Booking],
    travel: int,
) -> list[Miss]:
    """Without dates: the expert is free for the mission's duration somewhere in what is left
    of its window (no unavailable period, no other mission within the travel days, released
    days left in that year). A window without room is the mission's miss, not the expert's."""
    periods = window_periods(slot, unavailable, bookings, travel)
    used = used_days(bookings)
    fits = any(
        not availability_misses(
            start=p.start,
            end=p.end,
            unavailable=unavailable,
            busy=bookings,
            used=used,
            cap=expert.released_days,
            travel=travel,
        )
        for p in periods
    )
    if fits or not periods:
        return []
    return [Miss("window_busy", {"window": slot.window, "days": slot.duration})]


def assignment_misses(
    slot: SlotFacts,
    expert: ExpertFacts,
    *,
    unavailable: Sequence[Dated],
    bookings: Sequence[Booking],
    travel: int,
) -> list[Miss]:
    """Every broken rule, the mission's first (``expert_misses`` gives the rest)."""
    return mission_misses(slot) + expert_misses(
        slot, expert, unavailable=unavailable, bookings=bookings, travel=travel
    )


# --- the profile rule in SQL ----------------------------------------------------------------


def qualified_experts(needs: Needs, experts: QuerySet[Expert] | None = None) -> QuerySet[Expert]:
    """The experts (of ``experts``, default all) that ``pool_misses`` and ``profile_misses``
    find nothing against, as one query: ``needs`` keyed by topic id (``needs_of``)."""
    qs = Expert.objects.in_pool().filter(
        JSONListHas(F("categories"), needs.category),
        JSONListHas(F("languages"), needs.language),
    )
    if experts is not None:
        qs = qs.filter(pk__in=experts.values("pk"))
    for topic, level in needs.levels.items():
        skill = Skill.objects.filter(expert=OuterRef("pk"), topic_id=topic, level__gte=level)
        qs = qs.filter(Exists(skill))
    return qs.exclude(home_administration_id__in=needs.beneficiaries).exclude(
        home_administration__country__in=needs.beneficiary_countries
    )
