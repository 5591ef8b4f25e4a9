"""The expert pool: experts of the lending administrations, with skills from one family of
topics, accreditations, unavailability, and the demo expert with her own login."""

from __future__ import annotations

import datetime

from renfort.accounts.models import Role, User
from renfort.demo import texts
from renfort.demo.context import (
    CAT_ADVISER,
    CAT_TECHNICAL,
    CAT_TRAINER,
    DEMO_LENDER,
    DEMO_MEMBER,
    BuildContext,
    ExpertInfo,
    ascii_slug,
)
from renfort.demo.logins import DEMO_LOGINS
from renfort.demo.organisations import create_user
from renfort.demo.reference import LARGE, LENDERS, Country
from renfort.missions import services as missions
from renfort.missions.eligibility import Period
from renfort.roster import services as roster
from renfort.roster.models import AccreditationStatus, Category, ReleaseStatus


def build_experts(ctx: BuildContext) -> None:
    lenders = sorted(code for code in ctx.members if code in LENDERS)
    per = dict.fromkeys(lenders, 2)
    per[DEMO_MEMBER] = per.get(DEMO_MEMBER, 0) + 3
    # Large administrations lend more experts.
    weights = [3 if code in LARGE else 1 for code in lenders]
    # The demo expert is one of France's.
    remaining = ctx.size.experts - sum(per.values()) - 1
    for code in ctx.rng.choices(lenders, weights=weights, k=max(remaining, 0)):
        per[code] += 1
    ctx.demo_expert = _demo_expert(ctx)
    for code in lenders:
        for n in range(per[code]):
            # The demo focal points each have a newly nominated expert to release.
            newcomer = code in {DEMO_MEMBER, DEMO_LENDER} and n == per[code] - 1
            _expert(ctx, ctx.country_of[code], newcomer=newcomer)


def _languages_for(ctx: BuildContext, c: Country) -> list[str]:
    languages = [c.languages[0]]
    for extra in c.languages[1:]:
        if ctx.rng.random() < 0.6:
            languages.append(extra)
    if "en" not in languages and ctx.rng.random() < 0.7:
        languages.append("en")
    if ctx.rng.random() < 0.15:
        languages.append(ctx.rng.choice(["fr", "es", "pt", "ar", "ru"]))
    return list(dict.fromkeys(languages))


def _skills(ctx: BuildContext, categories: list[str]) -> dict[str, int]:
    family = ctx.rng.choice(texts.TOPIC_FAMILIES)
    chosen = ctx.rng.sample(family, k=ctx.rng.randint(2, min(4, len(family))))
    skills: dict[str, int] = {}
    for i, code in enumerate(chosen):
        skills[code] = ctx.rng.choice([3, 4, 4]) if i == 0 else ctx.rng.choice([2, 3, 3])
    for code in ctx.rng.sample(sorted(ctx.topics), k=ctx.rng.randint(0, 2)):
        skills.setdefault(code, ctx.rng.choice([1, 2]))
    if CAT_ADVISER in categories and ctx.rng.random() < 0.6:
        skills["strategic_planning"] = max(skills.get("strategic_planning", 0), 3)
    return skills


def _categories(ctx: BuildContext) -> list[str]:
    first = ctx.rng.choices([CAT_ADVISER, CAT_TECHNICAL, CAT_TRAINER], [3, 5, 3])[0]
    cats = [first]
    if ctx.rng.random() < 0.35:
        cats.append(ctx.rng.choice([c for c in Category.values if c != first]))
    return cats


def _expert(ctx: BuildContext, c: Country, *, newcomer: bool = False) -> ExpertInfo:
    """An expert of ``c``; a ``newcomer`` waits for the home administration to release
    them to the pool."""
    first, last = ctx.pick_name(c.culture)
    categories = _categories(ctx)
    skills = _skills(ctx, categories)
    info = _create_expert(
        ctx,
        c,
        first,
        last,
        categories=categories,
        languages=_languages_for(ctx, c),
        skills=skills,
        released=ctx.rng.choice([20, 25, 30, 30, 40, 45, 60]),
        release=ReleaseStatus.PENDING
        if newcomer
        else ctx.rng.choices(
            [ReleaseStatus.GRANTED, ReleaseStatus.PENDING, ReleaseStatus.REFUSED],
            [88, 8, 4],
        )[0],
    )
    _accreditations(ctx, info)
    _unavailability(ctx, info)
    return info


