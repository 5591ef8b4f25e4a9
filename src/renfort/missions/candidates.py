"""The experts a page offers for a slot: the pool loaded once, then for each slot the experts
whom every rule accepts (``eligibility.expert_misses``, the very check the services make), so
that what the forms suggest is what the services will take.

Used by the mission page (assign and swap forms) and the Experts' Requirement Matrix (offer
form); ``tests/test_rule_home.py`` compares the lists with ``rules.assignment_problems``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import IntegerField, QuerySet, Value
from django.utils import timezone

from renfort.missions.eligibility import (
    Booking,
    Exclusions,
    ExpertFacts,
    Held,
    Needs,
    bookings_of,
    bookings_outside,
    crew_of,
    exclusions_of,
    expert_misses,
    needs_of,
    qualified_experts,
    slot_facts,
    travel_days,
)
from renfort.missions.models import Assignment, Slot
from renfort.roster.models import Expert, Skill, Unavailability


@dataclass
class Pool:
    """Experts offered in a page's forms, with what the rules read about each.

    ``bookings_since``: the first day of the bookings loaded (None: all of them). ``fits``
    (``slots_pool``): for each slot id, the ids of the experts whose profile fits it; the
    mission's outlook (``planning.supply``) counts from them without reading the pool again.
    """

    experts: list[Expert] = field(default_factory=list)
    facts: dict[int, ExpertFacts] = field(default_factory=dict)
    unavailable: dict[int, list[Unavailability]] = field(default_factory=dict)
    bookings: dict[int, list[Booking]] = field(default_factory=dict)
    bookings_since: datetime.date | None = None
    fits: dict[int, frozenset[int]] = field(default_factory=dict)


def expert_pool(qs: QuerySet[Expert] | None = None, *, since: datetime.date | None = None) -> Pool:
    """The active experts (of ``qs``), loaded once per page for the assign, swap and offer
    forms: four queries whatever their number (experts, skills as plain tuples, unavailable
    periods, other missions). ``since``: the first day the forms' rules read (periods and
    yearly days); the bookings that end earlier are left out (``bookings_of``)."""
    active = (Expert.objects.all() if qs is None else qs).filter(active=True)
    experts = list(active.select_related("home_administration").order_by("last_name", "first_name"))
    if not experts:
        return Pool(bookings_since=since)
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for expert_id, topic_id, level in Skill.objects.filter(expert__in=active).values_list(
        "expert_id", "topic_id", "level"
    ):
        levels[expert_id][topic_id] = level
    unavailable: dict[int, list[Unavailability]] = defaultdict(list)
    for period in Unavailability.objects.filter(expert__in=active):
        unavailable[period.expert_id].append(period)
    return Pool(
        experts=experts,
        facts={e.pk: ExpertFacts.of(e, levels.get(e.pk, {})) for e in experts},
        unavailable=unavailable,
        bookings=bookings_of((e.pk for e in experts), since=since),
        bookings_since=since,
    )


def first_january(
    days: Iterable[datetime.date], today: datetime.date, travel: int
) -> datetime.date:
    """January 1st of the year of the earliest of ``days`` and ``today``, less ``travel``
    days: a booking that ended before neither overlaps those days nor counts in their years'
    released days."""
    earliest = min([today, *days]) - datetime.timedelta(days=travel)
    return datetime.date(earliest.year, 1, 1)


def bookings_since(
    slots: Sequence[Slot], today: datetime.date | None = None
) -> datetime.date | None:
    """The first day of the bookings the availability rule reads for the slots' missions
    (their dates or window, from today on for the outlook's counts, with travel days:
    ``first_january``). None when a mission has neither dates nor a window."""
    missions = [s.mission for s in slots]
    if not missions or any(m.start is None and m.window_start is None for m in missions):
        return None
    days = [d for m in missions for d in (m.start, m.window_start) if d is not None]
    return first_january(days, today or timezone.localdate(), travel_days())


def qualified_ids(needs: Sequence[Needs]) -> tuple[list[set[int]], dict[int, int]]:
    """For each needs, the ids of the experts whose profile fits (``qualified_experts``), and
    their released days per year: one query for all of them (a union)."""
    parts: list[QuerySet[Any]] = [
        qualified_experts(n)
        .order_by()
        .annotate(k=Value(k, output_field=IntegerField()))
        .values_list("pk", "released_days_per_year", "k")
        for k, n in enumerate(needs)
    ]
    out: list[set[int]] = [set() for _ in needs]
    released: dict[int, int] = {}
    if not parts:
        return out, released
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for pk, days, k in rows:
        out[k].add(pk)
        released[pk] = days
    return out, released


def slots_pool(
    slots: Sequence[Slot],
    beneficiaries: Iterable[Any] | None = None,
    *,
    today: datetime.date | None = None,
) -> Pool:
    """The pool cut to what a page of ``slots`` can suggest: the experts whose profile fits at
    least one slot (``qualified_experts``: the pool and profile rules in SQL, the same rules
    ``candidates`` applies; which slots each fits in ``fits``), with their bookings from
    ``bookings_since``. Others are found by name (the pool search) and checked by the
    service. ``beneficiaries``: the missions' (one mission's page), else each slot's
    mission's."""
    if not slots:
        return Pool()
    orgs = None if beneficiaries is None else list(beneficiaries)
    fits, _released = qualified_ids([needs_of(slot, orgs) for slot in slots])
    ids = sorted(set().union(*fits))
    since = bookings_since(slots, today)
    pool = expert_pool(Expert.objects.filter(pk__in=ids), since=since) if ids else Pool()
    pool.bookings_since = since
    pool.fits = {slot.pk: frozenset(f) for slot, f in zip(slots, fits, strict=True)}
    return pool


