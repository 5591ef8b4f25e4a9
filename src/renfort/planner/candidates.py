"""Hard filters, vectorised: which experts could ever hold which slot.

A pair (expert, slot) survives when the expert has the slot's category, speaks the mission's
language, holds every topic at the level asked, comes from no beneficiary country, is not
excluded from the slot, is released for at least the mission's length and is available on some
admissible dates where the mission's days in each calendar year fit that year's cap. Only
surviving pairs become variables; everything else about a pair depends on the rest of the plan.
Each surviving pair also gets its fit (``pair_fit``): the skill fit, with the expert's ratings
on the slot's topics and continuity with the mission's beneficiaries; the model, both greedy
plans, the fit polish and the cut of candidate lists all rank by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from renfort.planner.domain import Expert, Mission, Problem, Slot, calendar_years

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

NO_CAP = 1 << 30

# Tie-breaks from the expert's record (``Expert.ratings``, ``Expert.worked_with``), folded into
# the fit every solver path ranks by (docs/planner.md, "Evaluations and continuity"): a slot's
# fit gains RATING_FIT × (rating − 3) / 2 per rated topic of the slot, averaged over its topics
# (at most ±0.25: 5/5 or 1/5 on every topic; 3/5 or no rating: nothing), and CONTINUITY_FIT
# when the expert has served one of the mission's beneficiaries before. Less than one level
# of surplus on a one-topic slot (+0.5); the model weighs fit ×FIT_SCALE (model.py).
RATING_FIT = 0.25
CONTINUITY_FIT = 0.3
NEUTRAL_RATING = 3.0


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
    # Calendar years some expert has a per-year cap in: first and last day, one row per year;
    # year_caps[expert, year] is that expert's cap, NO_CAP where none.
    years: IntArray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    year_caps: IntArray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    # Topic -> (rating − 3) / 2 per expert, 0 where unrated; beneficiary -> served before.
    rating: dict[str, FloatArray] = field(default_factory=dict)
    worked: dict[str, BoolArray] = field(default_factory=dict)

    @classmethod
    def build(cls, problem: Problem) -> ExpertArrays:
        n = len(problem.experts)
        category: dict[str, BoolArray] = {}
        language: dict[str, BoolArray] = {}
        skill: dict[str, npt.NDArray[np.int8]] = {}
        rating: dict[str, FloatArray] = {}
        worked: dict[str, BoolArray] = {}
        for i, expert in enumerate(problem.experts):
            for c in expert.categories:
                category.setdefault(c, np.zeros(n, dtype=bool))[i] = True
            for lang in expert.languages:
                language.setdefault(lang, np.zeros(n, dtype=bool))[i] = True
            for topic, level in expert.skills.items():
                skill.setdefault(topic, np.zeros(n, dtype=np.int8))[i] = level
            for topic, mean in expert.ratings.items():
                rating.setdefault(topic, np.zeros(n))[i] = rating_gain(mean)
            for beneficiary in expert.worked_with:
                worked.setdefault(beneficiary, np.zeros(n, dtype=bool))[i] = True
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
        years, year_caps = _year_arrays(problem)
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
            years=years,
            year_caps=year_caps,
            rating=rating,
            worked=worked,
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
        """Matrix experts x days earliest_start .. latest_start: True where the mission may
        start that day (host calendar) and none of its days is unavailable."""
        starts = np.arange(mission.earliest_start, mission.latest_start + 1)
        spans = start_spans(mission)
        free = np.ones((len(experts), len(starts)), dtype=bool)
        rows = self.row_of(experts)
        with_periods = rows >= 0
        if with_periods.any():
            cum = self.unavailable_cum[rows[with_periods]]
            busy = cum[:, starts + spans] - cum[:, starts]
            free[with_periods] = busy == 0
        free[:, spans == 0] = False
        return free

    def allowed_mask(self, slot: Slot, expert_index: Mapping[str, int]) -> BoolArray:
        """False for the experts the slot excludes."""
        mask = np.ones(self.size, dtype=bool)
        mask[[expert_index[eid] for eid in slot.excluded if eid in expert_index]] = False
        return mask

    def year_days(self, mission: Mission, starts: IntArray) -> IntArray:
        """Matrix capped years x starts: the mission's calendar days (first to last day) that
        fall in each year if it starts then."""
        s = np.asarray(starts, dtype=np.int64)
        if len(self.years) == 0:
            return np.zeros((0, len(s)), dtype=np.int64)
        ends = np.array([mission.last_day(int(k)) for k in s], dtype=np.int64)
        first, last = self.years[:, :1], self.years[:, 1:]
        days: IntArray = np.minimum(ends[None, :], last) - np.maximum(s[None, :], first) + 1
        return np.maximum(days, 0)

    def year_starts(
        self,
        experts: IntArray,
        mission: Mission,
        starts: IntArray | None = None,
        used: IntArray | None = None,
    ) -> BoolArray:
        """Matrix experts x starts: True where the mission's days in each calendar year fit
        the expert's cap for that year, less ``used`` (experts x years) days already taken."""
        if starts is None:
            starts = np.arange(mission.earliest_start, mission.latest_start + 1)
        fits = np.ones((len(experts), len(starts)), dtype=bool)
        if len(self.years) == 0:
            return fits
        days = self.year_days(mission, starts)
        touched = np.flatnonzero(days.any(axis=1))
        if len(touched) == 0 or len(experts) == 0:
            return fits
        room = self.year_caps[np.ix_(experts, touched)]
        if used is not None:
            room = room - used[:, touched]
        fits &= (days[touched][None, :, :] <= room[:, :, None]).all(axis=1)
        return fits


