"""The CP-SAT model, one small function per constraint family.

Category, topic levels, language, beneficiary country, yearly days below one mission's length
and fixed-date availability are settled by the candidate filter (``candidates.py``): a pair
that breaks one of them never becomes a variable. What remains here depends on the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from renfort.planner.candidates import NO_CAP, Candidates, ExpertArrays, IntArray
from renfort.planner.domain import DISTINCT_PREFERRED, DISTINCT_REQUIRED, Mission, Problem

# Secondary weights: stability dominates every other tie-break so that re-planning keeps
# what it can; fit counts FIT_SCALE × (fit − 1) per assignment, rounded (``candidates.pair_fit``:
# 5 per level of surplus averaged over the slot's topics; the expert's ratings on those topics
# from −2.5 at 1/5 to +2.5 at 5/5; 3 for having served one of the mission's beneficiaries
# before); a same-country pair where distinct countries are preferred costs 30.
KEEP_WEIGHT = 1000
DISTINCT_WEIGHT = 30
FIT_SCALE = 10


@dataclass
class PlanModel:
    problem: Problem
    cands: Candidates
    allowed: list[IntArray]  # flat slot -> experts kept as variables
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (slot, expert)
    staffed: list[cp_model.IntVar] = field(default_factory=list)
    start: list[cp_model.IntVar] = field(default_factory=list)
    # (expert, mission) -> literal "the expert works on the mission"
    works: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    missions_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # mission -> its span (calendar days) when that depends on its start (host calendar),
    # and the day after its last day then
    span: dict[int, cp_model.IntVar] = field(default_factory=dict)
    end: dict[int, cp_model.IntVar] = field(default_factory=dict)
    primary: cp_model.LinearExpr | int = 0
    terms: dict[str, cp_model.LinearExpr | int] = field(default_factory=dict)


def add_variables(pm: PlanModel) -> None:
    """x[slot, expert], staffed[mission], start[mission], works[expert, mission]."""
    problem, cp = pm.problem, pm.cp
    for m, mission in enumerate(problem.missions):
        pm.staffed.append(cp.new_bool_var(f"staffed_{m}"))
        pm.start.append(_start_var(cp, mission, m))
    for g, experts in enumerate(pm.allowed):
        for e in experts:
            pm.x[g, int(e)] = cp.new_bool_var(f"x_{g}_{e}")
    by_pair: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (g, e), var in pm.x.items():
        by_pair[e, int(pm.cands.slot_mission[g])].append(var)
    for (e, m), lits in by_pair.items():
        pm.missions_of[e].append(m)
        if len(lits) == 1:
            pm.works[e, m] = lits[0]
        else:
            works = cp.new_bool_var(f"works_{e}_{m}")
            # One expert holds at most one slot of a mission.
            cp.add(sum(lits) == works)
            pm.works[e, m] = works


def _start_var(cp: cp_model.CpModel, mission: Mission, m: int) -> cp_model.IntVar:
    """The start day: anywhere in the window, or on the days the host calendar allows."""
    if not mission.spans:
        return cp.new_int_var(mission.earliest_start, mission.latest_start, f"start_{m}")
    days = cp_model.Domain.from_values(mission.start_days())
    return cp.new_int_var_from_domain(days, f"start_{m}")


def span_of(pm: PlanModel, m: int) -> cp_model.IntVar | int:
    """The mission's calendar days, first to last day: a constant, or a variable read from
    its start when the host calendar makes them depend on it."""
    mission = pm.problem.missions[m]
    if mission.min_span == mission.max_span:
        return mission.max_span
    if m not in pm.span:
        var = pm.cp.new_int_var(mission.min_span, mission.max_span, f"span_{m}")
        index = pm.start[m] - mission.earliest_start
        pm.cp.add_element(index, list(mission.spans), var)
        pm.span[m] = var
        end = pm.cp.new_int_var(
            mission.earliest_start + mission.min_span,
            mission.latest_start + mission.max_span,
            f"end_{m}",
        )
        pm.cp.add(end == pm.start[m] + var)
        pm.end[m] = end
    return pm.span[m]


def _interval(pm: PlanModel, e: int, m: int, travel_before: bool) -> cp_model.IntervalVar:
    """The mission's days for expert ``e`` followed (or preceded) by its travel days."""
    mission = pm.problem.missions[m]
    travel = mission.travel(pm.problem.travel_days)
    start = pm.start[m] - travel if travel_before else pm.start[m]
    span = span_of(pm, m)
    name = f"{'j' if travel_before else 'i'}_{e}_{m}"
    if isinstance(span, int):
        return pm.cp.new_optional_fixed_size_interval_var(
            start, span + travel, pm.works[e, m], name
        )
    end = pm.end[m] + (0 if travel_before else travel)
    return pm.cp.new_optional_interval_var(start, span + travel, end, pm.works[e, m], name)