def candidates(
    slot: Slot,
    pool: Pool,
    *,
    beneficiaries: Iterable[Any],
    crew: Iterable[Held],
    excluded: Exclusions,
    exclude: Assignment | None = None,
) -> tuple[list[Expert], set[int]]:
    """The pool's experts of the slot's category but those excluded from it, and the ids of
    those among them whom every rule accepts for the slot at its mission's dates: listed
    first in the form.

    ``crew``: the active assignments of the slot's mission (``eligibility.crew_of``).
    ``excluded``: the exclusions of the slot's mission (``eligibility.exclusions_of``): an
    excluded expert is not offered at all.
    ``exclude``: the assignment being swapped: its expert is not offered, and the rules leave
    it out as ``assignment_swap`` does. The rules about the mission itself (its status, its
    dates) are the same for every expert and are left to the service's refusal; without dates
    the availability rule cannot be checked, so the list then follows the other rules.
    """
    skip = exclude.pk if exclude is not None else None
    facts = slot_facts(
        slot,
        held=[h for h in crew if h.pk != skip],
        excluded=excluded.of(slot.pk, slot.mission_id),
        beneficiaries=list(beneficiaries),
    )
    travel = travel_days()
    of_category = [
        e
        for e in pool.experts
        if slot.category in e.categories
        and (exclude is None or e.pk != exclude.expert_id)
        and e.pk not in facts.excluded
    ]
    fitting = {
        e.pk
        for e in of_category
        if not expert_misses(
            facts,
            pool.facts[e.pk],
            unavailable=pool.unavailable.get(e.pk, []),
            bookings=bookings_outside(pool.bookings.get(e.pk, []), facts, skip),
            travel=travel,
        )
    }
    return of_category, fitting


def slot_candidates(
    slot: Slot, pool: Pool | None = None, *, exclude: Assignment | None = None
) -> tuple[list[Expert], set[int]]:
    """``candidates`` for one slot, with its mission's beneficiaries, crew and exclusions
    loaded here: the form of a single slot (assign, swap, exclude, offer). ``pool`` defaults
    to the experts whose profile fits the slot (``slots_pool``)."""
    mission_id = slot.mission_id
    beneficiaries = list(slot.mission.beneficiaries.all())
    return candidates(
        slot,
        slots_pool([slot], beneficiaries) if pool is None else pool,
        beneficiaries=beneficiaries,
        crew=crew_of([mission_id]).get(mission_id, []),
        excluded=exclusions_of([mission_id]),
        exclude=exclude,
    )
