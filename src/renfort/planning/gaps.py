"""Pool gap analysis of the whole plan: every plannable mission against the current pool, read
as the expert profiles the pool lacks, and the administrations whose experts come close.

Every decision about who may take a slot is ``missions.eligibility``'s (``expert_misses``:
pool, profile, crew; ``availability_misses``: unavailable periods, other missions with their
travel days, released days). Nothing here runs the planner: a slot is *open* when no active
assignment holds it, and an open slot is *fillable* when some pool expert meets every rule for
it (a mission with a window: at some start in what is left of its window). The analysis is
run by the background refresh only (``gap_snapshots.pool_gaps_refresh``), never by a page.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.utils import timezone

from renfort.missions.candidates import Pool, expert_pool
from renfort.missions.eligibility import (
    Booking,
    Dated,
    Exclusions,
    ExpertFacts,
    Held,
    Miss,
    Needs,
    SlotFacts,
    availability_misses,
    bookings_outside,
    crew_of,
    exclusions_of,
    expert_misses,
    from_beneficiary,
    pool_misses,
    profile_misses,
    slot_facts,
    travel_days,
    used_days,
)
from renfort.missions.models import DistinctCountries, Mission, Slot
from renfort.planning.problem import (
    mission_first_day,
    missions_with_details,
    plannable_missions,
    slot_skills,
)

Period = tuple[datetime.date, datetime.date]


@dataclass
class GapInputs:
    """What the analysis reads: the plannable missions (``problem.plannable_missions``) with
    their slots, requirements and beneficiaries, the active assignments of those missions and
    the experts excluded from their slots, every active expert with what the rules read about
    them, the day and the travel days."""

    missions: list[Mission]
    crews: dict[int, list[Held]]
    exclusions: Exclusions
    pool: Pool
    today: datetime.date
    travel: int

    @classmethod
    def load(cls) -> GapInputs:
        """About a dozen queries, whatever the number of missions and experts."""
        ids = list(plannable_missions().order_by().values_list("pk", flat=True))
        missions = missions_with_details(ids)
        return cls(
            missions=missions,
            crews=crew_of(ids),
            exclusions=exclusions_of(ids),
            pool=expert_pool(),
            today=timezone.localdate(),
            travel=travel_days(),
        )

    @property
    def in_pool(self) -> dict[int, ExpertFacts]:
        return {
            pk: f
            for pk, f in self.pool.facts.items()
            if not pool_misses(active=f.active, release_status=f.release_status)
        }

    def fingerprint(self) -> str:
        """A digest of everything the analysis reads: equal inputs give an equal digest."""
        missions = [
            [
                m.pk,
                m.reference,
                m.status,
                m.start,
                m.end,
                m.window_start,
                m.window_end,
                m.duration_days,
                m.language,
                m.distinct_countries,
                _canon([[b.pk, b.country] for b in m.beneficiaries.all()]),
                [[s.pk, s.category, _canon(list(slot_skills(s).items()))] for s in m.slots.all()],
            ]
            for m in self.missions
        ]
        pool = self.pool
        data = {
            "today": self.today,
            "travel": self.travel,
            "missions": missions,
            "crews": _canon([asdict(h) for crew in self.crews.values() for h in crew]),
            "exclusions": asdict(self.exclusions),
            "experts": _canon([asdict(f) for f in pool.facts.values()]),
            "unavailable": _canon(
                [[pk, p.start, p.end] for pk, periods in pool.unavailable.items() for p in periods]
            ),
            "bookings": _canon([asdict(b) for found in pool.bookings.values() for b in found]),
        }
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _canon(rows: list[Any]) -> list[Any]:
    """Rows in an order that does not depend on the database's."""
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


