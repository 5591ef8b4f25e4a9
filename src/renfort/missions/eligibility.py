"""Who may take a slot: every rule an assignment keeps, defined once, over plain facts.

The facts are what the rules read and nothing more. About the slot (``SlotFacts``): its
mission's status and dates, what it asks of a profile (``Needs``), the mission's other active
assignments (``Held``). About the expert (``ExpertFacts``): pool, profile and released days,
their unavailable periods, their ``Booking``s on other missions. Each family of rules is one
small function that returns ``Miss``es, a stable code with the values that explain it:

- ``mission_misses``: mission_status, mission_dates;
- ``pool_misses``: expert_active, expert_release (``roster.models.POOL_RELEASE_STATUSES``);
- ``profile_misses``: category, topic_level, language, beneficiary;
- ``crew_misses``: slot_taken, same_mission, distinct_countries;
- ``availability_misses``: unavailable, overlap (``overlaps`` with the travel days),
  released_days (``days_per_year``).

Every decision about who may take a slot goes through these functions: the services
(``missions.rules.assignment_problem_list`` turns each miss into a sentence), the experts
offered in forms (``missions.candidates``), the planner's problem (``planning.problem``), pool
gaps (``planning.gaps``), the calendars' conflict marks and the demo builder. The loaders at
the end (``ExpertFacts.of``, ``needs_of``, ``crew_of``, ``bookings_of``) are the one
definition of the data the rules read; ``qualified_experts`` compiles the pool and profile
rules to SQL from the same ``Needs`` (``tests/test_rule_home.py`` proves both forms agree).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.db.models import Exists, F, OuterRef, QuerySet

from renfort.lib.json_lists import JSONListHas
from renfort.missions.models import (
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    DistinctCountries,
    Mission,
    Slot,
)
from renfort.missions.models import travel_days as travel_days  # the rule's gap, re-exported
from renfort.roster.models import POOL_RELEASE_STATUSES, Expert, Skill

# --- time -----------------------------------------------------------------------------------


Day = datetime.date


def overlaps(a_start: Day, a_end: Day, b_start: Day, b_end: Day, gap: int = 0) -> bool:
    """The inclusive periods a and b share a day, or lie fewer than ``gap`` + 1 days apart:
    with ``gap`` travel days, a mission ending on day d lets the next start on d + gap + 1."""
    pad = datetime.timedelta(days=gap)
    return a_start <= b_end + pad and b_start <= a_end + pad


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


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Miss:
    """One broken rule: its code (docs/rules.md) and the values that explain it."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Needs:
    """What a slot asks of a profile. Topic keys are whatever both sides use: topic ids in the
    application (``needs_of``), topic codes in the demo builder."""

    category: str
    language: str
    levels: Mapping[Any, int]
    beneficiaries: frozenset[int] = frozenset()  # home administrations refused
    beneficiary_countries: frozenset[str] = frozenset()  # and every one of their countries


class Profile(Protocol):
    """What the profile rule reads about an expert (``ExpertFacts``, the demo's ``ExpertInfo``)."""

    @property
    def categories(self) -> Collection[str]: ...
    @property
    def languages(self) -> Collection[str]: ...
    @property
    def levels(self) -> Mapping[Any, int]: ...
    @property
    def home_id(self) -> int | None: ...
    @property
    def country(self) -> str: ...


@dataclass(frozen=True)
class ExpertFacts:
    """What the rules read about an expert, beside their periods and bookings."""

    pk: int
    name: str
    active: bool
    release_status: str
    categories: tuple[str, ...]
    languages: tuple[str, ...]
    levels: Mapping[Any, int]
    home_id: int
    home_name: str
    country: str
    released_days: int

    @classmethod
    def of(cls, expert: Expert, levels: Mapping[Any, int] | None = None) -> ExpertFacts:
        """From an expert with its home administration (and skills, unless ``levels``)."""
        home = expert.home_administration
        if levels is None:
            levels = {s.topic_id: s.level for s in expert.skills.all()}
        return cls(
            pk=expert.pk,
            name=str(expert),
            active=expert.active,
            release_status=expert.release_status,
            categories=tuple(expert.categories),
            languages=tuple(expert.languages),
            levels=levels,
            home_id=home.pk,
            home_name=home.name,
            country=home.country,
            released_days=expert.released_days_per_year,
        )


@dataclass(frozen=True)
class Held:
    """An active assignment of the slot's mission: what the crew rules read."""

    pk: int
    slot_id: int
    slot_code: str
    expert_id: int
    expert_name: str
    country: str
    status: str


@dataclass(frozen=True)
class SlotFacts:
    """What the rules read about a slot: its mission, the dates checked, needs and crew."""

    pk: int
    code: str
    mission_id: int
    reference: str
    status: str
    start: datetime.date | None
    end: datetime.date | None
    distinct_required: bool
    needs: Needs
    held: tuple[Held, ...] = ()


