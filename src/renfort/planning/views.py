"""The planner from the browser: start a run, watch it, review and act on its proposal,
and the pool gaps of the whole plan (stored by a background refresh).

Runs belong to the secretariat: every run page is for secretariat coordinators only (another
role gets 403; a run that does not exist answers 404). The pool gaps page is also open to
regional coordinators, member focal points (as lending administrations) and donor focal
points, who all see the same profiles (mission references only of missions they may see);
experts get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error
from renfort.missions.forms import SlotForm
from renfort.missions.selectors import mission_for_user
from renfort.planning import review_selectors, selectors, services
from renfort.planning.charts import progress_chart
from renfort.planning.forms import RunCreateForm, SwapForm
from renfort.planning.gap_refresh import pool_gaps_refresh_request
from renfort.planning.gap_selectors import pool_gaps_page
from renfort.planning.models import PlannerRunStatus
from renfort.planning.outlook import mission_outlooks
from renfort.planning.problem import plannable_missions
from renfort.planning.relaxation_requests import outlooks_for_page, relaxations_request
from renfort.planning.slot_counts import slot_form_counts
from renfort.roster.models import Topic

SECRETARIAT = Role.SECRETARIAT_COORDINATOR
GAP_ROLES = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
PAGE_SIZE = 25
FINISHED = (PlannerRunStatus.DONE, PlannerRunStatus.FAILED)


def review_query(data: QueryDict) -> str:
    """The review page's search and pages from ``data``, as a query string to go back to."""
    kept = QueryDict(mutable=True)
    for key in ("q", "page", "unstaffed"):
        value = str(data.get(key, "")).strip()[:100]
        if value and (key == "q" or value.isdigit()):
            kept[key] = value
    return kept.urlencode()


@role_required(SECRETARIAT)
@require_GET
def run_list(request: AuthedRequest) -> HttpResponse:
    """Planner runs, newest first, with their outcome (plans themselves are not loaded);
    ``?waiting=1``: only those waiting for review (as the secretariat's home page counts
    them), each with how many proposals are still open."""
    waiting = request.GET.get("waiting") == "1"
    runs = selectors.runs_with_outcome()
    open_proposals: dict[int, int] = {}
    if waiting:
        found = selectors.runs_waiting_for_review()
        open_proposals = {run.pk: run.open_proposals for run in found}  # type: ignore[attr-defined]
        runs = runs.filter(pk__in=list(open_proposals))
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    for run in page.object_list:
        run.open_proposals = open_proposals.get(run.pk)
    return render(
        request,
        "planner/run_list.html",
        {
            "page": page,
            "waiting": waiting,
            "query": "waiting=1" if waiting else "",
            "review_days": selectors.REVIEW_DAYS,
        },
    )


