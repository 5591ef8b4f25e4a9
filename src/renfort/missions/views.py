"""HTML views of missions: the plan, a mission's page and the secretariat's actions on it,
the Experts' Requirement Matrix, the timeline and the month calendar.

Each view parses, authorises (``role_required``, then a selector that answers 404 for another
party's mission), calls one service or selector, and renders. The planner's pages live in
``views_planner``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.models import Organisation, Region, Role, User
from renfort.accounts.permissions import role_required
from renfort.agreements.selectors import agreements_visible_to
from renfort.assistance.selectors import requests_visible_to
from renfort.lib.http import AuthedRequest
from renfort.missions import calendar as cal
from renfort.missions import services
from renfort.missions.forms import (
    AssignForm,
    DatesForm,
    MatrixFilterForm,
    MissionFilterForm,
    OfferForm,
    SlotForm,
    SwapForm,
    TimelineForm,
    TransitionForm,
    apply_error,
)
from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    ASSIGNMENT_TRANSITIONS,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Mission,
    MissionStatus,
    Slot,
    SlotRequirement,
)
from renfort.missions.selectors import mission_for_user, missions_visible_to
from renfort.roster.models import Expert, Skill, Topic
from renfort.roster.selectors import experts_visible_to

ALL_ROLES = tuple(Role.values)
SECRETARIAT = Role.SECRETARIAT_COORDINATOR
PAGE_SIZE = 50
# Missions whose open slots lending administrations may still offer experts for.
MATRIX_STATUSES = (MissionStatus.DRAFT, MissionStatus.PLANNED, MissionStatus.SCHEDULED)
# The secretariat moves an assignment along these steps from a mission's page; the expert
# answers invitations and the home administration decides releases on their own pages.
SECRETARIAT_ASSIGNMENT_STEPS = (
    AssignmentStatus.INVITED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.WITHDRAWN,
)
MAX_TIMELINE_DAYS = 731


# --- helpers ---------------------------------------------------------------------------------


def _page(request: AuthedRequest, qs: Any) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _status_order() -> Case:
    return Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(MissionStatus.values)],
        output_field=IntegerField(),
    )


def _active_on_slot() -> Exists:
    return Exists(
        Assignment.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES)
    )


def _overlapping(
    qs: QuerySet[Mission], start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Mission]:
    """Missions whose dates (or, without dates, whose window) meet the period."""
    dated = Q(start__isnull=False)
    windowed = Q(start__isnull=True, window_start__isnull=False)
    if start is not None:
        dated &= Q(end__gte=start)
        windowed &= Q(window_end__gte=start)
    if end is not None:
        dated &= Q(start__lte=end)
        windowed &= Q(window_start__lte=end)
    return qs.filter(dated | windowed)


def _with_open_slots(qs: QuerySet[Mission]) -> QuerySet[Mission]:
    """Annotate ``slot_count`` and ``staffed_count`` (slots with an active assignment).

    Correlated subqueries rather than joins: a paginated list computes them for its page only.
    """
    slots = (
        Slot.objects.filter(mission=OuterRef("pk"))
        .order_by()
        .values("mission")
        .annotate(n=Count("id"))
        .values("n")
    )
    staffed = (
        Assignment.objects.filter(
            slot__mission=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES
        )
        .order_by()
        .values("slot__mission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        slot_count=Coalesce(Subquery(slots, output_field=IntegerField()), 0),
        staffed_count=Coalesce(Subquery(staffed, output_field=IntegerField()), 0),
    )


def _shows_proposals(user: User, expert: Expert) -> bool:
    """Proposals stay with the secretariat, and with the administration that offered them."""
    return user.role == SECRETARIAT or (
        user.role == Role.MEMBER_FOCAL_POINT
        and user.organisation_id is not None
        and expert.home_administration_id == user.organisation_id
    )


def _htmx(request: AuthedRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- the plan --------------------------------------------------------------------------------


def _filter_missions(qs: QuerySet[Mission], data: dict[str, Any]) -> QuerySet[Mission]:
    if data.get("q"):
        qs = qs.filter(Q(reference__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("level"):
        qs = qs.filter(level=data["level"])
    if data.get("region"):
        qs = qs.filter(
            id__in=Mission.objects.filter(beneficiaries__region=data["region"]).values("id")
        )
    topic: Topic | None = data.get("topic")
    if topic is not None:
        qs = qs.filter(
            Q(id__in=Slot.objects.filter(requirements__topic=topic).values("mission_id"))
            | Q(id__in=Mission.objects.filter(requests__topics=topic).values("id"))
        )
    if data.get("period_from") or data.get("period_to"):
        qs = _overlapping(qs, data.get("period_from"), data.get("period_to"))
    return qs


@require_GET
@role_required(*ALL_ROLES)
def mission_list(request: AuthedRequest) -> HttpResponse:
    """The plan: the missions the user may see, by status, filtered and paginated."""
    form = MissionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    missions = _filter_missions(missions_visible_to(request.user), data)
    counts = dict(
        missions.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    if data.get("status"):
        missions = missions.filter(status=data["status"])
    missions = (
        _with_open_slots(missions)
        .annotate(status_order=_status_order())
        .prefetch_related("beneficiaries")
        .order_by("status_order", "start", "window_start", "reference")
    )
    by_status = [(value, label, counts.get(value, 0)) for value, label in MissionStatus.choices]
    context = {
        "form": form,
        "page": _page(request, missions),
        "by_status": by_status,
        "total": sum(counts.values()),
        "current_status": data.get("status", ""),
    }
    template = "missions/mission_list.html"
    if _htmx(request):
        template += "#mission-table"
    return render(request, template, context)


# --- a mission's page ------------------------------------------------------------------------


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


@dataclass
class Pool:
    """Experts offered in a page's forms, with their topic levels (expert -> topic -> level)."""

    experts: list[Expert]
    levels: dict[int, dict[int, int]]


