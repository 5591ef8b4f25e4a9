"""An expert's unavailable periods: marked by the expert, checked against their commitments.

They live with the staffing services because adding one reads the expert's assignments under
the same lock order as every other change to an expert's commitments (missions/locking.py).
"""

from __future__ import annotations

import datetime
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.lib.audit import acting_as
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.locking import lock_experts
from renfort.missions.models import COMMITTED_ASSIGNMENT_STATUSES, Assignment
from renfort.roster.models import Expert, Unavailability


@transaction.atomic
def unavailability_add(
    *, expert: Expert, start: datetime.date, end: datetime.date, reason: str = ""
) -> Unavailability:
    """Mark the expert unavailable from ``start`` to ``end`` (inclusive).

    Refused over a mission the expert has accepted or is confirmed for: that commitment has to
    be withdrawn first, so a plan never silently breaks.
    """
    errors = out_of_range(start=(_("First day"), start), end=(_("Last day"), end))
    if not errors and end < start:
        errors["end"] = _("Last day: %(end)s is before the first day %(start)s.") % {
            "end": end,
            "start": start,
        }
    errors.update(length_errors(Unavailability, reason=reason.strip()))
    if errors:
        raise ValidationError(errors)
    # Lock the expert before reading their assignments: accepting an invitation or moving a
    # mission locks the expert first too (missions/locking.py), so neither slips in between.
    lock_experts([expert.pk])
    clash = (
        Assignment.objects.filter(
            expert=expert,
            status__in=COMMITTED_ASSIGNMENT_STATUSES,
            slot__mission__start__lte=end,
            slot__mission__end__gte=start,
        )
        .select_related("slot__mission")
        .first()
    )
    if clash is not None:
        mission = clash.slot.mission
        raise ValidationError(
            _(
                "%(expert)s is committed to mission %(mission)s from %(start)s to %(end)s; "
                "withdraw from it before marking these days unavailable."
            )
            % {
                "expert": expert,
                "mission": mission.reference,
                "start": mission.start,
                "end": mission.end,
            }
        )
    return Unavailability.objects.create(expert=expert, start=start, end=end, reason=reason.strip())


@transaction.atomic
def unavailability_remove(*, unavailability: Unavailability, by: User | None = None) -> None:
    """Withdraw an unavailable period: it is kept, marked withdrawn (by whom, when), for the
    audit trail, and blocks nothing any more (the default manager leaves it out)."""
    if unavailability.withdrawn_at is not None:
        return
    unavailability.withdrawn_at = timezone.now()
    unavailability.withdrawn_by = by
    with acting_as(by) if by is not None else nullcontext():
        unavailability.save(update_fields=["withdrawn_at", "withdrawn_by"])
