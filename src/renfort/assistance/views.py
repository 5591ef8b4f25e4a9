"""Requests for assistance: submitting and following them (members), seeing them (regions,
donors), and appraising them (the secretariat)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.assistance import services
from renfort.assistance.change_services import request_change_refusal
from renfort.assistance.consultation_selectors import attach_consultations
from renfort.assistance.consultation_views import consultation_panel
from renfort.assistance.forms import MergeForm, RequestFilterForm, RequestForm
from renfort.assistance.models import (
    APPRAISAL_REQUEST_STATUSES,
    ENDED_REQUEST_STATUSES,
    Request,
    RequestStatus,
    RequestStatusChange,
)
from renfort.assistance.selectors import (
    duplicate_request_ids,
    request_duplicates,
    request_for_user,
    requests_visible_to,
)
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.missions import selectors as mission_selectors
from renfort.missions import services as mission_services
from renfort.missions.models import Mission, MissionStatus
from renfort.missions.selectors import missions_visible_to

SEES_REQUESTS = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50
# Possible duplicates named on a queue row, and on a request's page (docs/ui.md, "Long lists").
QUEUE_DUPLICATES_SHOWN = 3
DUPLICATES_SHOWN = 20


# --- every role that sees requests ----------------------------------------------------------


@role_required(*SEES_REQUESTS)
def request_list(request: AuthedRequest) -> HttpResponse:
    """The requests the user may see (their administration's, region's, funded or all),
    filtered by status, level, topic and (for those who see several regions) region."""
    filters = RequestFilterForm(
        request.GET or None,
        with_region=request.user.role in (Role.SECRETARIAT_COORDINATOR, Role.DONOR_FOCAL_POINT),
    )
    requests = filters.apply(
        requests_visible_to(request.user)
        .select_related("focal_point")
        .prefetch_related("administrations", "topics")
        .order_by("-created_at", "-id")
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/request_list.html",
        {
            "filters": filters,
            "page": page,
            "can_submit": request.user.role == Role.MEMBER_FOCAL_POINT,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@role_required(*SEES_REQUESTS)
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One request: what it asks, its status history and the missions that answer it."""
    req = request_for_user(request.user, pk)
    return render(request, "assistance/request_detail.html", _detail_context(request, req))


def _detail_context(request: AuthedRequest, req: Request) -> dict[str, Any]:
    user = request.user
    history = RequestStatusChange.objects.filter(request=req).select_related("by")
    # A focal point sees every mission answering its request; others only those they may see.
    missions = Mission.objects.filter(requests=req).prefetch_related("beneficiaries")
    if user.role != Role.MEMBER_FOCAL_POINT:
        missions = missions.filter(pk__in=missions_visible_to(user).values("pk"))
    rows = []
    for mission in missions.order_by("start", "window_start", "reference"):
        beneficiary_ids = {org.pk for org in mission.beneficiaries.all()}
        rows.append(
            {
                "mission": mission,
                "url": reverse("missions:mission_detail", args=[mission.pk]),
                "can_confirm": (
                    user.role == Role.MEMBER_FOCAL_POINT
                    and user.organisation_id in beneficiary_ids
                    and mission.status == MissionStatus.SCHEDULED
                ),
            }
        )
    duplicates: list[Request] = []
    if user.role in (Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR) and (
        req.status not in ENDED_REQUEST_STATUSES
    ):
        duplicates = list(
            request_duplicates(request=req)
            .filter(pk__in=requests_visible_to(user).values("pk"))
            .order_by("created_at", "id")[: DUPLICATES_SHOWN + 1]
        )
    return {
        **consultation_panel(user, req),
        "req": req,
        # The requesting administration may still change or withdraw it.
        "can_change": user.role == Role.MEMBER_FOCAL_POINT
        and request_change_refusal(request=req, by=user) is None,
        "duplicates": duplicates[:DUPLICATES_SHOWN],
        "more_duplicates": len(duplicates) > DUPLICATES_SHOWN,
        "administrations": list(req.administrations.all()),
        "topics": list(req.topics.all()),
        "history": history,
        "missions": rows,
        "in_queue": user.role == Role.SECRETARIAT_COORDINATOR
        and (
            req.status in APPRAISAL_REQUEST_STATUSES
            or (req.status == RequestStatus.ACCEPTED and not rows)
        ),
    }


# --- member focal point ---------------------------------------------------------------------


