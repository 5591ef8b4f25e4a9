"""Offers of experts for open slots (the Experts' Requirement Matrix): a lending
administration offers one of its experts (``slot_offer_add``); a coordinator assigns an
offered expert in one click (``slot_offer_assign``), every rule checked again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.missions.locking import lock_experts, lock_mission
from renfort.missions.models import Assignment, AssignmentSource, Slot, SlotOffer
from renfort.missions.rules import assignment_problems
from renfort.missions.services.assignments import assignment_create
from renfort.roster.models import Expert


@transaction.atomic
def slot_offer_add(*, slot: Slot, expert: Expert, by: User) -> SlotOffer:
    """A member focal point offers an expert of their administration for an open slot.

    Every assignment rule is checked as ``assignment_create`` would (for a mission with a
    window and no dates: free for its days somewhere in the window); the slot stays open for
    other offers until a coordinator assigns one. Locks as ``assignment_create``: the
    expert, then the mission.
    """
    expert = lock_experts([expert.pk])[expert.pk]
    lock_mission(slot.mission_id)
    slot = Slot.objects.select_related("mission").get(pk=slot.pk)
    names = {"expert": str(expert), "slot": slot.code}
    if by.role != Role.MEMBER_FOCAL_POINT or expert.home_administration_id != by.organisation_id:
        raise ValidationError(
            {"expert": _("Expert: %(expert)s is not an expert of your administration.") % names}
        )
    if SlotOffer.objects.filter(slot=slot, expert=expert, assignment__isnull=True).exists():
        raise ValidationError(
            {"expert": _("Expert: %(expert)s is already offered for slot %(slot)s.") % names}
        )
    problems = assignment_problems(slot=slot, expert=expert)
    if problems:
        raise ValidationError({"expert": problems})
    organisation = expert.home_administration
    return SlotOffer.objects.create(slot=slot, expert=expert, organisation=organisation, by=by)


@transaction.atomic
def slot_offer_assign(*, offer: SlotOffer, by: User) -> Assignment:
    """Assign an offered expert to the slot (a proposed assignment, from the matrix): every
    rule is checked again (``assignment_create``); the offer records the assignment."""
    expert_id, mission_id = SlotOffer.objects.values_list("expert_id", "slot__mission_id").get(
        pk=offer.pk
    )
    lock_experts([expert_id])
    lock_mission(mission_id)
    offer = (
        SlotOffer.objects.select_for_update(of=("self",))
        .select_related("slot__mission", "expert", "organisation")
        .get(pk=offer.pk)
    )
    if offer.assignment_id is not None:
        raise ValidationError(
            _("%(expert)s was assigned from this offer already (slot %(slot)s).")
            % {"expert": offer.expert, "slot": offer.slot.code}
        )
    assignment = assignment_create(
        slot=offer.slot,
        expert=offer.expert,
        source=AssignmentSource.MANUAL,
        explanation_code="assignment.offered_by_member",
        explanation_params={"org": str(offer.organisation)},
        by=by,
    )
    offer.assignment = assignment
    offer.save(update_fields=["assignment"])
    return assignment
