"""Which expert can take a slot: the rules every assignment keeps (``missions.eligibility``:
the pool, the profile, availability with travel days and yearly released days), asked of what
the builder knows before anything is written, plus the builder's own wishes (experts not yet
taken by the mission, from other countries than ``countries``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from renfort.demo.context import BuildContext, ExpertInfo
from renfort.missions.eligibility import Needs, availability_misses, pool_misses, qualifies


def is_free(ctx: BuildContext, info: ExpertInfo, start: datetime.date, end: datetime.date) -> bool:
    return not availability_misses(
        start=start,
        end=end,
        unavailable=info.unavailable,
        busy=info.booked,
        used=info.days,
        cap=info.released,
        travel=ctx.travel,
    )


def fits(
    ctx: BuildContext,
    info: ExpertInfo,
    *,
    category: str,
    language: str,
    excluded: set[str],
    start: datetime.date,
    end: datetime.date,
    taken: set[int],
    countries: set[str],
    requirements: dict[str, int] | None = None,
) -> bool:
    """``excluded``: the beneficiaries' countries (the builder's experts come from member
    administrations, one per country)."""
    needs = Needs(
        category=category,
        language=language,
        levels=requirements or {},
        beneficiary_countries=frozenset(excluded),
    )
    return (
        not pool_misses(active=info.expert.active, release_status=info.release)
        and qualifies(info, needs)
        and info.country not in countries
        and info.expert.pk not in taken
        and is_free(ctx, info, start, end)
    )


def pick_expert(
    ctx: BuildContext,
    *,
    category: str,
    language: str,
    excluded: set[str],
    start: datetime.date,
    end: datetime.date,
    taken: set[int],
    countries: set[str],
    avoid_countries: set[str],
    topics: list[str],
    prefer: Callable[[ExpertInfo], bool] | None,
    requirements: dict[str, int] | None = None,
) -> ExpertInfo | None:
    """An expert who fits (one ``prefer`` likes, if any), spreading the work."""
    candidates = [
        e
        for e in ctx.experts
        if fits(
            ctx,
            e,
            category=category,
            language=language,
            excluded=excluded,
            start=start,
            end=end,
            taken=taken,
            countries=countries,
            requirements=requirements,
        )
    ]
    if not candidates:
        return None
    if prefer is not None:
        preferred = [e for e in candidates if prefer(e)]
        if preferred:
            return ctx.rng.choice(preferred)

    # Spread the work: favour experts with few days booked, sharing a mission topic and
    # from another country than the experts already picked.
    def score(e: ExpertInfo) -> float:
        fit = sum(1 for t in topics if e.skills.get(t, 0) >= 2)
        other_country = 0 if e.country in avoid_countries else 1
        return fit * 3 + other_country * 2 - sum(e.days.values()) / 15 + ctx.rng.random()

    candidates.sort(key=score, reverse=True)
    return candidates[0] if ctx.rng.random() < 0.6 else ctx.rng.choice(candidates[:6])
