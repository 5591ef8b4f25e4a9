# mypy: allow-untyped-decorators
# (Timefold is an optional extra: where it is not installed its decorators are untyped.)
"""The Timefold solver as a benchmark peer (optional: ``pip install timefold==1.24.0b0``).

A fair model, as the Timefold quickstarts would write it: each slot is an entity with a
nullable expert drawn from its own candidate list (the very lists CP-SAT gets), each mission
an entity with a start day drawn from its admissible starts (fixed and pinned ones are pinned),
the same hard constraints, the priority of fully staffed missions on the medium level and skill
fit on the soft level. Only the benchmark imports this module, and only when Timefold is
installed. No ``from __future__ import annotations`` here: Timefold reads the annotations.

The exchange format's optional fields are honoured as the planner honours them: a host
calendar gives each mission its admissible starts (``Mission.start_days``) and a span that
depends on the start (``Mission.span``), both for the overlap and the released days; a remote
mission keeps no travel days next to another remote one (``Mission.travel``); per-year caps
(``Expert.max_days_by_year``) are one constraint over the days a mission at its chosen start
takes in each capped year; slot exclusions need nothing here, since the candidate lists the
peer gets (``candidates.build_candidates``) never hold an excluded expert. A problem gets only
the constraints it needs (``PROVIDERS``): without host calendars or per-year caps the model is
the one measured before they existed.
"""

