"""Agreements that fund the missions (the results they pursue: ``demo/results.py``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from renfort.accounts.models import Organisation, Region
from renfort.agreements import services as agreements
from renfort.agreements.models import Agreement, AgreementKind, PartyRole
from renfort.demo import funding
from renfort.demo.context import DEMO_LENDER, DEMO_MEMBER, MS, BuildContext
from renfort.missions.models import Mission


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
    """The agreements of each kind, with budget lines, the missions they fund and what those
    cost (``demo/funding.py``), a signed copy of two, and a bilateral one still in draft."""
    funded = _Funded(defaultdict(list), defaultdict(list))
    fresh = Mission.objects.in_bulk([m.pk for _plan, m in ctx.missions])
    for plan, mission in ctx.missions:
        if plan.status == MS.CANCELLED:
            continue  # an agreement cannot fund a cancelled mission
        funded.by_region[plan.beneficiaries[0].region].append(fresh[mission.pk])
        for b in plan.beneficiaries:
            funded.by_member[b.country].append(fresh[mission.pk])
    funding.build_rates(ctx, list(fresh.values()))
    funds: list[tuple[Agreement, list[Mission]]] = []
    for spec in [*_african_agreements(ctx, funded), *_other_agreements(ctx, funded)]:
        agreement = _create(ctx, spec)
        funding.add_lines(ctx, agreement)
        funding.activate(ctx, agreement)
        funds.append((agreement, spec.missions))
        ctx.agreements.append(agreement)
    funding.fund(ctx, funds)
    for agreement in ctx.agreements[:2]:
        funding.attach_signed_copy(ctx, agreement)
    draft = _create(
        ctx,
        _AgreementSpec(
            7,
            "French–Kenyan cooperation on e-commerce controls (in preparation)",
            AgreementKind.BILATERAL,
            "120000",
            "EUR",
            [
                (ctx.members[DEMO_LENDER], PartyRole.FUNDING),
                (ctx.members[DEMO_MEMBER], PartyRole.BENEFICIARY),
            ],
            [],
        ),
    )
    funding.add_lines(ctx, draft)


def _create(ctx: BuildContext, spec: _AgreementSpec) -> Agreement:
    return agreements.agreement_create(
        reference=f"AG-{ctx.anchor.year}-{spec.number:03d}",
        title=spec.title,
        kind=spec.kind,
        budget=Decimal(spec.budget),
        currency=spec.currency,
        parties=spec.parties,
        start=ctx.day(-365),
        end=ctx.day(2 * 365),
        by=ctx.coordinator,
    )


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
