"""When an input of the pool gaps changes, queue their refresh once the change commits.

The inputs are the plannable missions (missions, their slots, slot requirements and
beneficiaries, assignments, experts kept out of slots) and the pool (experts, skills,
unavailable periods, the organisations whose country and name the rules and the page read).
The receivers live here, not in the apps that own those models: planning may import missions
and the roster, never the reverse. Rows loaded from fixtures (``raw``) and bulk writes send no
signal of their own; every service that bulk-writes skills or requirements also saves their
expert or slot. ``POOL_GAPS_REFRESH_ON_CHANGE`` (off in the test settings) turns it all off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from renfort.accounts.models import Organisation
from renfort.missions.models import Assignment, Mission, Slot, SlotExclusion, SlotRequirement
from renfort.planning.gap_refresh import pool_gaps_refresh_on_commit
from renfort.roster.models import Expert, Skill, Unavailability

INPUTS: tuple[type[models.Model], ...] = (
    Mission,
    Slot,
    SlotRequirement,
    Assignment,
    SlotExclusion,
    Expert,
    Skill,
    Unavailability,
    Organisation,
)


def _enabled() -> bool:
    return bool(getattr(settings, "POOL_GAPS_REFRESH_ON_CHANGE", True))


def input_changed(sender: Any, *, using: str | None = None, raw: bool = False, **_: Any) -> None:
    if not raw and _enabled():
        pool_gaps_refresh_on_commit(using)


def beneficiaries_changed(sender: Any, *, action: str, using: str | None = None, **_: Any) -> None:
    if action.startswith("post_") and _enabled():
        pool_gaps_refresh_on_commit(using)


def connect() -> None:
    """Connect the receivers (``PlanningConfig.ready``)."""
    for model in INPUTS:
        label = model._meta.label_lower
        post_save.connect(input_changed, sender=model, dispatch_uid=f"pool_gaps.save.{label}")
        post_delete.connect(input_changed, sender=model, dispatch_uid=f"pool_gaps.delete.{label}")
    m2m_changed.connect(
        beneficiaries_changed,
        sender=Mission.beneficiaries.through,
        dispatch_uid="pool_gaps.beneficiaries",
    )
