"""Queue the relaxations of a mission (``relaxations``) once per state of its inputs: the
``MissionRelaxations`` row of the mission and fingerprint is the mark (a unique constraint),
written before the task is queued; a request computing for longer than
``COMPUTING_FOR_AT_MOST`` counts as lost and may be claimed again."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from renfort.accounts.models import Role, User
from renfort.missions.candidates import Pool
from renfort.missions.models import EDITABLE_MISSION_STATUSES, Mission
from renfort.planning.models import MissionRelaxations, RelaxationsStatus
from renfort.planning.outlook import Outlook, mission_outlooks
from renfort.planning.tasks import mission_relaxations_task

COMPUTING_FOR_AT_MOST = datetime.timedelta(minutes=10)


def relaxations_request(outlook: Outlook) -> bool:
    """Queue the relaxations of the mission for its current inputs, unless they are computed
    or computing (a request older than ``COMPUTING_FOR_AT_MOST`` counts as lost); True when
    this call queued them."""
    now = timezone.now()
    row = outlook.row
    if row is not None and (
        row.status == RelaxationsStatus.DONE
        or (
            row.status == RelaxationsStatus.COMPUTING
            and row.requested_at > now - COMPUTING_FOR_AT_MOST
        )
    ):
        return False
    try:
        with transaction.atomic():
            if row is None:
                row = MissionRelaxations.objects.create(
                    mission=outlook.mission, fingerprint=outlook.fingerprint, requested_at=now
                )
            else:
                claimed = MissionRelaxations.objects.filter(
                    pk=row.pk, requested_at=row.requested_at
                ).update(status=RelaxationsStatus.COMPUTING, requested_at=now)
                if not claimed:
                    return False  # someone else asked meanwhile
    except IntegrityError:
        return False  # someone else asked meanwhile
    outlook.row = row
    mission_relaxations_task.enqueue(mission_id=outlook.mission.pk, fingerprint=outlook.fingerprint)
    return True


def outlooks_for_page(
    ids: Iterable[int], *, ask: bool, pool: Pool | None = None
) -> Mapping[int, Outlook]:
    """The outlooks of the missions; with ``ask`` (a secretariat reader, and
    ``PLANNER_RELAXATIONS_ON_READ``), the relaxations of each mission with an open slot are
    queued when missing."""
    outlooks = mission_outlooks(ids, pool=pool)
    if ask and settings.PLANNER_RELAXATIONS_ON_READ:
        for outlook in outlooks.values():
            if outlook.open and outlook.row is None:
                relaxations_request(outlook)
    return outlooks


# The roles that see the counts and relaxations of a mission they may see (the pool gaps'
# readers); the secretariat also asks for them.
OUTLOOK_ROLES = frozenset(
    {
        Role.SECRETARIAT_COORDINATOR,
        Role.REGIONAL_COORDINATOR,
        Role.MEMBER_FOCAL_POINT,
        Role.DONOR_FOCAL_POINT,
    }
)


def mission_outlook_for(user: User, mission: Mission, pool: Pool | None = None) -> Outlook | None:
    """The outlook of a mission the user may see (``mission_for_user``), for the roles that
    see it, while its slots may still change hands (``EDITABLE_MISSION_STATUSES``); counted
    from ``pool`` when the page has loaded it for the mission's slots (``slots_pool``)."""
    if getattr(user, "role", "") not in OUTLOOK_ROLES:
        return None
    if mission.status not in EDITABLE_MISSION_STATUSES:
        return None
    ask = user.role == Role.SECRETARIAT_COORDINATOR
    return outlooks_for_page([mission.pk], ask=ask, pool=pool).get(mission.pk)
