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
from django.utils.translation import gettext_lazy as _lazy

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Organisation, Role, User
from renfort.agreements.selectors import agreements_visible_to
from renfort.assistance.selectors import requests_visible_to
from renfort.lib.messages import StrOrPromise
from renfort.lib.messages import render as render_message
from renfort.missions.candidates import Pool, candidates, slots_pool
from renfort.missions.eligibility import Exclusions, Held, exclusions_from, held_of
from renfort.missions.forms import (
    SUGGESTIONS,
    AssignForm,
    DatesForm,
    ExcludeForm,
    PlanningOptionsForm,
    SlotForm,
    SwapForm,
    TransitionForm,
)
from renfort.missions.messages import topic_level
from renfort.missions.models import (
    ASSIGNMENT_TRANSITIONS,
    EDITABLE_MISSION_STATUSES,
    MISSION_TRANSITIONS,
    OPEN_MISSION_STATUSES,
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    AssignmentStatus,
    AssignmentStatusChange,
    Mission,
    MissionStatus,
    Slot,
    SlotExclusion,
    SlotOffer,
    SlotRequirement,
)
from renfort.missions.selectors import assignment_ids_shown_to
from renfort.missions.views.common import SECRETARIAT
from renfort.planning.relaxation_requests import mission_outlook_for
from renfort.planning.slot_counts import slot_form_counts
from renfort.roster.models import Expert, Topic

# The secretariat moves an assignment along these steps from a mission's page; the expert
# answers invitations and the home administration decides releases on their own pages.
SECRETARIAT_ASSIGNMENT_STEPS = (
    AssignmentStatus.INVITED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.WITHDRAWN,
)


# Their buttons, verb and object.
ASSIGNMENT_ACTIONS = {
    AssignmentStatus.INVITED: _lazy("Invite the expert"),
    AssignmentStatus.CONFIRMED: _lazy("Confirm the assignment"),
    AssignmentStatus.WITHDRAWN: _lazy("Withdraw the expert"),
}

M = MissionStatus
# The button of each forward step, named by what it does (never by the status it leads to).
FORWARD_ACTIONS: dict[str, StrOrPromise] = {
    M.PLANNED: _lazy("Plan the mission"),
    M.SCHEDULED: _lazy("Schedule the mission"),
    M.CONFIRMED: _lazy("Confirm the mission"),
    M.DELIVERED: _lazy("Mark as delivered"),
    M.REPORTED: _lazy("Mark as reported"),
    M.CLOSED: _lazy("Close the mission"),
}
# Backward steps: quiet buttons, asked once more (``mission_transition`` view).
BACKWARD_ACTIONS: dict[str, StrOrPromise] = {
    M.DRAFT: _lazy("Move back to draft"),
    M.PLANNED: _lazy("Move back to planned"),
    M.SCHEDULED: _lazy("Move back to scheduled"),
}
CANCEL_ACTION = _lazy("Cancel the mission")


@dataclass(frozen=True)
class StatusAction:
    """A button of the mission's status card: the status it leads to, its words, its kind
    (``primary``: the next step; ``secondary``: a step back; ``danger``: cancelling)."""

    to_status: str
    label: str
    kind: str


def is_backward(current: str, to_status: str) -> bool:
    order = list(M.values)
    return to_status != M.CANCELLED and order.index(to_status) < order.index(current)


def status_actions(mission: Mission) -> list[StatusAction]:
    """The allowed steps from the mission's status, forward first, cancelling last."""
    allowed = MISSION_TRANSITIONS.get(mission.status, frozenset())
    actions = [
        StatusAction(s, str(FORWARD_ACTIONS[s]), "primary")
        for s in M.values
        if s in allowed and s in FORWARD_ACTIONS and not is_backward(mission.status, s)
    ]
    actions += [
        StatusAction(s, str(BACKWARD_ACTIONS[s]), "secondary")
        for s in M.values
        if s in allowed and s in BACKWARD_ACTIONS and is_backward(mission.status, s)
    ]
    if M.CANCELLED in allowed:
        actions.append(StatusAction(M.CANCELLED, str(CANCEL_ACTION), "danger"))
    return actions


@dataclass(frozen=True)
class Suggestion:
    """An expert every rule accepts for a slot, with why in words (``assignment.fit``:
    category, language, each required topic's level against the need, country)."""

    expert: Expert
    fit: str
    surplus: int


