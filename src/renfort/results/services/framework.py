"""Writes of the results framework: objectives, indicators and their actuals."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, Role, User
from renfort.agreements.models import Agreement, PartyRole
from renfort.assistance.models import Level, Request
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.models import Mission
from renfort.results.models import Direction, Indicator, IndicatorActual, Objective

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


def _objective_errors(*, title: str, level: str, description: str) -> dict[str, str]:
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
    return errors


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
    if errors := _objective_errors(title=title, level=level, description=description):
        raise ValidationError(errors)
    objective = Objective.objects.create(
        title=title.strip(), level=level, description=description.strip()
    )
    objective.requests.set(requests)
    objective.missions.set(missions)
    objective.agreements.set(agreements)
    return objective


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    title: str,
    level: str,
    description: str = "",
    requests: Sequence[Request] = (),
    missions: Sequence[Mission] = (),
    agreements: Sequence[Agreement] = (),
) -> Objective:
    """Change an objective's title, level and description, and the requests, missions and
    agreements it is linked to (each list replaces the links of its kind)."""
    if errors := _objective_errors(title=title, level=level, description=description):
        raise ValidationError(errors)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    objective.title, objective.level = title.strip(), level
    objective.description = description.strip()
    objective.save(update_fields=["title", "level", "description"])
    objective.requests.set(requests)
    objective.missions.set(missions)
    objective.agreements.set(agreements)
    return objective


def _direction_error(direction: str, base: Decimal, goal: Decimal) -> str | None:
    """The target lies on the side of the baseline the direction says is better."""
    if direction not in Direction.values:
        return _("Direction: %(direction)s is not “higher is better” or “lower is better”.") % {
            "direction": direction
        }
    if goal == base:
        return _(
            "Target: %(target)s equals the baseline; progress towards it cannot be measured."
        ) % {"target": goal}
    if direction == Direction.HIGHER and goal < base:
        return _(
            "Target: %(target)s is below the baseline %(baseline)s, but higher is better for "
            "this indicator."
        ) % {"target": goal, "baseline": base}
    if direction == Direction.LOWER and goal > base:
        return _(
            "Target: %(target)s is above the baseline %(baseline)s, but lower is better for "
            "this indicator."
        ) % {"target": goal, "baseline": base}
    return None


def _indicator_values(
    *,
    name: str,
    baseline: Decimal | int | float | str,
    target: Decimal | int | float | str,
    direction: str,
    unit: str,
    baseline_date: datetime.date | None,
    target_date: datetime.date | None,
) -> dict[str, object]:
    """An indicator's values as stored, or a ``ValidationError`` keyed by field."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name: required.")
    for key, message in length_errors(Indicator, name=name.strip(), unit=unit.strip()).items():
        errors.setdefault(key, message)
    base = _amount(baseline, "baseline", _("Baseline"), errors)
    goal = _amount(target, "target", _("Target"), errors)
    if "baseline" not in errors and "target" not in errors:
        direction = direction or (Direction.LOWER if goal < base else Direction.HIGHER)
        if problem := _direction_error(direction, base, goal):
            errors["direction" if direction not in Direction.values else "target"] = problem
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
    return {
        "name": name.strip(),
        "unit": unit.strip(),
        "direction": direction,
        "baseline": base,
        "target": goal,
        "baseline_date": baseline_date,
        "target_date": target_date,
    }


@transaction.atomic
def indicator_create(
    *,
    objective: Objective,
    name: str,
    baseline: Decimal | int | float | str,
    target: Decimal | int | float | str,
    direction: str = "",
    unit: str = "",
    baseline_date: datetime.date | None = None,
    target_date: datetime.date | None = None,
) -> Indicator:
    """An indicator of ``objective`` with its baseline and target, and the way it improves
    (``direction``: higher or lower is better; by default read from the target, which must
    lie on the better side of the baseline)."""
    values = _indicator_values(
        name=name,
        baseline=baseline,
        target=target,
        direction=direction,
        unit=unit,
        baseline_date=baseline_date,
        target_date=target_date,
    )
    return Indicator.objects.create(objective=objective, **values)


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    name: str,
    baseline: Decimal | int | float | str,
    target: Decimal | int | float | str,
    direction: str = "",
    unit: str = "",
    baseline_date: datetime.date | None = None,
    target_date: datetime.date | None = None,
) -> Indicator:
    """Change an indicator's name, unit, baseline, target, direction and dates, under the
    rules of ``indicator_create``; its actuals stay (its progress is read from them anew)."""
    values = _indicator_values(
        name=name,
        baseline=baseline,
        target=target,
        direction=direction,
        unit=unit,
        baseline_date=baseline_date,
        target_date=target_date,
    )
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    for key, value in values.items():
        setattr(indicator, key, value)
    indicator.save(update_fields=list(values))
    return indicator


def objective_beneficiaries(objective: Objective) -> list[Organisation]:
    """The administrations an objective serves: the beneficiaries of its missions, the
    administrations of its requests, the beneficiary parties of its agreements."""
    return list(
        Organisation.objects.filter(
            Q(missions_received__result_objectives=objective)
            | Q(requests__result_objectives=objective)
            | Q(
                agreement_parties__agreement__result_objectives=objective,
                agreement_parties__role=PartyRole.BENEFICIARY,
            )
        ).distinct()
    )


def indicator_beneficiaries(indicator: Indicator) -> list[Organisation]:
    """The administrations an indicator's objective serves (``objective_beneficiaries``)."""
    return objective_beneficiaries(indicator.objective)


def may_record_actuals(*, objective: Objective, by: User) -> bool:
    """Whether ``by`` may record the values of the indicators of ``objective``: a secretariat
    coordinator, or a member focal point of an administration the objective serves."""
    if not by.is_authenticated or not by.is_active:
        return False
    if by.role == Role.SECRETARIAT_COORDINATOR:
        return True
    return by.role == Role.MEMBER_FOCAL_POINT and by.organisation_id in {
        o.pk for o in objective_beneficiaries(objective)
    }


def _recorder_error(indicator: Indicator, by: User) -> str | None:
    if may_record_actuals(objective=indicator.objective, by=by):
        return None
    return _(
        "Recorded by: only the secretariat or a focal point of an administration that "
        "indicator “%(indicator)s” serves records its values."
    ) % {"indicator": indicator.name}


@transaction.atomic
def indicator_actual_record(
    *,
    indicator: Indicator,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal | int | float | str,
    by: User,
    note: str = "",
) -> IndicatorActual:
    """The value ``indicator`` reached in a period, recorded by the secretariat or by a focal
    point of an administration the indicator serves; recording the same period again corrects
    it (and who recorded it)."""
    errors: dict[str, str] = {}
    if message := _recorder_error(indicator, by):
        errors["by"] = message
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
        defaults={
            "period_end": period_end,
            "value": amount,
            "note": note.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    return actual