import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import numpy as np
import timefold.solver.score as tf_score
from timefold.solver import SolverFactory
from timefold.solver.config import (
    Duration,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningPin,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import HardMediumSoftScore, constraint_provider

from renfort.planner.candidates import NO_CAP, Candidates, ExpertArrays, IntArray
from renfort.planner.domain import DISTINCT_REQUIRED, Problem, Schedule

# The stream API's generics do not follow lambdas through joins; typed loosely here.
Joiners: Any = tf_score.Joiners
ConstraintCollectors: Any = tf_score.ConstraintCollectors

BLOCK = 100_000  # (expert, start) pairs packed in one int for a set lookup in a constraint


@dataclass
class TfExpert:
    id: Annotated[int, PlanningId]
    country: str
    max_days: int
    # Capped year (a column of ExpertArrays.years) -> the expert's cap that year.
    caps: dict[int, int] = field(default_factory=dict)


@planning_entity
@dataclass
class TfMission:
    id: Annotated[int, PlanningId]
    duration: int  # calendar days from first to last day, unless ``spans`` says otherwise
    travel: int  # 0 for a remote mission
    slots: int
    priority: int
    starts: Annotated[list[int], ValueRangeProvider(id="starts")]
    # With a host calendar: start -> calendar days from first to last day (else empty)
    spans: dict[int, int] = field(default_factory=dict)
    # start -> the days in each capped year the mission touches, packed as year * BLOCK + days
    # (a list of tuples does not cross into Java with its types)
    year_days: dict[int, list[int]] = field(default_factory=dict)
    pinned: Annotated[bool, PlanningPin] = False
    start: Annotated[int | None, PlanningVariable(value_range_provider_refs=["starts"])] = None


def span(m: TfMission) -> int:
    """The mission's calendar days at its chosen start (set whenever a constraint asks)."""
    return m.spans.get(m.start or 0, m.duration)


def _days_in(m: TfMission, year: int) -> int:
    """The days the mission takes in capped year ``year`` (a column of ExpertArrays.years)
    at its chosen start."""
    for packed in m.year_days.get(m.start or 0, []):
        if packed // BLOCK == year:
            return packed % BLOCK
    return 0


# One constraint per capped year (flatten_last over the (year, days) pairs corrupted Timefold's
# incremental score on large problems: a plan it scored 0 hard broke the caps). Module-level
# functions, one per year column, because the stream lambdas cross into Java without closures.
def _days_0(s: Any, m: TfMission) -> int:
    return _days_in(m, 0)


def _days_1(s: Any, m: TfMission) -> int:
    return _days_in(m, 1)


def _days_2(s: Any, m: TfMission) -> int:
    return _days_in(m, 2)


def _days_3(s: Any, m: TfMission) -> int:
    return _days_in(m, 3)


def _over_0(e: TfExpert, days: int) -> int:
    return max(0, days - e.caps.get(0, days))


def _over_1(e: TfExpert, days: int) -> int:
    return max(0, days - e.caps.get(1, days))


def _over_2(e: TfExpert, days: int) -> int:
    return max(0, days - e.caps.get(2, days))


def _over_3(e: TfExpert, days: int) -> int:
    return max(0, days - e.caps.get(3, days))


def _is_over_0(e: TfExpert, days: int) -> bool:
    return _over_0(e, days) > 0


def _is_over_1(e: TfExpert, days: int) -> bool:
    return _over_1(e, days) > 0


def _is_over_2(e: TfExpert, days: int) -> bool:
    return _over_2(e, days) > 0


def _is_over_3(e: TfExpert, days: int) -> bool:
    return _over_3(e, days) > 0


YEAR_FUNCTIONS = (
    (_days_0, _is_over_0, _over_0),
    (_days_1, _is_over_1, _over_1),
    (_days_2, _is_over_2, _over_2),
    (_days_3, _is_over_3, _over_3),
)
MAX_CAPPED_YEARS = len(YEAR_FUNCTIONS)


@planning_entity
@dataclass
class TfSlot:
    id: Annotated[int, PlanningId]
    mission: int
    duration: int  # the mission's span, when it does not depend on the start
    priority: int
    required: bool
    candidates: Annotated[list[TfExpert], ValueRangeProvider(id="candidates")]
    blocked: set[int] = field(default_factory=set)
    fits: dict[int, int] = field(default_factory=dict)
    pinned: Annotated[bool, PlanningPin] = False
    expert: Annotated[
        TfExpert | None,
        PlanningVariable(value_range_provider_refs=["candidates"], allows_unassigned=True),
    ] = None


@planning_solution
@dataclass
class TfPlan:
    experts: Annotated[list[TfExpert], ProblemFactCollectionProperty]
    missions: Annotated[list[TfMission], PlanningEntityCollectionProperty]
    slots: Annotated[list[TfSlot], PlanningEntityCollectionProperty]
    score: Annotated[HardMediumSoftScore | None, PlanningScore] = None


def overlap(a: TfMission, b: TfMission) -> bool:
    """Whether one expert cannot take both: their days, with the travel days either needs
    (none between two remote missions), meet. Each mission spans ``duration`` days."""
    a_start, b_start = a.start or 0, b.start or 0  # both are set whenever this is asked
    gap = max(a.travel, b.travel)
    return a_start <= b_start + b.duration - 1 + gap and b_start <= a_start + a.duration - 1 + gap


def overlap_spans(a: TfMission, b: TfMission) -> bool:
    """``overlap`` with host calendars: each mission's span depends on its chosen start."""
    a_start, b_start = a.start or 0, b.start or 0
    gap = max(a.travel, b.travel)
    return a_start <= b_start + span(b) - 1 + gap and b_start <= a_start + span(a) - 1 + gap


# The constraints come in parts, and a problem gets only those it needs: calendar spans and
# per-year caps cost a join per slot, which a problem without them need not pay.


def _base(factory: Any) -> list[Any]:  # the stream API is untyped in practice
    """What every problem needs but the overlap and the released days."""
    return [
        factory.for_each_unique_pair(
            TfSlot, Joiners.equal(lambda s: s.expert.id), Joiners.equal(lambda s: s.mission)
        )
        .penalize(HardMediumSoftScore.ONE_HARD)
        .as_constraint("one slot per expert per mission"),
        factory.for_each(TfSlot)
        .filter(lambda s: len(s.blocked) > 0)
        .join(TfMission, Joiners.equal(lambda s: s.mission, lambda m: m.id))
        .filter(lambda s, m: s.expert.id * BLOCK + m.start in s.blocked)
        .penalize(HardMediumSoftScore.ONE_HARD)
        .as_constraint("unavailable"),
        factory.for_each_unique_pair(
            TfSlot,
            Joiners.equal(lambda s: s.mission),
            Joiners.equal(lambda s: s.expert.country),
        )
        .filter(lambda a, b: a.required)
        .penalize(HardMediumSoftScore.ONE_HARD)
        .as_constraint("distinct countries required"),
        factory.for_each(TfSlot)
        .group_by(lambda s: s.mission, ConstraintCollectors.count())
        .join(TfMission, Joiners.equal(lambda m, n: m, lambda m: m.id))
        .filter(lambda mid, n, m: n == m.slots)
        .reward(HardMediumSoftScore.ONE_MEDIUM, lambda mid, n, m: m.priority)
        .as_constraint("staffed missions"),
        # A gradient towards complete missions: every filled slot earns its mission's
        # priority on the soft level, plus its skill fit.
        factory.for_each(TfSlot)
        .reward(
            HardMediumSoftScore.ONE_SOFT, lambda s: 100 * s.priority + s.fits.get(s.expert.id, 0)
        )
        .as_constraint("filled slots and skill fit"),
    ]


def _pairs(factory: Any) -> Any:
    """Two slots of one expert on different missions, with both missions."""
    return (
        factory.for_each_unique_pair(TfSlot, Joiners.equal(lambda s: s.expert.id))
        .filter(lambda a, b: a.mission != b.mission)
        .join(TfMission, Joiners.equal(lambda a, b: a.mission, lambda m: m.id))
        .join(TfMission, Joiners.equal(lambda a, b, m1: b.mission, lambda m: m.id))
    )


def _fixed_spans(factory: Any) -> list[Any]:
    """Overlap and released days when every mission spans its duration."""
    return [
        _pairs(factory)
        .filter(lambda a, b, m1, m2: overlap(m1, m2))
        .penalize(HardMediumSoftScore.ONE_HARD)
        .as_constraint("no overlap, travel days kept"),
        factory.for_each(TfSlot)
        .group_by(lambda s: s.expert, ConstraintCollectors.sum(lambda s: s.duration))
        .filter(lambda e, days: days > e.max_days)
        .penalize(HardMediumSoftScore.ONE_HARD, lambda e, days: days - e.max_days)
        .as_constraint("max days"),
    ]


def _calendar_spans(factory: Any) -> list[Any]:
    """Overlap and released days when a host calendar makes a span depend on the start."""
    return [
        _pairs(factory)
        .filter(lambda a, b, m1, m2: overlap_spans(m1, m2))
        .penalize(HardMediumSoftScore.ONE_HARD)
        .as_constraint("no overlap, travel days kept"),
        factory.for_each(TfSlot)
        .join(TfMission, Joiners.equal(lambda s: s.mission, lambda m: m.id))
        .group_by(lambda s, m: s.expert, ConstraintCollectors.sum(lambda s, m: span(m)))
        .filter(lambda e, days: days > e.max_days)
        .penalize(HardMediumSoftScore.ONE_HARD, lambda e, days: days - e.max_days)
        .as_constraint("max days"),
    ]


def _year_caps(factory: Any) -> list[Any]:
    """Per-year caps: for each capped year, the days the missions at their chosen starts take
    in it, summed per expert."""
    return [
        factory.for_each(TfSlot)
        .filter(lambda s: len(s.expert.caps) > 0)
        .join(TfMission, Joiners.equal(lambda s: s.mission, lambda m: m.id))
        .group_by(lambda s, m: s.expert, ConstraintCollectors.sum(days))
        .filter(is_over)
        .penalize(HardMediumSoftScore.ONE_HARD, over)
        .as_constraint(f"max days in capped year {k}")
        for k, (days, is_over, over) in enumerate(YEAR_FUNCTIONS)
    ]


@constraint_provider
def constraints(factory: Any) -> list[Any]:
    return [*_base(factory), *_fixed_spans(factory)]


@constraint_provider
def calendar_constraints(factory: Any) -> list[Any]:
    return [*_base(factory), *_calendar_spans(factory)]


@constraint_provider
def capped_constraints(factory: Any) -> list[Any]:
    return [*_base(factory), *_fixed_spans(factory), *_year_caps(factory)]


@constraint_provider
def calendar_capped_constraints(factory: Any) -> list[Any]:
    return [*_base(factory), *_calendar_spans(factory), *_year_caps(factory)]


# (some mission has a host calendar that changes its span, some expert has per-year caps)
PROVIDERS = {
    (False, False): constraints,
    (True, False): calendar_constraints,
    (False, True): capped_constraints,
    (True, True): calendar_capped_constraints,
}


def solve_with_timefold(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    allowed: list[IntArray],
    time_limit_s: float,
) -> tuple[Schedule, dict[str, Any]]:
    """Solve with Timefold; returns a schedule (complete missions only) and stats."""

    began = time.perf_counter()
    if len(arrays.years) > MAX_CAPPED_YEARS:
        raise ValueError(f"the Timefold peer handles at most {MAX_CAPPED_YEARS} capped years")
    experts = [
        TfExpert(
            e,
            problem.experts[e].country,
            int(arrays.max_days[e]),
            {y: int(cap) for y, cap in enumerate(arrays.year_caps[e].tolist()) if cap < NO_CAP},
        )
        for e in range(len(problem.experts))
    ]
    pinned_expert: dict[tuple[int, int], int] = {}
    pinned_start: dict[int, int] = {}
    for pin in problem.pins:
        m, j = problem.slot_index[pin.slot]
        pinned_expert[m, j] = problem.expert_index[pin.expert]
        if pin.start is not None:
            pinned_start[m] = pin.start
    missions = _tf_missions(problem, arrays, pinned_start)
    slots = _tf_slots(problem, cands, allowed, experts, pinned_expert)
    config = SolverConfig(
        solution_class=TfPlan,
        entity_class_list=[TfMission, TfSlot],
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=PROVIDERS[
                any(m.spans for m in missions), any(e.caps for e in experts)
            ]
        ),
        termination_config=TerminationConfig(
            spent_limit=Duration(milliseconds=int(1000 * time_limit_s))
        ),
    )
    solver = SolverFactory.create(config).build_solver()
    built = time.perf_counter()
    solution = solver.solve(TfPlan(experts, missions, slots))
    solved = time.perf_counter()

    schedule = Schedule()
    by_mission: dict[int, dict[int, int]] = {}
    for s in solution.slots:
        if s.expert is not None:
            by_mission.setdefault(s.mission, {})[int(cands.slot_position[s.id])] = s.expert.id
    for m, staff in by_mission.items():
        if len(staff) == len(problem.missions[m].slots):
            start = solution.missions[m].start
            schedule.start[m] = int(start)
            schedule.experts[m] = staff
    score = solution.score
    stats = {
        "score": str(score),
        "hard_ok": score is not None and score.hard_score == 0,
        "setup_s": round(built - began, 3),
        "solve_s": round(solved - built, 3),
    }
    return schedule, stats


