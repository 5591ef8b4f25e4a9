"""Agreements: creating them, changing their terms and parties, moving their status."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, User
from renfort.accounts.references import next_reference
from renfort.agreements.messages import money
from renfort.agreements.models import (
    AGREEMENT_TRANSITIONS,
    ActualCost,
    Agreement,
    AgreementChange,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    BudgetLine,
    MissionFunding,
)
from renfort.agreements.services.common import (
    Errors,
    amount_error,
    currency_error,
    history_add,
    lock_agreement,
    open_error,
    total,
)
from renfort.agreements.services.parties import party_errors
from renfort.lib.audit import create_all
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.lib.states import transition_error
from renfort.missions.models import Mission, MissionStatus

Parties = Sequence[tuple[Organisation, str]]
# Funded missions that still hold an agreement open: not delivered yet, not cancelled.
UNDELIVERED = (
    MissionStatus.DRAFT,
    MissionStatus.PLANNED,
    MissionStatus.SCHEDULED,
    MissionStatus.CONFIRMED,
)


def mission_period_error(agreement: Agreement, mission: Mission) -> str | None:
    """Why ``agreement`` (with the period it has now) cannot fund ``mission``, or None."""
    if mission.status == MissionStatus.CANCELLED:
        return _("Mission: %(mission)s is cancelled; an agreement cannot fund it.") % {
            "mission": mission.reference
        }
    first = mission.start or mission.window_start
    last = mission.end or mission.window_end
    if first is not None and last is not None and (last < agreement.start or first > agreement.end):
        return _(
            "Mission: %(mission)s (%(first)s to %(last)s) falls outside the period of "
            "agreement %(agreement)s (%(start)s to %(end)s)."
        ) % {
            "mission": mission.reference,
            "first": first,
            "last": last,
            "agreement": agreement.reference,
            "start": agreement.start,
            "end": agreement.end,
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


def _terms(
    errors: Errors,
    *,
    title: str,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    budget: Decimal | int | str,
    currency: str,
    parties: Parties,
    description: str,
) -> Decimal | None:
    """Check the terms create and update share; the budget as an amount (None if refused)."""
    if not title:
        errors.add("title", _("Title: required."))
    if kind not in AgreementKind.values:
        errors.add(
            "kind",
            _("Kind: %(kind)s is not bilateral, tripartite or multilateral.") % {"kind": kind},
        )
    lengths = length_errors(Agreement, title=title, description=description)
    for key, message in {**_period_errors(start, end), **lengths}.items():
        errors.add(key, message)
    amount, problem = amount_error(budget, _("Budget"))
    if problem:
        errors.add("budget", problem)
    if problem := currency_error(currency, _("Currency")):
        errors.add("currency", problem)
    for message in party_errors(kind, parties):
        errors.add("parties", message)
    return None if errors else amount


def _set_parties(agreement: Agreement, parties: Parties) -> bool:
    """Make the agreement's parties ``parties`` (keeping pledged contributions); whether
    anything changed."""
    wanted = {(org.pk, role) for org, role in parties}
    current = {(p.organisation_id, p.role): p for p in agreement.parties.all()}
    gone = [p.pk for key, p in current.items() if key not in wanted]
    AgreementParty.objects.filter(pk__in=gone).delete()
    added = [
        AgreementParty(agreement=agreement, organisation=org, role=role)
        for org, role in dict.fromkeys((org, role) for org, role in parties)
        if (org.pk, role) not in current
    ]
    create_all(AgreementParty, added)
    return bool(gone or added)


@transaction.atomic
def agreement_create(
    *,
    title: str,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    budget: Decimal | int | str,
    currency: str,
    parties: Parties,
    reference: str = "",
    description: str = "",
    by: User | None = None,
) -> Agreement:
    """A draft bilateral (2 organisations), tripartite (secretariat + donor + beneficiary) or
    multilateral (3 or more) agreement with each party's role and its budget. Without a
    reference it takes the next ``AG-<year>-<nnn>``."""
    errors = Errors()
    reference, title, description = reference.strip(), title.strip(), description.strip()
    currency = (currency or "").strip().upper()
    if reference:
        for key, message in length_errors(Agreement, reference=reference).items():
            errors.add(key, message)
        if Agreement.objects.filter(reference=reference).exists():
            errors.add("reference", _("Reference: %(ref)s is taken.") % {"ref": reference})
    amount = _terms(
        errors,
        title=title,
        kind=kind,
        start=start,
        end=end,
        budget=budget,
        currency=currency,
        parties=parties,
        description=description,
    )
    errors.raise_if_any()
    assert amount is not None
    agreement = Agreement.objects.create(
        reference=reference or next_reference(Agreement, "AG"),
        title=title,
        kind=kind,
        start=start,
        end=end,
        budget=amount,
        currency=currency,
        description=description,
    )
    _set_parties(agreement, parties)
    history_add(agreement, by=by, from_status="")
    return agreement


def _money_errors(errors: Errors, agreement: Agreement, budget: Decimal, currency: str) -> None:
    """A new budget still holds the lines, fundings and costs; the currency stays once
    amounts are recorded in it."""
    for what, held in (
        (_("the budget lines' total"), total(BudgetLine.objects.filter(agreement=agreement))),
        (_("the missions funded"), total(MissionFunding.objects.filter(agreement=agreement))),
        (_("the actual costs"), total(ActualCost.objects.filter(agreement=agreement))),
    ):
        if budget < held:
            errors.add(
                "budget",
                _("Budget: %(budget)s is less than %(what)s (%(held)s); lower those first.")
                % {
                    "budget": money(budget, agreement.currency),
                    "what": what,
                    "held": money(held, agreement.currency),
                },
            )
    recorded = (
        agreement.lines.exists() or agreement.fundings.exists() or agreement.actual_costs.exists()
    )
    if currency != agreement.currency and recorded:
        errors.add(
            "currency",
            _(
                "Currency: the budget lines, fundings and costs of %(agreement)s are in "
                "%(currency)s; the agreement keeps that currency."
            )
            % {"agreement": agreement.reference, "currency": agreement.currency},
        )


def _changed(agreement: Agreement, **values: object) -> list[str]:
    fields = [name for name, value in values.items() if getattr(agreement, name) != value]
    if "start" in fields or "end" in fields:
        fields = [f for f in fields if f not in {"start", "end"}] + ["period"]
    return fields


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    title: str,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    budget: Decimal | int | str,
    currency: str,
    parties: Parties,
    description: str = "",
    by: User | None = None,
) -> Agreement:
    """Change an open agreement's terms and parties. The budget still holds its lines,
    fundings and costs; the period still meets every mission it funds; the currency stays
    once amounts are recorded. The history says which terms changed, and who changed them."""
    agreement = lock_agreement(agreement.pk)
    if problem := open_error(agreement):
        raise ValidationError(problem)
    errors = Errors()
    title, description = title.strip(), description.strip()
    currency = (currency or "").strip().upper()
    amount = _terms(
        errors,
        title=title,
        kind=kind,
        start=start,
        end=end,
        budget=budget,
        currency=currency,
        parties=parties,
        description=description,
    )
    errors.raise_if_any()
    assert amount is not None
    _money_errors(errors, agreement, amount, currency)
    fields = _changed(
        agreement,
        title=title,
        kind=kind,
        start=start,
        end=end,
        budget=amount,
        currency=currency,
        description=description,
    )
    agreement.title, agreement.kind, agreement.start, agreement.end = title, kind, start, end
    agreement.budget, agreement.currency, agreement.description = amount, currency, description
    for mission in agreement.missions.exclude(status=MissionStatus.CANCELLED):
        if problem := mission_period_error(agreement, mission):
            errors.add("end", problem)
    errors.raise_if_any()
    agreement.save()
    if _set_parties(agreement, parties):
        fields.append("parties")
    if fields:
        history_add(agreement, by=by, code="agreement.terms_changed", params={"fields": fields})
    return agreement


def _transition_problems(agreement: Agreement, to_status: str, note: str) -> list[str]:
    """What forbids ``to_status`` beyond the transition table."""
    problems = list(length_errors(AgreementChange, note=note).values())
    names = {"agreement": agreement.reference}
    if to_status == AgreementStatus.ACTIVE and not agreement.lines.exists():
        problems.append(
            _("Agreement %(agreement)s has no budget line: add one before activating it.") % names
        )
    if to_status == AgreementStatus.CLOSED:
        waiting = list(
            agreement.missions.filter(status__in=UNDELIVERED)
            .order_by("reference")
            .values_list("reference", flat=True)[:6]
        )
        if waiting:
            problems.append(
                _(
                    "Agreement %(agreement)s still funds missions not delivered (%(missions)s): "
                    "deliver or cancel them, or remove their funding, before closing it."
                )
                % {**names, "missions": ", ".join(waiting[:5]) + ("…" if len(waiting) > 5 else "")}
            )
    return problems


@transaction.atomic
def agreement_transition(
    *, agreement: Agreement, to_status: str, by: User | None = None, note: str = ""
) -> Agreement:
    """Move ``agreement`` to ``to_status`` (``AGREEMENT_TRANSITIONS``): active needs a budget
    line; closed needs every mission it funds delivered (or cancelled, or no longer funded).
    Writes a history row with who did it and their note."""
    agreement = lock_agreement(agreement.pk)
    note = note.strip()
    labels = {value: str(label) for value, label in AgreementStatus.choices}
    message = transition_error(
        _("Agreement %(agreement)s") % {"agreement": agreement.reference},
        agreement.status,
        to_status,
        AGREEMENT_TRANSITIONS,
        labels,
    )
    if message:
        raise ValidationError({"to_status": message})
    if problems := _transition_problems(agreement, to_status, note):
        raise ValidationError({"to_status": problems})
    from_status = agreement.status
    agreement.status = to_status
    agreement.save(update_fields=["status"])
    history_add(agreement, by=by, from_status=from_status, note=note)
    return agreement
