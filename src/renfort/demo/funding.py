"""What the demo's agreements hold and what their missions cost: illustrative daily allowance
rates, budget lines, the missions each agreement funds and how much, cost estimates for
missions confirmed or later, actual costs for delivered ones (some paid in another currency),
and a signed copy (PDF) of two agreements. Every figure follows from the data (no random
draw), so two builds give the same amounts and the same files."""

from __future__ import annotations

import datetime
import io
import os
import zlib
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import reportlab
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from renfort.accounts.models import Region
from renfort.agreements import services as agreements
from renfort.agreements.models import (
    COMMITTED_MISSION_STATUSES,
    Agreement,
    AgreementStatus,
    DocumentKind,
    MissionCostEstimate,
)
from renfort.demo.context import BuildContext
from renfort.missions.models import DONE_MISSION_STATUSES, Mission

CENT = Decimal("0.01")
# Illustrative daily allowance (EUR) by region, before a per-country spread.
REGION_ALLOWANCE: dict[str, int] = {
    Region.AMERICAS_CARIBBEAN: 230,
    Region.EUROPE: 260,
    Region.ASIA_PACIFIC: 210,
    Region.NORTH_AFRICA_NEAR_MIDDLE_EAST: 220,
    Region.EAST_SOUTHERN_AFRICA: 190,
    Region.WEST_CENTRAL_AFRICA: 180,
}
# Illustrative exchange rates: units of the agreement's currency per euro, and the currency
# some payments of each agreement's currency were made in (with its rate).
PER_EURO = {"EUR": Decimal("1"), "USD": Decimal("1.08"), "AUD": Decimal("1.65")}
PAID_IN = {
    "EUR": ("USD", Decimal("0.925")),
    "USD": ("EUR", Decimal("1.08")),
    "AUD": ("EUR", Decimal("1.65")),
}
# Each agreement's budget, split in lines: (name, share of the budget).
LINES = (
    ("Expert missions", Decimal("0.6")),
    ("Workshops and venues", Decimal("0.25")),
    ("Programme management", Decimal("0.15")),
)
FONT, BOLD = "DemoVera", "DemoVera-Bold"


def _spread(code: str, span: int) -> int:
    """A stable number in 0..span-1 for ``code`` (the same in every build)."""
    return zlib.crc32(code.encode()) % span


def build_rates(ctx: BuildContext, missions: list[Mission]) -> None:
    """An illustrative rate for every demo country and every host country of a mission."""
    regions = {c.code: c.region for c in ctx.countries}
    codes = set(regions)
    codes |= {agreements.host_country(m) for m in missions}
    for code in sorted(c for c in codes if c):
        base = REGION_ALLOWANCE.get(regions.get(code, ""), 220)
        agreements.allowance_rate_set(
            country=code,
            currency="EUR",
            daily_allowance=Decimal(base + 5 * _spread(code, 16)),
            travel=Decimal(650 + 50 * _spread(code[::-1], 20)),
            illustrative=True,
            by=ctx.coordinator,
        )


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def add_lines(ctx: BuildContext, agreement: Agreement) -> None:
    for name, share in LINES:
        agreements.budget_line_add(
            agreement=agreement,
            name=name,
            amount=_money(agreement.budget * share),
            by=ctx.coordinator,
        )


def _estimate(ctx: BuildContext, mission: Mission) -> MissionCostEstimate | None:
    if mission.status not in COMMITTED_MISSION_STATUSES:
        return None
    return agreements.mission_cost_estimate(mission=mission, by=ctx.coordinator)


def fund(ctx: BuildContext, plan: list[tuple[Agreement, list[Mission]]]) -> None:
    """Each agreement funds its missions from its first line: the mission's estimate (or, not
    yet confirmed, a provisional figure), shared between the agreements that fund it."""
    sharing = Counter(m.pk for _agreement, missions in plan for m in missions)
    estimates = {m.pk: _estimate(ctx, m) for m in {m.pk: m for _a, ms in plan for m in ms}.values()}
    for agreement, missions in plan:
        line = agreement.lines.order_by("position").first()
        for mission in missions:
            estimate = estimates[mission.pk]
            experts = mission.slots.count() or 1
            # Not confirmed yet (or remote: no allowance, no travel): a provisional figure.
            cost = Decimal(experts * (mission.days or 5) * 220 + experts * 900)
            if estimate is not None and estimate.total > 0:
                cost = estimate.total
            amount = _money(cost * PER_EURO[agreement.currency] / sharing[mission.pk])
            agreements.agreement_fund_mission(
                agreement=agreement,
                mission=mission,
                amount=amount,
                budget_line=line,
                by=ctx.coordinator,
            )
            if estimate is not None and mission.status in DONE_MISSION_STATUSES:
                _pay(ctx, agreement, mission, estimate, amount)


