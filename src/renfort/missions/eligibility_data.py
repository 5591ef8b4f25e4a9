"""What the assignment rules read (``missions.eligibility``): the facts and their loaders.

The facts are plain values: about the slot (``SlotFacts``: its mission's status and dates,
what it asks of a profile (``Needs``), the mission's other active assignments (``Held``), the
experts never to place there (``Exclusion``)); about the expert (``ExpertFacts``: pool,
profile and released days, their unavailable periods, their ``Booking``s on other missions).
The loaders (``ExpertFacts.of``, ``needs_of``, ``slot_facts``, ``crew_of``, ``bookings_of``,
``exclusions_of``) are the one definition of the data the rules read; ``eligibility``
re-exports every name, so callers import from there.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from django.db.models import Q
from django.utils import timezone

from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    DistinctCountries,
    Mission,
    Slot,
    SlotExclusion,
)
from renfort.roster.models import Expert, ReleaseStatus

# --- time -----------------------------------------------------------------------------------


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
    return days_of(
        start or mission.start, end or mission.end, mission.window_start, mission.duration_days
    )


def days_of(
    start: datetime.date | None,
    end: datetime.date | None,
    window_start: datetime.date | None,
    duration_days: int | None,
) -> dict[int, int]:
    """``mission_days_per_year`` from a mission's dates, window start and duration."""
    if start is not None and end is not None:
        return days_per_year(start, end)
    if window_start is not None and duration_days:
        return {window_start.year: duration_days}
    return {}


# --- facts ----------------------------------------------------------------------------------


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


class ExclusionKind(StrEnum):
    """Why an expert is never placed in a slot."""

    DECLINED = "declined"  # they declined a slot of the mission
    WITHDRAWN = "withdrawn"  # they were withdrawn from a slot of the mission
    RELEASE_REFUSED = "release_refused"  # their home administration refused it for the mission
    MANUAL = "manual"  # a coordinator kept them out of this slot (``SlotExclusion``)


@dataclass(frozen=True)
class Exclusion:
    """An expert never to place in a slot, and why: ``slot_code`` is the slot they declined
    or left (or the one they are kept out of); ``by`` and ``reason`` the coordinator's name
    and own words for a manual exclusion."""

    expert_id: int
    kind: ExclusionKind
    slot_code: str
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Exclusions:
    """The exclusions of some missions: from their assignments' history (every slot of the
    mission), and by hand (one slot)."""

    by_mission: Mapping[int, Mapping[int, Exclusion]] = field(default_factory=dict)
    by_slot: Mapping[int, Mapping[int, Exclusion]] = field(default_factory=dict)

    def of(self, slot_id: int, mission_id: int) -> dict[int, Exclusion]:
        """Expert id → why they are never placed in the slot (a coordinator's word first)."""
        return {**self.by_mission.get(mission_id, {}), **self.by_slot.get(slot_id, {})}