def add_staffed_whole(pm: PlanModel) -> None:
    """Every slot of a staffed mission holds exactly one expert; none of an unstaffed one."""
    for m, slots in enumerate(pm.cands.mission_slots):
        for g in slots:
            lits = [pm.x[g, int(e)] for e in pm.allowed[g]]
            pm.cp.add(sum(lits) == pm.staffed[m])


def _maximal_cliques(intervals: Sequence[tuple[int, int, int]]) -> Iterable[list[int]]:
    """Maximal sets of pairwise-overlapping closed intervals (lo, hi, key): a sweep."""
    events = sorted(
        [(lo, 1, key) for lo, _, key in intervals] + [(hi + 1, 0, key) for _, hi, key in intervals]
    )
    active: set[int] = set()
    grown = False
    for _, kind, key in events:
        if kind == 0:
            if grown and len(active) > 1:
                yield sorted(active)
            grown = False
            active.discard(key)
        else:
            active.add(key)
            grown = True


def _components(spans: Sequence[tuple[int, int, int]]) -> Iterable[list[int]]:
    """Groups of closed intervals (lo, hi, key) connected by overlaps."""
    group: list[int] = []
    reach = -1
    for lo, hi, key in sorted(spans):
        if group and lo > reach:
            yield group
            group = []
        group.append(key)
        reach = max(reach, hi)
    if group:
        yield group


def add_no_overlap(pm: PlanModel) -> None:
    """No two missions of one expert overlap, with travel days between them.

    Fixed dates (and the days a windowed mission covers wherever it starts) form an
    interval graph: one at-most-one per maximal clique says it exactly and keeps the LP
    relaxation tight. Where a windowed mission could touch another of the expert's missions,
    a NoOverlap over intervals of length span + travel days settles the rest; it spans
    only the group of missions that could meet, which keeps presolve fast.

    A remote mission keeps no travel days of its own, but an on-site mission keeps its travel
    days on both sides even next to a remote one: where an expert's missions mix the two, each
    rule is stated twice, once with the travel days after each on-site mission and once before.
    """
    problem, cp = pm.problem, pm.cp
    t = problem.travel_days
    for e, missions in pm.missions_of.items():
        if len(missions) < 2:
            continue
        mixed = any(problem.missions[m].remote for m in missions)
        after, before, reach = [], [], []
        for m in missions:
            mission = problem.missions[m]
            travel = mission.travel(t)
            part = mission.compulsory
            if part is not None:
                after.append((part[0], part[1] + travel, m))
                before.append((part[0] - travel, part[1], m))
            reach.append((mission.earliest_start, mission.last_day(mission.latest_start) + t, m))
        cliques = list(_maximal_cliques(after))
        if mixed:
            cliques += [c for c in _maximal_cliques(before) if c not in cliques]
        for clique in cliques:
            cp.add_at_most_one(pm.works[e, m] for m in clique)
        for group in _components(reach):
            if len(group) < 2 or all(problem.missions[m].fixed for m in group):
                continue
            cp.add_no_overlap(_interval(pm, e, m, travel_before=False) for m in group)
            if mixed:
                cp.add_no_overlap(_interval(pm, e, m, travel_before=True) for m in group)


