"""The planning problem as frozen, index-friendly values.

Dates become whole days counted from ``Problem.origin`` so that every constraint is integer
arithmetic; a mission occupies days ``start .. start + span(start) - 1`` inclusive, where the
span is ``duration`` days unless a host calendar makes ``duration`` count working days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

CATEGORIES = ("modernization_adviser", "technical_operational_expert", "specialized_trainer")
DISTINCT_REQUIRED = "required"
DISTINCT_PREFERRED = "preferred"
DISTINCT_NONE = "none"


@dataclass(frozen=True, slots=True)
class YearCap:
    """At most ``days`` mission days on days ``first .. last``: one calendar year."""

    year: int
    first: int
    last: int
    days: int

    def overlap(self, first: int, last: int) -> int:
        """Days of ``first .. last`` (a mission's first to last day) that fall in this year."""
        return max(0, min(last, self.last) - max(first, self.first) + 1)


def calendar_years(origin: date, horizon: int) -> dict[int, tuple[int, int]]:
    """Calendar year -> its first and last day number (from ``origin``), for each year that
    days ``0 .. horizon - 1`` touch."""
    years: dict[int, tuple[int, int]] = {}
    if horizon <= 0:
        return years
    last_date = origin + timedelta(days=horizon - 1)
    for year in range(origin.year, last_date.year + 1):
        years[year] = ((date(year, 1, 1) - origin).days, (date(year, 12, 31) - origin).days)
    return years


@dataclass(frozen=True, slots=True)
class Expert:
    id: str
    country: str
    categories: frozenset[str]
    languages: frozenset[str]
    skills: Mapping[str, int]
    # Inclusive day ranges, clipped to the problem's horizon.
    unavailable: tuple[tuple[int, int], ...] = ()
    max_days: int | None = None
    # Per-year caps of the calendar years the plan's days touch, as day ranges.
    max_days_by_year: tuple[YearCap, ...] = ()
    # Tie-breaks only (``candidates.pair_fit``): topic -> mean rating (1.0-5.0) beneficiaries
    # gave the expert's work on that topic, and the beneficiaries served before.
    ratings: Mapping[str, float] = field(default_factory=dict)
    worked_with: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Slot:
    id: str
    category: str
    skills: Mapping[str, int]
    excluded: frozenset[str] = frozenset()  # ids of experts never to place here


@dataclass(frozen=True, slots=True)
class Mission:
    id: str
    beneficiaries: frozenset[str]
    language: str
    level: str | None
    priority: int
    duration: int
    earliest_start: int
    latest_start: int
    windowed: bool
    distinct: str
    slots: tuple[Slot, ...]
    # With a host calendar (``duration`` then counts working days): the calendar days from
    # first to last day for each start from earliest_start to latest_start, 0 where the mission
    # may not start. Empty: any start in that range, spanning ``duration`` days.
    spans: tuple[int, ...] = ()
    remote: bool = False  # no travel days around it
    # The shortest and longest span over the admissible starts (set from ``spans``).
    min_span: int = field(init=False, default=0)
    max_span: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        shortest = min((n for n in self.spans if n), default=self.duration)
        object.__setattr__(self, "min_span", shortest)
        object.__setattr__(self, "max_span", max(self.spans, default=self.duration))

    @property
    def fixed(self) -> bool:
        return self.earliest_start == self.latest_start

    @property
    def compulsory(self) -> tuple[int, int] | None:
        """Days the mission covers wherever it starts in its window, if any."""
        first, last = self.latest_start, self.last_day(self.earliest_start)
        return (first, last) if first <= last else None

    def span(self, start: int) -> int:
        """Calendar days the mission occupies (first to last day) when it starts on ``start``."""
        return self.spans[start - self.earliest_start] if self.spans else self.duration

    def last_day(self, start: int) -> int:
        return start + self.span(start) - 1

    def allows(self, start: int) -> bool:
        """Whether the mission may start on ``start`` (window and host calendar)."""
        if not self.earliest_start <= start <= self.latest_start:
            return False
        return not self.spans or self.spans[start - self.earliest_start] > 0

    def start_days(self) -> list[int]:
        """Every day the mission may start, ascending."""
        if not self.spans:
            return list(range(self.earliest_start, self.latest_start + 1))
        return [self.earliest_start + k for k, n in enumerate(self.spans) if n]

    def travel(self, travel_days: int) -> int:
        """Travel days this mission needs kept free next to another mission."""
        return 0 if self.remote else travel_days


@dataclass(frozen=True, slots=True)
class Pin:
    slot: str
    expert: str
    start: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    origin: date
    travel_days: int
    time_limit_s: float
    seed: int | None
    experts: tuple[Expert, ...]
    missions: tuple[Mission, ...]
    pins: tuple[Pin, ...] = ()
    horizon: int = 0  # one past the last day any mission may occupy
    expert_index: Mapping[str, int] = field(default_factory=dict)
    mission_index: Mapping[str, int] = field(default_factory=dict)
    # slot id -> (mission index, slot index within the mission)
    slot_index: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def iso(self, day: int) -> str:
        return (self.origin + timedelta(days=day)).isoformat()

    def day(self, value: str) -> int:
        return (date.fromisoformat(value) - self.origin).days

    def pinned_year_overruns(self, expert: int, pins: Sequence[Pin]) -> list[tuple[YearCap, int]]:
        """Capped years in which these pins of the expert take more days than the cap, with
        the days taken (a mission without a pinned start counts its fewest days that year)."""
        out: list[tuple[YearCap, int]] = []
        for cap in self.experts[expert].max_days_by_year:
            taken = 0
            for pin in pins:
                mission = self.missions[self.slot_index[pin.slot][0]]
                starts = [pin.start] if pin.start is not None else mission.start_days()
                taken += min((cap.overlap(s, mission.last_day(s)) for s in starts), default=0)
            if taken > cap.days:
                out.append((cap, taken))
        return out

    def span(self, start: int, duration: int) -> str:
        return f"{self.iso(start)}..{self.iso(start + duration - 1)}"

    def gap(self, a: Mission, b: Mission) -> int:
        """Free days one expert needs between missions ``a`` and ``b``: the travel days,
        unless both are remote."""
        return max(a.travel(self.travel_days), b.travel(self.travel_days))


@dataclass(frozen=True, slots=True)
class Previous:
    """The parts of an earlier plan that still name known slots and experts."""

    slot_expert: Mapping[str, str]
    mission_start: Mapping[str, int]
    lost: int = 0  # assignments whose expert is no longer in the problem


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    elapsed_s: float
    primary: int
    bound: int | None


@dataclass(slots=True)
class Schedule:
    """A working plan: staffed missions with their start day and slot -> expert (indices)."""

    start: dict[int, int] = field(default_factory=dict)
    experts: dict[int, dict[int, int]] = field(default_factory=dict)

    def primary(self, problem: Problem) -> int:
        return sum(problem.missions[m].priority for m in self.experts)

    def copy(self) -> Schedule:
        return Schedule(dict(self.start), {m: dict(s) for m, s in self.experts.items()})
