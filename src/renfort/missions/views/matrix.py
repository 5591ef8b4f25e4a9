"""The Experts' Requirement Matrix: the open slots of missions still being staffed, where a
member focal point offers one of the administration's experts (a proposed assignment) and the
regional coordinators read their region's needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.accounts.permissions import role_required
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.missions import services
from renfort.missions.candidates import (
    Pool,
    bookings_since,
    candidates,
    expert_pool,
    slot_candidates,
)
from renfort.missions.eligibility import Exclusions, crew_of, exclusions_of
from renfort.missions.forms import MatrixFilterForm, OfferForm
from renfort.missions.models import (
    EDITABLE_MISSION_STATUSES,
    Assignment,
    Mission,
    Slot,
    SlotOffer,
    SlotRequirement,
)
from renfort.missions.selectors import missions_in_period
from renfort.missions.views.common import SECRETARIAT, paginate
from renfort.roster.models import Topic
from renfort.roster.selectors import experts_visible_to

# Regional coordinators read their region's open slots; only members offer experts.
MATRIX_ROLES = (SECRETARIAT, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT)


def _active_on_slot() -> Exists:
    return Exists(Assignment.objects.active().filter(slot=OuterRef("pk")))


def open_slots() -> QuerySet[Slot]:
    """Unfilled slots of missions not yet confirmed: lending administrations may still offer
    experts for them."""
    return (
        Slot.objects.filter(mission__status__in=EDITABLE_MISSION_STATUSES)
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
        missions = missions_in_period(
            Mission.objects.all(), data.get("period_from"), data.get("period_to")
        )
        qs = qs.filter(mission_id__in=missions.values("id"))
    return qs


def _offering_pool(user: User, slots: Sequence[Slot]) -> Pool:
    """Experts a user may offer for ``slots``: a member focal point its administration's
    active experts, with their bookings from the slots' first year on."""
    if user.role != Role.MEMBER_FOCAL_POINT or not slots:
        return Pool()
    return expert_pool(experts_visible_to(user), since=bookings_since(slots))


@dataclass
class MatrixRow:
    slot: Slot
    form: OfferForm | None
    # The open offers the user may see on the slot: who offered whom.
    offers: Sequence[SlotOffer] = ()


def _open_offers(user: User) -> Prefetch:
    """The slots' waiting offers the user may see: all for the secretariat and the regional
    coordinators (their region's slots only reach them), their own for a member."""
    offers = SlotOffer.objects.filter(assignment__isnull=True).select_related(
        "expert", "organisation"
    )
    if user.role == Role.MEMBER_FOCAL_POINT:
        offers = offers.filter(organisation_id=user.organisation_id or 0)
    return Prefetch("offers", queryset=offers, to_attr="open_offers")


def _matrix_rows(
    slots: Sequence[Slot], pool: Pool, bound: dict[int, OfferForm] | None = None
) -> list[MatrixRow]:
    rows = []
    mission_ids = {s.mission_id for s in slots}
    crews = crew_of(mission_ids) if pool.experts else {}
    excluded = exclusions_of(mission_ids) if pool.experts else Exclusions()
    for slot in slots:
        form = None
        if pool.experts:
            of_category, fitting = candidates(
                slot,
                pool,
                beneficiaries=slot.mission.beneficiaries.all(),
                crew=crews.get(slot.mission_id, []),
                excluded=excluded,
            )
            form = (bound or {}).get(slot.pk) or OfferForm(
                experts=of_category, suggested=fitting, auto_id=f"id_offer{slot.pk}_%s"
            )
        rows.append(MatrixRow(slot, form, getattr(slot, "open_offers", [])))
    return rows


@role_required(*MATRIX_ROLES)
@require_GET
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
            _open_offers(user),
        )
        .order_by("mission__start", "mission__window_start", "mission__reference", "position")
        .distinct()
    )
    page = paginate(request, slots)
    shown = list(page.object_list)
    pool = _offering_pool(request.user, shown)
    context = {
        "form": form,
        "page": page,
        "rows": _matrix_rows(shown, pool),
        "can_offer": request.user.role == Role.MEMBER_FOCAL_POINT,
        "can_assign": request.user.role == SECRETARIAT,
        "has_experts": bool(pool.experts) or not shown,
    }
    template = "missions/matrix.html"
    if is_htmx(request):
        template += "#matrix-table"
        # Only the table is swapped in: the filter's errors (which name their field) with it.
        context["filter_errors"] = [m for errors in form.errors.values() for m in errors]
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
    experts, fitting = slot_candidates(slot, _offering_pool(request.user, [slot]))
    form = OfferForm(
        request.POST or None,
        experts=experts,
        suggested=fitting,
        auto_id=f"id_offer{slot.pk}_%s",
    )
    if request.method == "POST" and form.is_valid():
        expert = form.cleaned_data["expert"]
        try:
            services.slot_offer_add(slot=slot, expert=expert, by=request.user)
        except ValidationError as exc:
            add_service_error(form, exc, default="expert")
        else:
            message = _("%(expert)s offered for %(slot)s; the secretariat will consider it.") % {
                "expert": expert,
                "slot": slot.code,
            }
            if is_htmx(request):
                return render(
                    request,
                    "missions/matrix.html#matrix-offered",
                    {"slot": slot, "message": message},
                )
            messages.success(request, message)
            return redirect("missions:matrix")
    context = {"slot": slot, "form": form, "row": MatrixRow(slot, form), "can_offer": True}
    if is_htmx(request):
        return render(request, "missions/matrix.html#matrix-row", context)
    return render(request, "missions/matrix_offer.html", context)


@role_required(SECRETARIAT)
@require_POST
def matrix_assign(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Assign an offered expert to the slot in one click (a proposal; every rule checked)."""
    offer = get_object_or_404(
        SlotOffer.objects.select_related("slot__mission", "expert"), pk=pk, assignment=None
    )
    try:
        services.slot_offer_assign(offer=offer, by=request.user)
    except ValidationError as exc:
        messages.error(
            request,
            _("%(expert)s cannot be assigned to slot %(slot)s: %(why)s")
            % {"expert": offer.expert, "slot": offer.slot.code, "why": " ".join(exc.messages)},
        )
    else:
        messages.success(
            request,
            _("%(expert)s proposed for slot %(slot)s, as %(org)s offered.")
            % {"expert": offer.expert, "slot": offer.slot.code, "org": offer.organisation},
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("missions:matrix")