def add_unavailability(pm: PlanModel) -> None:
    """A windowed mission starts only where none of its days is unavailable for its experts."""
    for (e, m), starts in pm.cands.starts.items():
        works = pm.works.get((e, m))
        if works is not None:
            domain = cp_model.Domain.from_values([int(s) for s in starts])
            pm.cp.add_linear_expression_in_domain(pm.start[m], domain).only_enforce_if(works)


def add_max_days(pm: PlanModel, arrays: ExpertArrays) -> None:
    """The sum of an expert's mission days stays within the days released."""
    for e, missions in pm.missions_of.items():
        cap = int(arrays.max_days[e])
        days = [pm.problem.missions[m].max_span for m in missions]
        if sum(days) > cap:
            pm.cp.add(sum(mission_days(pm, e, m) for m in missions) <= cap)


def mission_days(pm: PlanModel, e: int, m: int) -> cp_model.LinearExprT:
    """The released days expert ``e`` spends on mission ``m``: its calendar days, first to last
    day, when the expert works on it, else 0."""
    span = span_of(pm, m)
    if isinstance(span, int):
        return span * pm.works[e, m]
    taken = pm.cp.new_int_var(0, pm.problem.missions[m].max_span, f"days_{e}_{m}")
    pm.cp.add(taken >= span).only_enforce_if(pm.works[e, m])
    return taken


def add_max_days_by_year(pm: PlanModel, arrays: ExpertArrays) -> None:
    """Within each capped calendar year, an expert's mission days stay within that year's cap.

    A mission's days in a year are a constant when every start splits it alike (fixed dates,
    a window inside one year); otherwise they are read from a table indexed by the mission's
    start, so a windowed mission over 31 December counts its days where they fall.
    """
    problem = pm.problem
    split: dict[int, IntArray] = {}  # mission -> capped years x admissible starts
    in_year: dict[tuple[int, int], cp_model.IntVar] = {}  # (mission, year) -> its days then
    for e, missions in pm.missions_of.items():
        for y in np.flatnonzero(arrays.year_caps[e] < NO_CAP).tolist():
            for m in missions:
                if m not in split:
                    mission = problem.missions[m]
                    starts = np.arange(mission.earliest_start, mission.latest_start + 1)
                    split[m] = arrays.year_days(mission, starts)
            cap = int(arrays.year_caps[e, y])
            if sum(int(split[m][y].max()) for m in missions) <= cap:
                continue
            terms: list[Any] = []
            for m in missions:
                days = split[m][y]
                lo, hi = int(days.min()), int(days.max())
                if lo == hi:
                    terms.append(hi * pm.works[e, m])
                    continue
                if (m, y) not in in_year:
                    in_year[m, y] = pm.cp.new_int_var(lo, hi, f"days_{m}_in_{y}")
                    index = pm.start[m] - problem.missions[m].earliest_start
                    pm.cp.add_element(index, [int(d) for d in days], in_year[m, y])
                # At least the mission's days that year when the expert works on it.
                taken = pm.cp.new_int_var(0, hi, f"days_{e}_{m}_in_{y}")
                pm.cp.add(taken >= in_year[m, y]).only_enforce_if(pm.works[e, m])
                terms.append(taken)
            pm.cp.add(sum(terms) <= cap)


def _by_mission_country(
    pm: PlanModel, arrays: ExpertArrays, distinct: str
) -> dict[tuple[int, str], list[cp_model.IntVar]]:
    groups: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
    for (e, m), works in pm.works.items():
        if pm.problem.missions[m].distinct == distinct:
            groups[m, str(arrays.country[e])].append(works)
    return {key: lits for key, lits in groups.items() if len(lits) > 1}


def add_distinct_countries(pm: PlanModel, arrays: ExpertArrays) -> None:
    """Where required, the experts of a mission come from pairwise different countries."""
    for lits in _by_mission_country(pm, arrays, DISTINCT_REQUIRED).values():
        pm.cp.add_at_most_one(lits)