@dataclass(frozen=True)
class SlotFacts:
    """What the rules read about a slot: its mission, the dates checked, needs, crew and the
    experts excluded from it (by id)."""

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
    excluded: Mapping[int, Exclusion] = field(default_factory=dict)
    # Without dates: what is left of the mission's window (from today) and its duration in
    # days; an expert fits when some run of those days in it is free (``window_periods``).
    window: Period | None = None
    duration: int = 0


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
    excluded: Mapping[int, Exclusion],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    beneficiaries: Iterable[Any] | None = None,
) -> SlotFacts:
    """The slot at its mission's dates (or ``start``/``end``), with the mission's ``held`` and
    the experts ``excluded`` from the slot (``Exclusions.of``)."""
    mission = slot.mission
    start, end = start or mission.start, end or mission.end
    window = None
    if (start is None or end is None) and mission.window_start and mission.window_end:
        window = Period(max(mission.window_start, timezone.localdate()), mission.window_end)
    return SlotFacts(
        pk=slot.pk,
        code=slot.code,
        mission_id=mission.pk,
        reference=mission.reference,
        status=mission.status,
        start=start,
        end=end,
        distinct_required=mission.distinct_countries == DistinctCountries.REQUIRED,
        needs=needs_of(slot, beneficiaries),
        held=tuple(held),
        excluded=excluded,
        window=window,
        duration=mission.duration_days or 0 if window else 0,
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
    expert_ids: Iterable[int],
    *,
    exclude_missions: Iterable[int] = (),
    since: datetime.date | None = None,
) -> dict[int, list[Booking]]:
    """The experts' bookings (one per mission), by expert: one query, read as plain values (a
    page's pool may hold thousands). ``since``: only the missions still running on or after
    that day (or without dates), for a reader that checks periods and yearly days from then on
    (a page of slots: its history does not count)."""
    rows = (
        Assignment.objects.holding_time()
        .filter(expert_id__in=list(expert_ids))
        .exclude(slot__mission_id__in=list(exclude_missions))
        .order_by("pk")
    )
    if since is not None:
        rows = rows.filter(Q(slot__mission__end__gte=since) | Q(slot__mission__end__isnull=True))
    bookings: dict[int, list[Booking]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for (
        pk,
        expert_id,
        mission_id,
        reference,
        start,
        end,
        window_start,
        duration,
    ) in rows.values_list(
        "pk",
        "expert_id",
        "slot__mission_id",
        "slot__mission__reference",
        "slot__mission__start",
        "slot__mission__end",
        "slot__mission__window_start",
        "slot__mission__duration_days",
    ):
        if (expert_id, mission_id) in seen:
            continue
        seen.add((expert_id, mission_id))
        bookings[expert_id].append(
            Booking(
                assignment_id=pk,
                expert_id=expert_id,
                mission_id=mission_id,
                reference=reference,
                start=start,
                end=end,
                days=days_of(start, end, window_start, duration),
            )
        )
    return bookings


def bookings_outside(
    bookings: Iterable[Booking], slot: SlotFacts, exclude: int | None = None
) -> list[Booking]:
    """The bookings on missions other than the slot's, but the ``exclude``d assignment."""
    return [b for b in bookings if b.mission_id != slot.mission_id and b.assignment_id != exclude]


def _history_kind(assignment: Assignment) -> ExclusionKind | None:
    if assignment.release_status == ReleaseStatus.REFUSED:
        return ExclusionKind.RELEASE_REFUSED
    if assignment.status == AssignmentStatus.DECLINED:
        return ExclusionKind.DECLINED
    if assignment.status == AssignmentStatus.WITHDRAWN:
        return ExclusionKind.WITHDRAWN
    return None


def exclusions_from(
    assignments: Iterable[Assignment], manual: Iterable[SlotExclusion]
) -> Exclusions:
    """The exclusions from rows already loaded: ``assignments`` of the missions (any status,
    with their slot and its mission) and ``manual``, their slots' ``SlotExclusion``s (with
    ``by``, their slot and its mission).

    An expert who declined, was withdrawn from, or was refused release for a slot of a
    mission is never placed in that mission again, unless they hold an active assignment on
    it now: then they were brought back, and that assignment stands (the latest row says why
    otherwise)."""
    holding: set[tuple[int, int]] = set()
    history: dict[int, dict[int, Exclusion]] = defaultdict(dict)
    for a in sorted(assignments, key=lambda a: a.pk):
        mission_id = a.slot.mission_id
        kind = _history_kind(a)
        if a.is_active:
            holding.add((mission_id, a.expert_id))
        elif kind is not None:
            history[mission_id][a.expert_id] = Exclusion(a.expert_id, kind, a.slot.code)
    by_slot: dict[int, dict[int, Exclusion]] = defaultdict(dict)
    for row in manual:
        by_slot[row.slot_id][row.expert_id] = Exclusion(
            row.expert_id,
            ExclusionKind.MANUAL,
            row.slot.code,
            by=str(row.by) if row.by is not None else "",
            reason=row.reason,
        )
    by_mission = {
        mission_id: {e: x for e, x in experts.items() if (mission_id, e) not in holding}
        for mission_id, experts in history.items()
    }
    return Exclusions(by_mission=by_mission, by_slot=dict(by_slot))


def exclusions_of(
    mission_ids: Iterable[int], *, expert_ids: Iterable[int] | None = None
) -> Exclusions:
    """The exclusions of the missions' slots (of the experts ``expert_ids`` only, when
    given): two queries."""
    ids = list(mission_ids)
    rows = Assignment.objects.filter(slot__mission_id__in=ids).select_related("slot__mission")
    manual = SlotExclusion.objects.filter(slot__mission_id__in=ids).select_related(
        "slot__mission", "by"
    )
    if expert_ids is not None:
        experts = list(expert_ids)
        rows = rows.filter(expert_id__in=experts)
        manual = manual.filter(expert_id__in=experts)
    return exclusions_from(rows.order_by("pk"), manual)
