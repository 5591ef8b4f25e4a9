"""Writes about results: objectives, indicators and actuals, mission reports, evaluations."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.agreements.models import Agreement
from renfort.assistance.models import Level, Request
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.models import (
    DONE_MISSION_STATUSES,
    TAKING_PART_ASSIGNMENT_STATUSES,
    Mission,
    MissionStatus,
)
from renfort.missions.services import mission_transition
from renfort.results.models import (
    Evaluation,
    Indicator,
    IndicatorActual,
    MissionReport,
    Objective,
)
from renfort.roster.models import Expert

# Amount columns hold 14 digits, 2 after the point.
MAX_AMOUNT = Decimal("999999999999.99")


def _amount(
    value: Decimal | int | float | str, field: str, label: str, errors: dict[str, str]
) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        errors[field] = _("%(label)s: %(value)s is not a number.") % {
            "label": label,
            "value": value,
        }
    elif abs(amount) > MAX_AMOUNT:
        errors[field] = _("%(label)s: %(value)s is too large (at most %(max)s, plus or minus).") % {
            "label": label,
            "value": value,
            "max": MAX_AMOUNT,
        }
    return amount


@transaction.atomic
def objective_create(
    *,
    title: str,
    level: str,
    description: str = "",
    requests: Sequence[Request] = (),
    missions: Sequence[Mission] = (),
    agreements: Sequence[Agreement] = (),
) -> Objective:
    """An objective at strategic, tactical or operational level, linked to the work it guides."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Title: required.")
    if level not in Level.values:
        errors["level"] = _("Level: %(level)s is not strategic, tactical or operational.") % {
            "level": level
        }
    for key, message in length_errors(
        Objective, title=title.strip(), description=description.strip()
    ).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)
    objective = Objective.objects.create(
        title=title.strip(), level=level, description=description.strip()
    )
    objective.requests.set(requests)
    objective.missions.set(missions)
    objective.agreements.set(agreements)
    return objective


@transaction.atomic
def indicator_create(
    *,
    objective: Objective,
    name: str,
    baseline: Decimal | int | float | str,
    target: Decimal | int | float | str,
    unit: str = "",
    baseline_date: datetime.date | None = None,
    target_date: datetime.date | None = None,
) -> Indicator:
    """An indicator of ``objective`` with its baseline and target."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name: required.")
    for key, message in length_errors(Indicator, name=name.strip(), unit=unit.strip()).items():
        errors.setdefault(key, message)
    base = _amount(baseline, "baseline", _("Baseline"), errors)
    goal = _amount(target, "target", _("Target"), errors)
    dates = out_of_range(
        baseline_date=(_("Baseline date"), baseline_date),
        target_date=(_("Target date"), target_date),
    )
    errors.update(dates)
    if not dates and baseline_date and target_date and target_date < baseline_date:
        errors["target_date"] = _(
            "Target date: %(target)s is before the baseline date %(baseline)s."
        ) % {"target": target_date, "baseline": baseline_date}
    if errors:
        raise ValidationError(errors)
    return Indicator.objects.create(
        objective=objective,
        name=name.strip(),
        unit=unit.strip(),
        baseline=base,
        target=goal,
        baseline_date=baseline_date,
        target_date=target_date,
    )


@transaction.atomic
def indicator_actual_record(
    *,
    indicator: Indicator,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal | int | float | str,
    note: str = "",
) -> IndicatorActual:
    """The value ``indicator`` reached in a period; recording the same period again corrects
    it."""
    errors: dict[str, str] = {}
    amount = _amount(value, "value", _("Value"), errors)
    dates = out_of_range(
        period_start=(_("Period from"), period_start), period_end=(_("Period to"), period_end)
    )
    errors.update(dates)
    errors.update(length_errors(IndicatorActual, note=note.strip()))
    if not dates and period_end < period_start:
        errors["period_end"] = _("Period: the end (%(end)s) is before the start (%(start)s).") % {
            "end": period_end,
            "start": period_start,
        }
    if errors:
        raise ValidationError(errors)
    actual, _created = IndicatorActual.objects.update_or_create(
        indicator=indicator,
        period_start=period_start,
        defaults={"period_end": period_end, "value": amount, "note": note.strip()},
    )
    return actual


@transaction.atomic
def mission_report_submit(
    *,
    mission: Mission,
    author: Expert,
    summary: str,
    outcomes: str = "",
    recommendations: str = "",
    by: User | None = None,
) -> MissionReport:
    """An expert who took part in the delivered mission reports on it.

    The first report moves a delivered mission to reported.
    """
    errors: dict[str, str] = {}
    if not mission.slots.filter(
        assignments__expert=author, assignments__status__in=TAKING_PART_ASSIGNMENT_STATUSES
    ).exists():
        errors["author"] = _(
            "Author: %(expert)s was not assigned to mission %(mission)s; only its experts "
            "report on it."
        ) % {"expert": author, "mission": mission.reference}
    if mission.status not in {MissionStatus.DELIVERED, MissionStatus.REPORTED}:
        errors["mission"] = _(
            "Mission %(mission)s is %(status)s: a report follows a delivered mission."
        ) % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
    if not summary.strip():
        errors["summary"] = _("Summary: required.")
    for key, message in length_errors(
        MissionReport,
        summary=summary.strip(),
        outcomes=outcomes.strip(),
        recommendations=recommendations.strip(),
    ).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)
    report = MissionReport.objects.create(
        mission=mission,
        author=author,
        summary=summary.strip(),
        outcomes=outcomes.strip(),
        recommendations=recommendations.strip(),
    )
    if mission.status == MissionStatus.DELIVERED:
        mission_transition(mission=mission, to_status=MissionStatus.REPORTED, by=by)
    return report


@transaction.atomic
def evaluation_submit(*, mission: Mission, by: User, rating: int, comments: str = "") -> Evaluation:
    """A focal point of a beneficiary administration rates a delivered mission, 1 to 5, once."""
    errors: dict[str, str] = {}
    if (
        by.role != Role.MEMBER_FOCAL_POINT
        or by.organisation_id is None
        or not mission.beneficiaries.filter(pk=by.organisation_id).exists()
    ):
        errors["by"] = _(
            "Evaluation: only a focal point of a beneficiary of mission %(mission)s can "
            "evaluate it."
        ) % {"mission": mission.reference}
    elif Evaluation.objects.filter(mission=mission, by=by).exists():
        errors["by"] = _("Evaluation: %(user)s has already evaluated mission %(mission)s.") % {
            "user": by,
            "mission": mission.reference,
        }
    if mission.status not in DONE_MISSION_STATUSES:
        errors["mission"] = _(
            "Mission %(mission)s is %(status)s: it can be evaluated once delivered."
        ) % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = _("Rating: %(rating)s is not between 1 and 5.") % {"rating": rating}
    errors.update(length_errors(Evaluation, comments=comments.strip()))
    if errors:
        raise ValidationError(errors)
    return Evaluation.objects.create(
        mission=mission, by=by, rating=rating, comments=comments.strip()
    )