def _suggestions(
    slot: Slot,
    requirements: Sequence[SlotRequirement],
    language: str,
    experts: Sequence[Expert],
    fitting: set[int],
    pool: Pool,
) -> list[Suggestion]:
    """The best few of ``fitting``: most levels above the slot's needs first, then by name."""
    found = []
    for e in experts:
        if e.pk not in fitting:
            continue
        levels = pool.facts[e.pk].levels
        skills = [
            topic_level(r.topic.code, r.topic.name, levels.get(r.topic_id, 0), r.level)
            for r in requirements
        ]
        params = {
            "category": slot.category,
            "language": language,
            "skills": skills,
            "country": e.home_administration.country,
        }
        found.append(
            Suggestion(
                e,
                str(render_message("assignment.fit", params)),
                sum(s["have"] - s["need"] for s in skills),
            )
        )
    found.sort(key=lambda s: (-s.surplus, s.expert.last_name, s.expert.first_name))
    return found[:SUGGESTIONS]


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
    # The experts a coordinator kept out of the slot, each with a remove button.
    exclusions: list[SlotExclusion] = field(default_factory=list)
    exclude_form: ExcludeForm | None = None
    # The best few experts for the slot with why they fit (the assign and swap lists).
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass(frozen=True)
class KeptOut:
    """An expert whom the mission's history keeps out of all its slots (declined, withdrawn,
    release refused)."""

    expert: Expert
    kind: str
    slot: str  # its number on this page ("Slot 2"), not the planner's slot code


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


@dataclass
class _Staffing:
    """What the secretariat's forms read, loaded once for the page."""

    pool: Pool
    language: str
    beneficiaries: Sequence[Organisation]
    crew: list[Held]
    excluded: Exclusions
    bound: dict[tuple[str, int], Any]


def _add_forms(view: SlotView, staffing: _Staffing) -> None:
    """The secretariat's forms of a slot: assign (free) or swap and steps (held), exclude."""
    slot, current, bound = view.slot, view.current, staffing.bound
    experts, fitting = candidates(
        slot,
        staffing.pool,
        beneficiaries=staffing.beneficiaries,
        crew=staffing.crew,
        excluded=staffing.excluded,
        exclude=current,
    )
    view.suggestions = _suggestions(
        slot, view.requirements, staffing.language, experts, fitting, staffing.pool
    )
    if current is None:
        view.assign_form = bound.get(("assign", slot.pk)) or AssignForm(
            experts=experts, suggested=fitting, slot_id=slot.pk, auto_id=f"id_assign{slot.pk}_%s"
        )
    else:
        view.swap_form = bound.get(("swap", current.pk)) or SwapForm(
            experts=experts, suggested=fitting, slot_id=slot.pk, auto_id=f"id_swap{current.pk}_%s"
        )
        allowed = ASSIGNMENT_TRANSITIONS.get(current.status, frozenset())
        view.steps = [
            (s.value, str(ASSIGNMENT_ACTIONS[s]))
            for s in SECRETARIAT_ASSIGNMENT_STEPS
            if s in allowed
        ]
    view.exclude_form = bound.get(("exclude", slot.pk)) or ExcludeForm(
        experts=experts, suggested=fitting, slot_id=slot.pk, auto_id=f"id_exclude{slot.pk}_%s"
    )


def _slots(mission: Mission, is_secretariat: bool) -> list[Slot]:
    """The mission's slots with requirements and assignments (with their history), and for
    the secretariat the exclusions."""
    prefetch: list[Any] = [
        Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("expert__home_administration")
            .prefetch_related(
                Prefetch("history", queryset=AssignmentStatusChange.objects.select_related("by"))
            )
            .order_by("-created_at", "-id"),
        ),
    ]
    if is_secretariat:
        prefetch.append(
            Prefetch(
                "exclusions",
                queryset=SlotExclusion.objects.select_related("expert__home_administration", "by"),
            )
        )
        prefetch.append(
            Prefetch(
                "offers",
                queryset=SlotOffer.objects.filter(assignment__isnull=True).select_related(
                    "expert", "organisation"
                ),
                to_attr="open_offers",
            )
        )
    # Through the related manager, each slot knows its mission without another query.
    return list(mission.slots.all().prefetch_related(*prefetch).order_by("position", "id"))


