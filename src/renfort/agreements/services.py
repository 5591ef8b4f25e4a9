"""Writes about coordination agreements and the missions they fund."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind
from renfort.agreements.models import Agreement, AgreementKind, AgreementParty, PartyRole
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.models import Mission, MissionStatus

CURRENCY = re.compile(r"^[A-Z]{3}$")
# The budget column holds 14 digits, 2 after the point.
MAX_BUDGET = Decimal("999999999999.99")


def _party_errors(kind: str, parties: Sequence[tuple[Organisation, str]]) -> list[str]:
    """Whether the parties fit the kind of agreement."""
    errors = []
    bad_roles = sorted({role for _org, role in parties if role not in PartyRole.values})
    if bad_roles:
        errors.append(
            _("Parties: %(roles)s is not funding, implementing, beneficiary or extending.")
            % {"roles": ", ".join(bad_roles)}
        )
    seen: set[tuple[int, str]] = set()
    for org, role in parties:
        if (org.pk, role) in seen:
            errors.append(
                _("Parties: %(org)s appears twice as %(role)s.") % {"org": org.name, "role": role}
            )
        seen.add((org.pk, role))
    orgs = {org.pk: org for org, _role in parties}
    count = len(orgs)
    if kind == AgreementKind.BILATERAL and count != 2:
        errors.append(
            _("Parties: a bilateral agreement binds 2 organisations, not %(n)s.") % {"n": count}
        )
    elif kind == AgreementKind.MULTILATERAL and count < 3:
        errors.append(
            _("Parties: a multilateral agreement binds 3 organisations or more, not %(n)s.")
            % {"n": count}
        )
    elif kind == AgreementKind.TRIPARTITE:
        if count != 3:
            errors.append(
                _(
                    "Parties: a tripartite agreement binds 3 organisations (the secretariat, a "
                    "donor and a beneficiary), not %(n)s."
                )
                % {"n": count}
            )
        else:
            secretariat = any(o.kind == OrganisationKind.SECRETARIAT for o in orgs.values())
            donor = any(
                role == PartyRole.FUNDING and org.kind != OrganisationKind.SECRETARIAT
                for org, role in parties
            )
            beneficiary = any(
                role == PartyRole.BENEFICIARY and org.kind == OrganisationKind.MEMBER_ADMINISTRATION
                for org, role in parties
            )
            missing = [
                name
                for name, present in (
                    (_("the secretariat"), secretariat),
                    (_("a funding donor"), donor),
                    (_("a beneficiary member administration"), beneficiary),
                )
                if not present
            ]
            if missing:
                errors.append(
                    _("Parties: a tripartite agreement needs %(missing)s.")
                    % {"missing": ", ".join(missing)}
                )
    return errors


def _mission_error(
    agreement_start: datetime.date, agreement_end: datetime.date, mission: Mission, reference: str
) -> str | None:
    if mission.status == MissionStatus.CANCELLED:
        return _("Missions: %(mission)s is cancelled; an agreement cannot fund it.") % {
            "mission": mission.reference
        }
    first = mission.start or mission.window_start
    last = mission.end or mission.window_end
    if first is not None and last is not None and (last < agreement_start or first > agreement_end):
        return _(
            "Missions: %(mission)s (%(first)s to %(last)s) falls outside the period of "
            "agreement %(agreement)s (%(start)s to %(end)s)."
        ) % {
            "mission": mission.reference,
            "first": first,
            "last": last,
            "agreement": reference,
            "start": agreement_start,
            "end": agreement_end,
        }
    return None


def _period_errors(start: datetime.date, end: datetime.date) -> dict[str, str]:
    """The agreement's period lies in the dates Renfort accepts, in order."""
    errors = out_of_range(start=(_("From"), start), end=(_("To"), end))
    if not errors and end < start:
        errors["end"] = _("Period: the end (%(end)s) is before the start (%(start)s).") % {
            "end": end,
            "start": start,
        }
    return errors


def _amount(budget: Decimal | int | str) -> tuple[Decimal | None, str | None]:
    """The budget as an amount its column holds, or why it is not one."""
    try:
        amount = Decimal(str(budget))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        return None, _("Budget: %(budget)s is not an amount.") % {"budget": budget}
    if amount < 0:
        return amount, _("Budget: %(budget)s is negative.") % {"budget": amount}
    if amount > MAX_BUDGET:
        return amount, _("Budget: %(budget)s is more than %(max)s.") % {
            "budget": amount,
            "max": MAX_BUDGET,
        }
    return amount, None


@transaction.atomic
def agreement_create(
    *,
    reference: str,
    title: str,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    budget: Decimal | int | str,
    currency: str,
    parties: Sequence[tuple[Organisation, str]],
    missions: Sequence[Mission] = (),
    description: str = "",
) -> Agreement:
    """A bilateral (2 organisations), tripartite (secretariat + donor + beneficiary) or
    multilateral (3 or more) agreement with each party's role, its budget and the missions
    it funds."""
    errors: dict[str, list[str]] = {}

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    reference = reference.strip()
    currency = (currency or "").strip().upper()
    if not reference:
        err("reference", _("Reference: required."))
    elif Agreement.objects.filter(reference=reference).exists():
        err("reference", _("Reference: %(reference)s is taken.") % {"reference": reference})
    if not title.strip():
        err("title", _("Title: required."))
    if kind not in AgreementKind.values:
        err(
            "kind",
            _("Kind: %(kind)s is not bilateral, tripartite or multilateral.") % {"kind": kind},
        )
    period = _period_errors(start, end)
    lengths = length_errors(
        Agreement, reference=reference, title=title.strip(), description=description.strip()
    )
    for key, message in {**period, **lengths}.items():
        err(key, message)
    amount, problem = _amount(budget)
    if problem:
        err("budget", problem)
    if not CURRENCY.match(currency):
        err(
            "currency",
            _("Currency: %(currency)s is not a 3-letter ISO 4217 code such as EUR.")
            % {"currency": currency},
        )
    for message in _party_errors(kind, parties):
        err("parties", message)
    if not period:
        for mission in dict.fromkeys(missions):
            problem = _mission_error(start, end, mission, reference)
            if problem:
                err("missions", problem)
    if errors or amount is None:
        raise ValidationError(errors)
    agreement = Agreement.objects.create(
        reference=reference,
        title=title.strip(),
        kind=kind,
        start=start,
        end=end,
        budget=amount,
        currency=currency,
        description=description.strip(),
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organisation=org, role=role) for org, role in parties
    )
    agreement.missions.set(list(dict.fromkeys(missions)))
    return agreement


@transaction.atomic
def agreement_fund_mission(*, agreement: Agreement, mission: Mission) -> None:
    """Record that ``agreement`` funds ``mission`` (idempotent)."""
    message = _mission_error(agreement.start, agreement.end, mission, agreement.reference)
    if message:
        raise ValidationError({"missions": message})
    agreement.missions.add(mission)
