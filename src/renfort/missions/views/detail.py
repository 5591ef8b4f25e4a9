"""A mission's page: its slots as the user may see them, with the secretariat's forms, and the
page itself, rendered again with the bound form when an action on it fails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Organisation, Role, User
from renfort.agreements.selectors import agreements_visible_to
from renfort.assistance.selectors import requests_visible_to
from renfort.missions.candidates import Pool, candidates, expert_pool
from renfort.missions.eligibility import held_of
from renfort.missions.forms import AssignForm, DatesForm, SlotForm, SwapForm, TransitionForm
from renfort.missions.models import (
    ASSIGNMENT_TRANSITIONS,
    Assignment,
    AssignmentStatus,
    AssignmentStatusChange,
    Mission,
    Slot,
    SlotRequirement,
)
from renfort.missions.views.common import SECRETARIAT
from renfort.roster.models import Expert, Topic

# The secretariat moves an assignment along these steps from a mission's page; the expert
# answers invitations and the home administration decides releases on their own pages.
SECRETARIAT_ASSIGNMENT_STEPS = (
    AssignmentStatus.INVITED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.WITHDRAWN,
)


@dataclass
class SlotView:
    """A slot on the mission's page: its requirements, current assignment and forms."""

    slot: Slot
    requirements: list[SlotRequirement]
    current: Assignment | None
    past: list[Assignment]
    assign_form: AssignForm | None = None
    swap_form: SwapForm | None = None
    steps: list[tuple[str, str]] = field(default_factory=list)


def _shows_proposals(user: User, expert: Expert) -> bool:
    """Proposals stay with the secretariat, and with the administration that offered them."""
    return user.role == SECRETARIAT or (
        user.role == Role.MEMBER_FOCAL_POINT
        and user.organisation_id is not None
        and expert.home_administration_id == user.organisation_id
    )


def _visible_assignment_statuses(user: User) -> frozenset[str]:
    if user.role == SECRETARIAT:
        return frozenset(AssignmentStatus.values)
    return frozenset(AssignmentStatus.values) - {AssignmentStatus.PROPOSED}


def _slot_views(
    request: AuthedRequest,
    mission: Mission,
    bound: dict[tuple[str, int], Any],
    beneficiaries: Sequence[Organisation],
) -> list[SlotView]:
    user = request.user
    is_secretariat = user.role == SECRETARIAT
    # Through the related manager, each slot knows its mission without another query.
    slots = (
        mission.slots.all()
        .prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert__home_administration")
                .prefetch_related(
                    Prefetch(
                        "history", queryset=AssignmentStatusChange.objects.select_related("by")
                    )
                )
                .order_by("-created_at", "-id"),
            ),
        )
        .order_by("position", "id")
    )
    pool = expert_pool() if is_secretariat else Pool()
    # The mission's active assignments, which the rules read (slot taken, one slot per expert,
    # countries): from the rows just loaded.
    crew = [held_of(a) for slot in slots for a in slot.assignments.all() if a.is_active]
    views: list[SlotView] = []
    for slot in slots:
        assignments = [
            a
            for a in slot.assignments.all()
            if a.status in _visible_assignment_statuses(user) or _shows_proposals(user, a.expert)
        ]
        current = next((a for a in assignments if a.is_active), None)
        view = SlotView(
            slot=slot,
            requirements=list(slot.requirements.all()),
            current=current,
            past=[a for a in assignments if not a.is_active] if is_secretariat else [],
        )
        if is_secretariat:
            if current is None:
                experts, fitting = candidates(slot, pool, beneficiaries=beneficiaries, crew=crew)
                view.assign_form = bound.get(("assign", slot.pk)) or AssignForm(
                    experts=experts, suggested=fitting, auto_id=f"id_assign{slot.pk}_%s"
                )
            else:
                experts, fitting = candidates(
                    slot, pool, beneficiaries=beneficiaries, crew=crew, exclude=current
                )
                view.swap_form = bound.get(("swap", current.pk)) or SwapForm(
                    experts=experts, suggested=fitting, auto_id=f"id_swap{current.pk}_%s"
                )
                allowed = ASSIGNMENT_TRANSITIONS.get(current.status, frozenset())
                view.steps = [
                    (s.value, str(s.label)) for s in SECRETARIAT_ASSIGNMENT_STEPS if s in allowed
                ]
        views.append(view)
    return views


def render_detail(
    request: AuthedRequest,
    mission: Mission,
    *,
    bound: dict[tuple[str, int], Any] | None = None,
    transition_form: TransitionForm | None = None,
    dates_form: DatesForm | None = None,
    slot_form: SlotForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The mission's page; an action that failed passes its bound form to show the errors."""
    user = request.user
    is_secretariat = user.role == SECRETARIAT
    beneficiaries = list(mission.beneficiaries.order_by("name"))
    slots = _slot_views(request, mission, bound or {}, beneficiaries)
    shown = [f for view in slots for f in (view.assign_form, view.swap_form) if f is not None]
    for form in (bound or {}).values():
        if form.errors and not any(form is f for f in shown):
            # The slot changed hands since the page was drawn (it is held now, or the
            # assignment was swapped out): the form is not on the page, so its refusal
            # goes on top.
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    context: dict[str, Any] = {
        "mission": mission,
        "requests": mission.requests.order_by("reference"),
        "visible_requests": set(
            requests_visible_to(user).filter(missions=mission).values_list("id", flat=True)
        ),
        "beneficiaries": beneficiaries,
        "slots": slots,
        "history": mission.history.select_related("by"),
        "agreements": mission.agreements.order_by("reference"),
        "visible_agreements": set(
            agreements_visible_to(user).filter(missions=mission).values_list("id", flat=True)
        ),
        "is_secretariat": is_secretariat,
    }
    if is_secretariat:
        topics = list(Topic.objects.order_by("name"))
        context["transition_form"] = transition_form or TransitionForm(current=mission.status)
        context["dates_form"] = dates_form or DatesForm(
            initial={"start": mission.start, "end": mission.end}
        )
        context["slot_form"] = slot_form or SlotForm(topics=topics)
    return render(request, "missions/mission_detail.html", context, status=status)


def done(request: AuthedRequest, mission: Mission, message: str) -> HttpResponseBase:
    """After a successful action: say so, and go back to the mission's page."""
    messages.success(request, message)
    return redirect("missions:mission_detail", pk=mission.pk)