class Dated(Protocol):
    """An unavailable period, a booking: anything with first and last days."""

    @property
    def start(self) -> datetime.date | None: ...
    @property
    def end(self) -> datetime.date | None: ...


class Period(NamedTuple):
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Booking:
    """Another mission that holds the expert's days (``Assignment.objects.holding_time()``)."""

    assignment_id: int
    expert_id: int
    mission_id: int
    reference: str
    start: datetime.date | None
    end: datetime.date | None
    days: Mapping[int, int]  # the mission's days per year (``mission_days_per_year``)


def used_days(bookings: Iterable[Booking]) -> Counter[int]:
    """Released days already used, per year."""
    used: Counter[int] = Counter()
    for booking in bookings:
        used.update(booking.days)
    return used


# --- the rules ------------------------------------------------------------------------------


def mission_misses(slot: SlotFacts) -> list[Miss]:
    """The mission still takes experts, and has dates (or dates are given to check)."""
    misses = []
    if slot.status not in STAFFABLE_MISSION_STATUSES:
        misses.append(Miss("mission_status", {"status": slot.status}))
    if slot.start is None or slot.end is None:
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
    ]
    if slot.start is None or slot.end is None:
        return misses
    return misses + availability_misses(
        start=slot.start,
        end=slot.end,
        unavailable=unavailable,
        busy=bookings,
        used=used_days(bookings),
        cap=expert.released_days,
        travel=travel,
    )


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


# --- loaders: the data the rules read -------------------------------------------------------


def needs_of(slot: Slot, beneficiaries: Iterable[Any] | None = None) -> Needs:
    """The slot's needs from its requirements and its mission's beneficiaries (prefetch both,
    or pass ``beneficiaries``, for a list)."""
    orgs = list(slot.mission.beneficiaries.all() if beneficiaries is None else beneficiaries)
    return Needs(
        category=slot.category,
        language=slot.mission.language,
        levels={r.topic_id: r.level for r in slot.requirements.all()},
        beneficiaries=frozenset(b.pk for b in orgs),
        beneficiary_countries=frozenset(b.country for b in orgs if b.country),
    )


def slot_facts(
    slot: Slot,
    *,
    held: Iterable[Held],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    beneficiaries: Iterable[Any] | None = None,
) -> SlotFacts:
    """The slot at its mission's dates (or ``start``/``end``), with the mission's ``held``."""
    mission = slot.mission
    return SlotFacts(
        pk=slot.pk,
        code=slot.code,
        mission_id=mission.pk,
        reference=mission.reference,
        status=mission.status,
        start=start or mission.start,
        end=end or mission.end,
        distinct_required=mission.distinct_countries == DistinctCountries.REQUIRED,
        needs=needs_of(slot, beneficiaries),
        held=tuple(held),
    )


def held_of(assignment: Assignment) -> Held:
    """An active assignment loaded with its slot and its expert's home administration."""
    return Held(
        pk=assignment.pk,
        slot_id=assignment.slot_id,
        slot_code=assignment.slot.code,
        expert_id=assignment.expert_id,
        expert_name=str(assignment.expert),
        country=assignment.expert.home_administration.country,
        status=assignment.status,
    )


def crew_of(mission_ids: Iterable[int], *, exclude: int | None = None) -> dict[int, list[Held]]:
    """The active assignments of the missions (but ``exclude``), by mission: one query."""
    rows = (
        Assignment.objects.active()
        .filter(slot__mission_id__in=list(mission_ids))
        .exclude(pk__in=[] if exclude is None else [exclude])
        .select_related("slot__mission", "expert__home_administration")
        .order_by("pk")
    )
    crews: dict[int, list[Held]] = defaultdict(list)
    for a in rows:
        crews[a.slot.mission_id].append(held_of(a))
    return crews


def bookings_of(
    expert_ids: Iterable[int], *, exclude_missions: Iterable[int] = ()
) -> dict[int, list[Booking]]:
    """The experts' bookings (one per mission), by expert: one query."""
    rows = (
        Assignment.objects.holding_time()
        .filter(expert_id__in=list(expert_ids))
        .exclude(slot__mission_id__in=list(exclude_missions))
        .select_related("slot__mission")
        .order_by("pk")
    )
    bookings: dict[int, list[Booking]] = defaultdict(list)
    for a in rows:
        mission = a.slot.mission
        if any(b.mission_id == mission.pk for b in bookings[a.expert_id]):
            continue
        bookings[a.expert_id].append(
            Booking(
                assignment_id=a.pk,
                expert_id=a.expert_id,
                mission_id=mission.pk,
                reference=mission.reference,
                start=mission.start,
                end=mission.end,
                days=mission_days_per_year(mission),
            )
        )
    return bookings


def bookings_outside(
    bookings: Iterable[Booking], slot: SlotFacts, exclude: int | None = None
) -> list[Booking]:
    """The bookings on missions other than the slot's, but the ``exclude``d assignment."""
    return [b for b in bookings if b.mission_id != slot.mission_id and b.assignment_id != exclude]