def _pool(qs: QuerySet[Expert] | None = None) -> Pool:
    """The active pool (or part of it), loaded once per page for the assign, swap and offer
    forms: two queries, skills as plain tuples (a page may list hundreds of experts)."""
    active = (Expert.objects.all() if qs is None else qs).filter(active=True)
    experts = list(active.select_related("home_administration").order_by("last_name", "first_name"))
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for expert_id, topic_id, level in Skill.objects.filter(expert__in=active).values_list(
        "expert_id", "topic_id", "level"
    ):
        levels[expert_id][topic_id] = level
    return Pool(experts, levels)


def _candidates(
    slot: Slot,
    pool: Pool,
    beneficiaries: Sequence[Organisation],
    *,
    exclude: int | None = None,
) -> tuple[list[Expert], set[int]]:
    """The experts of the slot's category, and those among them who also meet its topic
    levels and language and come from outside the beneficiaries: listed first in the form.

    A shortlist only: the services check every rule (dates, availability, released days...)
    when the form is sent.
    """
    countries = {b.country for b in beneficiaries if b.country}
    ids = {b.pk for b in beneficiaries}
    requirements = list(slot.requirements.all())
    language = slot.mission.language
    of_category = [e for e in pool.experts if slot.category in e.categories and e.pk != exclude]
    fitting: set[int] = set()
    for e in of_category:
        home = e.home_administration
        if language not in e.languages or home.pk in ids or home.country in countries:
            continue
        levels = pool.levels.get(e.pk, {})
        if all(levels.get(r.topic_id, 0) >= r.level for r in requirements):
            fitting.add(e.pk)
    return of_category, fitting


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
                queryset=Assignment.objects.select_related("expert__home_administration").order_by(
                    "-created_at", "-id"
                ),
            ),
        )
        .order_by("position", "id")
    )
    pool = _pool() if is_secretariat else Pool([], {})
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
                experts, fitting = _candidates(slot, pool, beneficiaries)
                view.assign_form = bound.get(("assign", slot.pk)) or AssignForm(
                    experts=experts, suggested=fitting, auto_id=f"id_assign{slot.pk}_%s"
                )
            else:
                experts, fitting = _candidates(slot, pool, beneficiaries, exclude=current.expert_id)
                view.swap_form = bound.get(("swap", current.pk)) or SwapForm(
                    experts=experts, suggested=fitting, auto_id=f"id_swap{current.pk}_%s"
                )
                allowed = ASSIGNMENT_TRANSITIONS.get(current.status, frozenset())
                view.steps = [
                    (s.value, str(s.label)) for s in SECRETARIAT_ASSIGNMENT_STEPS if s in allowed
                ]
        views.append(view)
    return views