@role_required(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def run_create(request: AuthedRequest) -> HttpResponseBase:
    """Choose missions and/or a period and a time limit; the run goes to the worker."""
    form = RunCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.planner_run_start(
                by=request.user,
                missions=form.cleaned_data["missions"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                time_limit_s=form.cleaned_data["time_limit_s"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("planner:run_detail", pk=run.pk)
    return render(
        request,
        "planner/run_form.html",
        {"form": form, "plannable": plannable_missions().count()},
    )


@role_required(SECRETARIAT)
@require_GET
def run_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Progress while the run works (htmx polls the partial), then the proposal to review."""
    run = selectors.run_for_user(request.user, pk, with_problem=False)
    running = run.status not in FINISHED
    if getattr(request, "htmx", False):
        if not running:
            return HttpResponseClientRefresh()  # the review needs the whole page
        return render(
            request,
            "planner/run_detail.html#progress",
            {
                "run": run,
                "chart": progress_chart(run),
                "running": running,
                "stalled": selectors.run_is_stalled(run),
            },
        )
    found = None
    if run.status == PlannerRunStatus.DONE:
        found = review_selectors.run_review_page(
            run,
            page=request.GET.get("page"),
            unstaffed_page=request.GET.get("unstaffed"),
            query=request.GET.get("q", ""),
        )
    context = {
        "run": run,
        "running": running,
        "stalled": selectors.run_is_stalled(run),
        "chart": progress_chart(run),
        "found": found,
        "review": found.review if found else None,
        "failure": review_selectors.run_failure(run)
        if run.status == PlannerRunStatus.FAILED
        else [],
        "previous_run": run.plan.get("previous_run"),
    }
    review = context["review"]
    if review is not None:
        # Who could staff each unstaffed mission, and what it would take.
        ids = [mr.mission.pk for mr in review.unstaffed if mr.mission is not None]
        outlooks = outlooks_for_page(ids, ask=True) if ids else {}
        for mr in review.unstaffed:
            mr.outlook = outlooks.get(mr.mission.pk) if mr.mission is not None else None
    return render(request, "planner/run_detail.html", context)


@role_required(SECRETARIAT)
@require_GET
def slot_counts(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """How many experts the slot being defined on the mission's page would find: the add-slot
    form asks (htmx) on each change and shows the answer under its fields. Without JavaScript
    the counts come with the page drawn again after a refused submit."""
    mission = mission_for_user(request.user, pk)
    form = SlotForm(request.GET, topics=list(Topic.objects.order_by("name")))
    counts = slot_form_counts(mission, form)
    return render(request, "planner/_slot_counts.html", {"slot_counts": counts})


@role_required(SECRETARIAT)
@require_POST
def mission_relaxations(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Ask for what it would take to staff the mission (computed in the background); back to
    the run page it was asked from, else the mission's page."""
    mission = mission_for_user(request.user, pk)
    outlook = mission_outlooks([mission.pk])[mission.pk]
    if relaxations_request(outlook):
        messages.success(request, _("What it would take is being computed."))
    run = request.POST.get("run", "")
    if run.isdigit():
        return redirect("planner:run_detail", pk=int(run))
    return redirect("missions:mission_detail", pk=mission.pk)


@role_required(SECRETARIAT)
@require_POST
def run_accept(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Accept all or the ticked proposals: they become invitations."""
    run = selectors.run_for_user(request.user, pk)
    acceptable = (
        review_selectors.open_proposal_codes(run) if run.status == PlannerRunStatus.DONE else set()
    )
    codes = sorted(acceptable) if "all" in request.POST else request.POST.getlist("slots")
    if not codes:
        messages.error(request, _("Tick the proposals to accept, or accept all."))
        return redirect("planner:run_detail", pk=run.pk)
    n = len(acceptable.intersection(codes)) or len(codes)
    step = confirmation(
        request,
        title=ngettext("Accept %(n)d proposal?", "Accept %(n)d proposals?", n) % {"n": n},
        consequence=ngettext(
            "%(n)d expert will be invited; the expert and their home administration will be "
            "told, and the administration asked for the release.",
            "%(n)d experts will be invited; the experts and their home administrations will be "
            "told, and the administrations asked for the release.",
            n,
        )
        % {"n": n},
        action=ngettext("Accept %(n)d proposal", "Accept %(n)d proposals", n) % {"n": n},
        cancel_url=reverse("planner:run_detail", args=[run.pk]),
        danger=False,
    )
    if step.page is not None:
        return step.page
    try:
        created, refused = services.proposals_accept(run=run, slot_codes=codes, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planner:run_detail", pk=run.pk)
    if created:
        messages.success(
            request,
            ngettext(
                "%(n)d expert invited; the home administration is asked for the release.",
                "%(n)d experts invited; their home administrations are asked for the release.",
                len(created),
            )
            % {"n": len(created)},
        )
    for code, why in sorted(refused.items()):
        messages.error(
            request,
            _("%(slot)s not accepted: %(why)s") % {"slot": selectors.slot_label(code), "why": why},
        )
    return redirect("planner:run_detail", pk=run.pk)


@role_required(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def run_swap(request: AuthedRequest, pk: int, slot: str) -> HttpResponseBase:
    """Put another expert in a proposal; every rule is checked before it is saved."""
    run = selectors.run_for_user(request.user, pk)
    try:
        entry, proposal = selectors.proposal_for_slot(run, slot)
        candidates = selectors.swap_candidates(run=run, slot_code=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planner:run_detail", pk=run.pk)
    form = SwapForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_swap(run=run, slot_code=slot, expert=form.chosen, by=request.user)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(slot)s now proposes %(who)s.")
                % {"slot": selectors.slot_label(slot), "who": form.chosen},
            )
            return redirect("planner:run_detail", pk=run.pk)
    context = {
        "run": run,
        "slot": slot,
        "slot_name": selectors.slot_label(slot),
        "start": selectors.date_or_none(entry.get("start")),
        "end": selectors.date_or_none(entry.get("end")),
        "entry": entry,
        "proposal": proposal,
        "why": review_selectors.explanation_text(proposal),
        "form": form,
    }
    return render(request, "planner/swap.html", context)


@role_required(SECRETARIAT)
@require_POST
def run_pin(request: AuthedRequest, pk: int, slot: str) -> HttpResponseBase:
    """Pin (or unpin) a proposal so that a re-run keeps it."""
    run = selectors.run_for_user(request.user, pk)
    pinned = request.POST.get("pinned") == "1"
    try:
        services.proposal_pin(run=run, slot_code=slot, pinned=pinned)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = review_query(request.POST)
    return redirect(
        reverse("planner:run_detail", args=[run.pk])
        + (f"?{back}" if back else "")
        + f"#slot-{slot}"
    )


@role_required(SECRETARIAT)
@require_POST
def run_rerun(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Plan the same missions again around the pinned proposals and the slots already held."""
    run = selectors.run_for_user(request.user, pk)
    try:
        new = services.planner_run_rerun(run=run, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planner:run_detail", pk=run.pk)
    return redirect("planner:run_detail", pk=new.pk)


@role_required(*GAP_ROLES)
@require_GET
def gaps(request: AuthedRequest) -> HttpResponse:
    """The stored profiles the pool lacks, ranked by how many missions each would staff; never
    computed here. Without a snapshot of today, a refresh is queued (once) for the worker."""
    found = pool_gaps_page(request.user, request.GET.get("page"))
    if found.outdated and not found.refreshing:
        pool_gaps_refresh_request()  # queued now, or by someone else a moment ago
        found.refreshing = True
    return render(request, "planner/gaps.html", {"found": found, "page": found.page})