@role_required(Role.MEMBER_FOCAL_POINT)
@require_http_methods(["GET", "POST"])
def request_create(request: AuthedRequest) -> HttpResponse:
    """Submit a request for assistance for the user's administration (and co-requesters)."""
    organisation = request.user.organisation
    if organisation is None:
        raise Http404("No administration.")
    form = RequestForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.request_submit(
                by=request.user,
                title=data["title"],
                administrations=form.administrations(),
                topics=list(data["topics"]),
                level=data["level"],
                needs=data["needs"],
                preferred_start=data["preferred_start"],
                preferred_end=data["preferred_end"],
                language=data["language"],
                priority=data["priority"],
            )
        except ValidationError as error:
            add_service_error(form, error, aliases={"administrations": "co_requesting"})
        else:
            messages.success(
                request,
                _("Request %(reference)s submitted.") % {"reference": req.reference},
            )
            return redirect("assistance:request_detail", pk=req.pk)
    return render(request, "assistance/request_form.html", {"form": form})


@role_required(Role.MEMBER_FOCAL_POINT)
@require_POST
def mission_confirm(request: AuthedRequest, pk: int, mission_pk: int) -> HttpResponse:
    """Confirm the dates the secretariat proposed for a mission answering the request."""
    req = request_for_user(request.user, pk)
    mission = get_object_or_404(
        Mission.objects.filter(requests=req, beneficiaries=request.user.organisation).distinct(),
        pk=mission_pk,
    )
    try:
        mission_services.mission_transition(
            mission=mission,
            to_status=MissionStatus.CONFIRMED,
            by=request.user,
            note_code="mission.dates_confirmed_by_beneficiary",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You confirmed the dates of mission %(reference)s.")
            % {"reference": mission.reference},
        )
    if is_htmx(request):
        return render(
            request,
            "assistance/request_detail.html#missions",
            _detail_context(request, req),
        )
    return redirect("assistance:request_detail", pk=req.pk)


# --- secretariat: the appraisal queue -------------------------------------------------------


def _queue() -> QuerySet[Request]:
    """Requests waiting for the secretariat (``missions.selectors.appraisal_queue``)."""
    return (
        mission_selectors.appraisal_queue()
        .select_related("focal_point")
        .prefetch_related("administrations", "topics")
    )


def attach_duplicates(rows: list[Request]) -> None:
    """Set ``possible_duplicates`` on each request of a page (a bounded number of queries)."""
    dupes = duplicate_request_ids(rows)
    wanted = {pk for ids in dupes.values() for pk in ids[:QUEUE_DUPLICATES_SHOWN]}
    found = {
        r.pk: r for r in Request.objects.filter(pk__in=wanted).only("pk", "reference", "status")
    }
    for r in rows:
        ids = dupes.get(r.pk, [])
        # A few on the row; the request's page lists more (bounded too).
        r.possible_duplicates = [  # type: ignore[attr-defined]
            found[pk] for pk in ids[:QUEUE_DUPLICATES_SHOWN] if pk in found
        ]
        r.more_duplicates = max(len(ids) - QUEUE_DUPLICATES_SHOWN, 0)  # type: ignore[attr-defined]


@role_required(Role.SECRETARIAT_COORDINATOR)
def appraisal_queue(request: AuthedRequest) -> HttpResponse:
    """Requests to appraise (oldest most urgent first), with possible duplicates flagged."""
    return _queue_page(request, MergeForm(queue=_queue()))


def _queue_page(request: AuthedRequest, merge_form: MergeForm) -> HttpResponse:
    queue = _queue().order_by("-priority", "created_at", "id")
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    attach_duplicates(rows)
    attach_consultations(rows)
    return render(
        request,
        "assistance/appraisal_queue.html",
        {
            "page": page,
            "rows": rows,
            "merge_form": merge_form,
            "selected": _selected_ids(request),
        },
    )


def _row(request: AuthedRequest, req: Request, **extra: Any) -> HttpResponse:
    """The queue row of ``req`` (after an htmx action)."""
    fresh = (
        Request.objects.select_related("focal_point")
        .prefetch_related("administrations", "topics")
        .get(pk=req.pk)
    )
    attach_duplicates([fresh])
    attach_consultations([fresh])
    return render(request, "assistance/appraisal_queue.html#queue-row", {"r": fresh, **extra})


