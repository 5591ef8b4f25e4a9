"""A coordinator keeps an expert out of a slot, or lets them back in (``SlotExclusion``).

An exclusion is one of the rules an assignment keeps (``eligibility.exclusion_misses``): the
assignment check refuses the expert for the slot, the forms stop offering them and the
planner never places them there. Adding one takes the locks ``assignment_create`` takes (the
expert, then the mission: missions/locking.py), so that an exclusion and an assignment of
the same expert to the same slot never both pass.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.lib.limits import length_errors
from renfort.missions.locking import lock_experts, lock_mission
from renfort.missions.models import (
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    MissionStatus,
    Slot,
    SlotExclusion,
)
from renfort.roster.models import Expert


def _secretariat_only(by: User) -> None:
    if by.role != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(_("Only a secretariat coordinator excludes experts from slots."))


@transaction.atomic
def slot_exclusion_add(*, slot: Slot, expert: Expert, by: User, reason: str = "") -> SlotExclusion:
    """Keep ``expert`` out of ``slot``: never offered, assigned or planned there.

    Refused for a mission that takes no more experts, for the expert who holds the slot now
    (withdraw or swap them first) and for an expert already excluded from it. ``reason``: the
    coordinator's own words, optional.
    """
    _secretariat_only(by)
    errors = length_errors(SlotExclusion, reason=reason.strip())
    if errors:
        raise ValidationError(errors)
    expert = lock_experts([expert.pk])[expert.pk]
    mission = lock_mission(slot.mission_id)
    slot = Slot.objects.select_related("mission").get(pk=slot.pk)
    names = {"expert": str(expert), "slot": slot.code, "mission": mission.reference}
    if mission.status not in STAFFABLE_MISSION_STATUSES:
        raise ValidationError(
            _("Mission %(mission)s is %(status)s: its slots take no more experts.")
            % {**names, "status": MissionStatus(mission.status).label}
        )
    if Assignment.objects.active().filter(slot=slot, expert=expert).exists():
        raise ValidationError(
            {
                "expert": _(
                    "Expert %(expert)s holds slot %(slot)s; withdraw or swap that assignment "
                    "before excluding them."
                )
                % names
            }
        )
    if SlotExclusion.objects.filter(slot=slot, expert=expert).exists():
        raise ValidationError(
            {"expert": _("Expert %(expert)s is already excluded from slot %(slot)s.") % names}
        )
    return SlotExclusion.objects.create(slot=slot, expert=expert, by=by, reason=reason.strip())


@transaction.atomic
def slot_exclusion_remove(*, exclusion: SlotExclusion, by: User) -> None:
    """Let the expert back into the slot: the rules, the forms and the planner may place
    them there again."""
    _secretariat_only(by)
    lock_experts([exclusion.expert_id])
    lock_mission(exclusion.slot.mission_id)
    SlotExclusion.objects.filter(pk=exclusion.pk).delete()
