"""The history's own pool of experts, and picking one of them for a mission."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from renfort.demo import texts
from renfort.demo.context import ascii_slug
from renfort.demo.experts import _categories, _languages_for, _skills
from renfort.demo.history_builder import DAY, HistoryBuilder, Pooled
from renfort.demo.reference import LARGE, LENDERS
from renfort.roster.models import (
    Accreditation,
    AccreditationStatus,
    Expert,
    ReleaseStatus,
    Skill,
    Unavailability,
)


def build_pool(builder: HistoryBuilder, years: int) -> None:
    """The history's own pool, lent by the lending administrations (large ones lend
    more), with skills, languages, accreditations and unavailable periods."""
    ctx, rng = builder.ctx, builder.rng
    lenders = [c for c in builder.codes if c in LENDERS]
    weights = [3 if c in LARGE else 1 for c in lenders]
    first_day = datetime.date(ctx.today.year - years, 1, 1)
    last_day = datetime.date(ctx.today.year - 1, 12, 31)
    for i, code in enumerate(rng.choices(lenders, weights=weights, k=builder.n(300 * years))):
        pooled = _pooled(builder, i, code)
        builder.pool.append(pooled)
        builder.rows.add(pooled.expert)
    builder.rows.write(Expert)
    for p in builder.pool:
        for code, level in p.skills.items():
            builder.rows.add(Skill(expert=p.expert, topic=ctx.topics[code], level=level))
        _accreditations(builder, p, first_day, last_day)
        _unavailable(builder, p, years, first_day, last_day)
        if p.expert.release_status != ReleaseStatus.REFUSED:
            for language in p.languages:
                builder.speakers[language].append(p)
    for model in (Skill, Accreditation, Unavailability):
        builder.counts[str(model._meta.verbose_name_plural).lower()] += len(
            builder.rows.write(model)
        )
    builder.counts["experts"] = len(builder.pool)


def _pooled(builder: HistoryBuilder, i: int, code: str) -> Pooled:
    """The ``i``-th expert of the pool, lent by ``code``'s administration (not written yet)."""
    ctx, rng = builder.ctx, builder.rng
    c = builder.countries[code]
    first, last = ctx.pick_name(c.culture)
    categories = _categories(ctx)
    pooled = Pooled(
        expert=Expert(
            home_administration=builder.members[code],
            first_name=first,
            last_name=last,
            email=f"{ascii_slug(first)}.{ascii_slug(last)}.{i + 1}"
            f"@{code.lower()}-customs.example.org",
            categories=categories,
            languages=_languages_for(ctx, c),
            released_days_per_year=rng.choice([20, 25, 30, 30, 40, 45, 60]),
            release_status=rng.choices(
                [ReleaseStatus.GRANTED, ReleaseStatus.PENDING, ReleaseStatus.REFUSED],
                [94, 3, 3],
            )[0],
        ),
        country=c,
        categories=categories,
        languages=[],
        skills=_skills(ctx, categories),
        released=0,
    )
    pooled.languages = list(pooled.expert.languages)
    pooled.released = pooled.expert.released_days_per_year
    return pooled


def _accreditations(
    builder: HistoryBuilder, p: Pooled, first: datetime.date, last: datetime.date
) -> None:
    rng = builder.rng
    top = sorted(p.skills.items(), key=lambda kv: (-kv[1], kv[0]))
    for code, level in top[: rng.randint(0, 2)]:
        if level < 2:
            continue
        granted = first + DAY * rng.randint(0, (last - first).days)
        if level == 4 and rng.random() < 0.5:
            status, expires = AccreditationStatus.RECOGNISED, None
        elif level >= 3:
            status, expires = AccreditationStatus.ACCREDITED, granted + DAY * 3 * 365
        else:
            status, expires = AccreditationStatus.PRE_ACCREDITED, granted + DAY * 365
        builder.rows.add(
            Accreditation(
                expert=p.expert,
                topic=builder.ctx.topics[code],
                status=status,
                granted_on=granted,
                expires_on=expires,
            )
        )


def _unavailable(
    builder: HistoryBuilder,
    p: Pooled,
    years: int,
    first_day: datetime.date,
    last_day: datetime.date,
) -> None:
    rng = builder.rng
    for _ in range(rng.choices([0, 1, 2, 3], [20, 35, 30, 15])[0] * years // 2):
        start = first_day + DAY * rng.randint(0, (last_day - first_day).days - 30)
        end = start + DAY * rng.randint(4, 24)
        p.unavailable.append((start, end))
        builder.rows.add(
            Unavailability(
                expert=p.expert,
                start=start,
                end=end,
                reason=rng.choice(texts.UNAVAILABLE_REASONS),
            )
        )


def pick(
    builder: HistoryBuilder,
    language: str,
    start: datetime.date,
    end: datetime.date,
    countries: set[str],
    taken: set[int],
    avoid: set[str],
    want: Sequence[str] = (),
) -> Pooled | None:
    """An expert who speaks ``language``, is from none of ``countries``, not already on
    the mission (``taken``), from none of ``avoid`` (distinct countries), and free; with
    some of the topics ``want`` when one can be found."""
    rng = builder.rng
    speakers = builder.speakers.get(language, [])
    if not speakers:
        return None
    fallback = None
    for _ in range(40):
        p = rng.choice(speakers)
        if (
            p.country.code in countries
            or p.country.code in avoid
            or p.expert.pk in taken
            or not p.free(start, end, builder.travel)
        ):
            continue
        if not want or any(t in p.skills for t in want):
            return p
        fallback = fallback or p
    return fallback