def _pay(
    ctx: BuildContext,
    agreement: Agreement,
    mission: Mission,
    estimate: MissionCostEstimate,
    funded: Decimal,
) -> None:
    """What was paid for a delivered mission, near what the agreement funds: its allowances
    (in the agreement's currency), then its air tickets (every other mission paid in another
    currency, at the rate used); a remote mission pays its interpretation and platform."""
    line = agreement.lines.order_by("position").first()
    paid_on = min((mission.end or ctx.today) + datetime.timedelta(days=14), ctx.today)
    factor = Decimal(92 + _spread(mission.reference, 12)) / 100
    allowances = travel = platform = Decimal("0")
    if estimate.total > 0:
        allowances = _money(funded * estimate.allowances / estimate.total * factor)
        travel = _money(funded * estimate.travel / estimate.total * factor)
    else:
        platform = _money(funded * factor)
    payments: list[tuple[str, Decimal, str, Decimal | None]] = [
        ("Daily allowances", allowances, agreement.currency, None),
        ("Interpretation and online platform", platform, agreement.currency, None),
    ]
    if _spread(mission.reference, 2):
        other, used = PAID_IN[agreement.currency]
        payments.append(("Air tickets", _money(travel / used), other, used))
    else:
        payments.append(("Air tickets", travel, agreement.currency, None))
    for description, amount, currency, fx in payments:
        if amount <= 0:
            continue
        agreements.actual_cost_record(
            agreement=agreement,
            mission=mission,
            budget_line=line,
            description=description,
            paid_on=paid_on,
            paid_amount=amount,
            paid_currency=currency,
            exchange_rate=fx,
            by=ctx.coordinator,
            today=ctx.today,
        )


def activate(ctx: BuildContext, agreement: Agreement) -> None:
    agreements.agreement_transition(
        agreement=agreement, to_status=AgreementStatus.ACTIVE, by=ctx.coordinator
    )


# --- a signed copy, as a PDF -------------------------------------------------------------------


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))


def signed_copy(agreement: Agreement) -> bytes:
    """A one-page PDF of the agreement's terms, with real (extractable) text; the same bytes
    for the same agreement (reportlab's invariant mode: no dates or random ids inside)."""
    _fonts()
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(f"{agreement.reference} {agreement.title}")
    y = A4[1] - 72
    pdf.setFont(BOLD, 15)
    pdf.drawString(72, y, f"Agreement {agreement.reference}")
    y -= 22
    pdf.setFont(BOLD, 12)
    pdf.drawString(72, y, agreement.title[:80])
    pdf.setFont(FONT, 10.5)
    lines = [
        f"Kind: {agreement.get_kind_display()}",
        f"Period: {agreement.start.isoformat()} to {agreement.end.isoformat()}",
        f"Budget: {agreement.budget:,.2f} {agreement.currency}",
        "",
        "Parties:",
        *(
            f"  {p.organisation.name} ({p.get_role_display()})"
            for p in agreement.parties.select_related("organisation").order_by("role", "id")
        ),
        "",
        "Budget lines:",
        *(
            f"  {line.name}: {line.amount:,.2f} {agreement.currency}"
            for line in agreement.lines.all()
        ),
        "",
        "Signed by the parties. Illustrative document generated for the Renfort demo.",
    ]
    y -= 28
    for text in lines:
        pdf.drawString(72, y, text[:95])
        y -= 15
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def attach_signed_copy(ctx: BuildContext, agreement: Agreement) -> None:
    name = f"{agreement.reference}-signed.pdf"
    agreements.agreement_document_add(
        agreement=agreement,
        upload=SimpleUploadedFile(name, signed_copy(agreement), "application/pdf"),
        kind=DocumentKind.SIGNED,
        title=f"Signed agreement {agreement.reference}",
        by=ctx.coordinator,
    )
