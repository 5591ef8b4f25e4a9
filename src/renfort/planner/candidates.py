"""Hard filters, vectorised: which experts could ever hold which slot.

A pair (expert, slot) survives when the expert has the slot's category, speaks the mission's
language, holds every topic at the level asked, comes from no beneficiary country, is
released for at least the mission's length and is available on some admissible dates. Only
surviving pairs become variables; everything else about a pair depends on the rest of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from renfort.planner.domain import Mission, Problem, Slot

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

NO_CAP = 1 << 30


@dataclass(frozen=True)
class ExpertArrays:
    """Column-wise view of the expert pool for numpy filters."""

    category: dict[str, BoolArray]
    language: dict[str, BoolArray]
    skill: dict[str, npt.NDArray[np.int8]]
    country: npt.NDArray[np.str_]
    max_days: IntArray
    # cumulative count of unavailable days: busy days in [a, b] = cum[:, b + 1] - cum[:, a]
    unavailable_cum: npt.NDArray[np.int32]
    has_unavailable: BoolArray
    unavailable_row: IntArray  # expert -> row of unavailable_cum, -1 when always available

    @classmethod
    def build(cls, problem: Problem) -> ExpertArrays:
        n = len(problem.experts)
        category: dict[str, BoolArray] = {}
        language: dict[str, BoolArray] = {}
        skill: dict[str, npt.NDArray[np.int8]] = {}
        for i, expert in enumerate(problem.experts):
            for c in expert.categories:
                category.setdefault(c, np.zeros(n, dtype=bool))[i] = True
            for lang in expert.languages:
                language.setdefault(lang, np.zeros(n, dtype=bool))[i] = True
            for topic, level in expert.skills.items():
                skill.setdefault(topic, np.zeros(n, dtype=np.int8))[i] = level
        horizon = max(problem.horizon, 1)
        has = np.array([bool(e.unavailable) for e in problem.experts], dtype=bool)
        rows = np.flatnonzero(has)
        # Only experts with unavailable periods need a row of the day table.
        cum = np.zeros((len(rows), horizon + 1), dtype=np.int32)
        for r, i in enumerate(rows.tolist()):
            marks = np.zeros(horizon + 1, dtype=np.int32)
            for a, b in problem.experts[i].unavailable:
                marks[a] += 1
                marks[b + 1] -= 1
            cum[r, 1:] = np.cumsum(np.minimum(np.cumsum(marks), 1))[:-1]
        row_of = np.full(n, -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows))
        arrays = cls(
            category=category,
            language=language,
            skill=skill,
            country=np.array([e.country for e in problem.experts], dtype="U2"),
            max_days=np.array(
                [NO_CAP if e.max_days is None else e.max_days for e in problem.experts],
                dtype=np.int64,
            ),
            unavailable_cum=cum,
            has_unavailable=has,
            unavailable_row=row_of,
        )
        return arrays

    @property
    def size(self) -> int:
        return len(self.country)

    def row_of(self, experts: IntArray) -> IntArray:
        return self.unavailable_row[experts]

    def none(self) -> BoolArray:
        return np.zeros(self.size, dtype=bool)

    def category_mask(self, category: str) -> BoolArray:
        return self.category.get(category, self.none())

    def language_mask(self, language: str) -> BoolArray:
        return self.language.get(language, self.none())

    def skill_mask(self, skills: dict[str, int] | object) -> BoolArray:
        mask = np.ones(self.size, dtype=bool)
        assert isinstance(skills, dict)
        for topic, level in skills.items():
            levels = self.skill.get(topic)
            if levels is None:
                return self.none()
            mask &= levels >= level
        return mask

    def country_mask(self, beneficiaries: frozenset[str]) -> BoolArray:
        return ~np.isin(self.country, list(beneficiaries))

    def free_starts(self, experts: IntArray, mission: Mission) -> BoolArray:
        """Matrix experts x admissible starts: True where no mission day is unavailable."""
        starts = np.arange(mission.earliest_start, mission.latest_start + 1)
        free = np.ones((len(experts), len(starts)), dtype=bool)
        rows = self.row_of(experts)
        with_periods = rows >= 0
        if with_periods.any():
            cum = self.unavailable_cum[rows[with_periods]]
            busy = cum[:, starts + mission.duration] - cum[:, starts]
            free[with_periods] = busy == 0
        return free


def fit_of(slot: Slot, skills: dict[str, int] | object) -> float:
    """Skill fit of an expert for a slot: 1 for an exact match, up to 2.5 when over-qualified."""
    assert isinstance(skills, dict)
    if not slot.skills:
        return 1.0
    surplus = [min(skills.get(t, 0) - need, 3) for t, need in slot.skills.items()]
    return round(1.0 + 0.5 * sum(surplus) / len(surplus), 2)


def _fits(arrays: ExpertArrays, slot: Slot, experts: IntArray) -> FloatArray:
    """``fit_of`` for many experts at once."""
    if not slot.skills or len(experts) == 0:
        return np.ones(len(experts))
    surplus = np.zeros(len(experts))
    assert isinstance(slot.skills, dict)
    for topic, need in slot.skills.items():
        surplus += np.minimum(arrays.skill[topic][experts].astype(np.int64) - need, 3)
    fits: FloatArray = np.round(1.0 + 0.5 * surplus / len(slot.skills), 2)
    return fits


@dataclass(frozen=True)
class Candidates:
    """Every expert that passes the hard filters, per slot (flat slot numbering)."""

    slot_mission: IntArray  # flat slot -> mission index
    slot_position: IntArray  # flat slot -> index within its mission
    mission_slots: list[range]  # mission -> its flat slots
    experts: list[IntArray]  # flat slot -> candidate experts, ascending
    fit: list[FloatArray]  # flat slot -> fit of each candidate
    # (expert, mission) -> admissible starts when some are blocked by unavailability
    starts: dict[tuple[int, int], IntArray]

    @property
    def pair_count(self) -> int:
        return sum(len(c) for c in self.experts)

    def flat(self, mission: int, position: int) -> int:
        return self.mission_slots[mission][position]


def build_candidates(problem: Problem, arrays: ExpertArrays) -> Candidates:
    slot_mission: list[int] = []
    slot_position: list[int] = []
    mission_slots: list[range] = []
    experts: list[IntArray] = []
    fits: list[FloatArray] = []
    starts: dict[tuple[int, int], IntArray] = {}
    for m, mission in enumerate(problem.missions):
        first = len(slot_mission)
        mission_slots.append(range(first, first + len(mission.slots)))
        base = (
            arrays.language_mask(mission.language)
            & arrays.country_mask(mission.beneficiaries)
            & (arrays.max_days >= mission.duration)
        )
        per_slot = [
            base & arrays.category_mask(s.category) & arrays.skill_mask(s.skills)
            for s in mission.slots
        ]
        union = np.flatnonzero(np.logical_or.reduce(per_slot)) if per_slot else np.array([])
        available = np.ones(arrays.size, dtype=bool)
        if len(union):
            free = arrays.free_starts(union, mission)
            available[union] = free.any(axis=1)
            partial = np.flatnonzero(~free.all(axis=1) & free.any(axis=1))
            for k in partial:
                starts[(int(union[k]), m)] = (
                    np.flatnonzero(free[k]).astype(np.int64) + mission.earliest_start
                )
        for j, slot in enumerate(mission.slots):
            chosen = np.flatnonzero(per_slot[j] & available).astype(np.int64)
            slot_mission.append(m)
            slot_position.append(j)
            experts.append(chosen)
            fits.append(_fits(arrays, slot, chosen))
    return Candidates(
        slot_mission=np.array(slot_mission, dtype=np.int64),
        slot_position=np.array(slot_position, dtype=np.int64),
        mission_slots=mission_slots,
        experts=experts,
        fit=fits,
        starts=starts,
    )
