"""The planning problem as frozen, index-friendly values.

Dates become whole days counted from ``Problem.origin`` so that every constraint is integer
arithmetic; a mission occupies days ``start .. start + duration - 1`` inclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

CATEGORIES = ("modernization_adviser", "technical_operational_expert", "specialized_trainer")
DISTINCT_REQUIRED = "required"
DISTINCT_PREFERRED = "preferred"
DISTINCT_NONE = "none"


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


@dataclass(frozen=True, slots=True)
class Slot:
    id: str
    category: str
    skills: Mapping[str, int]


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

    @property
    def fixed(self) -> bool:
        return self.earliest_start == self.latest_start

    @property
    def compulsory(self) -> tuple[int, int] | None:
        """Days the mission covers wherever it starts in its window, if any."""
        first, last = self.latest_start, self.earliest_start + self.duration - 1
        return (first, last) if first <= last else None


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

    def span(self, start: int, duration: int) -> str:
        return f"{self.iso(start)}..{self.iso(start + duration - 1)}"


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
