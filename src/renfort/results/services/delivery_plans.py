"""The year's delivery plan: drafted, approved by the secretariat, published to the members.

The plan's content (missions by region, level and topic, with their objectives) is read from
the missions of its year when it is shown; what is written here is its status and who moved
it. Pages come with the results framework's pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.accounts.services import notification_send
from renfort.lib.states import transition_error
from renfort.results.models import (
    DELIVERY_PLAN_TRANSITIONS,
    DeliveryPlan,
    DeliveryPlanStatus,
)

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _secretariat_error(by: User, what: str) -> str | None:
    if by.role == Role.SECRETARIAT_COORDINATOR and by.is_active:
        return None
    return _("%(what)s: only a secretariat coordinator can do this.") % {"what": what}


@transaction.atomic
def delivery_plan_create(*, year: int, by: User) -> DeliveryPlan:
    """The draft delivery plan of ``year`` (one per year), by a secretariat coordinator."""
    errors: dict[str, str] = {}
    if message := _secretariat_error(by, _("Delivery plan")):
        errors["by"] = message
    if not isinstance(year, int) or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        errors["year"] = _("Year: %(year)s is not between %(min)s and %(max)s.") % {
            "year": year,
            "min": EARLIEST_YEAR,
            "max": LATEST_YEAR,
        }
    elif DeliveryPlan.objects.filter(year=year).exists():
        errors["year"] = _("Year: the delivery plan of %(year)s exists already.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    try:
        # Two coordinators drafting the same year at once: the second meets the unique year.
        with transaction.atomic():
            return DeliveryPlan.objects.create(year=year, created_by=by)
    except IntegrityError as exc:
        raise ValidationError(
            {"year": _("Year: the delivery plan of %(year)s exists already.") % {"year": year}}
        ) from exc


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in DeliveryPlanStatus.choices}


@transaction.atomic
def delivery_plan_transition(*, plan: DeliveryPlan, to_status: str, by: User) -> DeliveryPlan:
    """Approve a draft plan, send an approved one back to draft, or publish an approved one
    (the member administrations' focal points are told). Secretariat coordinators only."""
    plan = DeliveryPlan.objects.select_for_update().get(pk=plan.pk)
    problems = [
        message
        for message in (
            _secretariat_error(by, _("Delivery plan %(year)s") % {"year": plan.year}),
            transition_error(
                _("Delivery plan %(year)s") % {"year": plan.year},
                plan.status,
                to_status,
                DELIVERY_PLAN_TRANSITIONS,
                _status_labels(),
            ),
        )
        if message
    ]
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    plan.status = to_status
    fields = ["status"]
    if to_status == DeliveryPlanStatus.APPROVED:
        plan.approved_by, plan.approved_at = by, now
        fields += ["approved_by", "approved_at"]
    elif to_status == DeliveryPlanStatus.DRAFT:
        plan.approved_by, plan.approved_at = None, None
        fields += ["approved_by", "approved_at"]
    elif to_status == DeliveryPlanStatus.PUBLISHED:
        plan.published_at = now
        fields.append("published_at")
    plan.save(update_fields=fields)
    if to_status == DeliveryPlanStatus.PUBLISHED:
        notification_send(
            recipients=User.objects.filter(
                role=Role.MEMBER_FOCAL_POINT, is_active=True, organisation__isnull=False
            ),
            code="delivery_plan.published",
            params={"year": str(plan.year)},
        )
    return plan