def add_preferred_countries(pm: PlanModel, arrays: ExpertArrays) -> None:
    """Where preferred, a penalty for a mission with two experts from one country."""
    shared: dict[int, cp_model.IntVar] = {}
    for (m, _), lits in _by_mission_country(pm, arrays, DISTINCT_PREFERRED).items():
        if m not in shared:
            shared[m] = pm.cp.new_bool_var(f"shared_country_{m}")
        pm.cp.add(sum(lits) <= 1 + (len(lits) - 1) * shared[m])
    pm.terms["distinct_countries"] = -DISTINCT_WEIGHT * sum(shared.values())


def add_pins(pm: PlanModel) -> None:
    """Pinned assignments hold, with their start where given."""
    problem = pm.problem
    for pin in problem.pins:
        m, j = problem.slot_index[pin.slot]
        g = pm.cands.flat(m, j)
        e = problem.expert_index[pin.expert]
        pm.cp.add(pm.x[g, e] == 1)
        if pin.start is not None:
            pm.cp.add(pm.start[m] == pin.start)


def add_primary(pm: PlanModel) -> None:
    """The sum of the priorities of staffed missions."""
    missions = pm.problem.missions
    pm.primary = sum(mission.priority * pm.staffed[m] for m, mission in enumerate(missions))


def add_secondary(
    pm: PlanModel, arrays: ExpertArrays, keep: Mapping[tuple[int, int], bool]
) -> None:
    """The named tie-break terms (maximised, integer), added for the second pass only.

    Fit (skills, ratings and continuity: ``candidates.pair_fit``), stability against a
    previous plan, different countries where preferred, and a fair spread of days across
    experts and across lending countries.
    """
    problem, cp = pm.problem, pm.cp
    add_preferred_countries(pm, arrays)
    fit_terms = []
    for g, allowed in enumerate(pm.allowed):
        full = pm.cands.experts[g]
        fits = pm.cands.fit[g][np.searchsorted(full, allowed)]
        for e, fit in zip(allowed, fits, strict=True):
            weight = round(FIT_SCALE * (float(fit) - 1.0))
            if weight:
                fit_terms.append(weight * pm.x[g, int(e)])
    pm.terms["fit"] = sum(fit_terms)
    if keep:
        pm.terms["stability"] = KEEP_WEIGHT * sum(pm.x[key] for key in keep if key in pm.x)
    # Fair spread: days beyond an even share, per expert and per lending country.
    demand = sum(m.duration * len(m.slots) for m in problem.missions)
    active = max(len(pm.missions_of), 1)
    quota = max(-(-demand // active), max((m.duration for m in problem.missions), default=1))
    over_expert = []
    load_by_country: dict[str, list[Any]] = defaultdict(list)
    for e, missions in pm.missions_of.items():
        load = sum(problem.missions[m].duration * pm.works[e, m] for m in missions)
        load_by_country[str(arrays.country[e])].append(load)
        potential = sum(problem.missions[m].duration for m in missions)
        if potential > quota:
            over = cp.new_int_var(0, potential, f"over_{e}")
            cp.add(over >= load - quota)
            over_expert.append(over)
    pm.terms["expert_spread"] = -sum(over_expert)
    experts_per_country: dict[str, int] = defaultdict(int)
    for c in arrays.country:
        experts_per_country[str(c)] += 1
    over_country = []
    for c, loads in load_by_country.items():
        share = -(-demand * experts_per_country[c] // max(len(arrays.country), 1))
        over = cp.new_int_var(0, demand, f"over_country_{c}")
        cp.add(over >= sum(loads) - share)
        over_country.append(over)
    pm.terms["country_spread"] = -sum(over_country)


def build_model(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    allowed: list[IntArray],
) -> PlanModel:
    """The hard constraints and the primary objective; ``add_secondary`` adds the rest."""
    pm = PlanModel(problem, cands, allowed)
    add_variables(pm)
    add_staffed_whole(pm)
    add_no_overlap(pm)
    add_unavailability(pm)
    add_max_days(pm, arrays)
    add_max_days_by_year(pm, arrays)
    add_distinct_countries(pm, arrays)
    add_pins(pm)
    add_primary(pm)
    return pm
