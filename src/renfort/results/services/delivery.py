"""The secretariat marks a confirmed mission delivered, with the days it actually ran."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.locking import lock_mission_commitments
from renfort.missions.models import Mission, MissionStatus
from renfort.missions.services import mission_transition
from renfort.results.models import MissionDelivery
from renfort.results.services.notices import notify_delivered


def _date_errors(start: datetime.date, end: datetime.date, today: datetime.date) -> dict[str, str]:
    errors = out_of_range(
        actual_start=(_("Actual first day"), start), actual_end=(_("Actual last day"), end)
    )
    if errors:
        return errors
    if end < start:
        errors["actual_end"] = _(
            "Actual last day: %(end)s is before the actual first day %(start)s."
        ) % {"end": end, "start": start}
    elif end > today:
        errors["actual_end"] = _(
            "Actual last day: %(end)s is after today (%(today)s); mark the mission delivered "
            "once it has ended."
        ) % {"end": end, "today": today}
    return errors


@transaction.atomic
def mission_deliver(
    *,
    mission: Mission,
    by: User,
    actual_start: datetime.date,
    actual_end: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> MissionDelivery:
    """A secretariat coordinator records that a confirmed mission took place from
    ``actual_start`` to ``actual_end`` (in the dates Renfort accepts, in order, ended by
    ``today``) and moves it to delivered (``mission_transition``: its confirmed assignments
    complete, its requests are delivered). Its experts are asked for their reports, its
    beneficiaries for their evaluation."""
    today = today or timezone.localdate()
    # Its experts, then the mission (missions/locking.py): a second coordinator waits here
    # and then finds the mission delivered.
    mission, _experts = lock_mission_commitments(mission.pk)
    errors: dict[str, str] = {}
    if by.role != Role.SECRETARIAT_COORDINATOR:
        errors["by"] = _("Delivery: only a secretariat coordinator marks a mission delivered.")
    if mission.status != MissionStatus.CONFIRMED:
        errors["mission"] = _(
            "Mission %(mission)s is %(status)s: only a confirmed mission is marked delivered."
        ) % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
    errors.update(_date_errors(actual_start, actual_end, today))
    errors.update(length_errors(MissionDelivery, note=note.strip()))
    if errors:
        raise ValidationError(errors)
    delivery = MissionDelivery.objects.create(
        mission=mission,
        actual_start=actual_start,
        actual_end=actual_end,
        note=note.strip(),
        by=by,
    )
    mission = mission_transition(mission=mission, to_status=MissionStatus.DELIVERED, by=by)
    notify_delivered(mission)
    return delivery
