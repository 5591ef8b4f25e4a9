"""The pool as lending administrations, the secretariat and the regions see it: the expert
list, pool releases, and the release of an expert for each mission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import Confirmation, confirmation
from renfort.lib.http import is_htmx
from renfort.missions import services as mission_services
from renfort.missions.models import RELEASE_ASKED_ASSIGNMENT_STATUSES, Assignment
from renfort.roster import services
from renfort.roster.forms import ExpertFilterForm, ReleaseDecisionForm
from renfort.roster.models import Expert, ReleaseStatus
from renfort.roster.selectors import experts_filtered, experts_visible_to, with_profile

# Each row of the pool carries skills, accreditations and, for a member, a release form: 25 a
# page keep it light (docs/performance.md, "Load").
PAGE_SIZE = 25
DECIDED_SHOWN = 50


def assignments_with_missions() -> Any:
    return Assignment.objects.select_related("expert", "slot__mission").prefetch_related(
        "slot__mission__beneficiaries", "slot__requirements__topic"
    )


def _row_context(expert: Expert, **extra: Any) -> dict[str, Any]:
    return {"e": expert, "today": timezone.localdate(), **extra}


@role_required(Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT)
def expert_list(request: AuthedRequest) -> HttpResponse:
    """The experts the user may see: a member focal point's are those its administration lends."""
    filters = ExpertFilterForm(request.GET or None)
    experts = experts_filtered(request.user, filters.cleaned_data if filters.is_valid() else {})
    page = Paginator(experts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "roster/expert_list.html",
        {
            "page": page,
            "filters": filters,
            "today": timezone.localdate(),
            "contact_all": request.user.role == Role.SECRETARIAT_COORDINATOR,
            "contact_own": request.user.role == Role.MEMBER_FOCAL_POINT,
            "query": query.urlencode(),
        },
    )


@role_required(Role.MEMBER_FOCAL_POINT)
@require_POST
def expert_release(request: AuthedRequest, pk: int) -> HttpResponse:
    """The home administration grants or refuses an expert's release to the pool."""
    expert = get_object_or_404(
        experts_visible_to(request.user).filter(home_administration=request.user.organisation),
        pk=pk,
    )
    form = ReleaseDecisionForm(request.POST)
    error = ""
    if form.is_valid():
        granted = form.cleaned_data["decision"] == ReleaseDecisionForm.GRANT
        try:
            services.expert_release_set(
                expert=expert,
                status=ReleaseStatus.GRANTED if granted else ReleaseStatus.REFUSED,
                by=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if is_htmx(request):
        fresh = with_profile(Expert.objects.all()).get(pk=expert.pk)
        return render(
            request,
            "roster/expert_list.html#expert-row",
            _row_context(fresh, error=error, contact_own=True, contact_all=False),
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Pool release of %(expert)s: %(decision)s.")
            % {"expert": expert, "decision": expert.get_release_status_display()},
        )
    return redirect("roster:expert_list")


def _release_scope(request: AuthedRequest) -> Any:
    """Assignments of the experts the user's administration lends."""
    return assignments_with_missions().filter(expert__home_administration=request.user.organisation)


def _open_statuses() -> list[str]:
    return [str(s) for s in sorted(RELEASE_ASKED_ASSIGNMENT_STATUSES)]


@role_required(Role.MEMBER_FOCAL_POINT)
def releases(request: AuthedRequest) -> HttpResponse:
    """Missions the administration's experts are invited to: grant or refuse their release."""
    scope = _release_scope(request)
    pending = scope.filter(
        status__in=RELEASE_ASKED_ASSIGNMENT_STATUSES, release_status=ReleaseStatus.PENDING
    ).order_by("slot__mission__start", "slot__mission__window_start", "id")
    decided = scope.exclude(release_status=ReleaseStatus.PENDING).order_by("-updated_at", "-id")
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "roster/releases.html",
        {
            "page": page,
            "pending": list(page.object_list),
            "decided": list(decided[:DECIDED_SHOWN]),
            "open_statuses": _open_statuses(),
        },
    )


def _refusal_step(request: AuthedRequest, assignment: Assignment) -> Confirmation:
    """Refusing a release asks once more, and why: the secretariat and the expert read it."""
    mission = assignment.slot.mission
    names = {"expert": assignment.expert, "mission": mission.reference, "title": mission.title}
    return confirmation(
        request,
        title=_("Refuse the release of %(expert)s for mission %(mission)s?") % names,
        consequence=_(
            "%(expert)s is withdrawn from mission %(mission)s (“%(title)s”) and the slot opens "
            "again. The secretariat and the expert will be told, with your reason."
        )
        % names,
        action=_("Refuse the release"),
        cancel_url=reverse("roster:releases"),
        reason="required",
        reason_label=_("Why does your administration refuse the release?"),
    )


@role_required(Role.MEMBER_FOCAL_POINT)
@require_POST
def release_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Grant an expert's release for one mission, or refuse it after a confirmation step that
    asks why (the secretariat and the expert read the reason)."""
    assignment = get_object_or_404(_release_scope(request), pk=pk)
    form = ReleaseDecisionForm(request.POST)
    error = ""
    if form.is_valid():
        granted = form.cleaned_data["decision"] == ReleaseDecisionForm.GRANT
        reason = ""
        if not granted:
            step = _refusal_step(request, assignment)
            if step.page is not None:
                return step.page
            reason = step.reason
        try:
            assignment = mission_services.assignment_release_decide(
                assignment=assignment, granted=granted, by=request.user, reason=reason
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if is_htmx(request):
        fresh = assignments_with_missions().get(pk=assignment.pk)
        return render(
            request,
            "roster/releases.html#release-row",
            {"a": fresh, "error": error, "open_statuses": _open_statuses()},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Release of %(expert)s for %(mission)s: %(decision)s.")
            % {
                "expert": assignment.expert,
                "mission": assignment.slot.mission.reference,
                "decision": assignment.get_release_status_display(),
            },
        )
    return redirect("roster:releases")