def _visible_assignment_statuses(user: User) -> frozenset[str]:
    if user.role == SECRETARIAT:
        return frozenset(AssignmentStatus.values)
    return frozenset(AssignmentStatus.values) - {AssignmentStatus.PROPOSED}


def _render_detail(
    request: AuthedRequest,
    mission: Mission,
    *,
    bound: dict[tuple[str, int], Any] | None = None,
    transition_form: TransitionForm | None = None,
    dates_form: DatesForm | None = None,
    slot_form: SlotForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_secretariat = user.role == SECRETARIAT
    beneficiaries = list(mission.beneficiaries.order_by("name"))
    context: dict[str, Any] = {
        "mission": mission,
        "requests": mission.requests.order_by("reference"),
        "visible_requests": set(
            requests_visible_to(user).filter(missions=mission).values_list("id", flat=True)
        ),
        "beneficiaries": beneficiaries,
        "slots": _slot_views(request, mission, bound or {}, beneficiaries),
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


@require_GET
@role_required(*ALL_ROLES)
def mission_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A mission: requests, beneficiaries, dates, slots with their assignments, history,
    agreements; the secretariat's actions."""
    return _render_detail(request, mission_for_user(request.user, pk))


def _done(request: AuthedRequest, mission: Mission, message: str) -> HttpResponseBase:
    messages.success(request, message)
    return redirect("missions:mission_detail", pk=mission.pk)


@require_POST
@role_required(SECRETARIAT)
def mission_transition(request: AuthedRequest, pk: int) -> HttpResponseBase:
    mission = mission_for_user(request.user, pk)
    form = TransitionForm(request.POST, current=mission.status)
    if form.is_valid():
        try:
            services.mission_transition(
                mission=mission,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_error(form, exc, "to_status")
        else:
            return _done(
                request,
                mission,
                _("Mission %(ref)s is now %(status)s.")
                % {
                    "ref": mission.reference,
                    "status": MissionStatus(form.cleaned_data["to_status"]).label,
                },
            )
    mission.refresh_from_db()
    return _render_detail(request, mission, transition_form=form)


@require_POST
@role_required(SECRETARIAT)
def mission_set_dates(request: AuthedRequest, pk: int) -> HttpResponseBase:
    mission = mission_for_user(request.user, pk)
    form = DatesForm(request.POST)
    if form.is_valid():
        try:
            services.mission_set_dates(
                mission=mission,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_error(form, exc, None)
        else:
            return _done(request, mission, _("Dates set."))
    mission.refresh_from_db()
    return _render_detail(request, mission, dates_form=form)


@require_POST
@role_required(SECRETARIAT)
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
            apply_error(form, exc, None)
        else:
            return _done(request, mission, _("Slot added."))
    return _render_detail(request, mission, slot_form=form)


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


@require_POST
@role_required(SECRETARIAT)
def slot_remove(request: AuthedRequest, pk: int) -> HttpResponseBase:
    slot = _slot_for_user(request, pk)
    mission = slot.mission
    try:
        services.slot_remove(slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=mission.pk)
    return _done(request, mission, _("Slot removed."))


@require_POST
@role_required(SECRETARIAT)
def assignment_create(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Put an expert in a slot by hand; every rule is checked and the broken one named."""
    slot = _slot_for_user(request, pk)
    mission = slot.mission
    experts, fitting = _candidates(slot, _pool(), list(mission.beneficiaries.all()))
    form = AssignForm(
        request.POST, experts=experts, suggested=fitting, auto_id=f"id_assign{slot.pk}_%s"
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
            apply_error(form, exc, "expert")
        else:
            return _done(
                request,
                mission,
                _("%(expert)s proposed for slot %(slot)s.")
                % {"expert": form.cleaned_data["expert"], "slot": slot.code},
            )
    return _render_detail(request, mission, bound={("assign", slot.pk): form})


@require_POST
@role_required(SECRETARIAT)
def assignment_swap(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Replace the expert of an assignment; every rule is checked for the new one."""
    assignment = _assignment_for_user(request, pk)
    mission = assignment.slot.mission
    experts, fitting = _candidates(
        assignment.slot,
        _pool(),
        list(mission.beneficiaries.all()),
        exclude=assignment.expert_id,
    )
    form = SwapForm(
        request.POST, experts=experts, suggested=fitting, auto_id=f"id_swap{assignment.pk}_%s"
    )
    if form.is_valid():
        try:
            services.assignment_swap(
                assignment=assignment, expert=form.cleaned_data["expert"], by=request.user
            )
        except ValidationError as exc:
            apply_error(form, exc, "expert")
        else:
            return _done(
                request,
                mission,
                _("%(expert)s now holds slot %(slot)s.")
                % {"expert": form.cleaned_data["expert"], "slot": assignment.slot.code},
            )
    return _render_detail(request, mission, bound={("swap", assignment.pk): form})


@require_POST
@role_required(SECRETARIAT)
def assignment_pin(request: AuthedRequest, pk: int) -> HttpResponseBase:
    assignment = _assignment_for_user(request, pk)
    pinned = request.POST.get("pinned") == "1"
    try:
        services.assignment_pin(assignment=assignment, pinned=pinned)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=assignment.slot.mission_id)
    return _done(
        request,
        assignment.slot.mission,
        _("Assignment pinned: the planner keeps it.") if pinned else _("Assignment unpinned."),
    )


@require_POST
@role_required(SECRETARIAT)
def assignment_transition(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Invite, confirm or withdraw an assignment from the mission's page."""
    assignment = _assignment_for_user(request, pk)
    to_status = request.POST.get("to_status", "")
    if to_status not in SECRETARIAT_ASSIGNMENT_STEPS:
        messages.error(request, _("Choose invite, confirm or withdraw."))
        return redirect("missions:mission_detail", pk=assignment.slot.mission_id)
    try:
        services.assignment_transition(
            assignment=assignment,
            to_status=to_status,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:mission_detail", pk=assignment.slot.mission_id)
    return _done(
        request,
        assignment.slot.mission,
        _("Assignment of %(expert)s: %(status)s.")
        % {"expert": assignment.expert, "status": AssignmentStatus(to_status).label},
    )


# --- Experts' Requirement Matrix -------------------------------------------------------------


def open_slots() -> QuerySet[Slot]:
    """Unfilled slots of missions still being staffed."""
    return (
        Slot.objects.filter(mission__status__in=MATRIX_STATUSES)
        .annotate(staffed=_active_on_slot())
        .filter(staffed=False)
    )


def _filter_slots(qs: QuerySet[Slot], data: dict[str, Any]) -> QuerySet[Slot]:
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    topic: Topic | None = data.get("topic")
    if topic is not None:
        qs = qs.filter(requirements__topic=topic)
    if data.get("language"):
        qs = qs.filter(mission__language=data["language"])
    if data.get("region"):
        qs = qs.filter(
            mission_id__in=Mission.objects.filter(beneficiaries__region=data["region"]).values("id")
        )
    if data.get("period_from") or data.get("period_to"):
        missions = _overlapping(
            Mission.objects.all(), data.get("period_from"), data.get("period_to")
        )
        qs = qs.filter(mission_id__in=missions.values("id"))
    return qs


def _offering_pool(user: User) -> Pool:
    """Experts a user may offer: a member focal point its administration's active experts."""
    if user.role != Role.MEMBER_FOCAL_POINT:
        return Pool([], {})
    return _pool(experts_visible_to(user))


@dataclass
class MatrixRow:
    slot: Slot
    form: OfferForm | None


def _matrix_rows(
    slots: Sequence[Slot], pool: Pool, bound: dict[int, OfferForm] | None = None
) -> list[MatrixRow]:
    rows = []
    for slot in slots:
        form = None
        if pool.experts:
            of_category, fitting = _candidates(slot, pool, list(slot.mission.beneficiaries.all()))
            form = (bound or {}).get(slot.pk) or OfferForm(
                experts=of_category, suggested=fitting, auto_id=f"id_offer{slot.pk}_%s"
            )
        rows.append(MatrixRow(slot, form))
    return rows


# Regional coordinators read their region's open slots; only members offer experts.
MATRIX_ROLES = (SECRETARIAT, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT)


@require_GET
@role_required(*MATRIX_ROLES)
def matrix(request: AuthedRequest) -> HttpResponse:
    """The Experts' Requirement Matrix: open slots lending administrations can offer for."""
    form = MatrixFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    slots = _filter_slots(open_slots(), data)
    user = request.user
    if user.role == Role.REGIONAL_COORDINATOR:
        region = user.organisation.region if user.organisation else ""
        slots = slots.filter(
            mission_id__in=Mission.objects.filter(beneficiaries__region=region).values("id")
        )
    slots = (
        slots.select_related("mission")
        .prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
            "mission__beneficiaries",
        )
        .order_by("mission__start", "mission__window_start", "mission__reference", "position")
        .distinct()
    )
    page = _page(request, slots)
    pool = _offering_pool(request.user)
    context = {
        "form": form,
        "page": page,
        "rows": _matrix_rows(list(page.object_list), pool),
        "can_offer": request.user.role == Role.MEMBER_FOCAL_POINT,
        "has_experts": bool(pool.experts),
    }
    template = "missions/matrix.html"
    if _htmx(request):
        template += "#matrix-table"
    return render(request, template, context)


@role_required(Role.MEMBER_FOCAL_POINT)
def matrix_offer(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Offer one of the administration's experts for an open slot (a proposed assignment).

    The secretariat staffs slots from the mission's page instead.
    """
    slot = get_object_or_404(
        open_slots()
        .select_related("mission")
        .prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
            "mission__beneficiaries",
        ),
        pk=pk,
    )
    experts, fitting = _candidates(
        slot, _offering_pool(request.user), list(slot.mission.beneficiaries.all())
    )
    form = OfferForm(
        request.POST or None,
        experts=experts,
        suggested=fitting,
        auto_id=f"id_offer{slot.pk}_%s",
    )
    if request.method == "POST" and form.is_valid():
        expert = form.cleaned_data["expert"]
        try:
            services.assignment_create(
                slot=slot,
                expert=expert,
                source=AssignmentSource.MANUAL,
                status=AssignmentStatus.PROPOSED,
                explanation=_("Offered by %(org)s through the Experts' Requirement Matrix.")
                % {"org": request.user.organisation},
                by=request.user,
            )
        except ValidationError as exc:
            apply_error(form, exc, "expert")
        else:
            message = _("%(expert)s offered for %(slot)s; the secretariat will consider it.") % {
                "expert": expert,
                "slot": slot.code,
            }
            if _htmx(request):
                return render(
                    request,
                    "missions/matrix.html#matrix-offered",
                    {"slot": slot, "message": message},
                )
            messages.success(request, message)
            return redirect("missions:matrix")
    context = {"slot": slot, "form": form, "row": MatrixRow(slot, form), "can_offer": True}
    if _htmx(request):
        return render(request, "missions/matrix.html#matrix-row", context)
    return render(request, "missions/matrix_offer.html", context)


# --- calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarScope:
    """Optional narrowing of a calendar: one region, one member (beneficiary), one expert.

    Always inside what the user may see: the selector comes first.
    """

    region: str = ""
    member: int | None = None
    expert: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> CalendarScope:
        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        region = params.get("region", "")
        return cls(
            region=region if region in Region.values else "",
            member=number("member"),
            expert=number("expert"),
        )

    def apply(self, qs: QuerySet[Mission]) -> QuerySet[Mission]:
        if self.region:
            qs = qs.filter(
                id__in=Mission.objects.filter(beneficiaries__region=self.region).values("id")
            )
        if self.member is not None:
            qs = qs.filter(
                id__in=Mission.objects.filter(beneficiaries__id=self.member).values("id")
            )
        if self.expert is not None:
            qs = qs.filter(
                id__in=Assignment.objects.filter(
                    expert_id=self.expert, status__in=ACTIVE_ASSIGNMENT_STATUSES
                ).values("slot__mission_id")
            )
        return qs


def _calendar_missions(
    user: User, start: datetime.date, end: datetime.date, scope: CalendarScope
) -> QuerySet[Mission]:
    qs = _overlapping(missions_visible_to(user), start, end).exclude(status=MissionStatus.CANCELLED)
    return scope.apply(qs)


def _mission_rows(qs: QuerySet[Mission]) -> list[cal.MissionRow]:
    rows = qs.annotate(
        slot_count=Count("slots", distinct=True),
        staffed_count=Count(
            "slots__assignments",
            filter=Q(slots__assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES),
            distinct=True,
        ),
    ).values(
        "id",
        "reference",
        "title",
        "status",
        "start",
        "end",
        "window_start",
        "window_end",
        "slot_count",
        "staffed_count",
    )
    return [
        cal.MissionRow(
            id=r["id"],
            reference=r["reference"],
            title=r["title"],
            status=r["status"],
            start=r["start"],
            end=r["end"],
            window_start=r["window_start"],
            window_end=r["window_end"],
            open_slots=max(r["slot_count"] - r["staffed_count"], 0),
        )
        for r in rows
    ]


def _assignment_rows(user: User, missions: QuerySet[Mission]) -> list[cal.AssignmentRow]:
    qs = Assignment.objects.filter(
        slot__mission_id__in=missions.values("id"), status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    if user.role == Role.EXPERT:
        qs = qs.filter(expert__user=user)
    elif user.role == Role.MEMBER_FOCAL_POINT:
        qs = qs.filter(
            ~Q(status=AssignmentStatus.PROPOSED) | Q(expert__home_administration=user.organisation)
        )
    elif user.role != SECRETARIAT:
        qs = qs.exclude(status=AssignmentStatus.PROPOSED)
    values = qs.values(
        "id", "slot__mission_id", "expert_id", "expert__first_name", "expert__last_name", "status"
    )
    return [
        cal.AssignmentRow(
            id=v["id"],
            mission_id=v["slot__mission_id"],
            expert_id=v["expert_id"],
            expert_name=f"{v['expert__first_name']} {v['expert__last_name']}",
            status=v["status"],
        )
        for v in values
    ]


def _groups(
    missions: QuerySet[Mission],
) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[tuple[str, str]]]]:
    """Each mission's beneficiaries and their regions, as (key, label) pairs."""
    through = Mission.beneficiaries.through.objects.filter(
        mission_id__in=missions.values("id")
    ).values("mission_id", "organisation_id", "organisation__name", "organisation__region")
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    regions: dict[int, list[tuple[str, str]]] = defaultdict(list)
    labels = dict(Region.choices)
    for row in through.order_by("organisation__name"):
        mid = row["mission_id"]
        members[mid].append((f"o{row['organisation_id']}", row["organisation__name"]))
        code = row["organisation__region"] or "-"
        pair = (f"r{code}", str(labels.get(code, _("No region"))))
        if pair not in regions[mid]:
            regions[mid].append(pair)
    return members, regions


@require_GET
@role_required(*ALL_ROLES)
def timeline(request: AuthedRequest) -> HttpResponse:
    """Missions over a period, one row per expert, member or region; conflicts and unstaffed
    slots stand out."""
    today = timezone.localdate()
    default_group = (
        cal.GROUP_BY_MEMBER if request.user.role == Role.DONOR_FOCAL_POINT else cal.GROUP_BY_EXPERT
    )
    params = request.GET.copy()
    params.setdefault("group", default_group)
    form = TimelineForm(params)
    data = form.cleaned_data if form.is_valid() else {}
    default_start, default_end = cal.default_period(today)
    start = data.get("period_from") or default_start
    end = data.get("period_to") or (
        cal.add_months(start, 3) - datetime.timedelta(days=1)
        if data.get("period_from")
        else default_end
    )
    if end < start:
        start, end = default_start, default_end
    if (end - start).days >= MAX_TIMELINE_DAYS:
        end = start + datetime.timedelta(days=MAX_TIMELINE_DAYS - 1)
        messages.info(request, _("The timeline shows at most two years at a time."))
    group = data.get("group") or default_group
    span = end - start + datetime.timedelta(days=1)
    scope = CalendarScope.from_query(request.GET)
    missions = _calendar_missions(request.user, start, end, scope)
    mission_rows = _mission_rows(missions)
    assignments = _assignment_rows(request.user, missions)
    members, regions = _groups(missions) if group != cal.GROUP_BY_EXPERT else ({}, {})
    result = cal.build_timeline(
        start=start,
        end=end,
        group_by=group,
        missions=mission_rows,
        assignments=assignments,
        beneficiaries=members,
        regions=regions,
        travel_days=settings.PLANNER_TRAVEL_DAYS,
        unstaffed_label=_("Unstaffed slots"),
    )
    context = {
        "form": form,
        "timeline": result,
        "group": group,
        "groupings": [
            (cal.GROUP_BY_EXPERT, _("Expert"), _("By expert")),
            (cal.GROUP_BY_MEMBER, _("Member"), _("By member")),
            (cal.GROUP_BY_REGION, _("Region"), _("By region")),
        ],
        "today_left": cal.place((today, today), start, end)[0] if start <= today <= end else None,
        "scope": scope,
        "earlier": (start - span, start - datetime.timedelta(days=1)),
        "later": (end + datetime.timedelta(days=1), end + span),
    }
    return render(request, "missions/timeline.html", context)


@require_GET
@role_required(*ALL_ROLES)
def month_calendar(request: AuthedRequest) -> HttpResponse:
    """A month of missions, one table row per week, with links to the months around it."""
    today = timezone.localdate()
    year, month = cal.parse_month(request.GET.get("month", ""), today)
    scope = CalendarScope.from_query(request.GET)
    weeks_span = cal.month_grid(year, month)
    first, last = weeks_span[0][0], weeks_span[-1][-1]
    missions = _calendar_missions(request.user, first, last, scope)
    rows = _mission_rows(missions)
    assignments = _assignment_rows(request.user, missions)
    clashing = cal.conflicting_assignments(
        assignments, {m.id: m for m in rows}, settings.PLANNER_TRAVEL_DAYS
    )
    month_start, month_end = cal.month_bounds(year, month)
    windowed = [
        m
        for m in rows
        if not m.has_dates and m.span is not None and cal.overlaps(m.span, (month_start, month_end))
    ]
    previous = cal.add_months(month_start, -1)
    following = cal.add_months(month_start, 1)
    context = {
        "weeks": cal.month_view(year, month, rows),
        "month_start": month_start,
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "following": f"{following.year:04d}-{following.month:02d}",
        "this_month": f"{today.year:04d}-{today.month:02d}",
        "today": today,
        "windowed": windowed,
        "region": scope.region,
        "scope": scope,
        "regions": Region.choices,
        "weekdays": weeks_span[0],
        "conflicts": {a.mission_id for a in assignments if a.id in clashing},
    }
    return render(request, "missions/calendar.html", context)