def _create_expert(
    ctx: BuildContext,
    c: Country,
    first: str,
    last: str,
    *,
    categories: list[str],
    languages: list[str],
    skills: dict[str, int],
    released: int,
    release: str,
    user: User | None = None,
) -> ExpertInfo:
    home = ctx.members[c.code]
    expert = roster.expert_create(
        home_administration=home,
        first_name=first,
        last_name=last,
        email=f"{ascii_slug(first)}.{ascii_slug(last)}@{c.code.lower()}-customs.example.org",
        categories=categories,
        languages=languages,
        released_days_per_year=released,
        skills=skills,
        user=user,
    )
    if release != ReleaseStatus.PENDING:
        roster.expert_release_set(expert=expert, status=release, by=ctx.focal[c.code])
    info = ExpertInfo(
        expert=expert,
        country=c.code,
        categories=categories,
        languages=languages,
        skills=skills,
        released=released,
        release=release,
    )
    ctx.experts.append(info)
    return info


def _accreditations(ctx: BuildContext, info: ExpertInfo) -> None:
    top = sorted(info.skills.items(), key=lambda kv: (-kv[1], kv[0]))
    for code, level in top[: ctx.rng.randint(0, 2)]:
        if level < 2:
            continue
        granted = ctx.day(-ctx.rng.randint(60, 1800))
        if level == 4 and ctx.rng.random() < 0.5:
            status, expires = AccreditationStatus.RECOGNISED, None
        elif level >= 3:
            status = AccreditationStatus.ACCREDITED
            expires = granted + datetime.timedelta(days=3 * 365)
        else:
            status = AccreditationStatus.PRE_ACCREDITED
            expires = granted + datetime.timedelta(days=365)
        roster.accreditation_add(
            expert=info.expert,
            topic=ctx.topics[code],
            status=status,
            granted_on=granted,
            expires_on=expires,
        )


def _unavailability(ctx: BuildContext, info: ExpertInfo) -> None:
    count = ctx.rng.choices([0, 1, 2], [50, 35, 15])[0]
    for _ in range(count):
        start = ctx.day(ctx.rng.randint(-200, 330))
        end = start + datetime.timedelta(days=ctx.rng.randint(4, 24))
        _add_unavailable(info, start, end, ctx.rng.choice(texts.UNAVAILABLE_REASONS))


def _add_unavailable(
    info: ExpertInfo, start: datetime.date, end: datetime.date, reason: str
) -> None:
    missions.unavailability_add(expert=info.expert, start=start, end=end, reason=reason)
    info.unavailable.append(Period(start, end))


def _demo_expert(ctx: BuildContext) -> ExpertInfo:
    c = ctx.country_of[DEMO_LENDER]
    first, last = "Élodie", "Fontaine"
    ctx.used_names.add((first, last))
    user = create_user(
        ctx,
        "expert",
        Role.EXPERT,
        ctx.members[DEMO_LENDER],
        "french",
        name=(first, last),
        password=DEMO_LOGINS["expert"][1],
        label=DEMO_LOGINS["expert"][0],
    )
    info = _create_expert(
        ctx,
        c,
        first,
        last,
        categories=[CAT_TECHNICAL, CAT_TRAINER],
        languages=["fr", "en", "es"],
        skills={
            "risk_management": 4,
            "aeo": 3,
            "safe": 3,
            "data_analytics": 3,
            "enforcement": 2,
            "post_clearance_audit": 2,
        },
        released=80,
        release=ReleaseStatus.GRANTED,
        user=user,
    )
    roster.accreditation_add(
        expert=info.expert,
        topic=ctx.topics["risk_management"],
        status=AccreditationStatus.RECOGNISED,
        granted_on=ctx.day(-900),
    )
    roster.accreditation_add(
        expert=info.expert,
        topic=ctx.topics["aeo"],
        status=AccreditationStatus.ACCREDITED,
        granted_on=ctx.day(-400),
        expires_on=ctx.day(-400 + 3 * 365),
    )
    # Summer leave; the builder plans her missions around it.
    _add_unavailable(info, ctx.day(220), ctx.day(240), "Annual leave")
    return info