@dataclass
class Gap:
    """A profile the pool lacks, and the missions it would staff."""

    category: str
    requirements: tuple[tuple[str, int], ...]  # (topic code, minimum level), by code
    language: str
    month: str
    missions: list[tuple[int, str]] = field(default_factory=list)  # (id, reference)
    # The profile without beneficiaries (near matches), and each mission's needs with them.
    needs: Needs | None = None
    mission_needs: list[Needs] = field(default_factory=list)
    qualified: int = 0  # pool experts with the profile, from outside the beneficiaries
    near: list[tuple[int, int]] = field(default_factory=list)  # (home administration id, n)

    @property
    def mission_count(self) -> int:
        return len(self.missions)


# --- which open slots no one can fill -------------------------------------------------------


def periods_to_try(
    mission: Mission,
    unavailable: Sequence[Dated],
    bookings: Sequence[Booking],
    today: datetime.date,
    travel: int,
) -> list[Period] | None:
    """The periods to try: the mission's dates; with a window, its duration starting on the
    first day left of the window or on the first free day after each of the expert's blocking
    periods (if some start fits, one of these does); None without dates or a window."""
    if mission.start is not None and mission.end is not None:
        return [(mission.start, mission.end)]
    if mission.window_start is None or mission.window_end is None or not mission.duration_days:
        return None
    length = datetime.timedelta(days=mission.duration_days - 1)
    lo, hi = max(mission.window_start, today), mission.window_end - length
    day = datetime.timedelta(days=1)
    starts = {lo}
    starts |= {p.end + day for p in unavailable if p.end is not None}
    starts |= {b.end + day * (travel + 1) for b in bookings if b.end is not None}
    return [(s, s + length) for s in sorted(starts) if lo <= s <= hi]


def _has_room(mission: Mission, today: datetime.date) -> bool:
    """A mission with a window still has room for its duration (else the planner leaves it
    out, and no expert could help)."""
    periods = periods_to_try(mission, (), (), today, 0)
    return periods is None or bool(periods)


def _fitting(slot: SlotFacts, mission: Mission, inputs: GapInputs) -> set[int]:
    """The pool experts whom every rule accepts for the open slot."""
    undated = replace(slot, start=None, end=None)
    fit = set()
    for pk, expert in inputs.pool.facts.items():
        if expert_misses(undated, expert, unavailable=(), bookings=(), travel=inputs.travel):
            continue  # pool, profile, crew and exclusion rules
        unavailable = inputs.pool.unavailable.get(pk, [])
        bookings = bookings_outside(inputs.pool.bookings.get(pk, []), undated)
        periods = periods_to_try(mission, unavailable, bookings, inputs.today, inputs.travel)
        used = used_days(bookings)
        if periods is None or any(
            not availability_misses(
                start=start,
                end=end,
                unavailable=unavailable,
                busy=bookings,
                used=used,
                cap=expert.released_days,
                travel=inputs.travel,
            )
            for start, end in periods
        ):
            fit.add(pk)
    return fit


def _can_fill(options: Sequence[set[Hashable]]) -> bool:
    """Each slot can get one of its options, no option used twice (augmenting paths)."""
    owner: dict[Hashable, int] = {}

    def place(i: int, seen: set[Hashable]) -> bool:
        for option in options[i]:
            if option in seen:
                continue
            seen.add(option)
            if option not in owner or place(owner[option], seen):
                owner[option] = i
                return True
        return False

    return all(place(i, set()) for i in range(len(options)))


def _bottlenecks(mission: Mission, inputs: GapInputs) -> list[tuple[Slot, Needs]]:
    """The open slots no pool expert can fill; when each has someone but not all of them can
    be filled together (one expert per slot, or one country per slot when the mission
    requires distinct countries), the open slot with the fewest."""
    crew = inputs.crews.get(mission.pk, [])
    held = {h.slot_id for h in crew}
    beneficiaries = list(mission.beneficiaries.all())
    fits = []
    for slot in mission.slots.all():
        if slot.pk not in held:
            facts = slot_facts(
                slot,
                held=crew,
                excluded=inputs.exclusions.of(slot.pk, mission.pk),
                beneficiaries=beneficiaries,
            )
            fits.append((slot, facts.needs, _fitting(facts, mission, inputs)))
    empty = [(slot, needs) for slot, needs, fit in fits if not fit]
    if empty or not fits:
        return empty
    if mission.distinct_countries == DistinctCountries.REQUIRED:
        country = {pk: f.country for pk, f in inputs.pool.facts.items()}
        options: list[set[Hashable]] = [{country[pk] for pk in fit} for _s, _n, fit in fits]
    else:
        options = [set(fit) for _s, _n, fit in fits]
    if _can_fill(options):
        return []
    slot, needs, _fit = min(fits, key=lambda f: len(f[2]))
    return [(slot, needs)]


