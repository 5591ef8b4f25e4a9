"""The secretariat staffs a mission from its page: slots added and removed, experts assigned,
swapped, pinned for the planner, invited, confirmed or withdrawn.

Every rule is checked by the services; a refusal shows the mission's page again with the bound
form and the broken rule named.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error
from renfort.missions import services
from renfort.missions.candidates import slot_candidates
from renfort.missions.forms import AssignForm, ExcludeForm, SlotForm, SwapForm
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Slot,
    SlotExclusion,
)
from renfort.missions.rules import assignment_problems
from renfort.missions.selectors import mission_for_user
from renfort.missions.views.common import SECRETARIAT
from renfort.missions.views.detail import SECRETARIAT_ASSIGNMENT_STEPS, done, render_detail
from renfort.roster.models import Topic


def _back(mission_pk: int) -> str:
    return reverse("missions:mission_detail", args=[mission_pk])


def _slot_for_user(request: AuthedRequest, pk: int) -> Slot:
    slot = get_object_or_404(Slot.objects.select_related("mission"), pk=pk)
    # The same scoping as the mission's: 404 for a mission the user may not see.
    mission_for_user(request.user, slot.mission_id)
    return slot


def _assignment_for_user(request: AuthedRequest, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("slot__mission", "expert__home_administration"), pk=pk
    )
    mission_for_user(request.user, assignment.slot.mission_id)
    return assignment


@role_required(SECRETARIAT)
@require_POST
def slot_add(request: AuthedRequest, pk: int) -> HttpResponseBase:
    mission = mission_for_user(request.user, pk)
    form = SlotForm(request.POST, topics=list(Topic.objects.order_by("name")))
    if form.is_valid():
        try:
            services.slot_add(
                mission=mission,
                category=form.cleaned_data["category"],
                requirements=form.requirements(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return done(request, mission, _("Slot added."))
    return render_detail(request, mission, slot_form=form)


@role_required(SECRETARIAT)
@require_POST
def slot_remove(request: AuthedRequest, pk: int) -> HttpResponseBase:
    slot = _slot_for_user(request, pk)
    mission = slot.mission
    step = confirmation(
        request,
        title=_("Remove slot %(n)s of mission %(ref)s?")
        % {"n": slot.position, "ref": mission.reference},
        consequence=_(
            "The slot (%(category)s) and its requirements are deleted; the planner will no "
            "longer staff it."
        )
        % {"category": slot.get_category_display()},
        action=_("Remove the slot"),
        cancel_url=_back(mission.pk),
    )
    if step.page is not None:
        return step.page
    try:
        services.slot_remove(slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=mission.pk)
    return done(request, mission, _("Slot removed."))


@role_required(SECRETARIAT)
@require_POST
def assignment_create(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Put an expert in a slot by hand; every rule is checked and the broken one named."""
    slot = _slot_for_user(request, pk)
    mission = slot.mission
    experts, fitting = slot_candidates(slot)
    form = AssignForm(
        request.POST,
        experts=experts,
        suggested=fitting,
        slot_id=slot.pk,
        auto_id=f"id_assign{slot.pk}_%s",
    )
    if form.is_valid():
        try:
            services.assignment_create(
                slot=slot,
                expert=form.cleaned_data["expert"],
                source=AssignmentSource.MANUAL,
                pinned=form.cleaned_data["pinned"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc, default="expert")
        else:
            return done(
                request,
                mission,
                _("%(expert)s proposed for slot %(slot)s.")
                % {"expert": form.cleaned_data["expert"], "slot": slot.code},
            )
    return render_detail(request, mission, bound={("assign", slot.pk): form})


@role_required(SECRETARIAT)
@require_POST
def assignment_swap(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Replace the expert of an assignment; every rule is checked for the new one."""
    assignment = _assignment_for_user(request, pk)
    mission = assignment.slot.mission
    experts, fitting = slot_candidates(assignment.slot, exclude=assignment)
    form = SwapForm(
        request.POST,
        experts=experts,
        suggested=fitting,
        slot_id=assignment.slot_id,
        auto_id=f"id_swap{assignment.pk}_%s",
    )
    if form.is_valid():
        new = form.cleaned_data["expert"]
        # Ask only about a swap the rules allow (read here; the service checks again).
        problems = assignment_problems(slot=assignment.slot, expert=new, exclude=assignment)
        if problems:
            form.add_error("expert", problems)
            return render_detail(request, mission, bound={("swap", assignment.pk): form})
        step = confirmation(
            request,
            title=_("Swap %(old)s for %(new)s in slot %(slot)s?")
            % {"old": assignment.expert, "new": new, "slot": assignment.slot.code},
            consequence=_(
                "%(old)s is withdrawn (and told, if invited) and is not placed in this mission "
                "again; %(new)s is proposed in the slot, every rule checked."
            )
            % {"old": assignment.expert, "new": new},
            action=_("Swap the expert"),
            cancel_url=_back(mission.pk),
        )
        if step.page is not None:
            return step.page
        try:
            services.assignment_swap(assignment=assignment, expert=new, by=request.user)
        except ValidationError as exc:
            add_service_error(form, exc, default="expert")
        else:
            return done(
                request,
                mission,
                _("%(expert)s now holds slot %(slot)s.")
                % {"expert": form.cleaned_data["expert"], "slot": assignment.slot.code},
            )
    return render_detail(request, mission, bound={("swap", assignment.pk): form})


@role_required(SECRETARIAT)
@require_POST
def assignment_pin(request: AuthedRequest, pk: int) -> HttpResponseBase:
    assignment = _assignment_for_user(request, pk)
    pinned = request.POST.get("pinned") == "1"
    try:
        services.assignment_pin(assignment=assignment, pinned=pinned)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=assignment.slot.mission_id)
    return done(
        request,
        assignment.slot.mission,
        _("Assignment pinned: the planner keeps it.") if pinned else _("Assignment unpinned."),
    )


@role_required(SECRETARIAT)
@require_POST
def assignment_transition(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Invite, confirm or withdraw an assignment from the mission's page."""
    assignment = _assignment_for_user(request, pk)
    to_status = request.POST.get("to_status", "")
    if to_status not in SECRETARIAT_ASSIGNMENT_STEPS:
        messages.error(request, _("Choose invite, confirm or withdraw."))
        return redirect("missions:mission_detail", pk=assignment.slot.mission_id)
    reason = ""
    if to_status == AssignmentStatus.WITHDRAWN:
        knew = assignment.status != AssignmentStatus.PROPOSED
        step = confirmation(
            request,
            title=_("Withdraw %(expert)s from slot %(slot)s?")
            % {"expert": assignment.expert, "slot": assignment.slot.code},
            consequence=(
                _(
                    "The slot is open again and %(expert)s is not placed in this mission again; "
                    "the expert is told, with your reason."
                )
                if knew
                else _(
                    "The proposal is dropped, the slot is open again and %(expert)s is not "
                    "placed in this mission again."
                )
            )
            % {"expert": assignment.expert},
            action=_("Withdraw the expert"),
            cancel_url=_back(assignment.slot.mission_id),
            reason="required" if knew else "optional",
        )
        if step.page is not None:
            return step.page
        reason = step.reason
    try:
        services.assignment_transition(
            assignment=assignment, to_status=to_status, by=request.user, reason=reason
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=assignment.slot.mission_id)
    return done(
        request,
        assignment.slot.mission,
        _("Assignment of %(expert)s: %(status)s.")
        % {"expert": assignment.expert, "status": AssignmentStatus(to_status).label},
    )


@role_required(SECRETARIAT)
@require_POST
def slot_exclusion_add(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Keep an expert out of a slot: never offered, assigned or planned there."""
    slot = _slot_for_user(request, pk)
    mission = slot.mission
    current = slot.assignments.active().first()
    experts, fitting = slot_candidates(slot, exclude=current)
    form = ExcludeForm(
        request.POST,
        experts=experts,
        suggested=fitting,
        slot_id=slot.pk,
        auto_id=f"id_exclude{slot.pk}_%s",
    )
    if form.is_valid():
        try:
            services.slot_exclusion_add(
                slot=slot,
                expert=form.cleaned_data["expert"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc, default="expert")
        else:
            return done(
                request,
                mission,
                _("%(expert)s is excluded from slot %(slot)s.")
                % {"expert": form.cleaned_data["expert"], "slot": slot.code},
            )
    return render_detail(request, mission, bound={("exclude", slot.pk): form})


@role_required(SECRETARIAT)
@require_POST
def slot_exclusion_remove(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Let an excluded expert back into the slot."""
    exclusion = get_object_or_404(
        SlotExclusion.objects.select_related("slot__mission", "expert"), pk=pk
    )
    mission_for_user(request.user, exclusion.slot.mission_id)
    mission = exclusion.slot.mission
    try:
        services.slot_exclusion_remove(exclusion=exclusion, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=mission.pk)
    return done(
        request,
        mission,
        _("%(expert)s may be placed in slot %(slot)s again.")
        % {"expert": exclusion.expert, "slot": exclusion.slot.code},
    )