def _year_arrays(problem: Problem) -> tuple[IntArray, IntArray]:
    """``years`` and ``year_caps`` of ``ExpertArrays``: only years some expert is capped in."""
    capped = sorted({c.year for e in problem.experts for c in e.max_days_by_year})
    spans = calendar_years(problem.origin, problem.horizon)
    caps = np.full((len(problem.experts), len(capped)), NO_CAP, dtype=np.int64)
    column = {year: k for k, year in enumerate(capped)}
    for i, expert in enumerate(problem.experts):
        for cap in expert.max_days_by_year:
            caps[i, column[cap.year]] = cap.days
    years = np.array([spans[y] for y in capped], dtype=np.int64).reshape(len(capped), 2)
    return years, caps


def start_spans(mission: Mission) -> IntArray:
    """For each day from earliest_start to latest_start: the mission's span if it starts then,
    0 where it may not start (``Mission.spans``)."""
    if mission.spans:
        return np.array(mission.spans, dtype=np.int64)
    return np.full(mission.latest_start - mission.earliest_start + 1, mission.duration, np.int64)


def fit_of(slot: Slot, skills: dict[str, int] | object) -> float:
    """Skill fit of an expert for a slot: 1 for an exact match, up to 2.5 when over-qualified."""
    assert isinstance(skills, dict)
    if not slot.skills:
        return 1.0
    surplus = [min(skills.get(t, 0) - need, 3) for t, need in slot.skills.items()]
    return round(1.0 + 0.5 * sum(surplus) / len(surplus), 2)


def rating_gain(mean: float) -> float:
    """A mean rating as -1 (1/5) .. 0 (3/5) .. +1 (5/5)."""
    return (mean - NEUTRAL_RATING) / 2


def pair_fit(mission: Mission, slot: Slot, expert: Expert) -> float:
    """The fit every solver path ranks a candidate by: the skill fit (``fit_of``), plus the
    bonus or malus of the expert's ratings on the slot's topics, plus continuity when the
    expert has served one of the mission's beneficiaries (``RATING_FIT``, ``CONTINUITY_FIT``).
    Equal to ``fit_of`` for an expert with no record."""
    assert isinstance(slot.skills, dict)
    fit = 1.0
    if slot.skills:
        surplus = sum(min(expert.skills.get(t, 0) - need, 3) for t, need in slot.skills.items())
        rated = sum(rating_gain(expert.ratings[t]) for t in slot.skills if t in expert.ratings)
        fit = 1.0 + 0.5 * surplus / len(slot.skills) + RATING_FIT * rated / len(slot.skills)
    if mission.beneficiaries & expert.worked_with:
        fit += CONTINUITY_FIT
    return float(np.round(fit, 2))  # as ``_fits`` rounds, to the last digit


def _fits(arrays: ExpertArrays, mission: Mission, slot: Slot, experts: IntArray) -> FloatArray:
    """``pair_fit`` for many experts at once."""
    fits: FloatArray = np.ones(len(experts))
    if len(experts) == 0:
        return fits
    if slot.skills:
        surplus = np.zeros(len(experts))
        rated = np.zeros(len(experts))
        assert isinstance(slot.skills, dict)
        for topic, need in slot.skills.items():
            surplus += np.minimum(arrays.skill[topic][experts].astype(np.int64) - need, 3)
            if topic in arrays.rating:
                rated += arrays.rating[topic][experts]
        n = len(slot.skills)
        fits = 1.0 + 0.5 * surplus / n + RATING_FIT * rated / n
    served = [arrays.worked[b][experts] for b in mission.beneficiaries if b in arrays.worked]
    if served:
        fits = fits + CONTINUITY_FIT * np.logical_or.reduce(served)
    rounded: FloatArray = np.round(fits, 2)
    return rounded


@dataclass(frozen=True)
class Candidates:
    """Every expert that passes the hard filters, per slot (flat slot numbering)."""

    slot_mission: IntArray  # flat slot -> mission index
    slot_position: IntArray  # flat slot -> index within its mission
    mission_slots: list[range]  # mission -> its flat slots
    experts: list[IntArray]  # flat slot -> candidate experts, ascending
    fit: list[FloatArray]  # flat slot -> fit of each candidate (``pair_fit``)
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
            & (arrays.max_days >= mission.min_span)
        )
        per_slot = [
            base
            & arrays.category_mask(s.category)
            & arrays.skill_mask(s.skills)
            & arrays.allowed_mask(s, problem.expert_index)
            for s in mission.slots
        ]
        union = np.flatnonzero(np.logical_or.reduce(per_slot)) if per_slot else np.array([])
        available = np.ones(arrays.size, dtype=bool)
        if len(union):
            free = arrays.free_starts(union, mission) & arrays.year_starts(union, mission)
            available[union] = free.any(axis=1)
            allowed = start_spans(mission) > 0
            partial = np.flatnonzero(~free[:, allowed].all(axis=1) & free.any(axis=1))
            for k in partial:
                starts[(int(union[k]), m)] = (
                    np.flatnonzero(free[k]).astype(np.int64) + mission.earliest_start
                )
        for j, slot in enumerate(mission.slots):
            chosen = np.flatnonzero(per_slot[j] & available).astype(np.int64)
            slot_mission.append(m)
            slot_position.append(j)
            experts.append(chosen)
            fits.append(_fits(arrays, mission, slot, chosen))
    return Candidates(
        slot_mission=np.array(slot_mission, dtype=np.int64),
        slot_position=np.array(slot_position, dtype=np.int64),
        mission_slots=mission_slots,
        experts=experts,
        fit=fits,
        starts=starts,
    )