def _selected_ids(request: AuthedRequest) -> set[int]:
    return {int(v) for v in request.POST.getlist("requests") if v.isdigit()}


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def request_appraise(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start appraising a submitted request."""
    req = get_object_or_404(_queue(), pk=pk)
    try:
        services.request_transition(
            request=req, to_status=RequestStatus.UNDER_APPRAISAL, by=request.user
        )
    except ValidationError as error:
        return _refused(request, req, error)
    if is_htmx(request):
        return _row(request, req)
    messages.success(request, _("%(reference)s is under appraisal.") % {"reference": req.reference})
    return redirect("assistance:appraisal_queue")


def _back(request: AuthedRequest, req: Request) -> str:
    """Where cancelling a confirmation leads: the page the action was asked from."""
    if request.POST.get("from") == "detail":
        return reverse("assistance:request_detail", args=[req.pk])
    return reverse("assistance:appraisal_queue")


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def request_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    """Accept a request (after confirming: it cannot be declined afterwards); a draft mission
    with suggested slots is made from it. An accepted request without a mission yet gets one
    at once."""
    req = get_object_or_404(_queue(), pk=pk)
    if req.status in APPRAISAL_REQUEST_STATUSES:
        step = confirmation(
            request,
            title=_("Accept request %(reference)s · %(title)s?")
            % {"reference": req.reference, "title": req.title},
            consequence=_(
                "A draft mission with suggested slots is made from it, and the requesting "
                "administrations are told. An accepted request can no longer be declined."
            ),
            action=_("Accept the request"),
            cancel_url=_back(request, req),
            danger=False,
        )
        if step.page is not None:
            return step.page
    try:
        mission = _accept([req], request)
    except ValidationError as error:
        return _refused(request, req, error)
    url = reverse("missions:mission_detail", args=[mission.pk])
    if is_htmx(request):
        return _row(request, req, new_mission=mission, new_mission_url=url)
    messages.success(
        request,
        _("%(request)s accepted: draft mission %(mission)s created.")
        % {"request": req.reference, "mission": mission.reference},
    )
    return redirect(url)


def _accept(requests: list[Request], request: AuthedRequest) -> Mission:
    """Accept the requests still in appraisal, then make one draft mission answering them."""
    return mission_services.requests_accept(requests=requests, by=request.user)


def _refused(request: AuthedRequest, req: Request, error: ValidationError) -> HttpResponse:
    if is_htmx(request):
        return _row(request, req, row_error=" ".join(error.messages))
    messages.error(request, " ".join(error.messages))
    return redirect("assistance:appraisal_queue")


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_http_methods(["GET", "POST"])
def request_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    """Decline a request, after confirming, with a reason the requesting administration
    reads."""
    req = get_object_or_404(_queue().filter(status__in=APPRAISAL_REQUEST_STATUSES), pk=pk)
    step = confirmation(
        request,
        title=_("Decline request %(reference)s · %(title)s?")
        % {"reference": req.reference, "title": req.title},
        consequence=_(
            "The requesting administrations are told, with your reason. A declined request "
            "cannot be reopened."
        ),
        action=_("Decline the request"),
        cancel_url=_back(request, req),
        reason="required",
        reason_label=_("Reason for declining (the requesting administrations read it)"),
    )
    if step.page is not None:
        return step.page
    try:
        services.request_decline(request=req, by=request.user, reason=step.reason)
    except ValidationError as error:
        return _refused(request, req, error)
    messages.success(request, _("%(reference)s declined.") % {"reference": req.reference})
    return redirect("assistance:appraisal_queue")


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def requests_merge(request: AuthedRequest) -> HttpResponseBase:
    """Merge several requests from the queue into one regional mission."""
    form = MergeForm(request.POST, queue=_queue())
    if form.is_valid():
        chosen = list(form.cleaned_data["requests"])
        count = len(chosen)
        step = confirmation(
            request,
            title=ngettext(
                "Merge %(count)d request into one regional mission?",
                "Merge %(count)d requests into one regional mission?",
                count,
            )
            % {"count": count},
            consequence=_(
                "%(refs)s: those still in appraisal are accepted (they can no longer be "
                "declined) and one draft regional mission answers them all. The requesting "
                "administrations are told."
            )
            % {"refs": ", ".join(r.reference for r in chosen)},
            action=ngettext("Merge %(count)d request", "Merge %(count)d requests", count)
            % {"count": count},
            cancel_url=reverse("assistance:appraisal_queue"),
            danger=False,
        )
        if step.page is not None:
            return step.page
        try:
            mission = _accept(chosen, request)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)d requests merged into mission %(mission)s.")
                % {"count": count, "mission": mission.reference},
            )
            return redirect("missions:mission_detail", pk=mission.pk)
    return _queue_page(request, form)
