"""How many pool experts could take each slot of a mission: how many qualify (the pool and
profile rules, ``eligibility.qualified_experts``, in SQL) and how many of those are free at the
mission's dates, or at some start in what is left of its window (``availability_misses``:
unavailable periods, other missions with their travel days, released days per year).

A fixed number of queries whatever the pool and the number of slots: the qualified experts'
ids and released days for every slot in one query (a union), their unavailable periods in one,
their bookings on other missions in one. Nothing else of the pool is loaded.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from renfort.missions.candidates import Pool, first_january, qualified_ids
from renfort.missions.eligibility import (
    Needs,
    Period,
    availability_misses,
    bookings_of,
    travel_days,
    used_days,
)
from renfort.missions.models import Mission
from renfort.planning.gaps import periods_to_try
from renfort.roster.models import Unavailability


@dataclass(frozen=True)
class Supply:
    """The experts who qualify for one slot's needs, and those of them free in the mission's
    dates or window (ids)."""

    qualified: frozenset[int] = frozenset()
    free: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Dates:
    """The dates a count is made for: the mission's, or widened (``relaxations``)."""

    start: datetime.date | None
    end: datetime.date | None
    window_start: datetime.date | None
    window_end: datetime.date | None
    duration_days: int | None

    @classmethod
    def of(cls, mission: Mission) -> Dates:
        return cls(
            mission.start,
            mission.end,
            mission.window_start,
            mission.window_end,
            mission.duration_days,
        )


@dataclass(frozen=True)
class Ask:
    """One count to make: a slot's needs, at its mission's dates (or ``dates``). ``slot_id``:
    the slot the needs are of, when a page has loaded its pool (``supply(pool=...)``)."""

    mission: Mission
    needs: Needs
    dates: Dates | None = None
    slot_id: int | None = None


def _first_year(asks: Sequence[Ask], today: datetime.date, travel: int) -> datetime.date:
    """The first of January of the earliest year an ask may touch (with its travel days): a
    booking that ended before it neither overlaps an ask nor counts in its years' caps."""
    dates = [ask.dates or Dates.of(ask.mission) for ask in asks]
    days = [day for d in dates for day in (d.window_start, d.start) if day is not None]
    return first_january(days, today, travel)


def _from_pool(
    asks: Sequence[Ask], pool: Pool | None, since: datetime.date
) -> tuple[list[set[int]], dict[int, int], dict[int, list[Any]], dict[int, list[Any]]] | None:
    """Who qualifies for each ask, their released days, unavailable periods and bookings, from
    a pool a page has loaded (``missions.candidates.slots_pool``) when it holds every ask's slot
    and its bookings from ``since`` on; else None."""
    if pool is None or any(a.slot_id not in pool.fits for a in asks):
        return None
    if pool.bookings_since is not None and pool.bookings_since > since:
        return None
    if any(pk not in pool.facts for a in asks for pk in pool.fits[a.slot_id]):  # type: ignore[index]
        return None
    qualified = [set(pool.fits[a.slot_id]) for a in asks if a.slot_id is not None]
    released = {pk: f.released_days for pk, f in pool.facts.items()}
    return qualified, released, dict(pool.unavailable), pool.bookings


def supply(
    asks: Sequence[Ask], *, today: datetime.date | None = None, pool: Pool | None = None
) -> list[Supply]:
    """For each ask, who qualifies and who of them is free: three queries for all of them, none
    with the ``pool`` a page has loaded for the asks' slots. Bookings on the ask's own mission
    do not count (its crew may move)."""
    today = today or timezone.localdate()
    travel = travel_days()
    since = _first_year(asks, today, travel)
    loaded = _from_pool(asks, pool, since)
    if loaded is not None:
        qualified, released, unavailable, bookings = loaded
    else:
        qualified, released = qualified_ids([a.needs for a in asks])
        ids = set(released)
        unavailable = defaultdict(list)
        for pk, start, end in Unavailability.objects.filter(expert_id__in=ids).values_list(
            "expert_id", "start", "end"
        ):
            unavailable[pk].append(Period(start, end))
        bookings = bookings_of(ids, since=since) if ids else {}
    out = []
    for ask, found in zip(asks, qualified, strict=True):
        at = copy.copy(ask.mission)
        d = ask.dates or Dates.of(ask.mission)
        at.start, at.end = d.start, d.end
        at.window_start, at.window_end, at.duration_days = (
            d.window_start,
            d.window_end,
            d.duration_days,
        )
        free = {
            pk
            for pk in found
            if _free(
                at,
                unavailable.get(pk, []),
                [b for b in bookings.get(pk, []) if b.mission_id != at.pk],
                released[pk],
                today,
                travel,
            )
        }
        out.append(Supply(frozenset(found), frozenset(free)))
    return out


def _free(
    mission: Mission,
    unavailable: Sequence[Period],
    bookings: Sequence[Any],
    released: int,
    today: datetime.date,
    travel: int,
) -> bool:
    """Free at the mission's dates, or at some start left in its window (always, without)."""
    periods = periods_to_try(mission, unavailable, bookings, today, travel)
    if periods is None:
        return True
    used = used_days(bookings)
    return any(
        not availability_misses(
            start=start,
            end=end,
            unavailable=unavailable,
            busy=bookings,
            used=used,
            cap=released,
            travel=travel,
        )
        for start, end in periods
    )
