"""Agreements that fund the missions, and the results they pursue: objectives, indicators and
their quarterly measures."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from renfort.accounts.models import Organisation, Region
from renfort.agreements import services as agreements
from renfort.agreements.models import AgreementKind, PartyRole
from renfort.demo import texts
from renfort.demo.context import DEMO_LENDER, DEMO_MEMBER, MS, BuildContext
from renfort.missions.models import Mission
from renfort.results import services as results


class _AgreementSpec(NamedTuple):
    number: int
    title: str
    kind: str
    budget: str
    currency: str
    parties: list[tuple[Organisation, str]]
    missions: list[Mission]


class _Funded(NamedTuple):
    """The missions an agreement may fund: by the first beneficiary's region, by member."""

    by_region: dict[str, list[Mission]]
    by_member: dict[str, list[Mission]]


def build_agreements(ctx: BuildContext) -> None:
    funded = _Funded(defaultdict(list), defaultdict(list))
    for plan, mission in ctx.missions:
        if plan.status == MS.CANCELLED:
            continue  # an agreement cannot fund a cancelled mission
        funded.by_region[plan.beneficiaries[0].region].append(mission)
        for b in plan.beneficiaries:
            funded.by_member[b.country].append(mission)
    for spec in [*_african_agreements(ctx, funded), *_other_agreements(ctx, funded)]:
        agreement = agreements.agreement_create(
            reference=f"AG-{ctx.anchor.year}-{spec.number:03d}",
            title=spec.title,
            kind=spec.kind,
            budget=Decimal(spec.budget),
            currency=spec.currency,
            parties=spec.parties,
            start=ctx.day(-365),
            end=ctx.day(2 * 365),
            missions=(),
        )
        for mission in spec.missions:
            agreements.agreement_fund_mission(agreement=agreement, mission=mission)
        ctx.agreements.append(agreement)


def _members(ctx: BuildContext, *codes: str) -> list[Organisation]:
    """The members of ``codes`` the demo has (a --small demo has fewer)."""
    return [ctx.members[code] for code in codes if code in ctx.members]


def _african_agreements(ctx: BuildContext, funded: _Funded) -> list[_AgreementSpec]:
    sec = ctx.secretariat
    return [
        _AgreementSpec(
            1,
            "Trade facilitation in East & Southern Africa",
            AgreementKind.TRIPARTITE,
            "850000",
            "EUR",
            [
                (ctx.donors["NTFF"], PartyRole.FUNDING),
                (sec, PartyRole.IMPLEMENTING),
                (ctx.members[DEMO_MEMBER], PartyRole.BENEFICIARY),
            ],
            funded.by_region[Region.EAST_SOUTHERN_AFRICA][:10],
        ),
        _AgreementSpec(
            2,
            "West & Central Africa customs modernisation programme",
            AgreementKind.MULTILATERAL,
            "1200000",
            "EUR",
            [
                (ctx.donors["ACPF"], PartyRole.FUNDING),
                (ctx.donors["NTFF"], PartyRole.FUNDING),
                (sec, PartyRole.IMPLEMENTING),
                (ctx.members[DEMO_LENDER], PartyRole.EXTENDING),
                *[(org, PartyRole.BENEFICIARY) for org in _members(ctx, "SN", "CI", "CM")],
            ],
            funded.by_region[Region.WEST_CENTRAL_AFRICA][:8],
        ),
        _AgreementSpec(
            3,
            "French–Moroccan cooperation on risk management",
            AgreementKind.BILATERAL,
            "180000",
            "EUR",
            [
                (ctx.members[DEMO_LENDER], PartyRole.FUNDING),
                *[(org, PartyRole.BENEFICIARY) for org in _members(ctx, "MA")],
            ],
            funded.by_member["MA"][:3],
        ),
    ]


def _other_agreements(ctx: BuildContext, funded: _Funded) -> list[_AgreementSpec]:
    sec = ctx.secretariat
    return [
        _AgreementSpec(
            4,
            "Gulf border modernisation support",
            AgreementKind.TRIPARTITE,
            "640000",
            "USD",
            [
                (ctx.donors["GBMT"], PartyRole.FUNDING),
                (sec, PartyRole.IMPLEMENTING),
                (ctx.members["JO"], PartyRole.BENEFICIARY),
            ],
            funded.by_member["JO"][:4]
            or funded.by_region[Region.NORTH_AFRICA_NEAR_MIDDLE_EAST][:4],
        ),
        _AgreementSpec(
            5,
            "Asia Pacific connectivity and single window",
            AgreementKind.MULTILATERAL,
            "950000",
            "AUD",
            [
                (ctx.donors["PCF"], PartyRole.FUNDING),
                *[(org, PartyRole.FUNDING) for org in _members(ctx, "JP", "AU")],
                (ctx.offices[Region.ASIA_PACIFIC], PartyRole.IMPLEMENTING),
                (sec, PartyRole.IMPLEMENTING),
            ],
            funded.by_region[Region.ASIA_PACIFIC][:8],
        ),
        _AgreementSpec(
            6,
            "Americas AEO mutual recognition roadmap",
            AgreementKind.MULTILATERAL,
            "400000",
            "USD",
            [
                (ctx.donors["ACPF"], PartyRole.FUNDING),
                (ctx.offices[Region.AMERICAS_CARIBBEAN], PartyRole.IMPLEMENTING),
                *[(org, PartyRole.EXTENDING) for org in _members(ctx, "US", "BR")],
            ],
            funded.by_region[Region.AMERICAS_CARIBBEAN][:6],
        ),
    ]


def build_results(ctx: BuildContext) -> None:
    """One objective per ``texts.OBJECTIVE_TEXTS``, with an indicator measured three times."""
    done = [m for p, m in ctx.missions if p.status in {MS.CLOSED, MS.REPORTED, MS.DELIVERED}]
    for i, spec in enumerate(texts.OBJECTIVE_TEXTS):
        agreement = ctx.agreements[spec.agreement]
        missions = list(agreement.missions.all()[:3]) or done[i : i + 2]
        objective = results.objective_create(
            title=spec.title,
            level=spec.level,
            description=f"{spec.title}, pursued under {agreement.reference} “{agreement.title}”.",
            missions=missions,
            agreements=[agreement],
            requests=[r for m in missions for r in m.requests.all()][:3],
        )
        baseline, target = Decimal(spec.baseline), Decimal(spec.target)
        indicator = results.indicator_create(
            objective=objective,
            name=spec.indicator,
            unit=spec.unit,
            baseline=baseline,
            target=target,
            baseline_date=ctx.day(-365),
            target_date=ctx.day(2 * 365),
        )
        # A third of the way in time, about a third of the way to the target.
        places = Decimal("0.1") if spec.unit in {"%", "hours"} else Decimal("1")
        for quarter in range(3):
            start = ctx.day(-365 + 91 * quarter)
            share = Decimal(quarter + 1) / 9 * Decimal(ctx.rng.choice(["0.7", "1", "1.2"]))
            results.indicator_actual_record(
                indicator=indicator,
                period_start=start,
                period_end=start + datetime.timedelta(days=90),
                value=(baseline + (target - baseline) * share).quantize(places),
                note="Measured by the administration's statistics unit.",
            )