def _tf_missions(
    problem: Problem, arrays: ExpertArrays, pinned_start: dict[int, int]
) -> list[TfMission]:
    """One entity per mission, its starts those its window and host calendar admit; fixed
    dates and pinned starts are pinned."""
    missions = []
    for m, mission in enumerate(problem.missions):
        fixed = mission.fixed or m in pinned_start
        start = pinned_start.get(m, mission.earliest_start)
        starts = [start] if fixed else mission.start_days()
        split = arrays.year_days(mission, np.array(starts, dtype=np.int64))
        year_days = {
            s: [y * BLOCK + int(days) for y, days in enumerate(split[:, k].tolist()) if days]
            for k, s in enumerate(starts)
        }
        missions.append(
            TfMission(
                m,
                mission.duration,
                mission.travel(problem.travel_days),
                len(mission.slots),
                mission.priority,
                starts,
                {s: mission.span(s) for s in starts} if mission.spans else {},
                {s: pairs for s, pairs in year_days.items() if pairs},
                pinned=fixed,
                start=start if fixed else None,
            )
        )
    return missions


def _tf_slots(
    problem: Problem,
    cands: Candidates,
    allowed: list[IntArray],
    experts: list[TfExpert],
    pinned_expert: dict[tuple[int, int], int],
) -> list[TfSlot]:
    """One entity per slot, its candidates the ``allowed`` list; pinned experts are pinned."""
    slots = []
    for g, experts_g in enumerate(allowed):
        m = int(cands.slot_mission[g])
        j = int(cands.slot_position[g])
        mission = problem.missions[m]
        blocked: set[int] = set()
        all_starts = mission.start_days()
        for e in experts_g.tolist():
            ok = cands.starts.get((e, m))
            if ok is not None:
                free = set(ok.tolist())
                blocked.update(e * BLOCK + s for s in all_starts if s not in free)
        full = cands.experts[g]
        fit_of = dict(zip(full.tolist(), cands.fit[g].tolist(), strict=True))
        holder = pinned_expert.get((m, j))
        slots.append(
            TfSlot(
                g,
                m,
                mission.duration,
                mission.priority,
                mission.distinct == DISTINCT_REQUIRED,
                [experts[e] for e in experts_g.tolist()],
                blocked,
                {e: round(10 * (fit_of[e] - 1.0)) for e in experts_g.tolist()},
                pinned=holder is not None,
                expert=experts[holder] if holder is not None else None,
            )
        )
    return slots