# --- profiles and near matches --------------------------------------------------------------


def _distance(misses: list[Miss]) -> int:
    """How far an expert is from a profile (``profile_misses`` without beneficiaries): one per
    missing category or language, one per topic one level short, two per topic further short
    (so that such an expert is never near)."""
    total = 0
    for miss in misses:
        if miss.code == "topic_level":
            total += 1 if miss.values["level"] - (miss.values["has"] or 0) == 1 else 2
        else:
            total += 1
    return total


def _profiles(inputs: GapInputs) -> dict[tuple[Any, ...], Gap]:
    """The bottleneck profiles of the plannable missions, each with the missions it would
    staff."""
    gaps: dict[tuple[Any, ...], Gap] = {}
    for mission in inputs.missions:
        if not _has_room(mission, inputs.today):
            continue
        first = mission_first_day(mission)
        month = first.strftime("%Y-%m") if first else ""
        language = mission.language.lower()
        for slot, needs in _bottlenecks(mission, inputs):
            reqs = tuple(sorted(slot_skills(slot).items()))
            key = (slot.category, reqs, language, month)
            gap = gaps.get(key)
            if gap is None:
                gap = gaps[key] = Gap(slot.category, reqs, language, month)
                gap.needs = replace(
                    needs, beneficiaries=frozenset(), beneficiary_countries=frozenset()
                )
            if all(pk != mission.pk for pk, _ref in gap.missions):
                gap.missions.append((mission.pk, mission.reference))
                gap.mission_needs.append(needs)
    return gaps


def _near_matches(gap: Gap, inputs: GapInputs, in_pool: set[int], near_limit: int) -> None:
    """Count the pool experts with the profile, and rank the home administrations with the
    most active experts one criterion short (or qualified but not released to the pool)."""
    assert gap.needs is not None
    per_org: Counter[int] = Counter()
    names: dict[int, str] = {}
    for pk, facts in inputs.pool.facts.items():
        if all(from_beneficiary(facts, needs) for needs in gap.mission_needs):
            continue  # could staff none of these missions: it would help itself
        misses = _distance(profile_misses(facts, gap.needs))
        if misses == 0 and pk in in_pool:
            gap.qualified += 1
        elif misses <= 1:
            per_org[facts.home_id] += 1
            names[facts.home_id] = facts.home_name
    ranked = sorted(per_org.items(), key=lambda x: (-x[1], names[x[0]]))
    gap.near = ranked[:near_limit]


def pool_gaps(inputs: GapInputs, *, near_limit: int = 5) -> list[Gap]:
    """Profiles the pool lacks, from every plannable mission, ranked.

    Each mission contributes the profile of its bottleneck slots (``_bottlenecks``): the open
    slots no pool expert can fill under every rule, or, when each has someone but they cannot
    all be filled together, the one with the fewest. Missions whose window has no room left
    are skipped. A profile is category + topic levels + language + month (of the mission's
    first day or window); profiles are ranked by how many missions they would staff. Near
    matches: active experts, per home administration, who miss exactly one criterion (the
    category, the language, or one topic by one level), or who qualify but are not released
    to the pool; experts of an administration that benefits from every one of the profile's
    missions are not counted.
    """
    gaps = _profiles(inputs)
    in_pool = set(inputs.in_pool)
    for gap in gaps.values():
        _near_matches(gap, inputs, in_pool, near_limit)
    return sorted(
        gaps.values(), key=lambda g: (-g.mission_count, g.month, g.category, g.requirements)
    )