def _slot_views(
    request: AuthedRequest,
    mission: Mission,
    bound: dict[tuple[str, int], Any],
    beneficiaries: Sequence[Organisation],
) -> tuple[list[SlotView], list[KeptOut], Pool | None]:
    """The slots as the user may see them, the experts the mission's history keeps out
    (shown to the secretariat), and the staffing pool loaded for the slots (the outlook counts
    from it)."""
    user = request.user
    is_secretariat = user.role == SECRETARIAT
    slots = _slots(mission, is_secretariat)
    rows = [a for slot in slots for a in slot.assignments.all()]
    kept_out: list[KeptOut] = []
    staffing = None
    if is_secretariat:
        # The rules read the mission's active assignments (slot taken, one slot per expert,
        # countries) and its exclusions: from the rows just loaded.
        excluded = exclusions_from(rows, [x for slot in slots for x in slot.exclusions.all()])
        if mission.status in STAFFABLE_MISSION_STATUSES:
            # Only the experts whose profile fits a slot are loaded (docs/ui.md, "Long
            # lists"); a mission past staffing shows no staffing form and loads no pool.
            staffing = _Staffing(
                slots_pool(slots, beneficiaries),
                mission.language,
                beneficiaries,
                [held_of(a) for a in rows if a.is_active],
                excluded,
                bound,
            )
        experts = {a.expert_id: a.expert for a in rows}
        numbers = {slot.code: str(slot.position) for slot in slots}
        kept_out = [
            KeptOut(experts[x.expert_id], x.kind, numbers.get(x.slot_code, x.slot_code))
            for x in excluded.by_mission.get(mission.pk, {}).values()
        ]
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
            view.exclusions = list(slot.exclusions.all())
        if staffing is not None:
            _add_forms(view, staffing)
        views.append(view)
    return views, kept_out, staffing.pool if staffing is not None else None


def render_detail(
    request: AuthedRequest,
    mission: Mission,
    *,
    bound: dict[tuple[str, int], Any] | None = None,
    transition_form: TransitionForm | None = None,
    dates_form: DatesForm | None = None,
    options_form: PlanningOptionsForm | None = None,
    slot_form: SlotForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The mission's page; an action that failed passes its bound form to show the errors."""
    user = request.user
    is_secretariat = user.role == SECRETARIAT
    beneficiaries = list(mission.beneficiaries.order_by("name"))
    slots, kept_out, pool = _slot_views(request, mission, bound or {}, beneficiaries)
    shown = [
        f
        for view in slots
        for f in (view.assign_form, view.swap_form, view.exclude_form)
        if f is not None
    ]
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
        "kept_out": kept_out,
        "history": mission.history.select_related("by"),
        # The field history names only the assignments this page shows its reader.
        "history_only": {"missions.assignment": assignment_ids_shown_to(user, mission)},
        "agreements": mission.agreements.order_by("reference"),
        "visible_agreements": set(
            agreements_visible_to(user).filter(missions=mission).values_list("id", flat=True)
        ),
        "is_secretariat": is_secretariat,
        # Who could staff each slot, and what it would take (planning: a view may read it).
        "outlook": mission_outlook_for(user, mission, pool),
    }
    if is_secretariat:
        topics = list(Topic.objects.order_by("name"))
        context["transition_form"] = transition_form or TransitionForm(current=mission.status)
        context["status_actions"] = status_actions(mission)
        context["can_edit"] = mission.status in OPEN_MISSION_STATUSES
        context["can_postpone"] = mission.status == MissionStatus.CONFIRMED
        # Dates are set while the planner may still choose them; a confirmed mission is
        # postponed instead (its experts re-checked, the unfit ones withdrawn on agreement).
        context["can_set_dates"] = mission.status in EDITABLE_MISSION_STATUSES
        context["can_add_slot"] = mission.status in EDITABLE_MISSION_STATUSES
        context["dates_form"] = dates_form or DatesForm(
            initial={"start": mission.start, "end": mission.end}
        )
        context["slot_form"] = slot_form or SlotForm(topics=topics)
        if slot_form is not None:
            # A refused slot: how many experts its needs find (the htmx counts, without JS).
            context["slot_counts"] = slot_form_counts(mission, slot_form)
        # Shown while the planner may still choose the dates, or to show why it was refused.
        if options_form is not None or mission.status in EDITABLE_MISSION_STATUSES:
            context["options_form"] = options_form or PlanningOptionsForm(
                initial={"straddle_weekend": mission.straddle_weekend}
            )
    return render(request, "missions/mission_detail.html", context, status=status)


def done(request: AuthedRequest, mission: Mission, message: str) -> HttpResponseBase:
    """After a successful action: say so, and go back to the mission's page."""
    messages.success(request, message)
    return redirect("missions:mission_detail", pk=mission.pk)
