"""Writes about a mission's expert slots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.lib.audit import create_all
from renfort.missions.locking import lock_mission
from renfort.missions.models import (
    EDITABLE_MISSION_STATUSES,
    Mission,
    MissionStatus,
    Slot,
    SlotRequirement,
)
from renfort.roster.models import Category, Topic


@dataclass(frozen=True)
class SlotSpec:
    """A slot to create: a category and ``{topic code: minimum level}``."""

    category: str
    requirements: Mapping[str, int] = field(default_factory=dict)


def check_slot_spec(
    category: str, requirements: Mapping[str, int], topics: Mapping[str, Topic], label: str
) -> list[str]:
    errors = []
    if category not in Category.values:
        errors.append(
            _("%(slot)s: %(category)s is not an expert category.")
            % {"slot": label, "category": category}
        )
    unknown = sorted(set(requirements) - set(topics))
    if unknown:
        errors.append(
            _("%(slot)s: unknown topic %(codes)s.") % {"slot": label, "codes": ", ".join(unknown)}
        )
    bad = sorted(code for code, level in requirements.items() if not 1 <= int(level) <= 4)
    if bad:
        errors.append(
            _("%(slot)s: the level of %(codes)s must be between 1 and 4.")
            % {"slot": label, "codes": ", ".join(bad)}
        )
    return errors


def write_slot(
    mission: Mission,
    position: int,
    category: str,
    requirements: Mapping[str, int],
    topics: Mapping[str, Topic],
) -> Slot:
    slot = Slot.objects.create(mission=mission, position=position, category=category)
    create_all(
        SlotRequirement,
        (
            SlotRequirement(slot=slot, topic=topics[code], level=int(level))
            for code, level in requirements.items()
        ),
    )
    return slot


@transaction.atomic
def slot_add(*, mission: Mission, category: str, requirements: Mapping[str, int]) -> Slot:
    """Add an expert slot to a mission that is not yet confirmed."""
    mission = lock_mission(mission.pk)  # its status, and the next position, stay as read
    if mission.status not in EDITABLE_MISSION_STATUSES:
        raise ValidationError(
            _("Mission %(mission)s is %(status)s: its slots can no longer change.")
            % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
        )
    topics = {t.code: t for t in Topic.objects.filter(code__in=list(requirements))}
    errors = check_slot_spec(category, requirements, topics, _("New slot"))
    if errors:
        raise ValidationError(errors)
    last = mission.slots.order_by("-position").values_list("position", flat=True).first()
    return write_slot(mission, (last or 0) + 1, category, requirements, topics)


@transaction.atomic
def slot_remove(*, slot: Slot) -> None:
    """Remove a slot that no expert holds, from a mission that is not yet confirmed."""
    # Assignments are created and confirmations checked under the mission's lock: hold it so
    # that no expert takes the slot, and no confirmation counts it, while it goes.
    mission = lock_mission(slot.mission_id)
    fresh = Slot.objects.filter(pk=slot.pk).first()
    if fresh is None:
        raise ValidationError(
            _("Slot %(slot)s was removed meanwhile; reload the page.") % {"slot": slot.code}
        )
    slot = fresh
    slot.mission = mission
    if mission.status not in EDITABLE_MISSION_STATUSES:
        raise ValidationError(
            _("Mission %(mission)s is %(status)s: its slots can no longer change.")
            % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
        )
    held = slot.assignments.active().select_related("expert").first()
    if held is not None:
        raise ValidationError(
            _("Slot %(slot)s is held by %(expert)s; withdraw that assignment first.")
            % {"slot": slot.code, "expert": held.expert}
        )
    slot.delete()
