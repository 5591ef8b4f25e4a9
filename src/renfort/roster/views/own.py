"""The expert's own pages: her profile and availability, her invitations and missions, and
withdrawing from a mission she accepted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.lib.languages import language_name
from renfort.missions import services as mission_services
from renfort.missions.models import (
    COMMITTED_ASSIGNMENT_STATUSES,
    KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES,
    STAFFABLE_MISSION_STATUSES,
    AssignmentStatus,
)
from renfort.roster import services
from renfort.roster.forms import InvitationAnswerForm, ProfileForm, UnavailabilityForm
from renfort.roster.models import Expert, Unavailability
from renfort.roster.views.pool import assignments_with_missions

MY_MISSIONS_PAGE_SIZE = 25


def _own_expert(request: AuthedRequest) -> Expert:
    expert = Expert.objects.filter(user=request.user).select_related("home_administration").first()
    if expert is None:
        raise Http404("No expert profile for this user.")
    return expert


def _profile_form(expert: Expert, data: Any = None) -> ProfileForm:
    return ProfileForm(data, languages=expert.languages, initial={"email": expert.email})


def _profile_context(expert: Expert, **forms: Any) -> dict[str, Any]:
    return {
        "expert": expert,
        "skills": expert.skills.select_related("topic"),
        "languages": [language_name(code) for code in expert.languages],
        "accreditations": expert.accreditations.select_related("topic"),
        "unavailable": expert.unavailable.all(),
        "today": timezone.localdate(),
        "profile_form": forms.get("profile_form") or _profile_form(expert),
        "unavailability_form": forms.get("unavailability_form") or UnavailabilityForm(),
    }


@role_required(Role.EXPERT)
@require_http_methods(["GET", "POST"])
def my_profile(request: AuthedRequest) -> HttpResponse:
    """The expert's own profile: topics, languages, accreditation, unavailable periods."""
    expert = _own_expert(request)
    form = _profile_form(expert, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update_profile(
                expert=expert,
                languages=form.cleaned_data["languages"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            add_service_error(form, error, {"languages": "language_1"})
        else:
            messages.success(request, _("Profile saved."))
            return redirect("roster:my_profile")
    return render(request, "roster/my_profile.html", _profile_context(expert, profile_form=form))


@role_required(Role.EXPERT)
@require_POST
def unavailability_add(request: AuthedRequest) -> HttpResponse:
    """Add a period in which the expert cannot travel."""
    expert = _own_expert(request)
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        try:
            mission_services.unavailability_add(expert=expert, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Unavailable period added."))
            if not is_htmx(request):
                return redirect("roster:my_profile")
            form = UnavailabilityForm()
    return render(
        request,
        "roster/my_profile.html#unavailable" if is_htmx(request) else "roster/my_profile.html",
        _profile_context(expert, unavailability_form=form),
    )


@role_required(Role.EXPERT)
@require_POST
def unavailability_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    expert = _own_expert(request)
    period = get_object_or_404(Unavailability, pk=pk, expert=expert)
    try:
        mission_services.unavailability_remove(unavailability=period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Unavailable period removed."))
    if is_htmx(request):
        return render(request, "roster/my_profile.html#unavailable", _profile_context(expert))
    return redirect("roster:my_profile")


@role_required(Role.EXPERT)
def invitations(request: AuthedRequest) -> HttpResponse:
    """Missions the expert is invited to, to accept or decline."""
    expert = _own_expert(request)
    rows = (
        assignments_with_missions()
        .filter(expert=expert, status=AssignmentStatus.INVITED)
        .order_by("slot__mission__start", "slot__mission__window_start", "id")
    )
    return render(
        request,
        "roster/invitations.html",
        {"rows": [(a, InvitationAnswerForm(prefix=f"a{a.pk}")) for a in rows]},
    )


@role_required(Role.EXPERT)
@require_POST
def invitation_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Accept an invitation, or decline it with a reason."""
    expert = _own_expert(request)
    scope = assignments_with_missions().filter(expert=expert)
    assignment = get_object_or_404(scope, pk=pk, status=AssignmentStatus.INVITED)
    form = InvitationAnswerForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        accept = form.cleaned_data["answer"] == InvitationAnswerForm.ACCEPT
        try:
            mission_services.assignment_transition(
                assignment=assignment,
                to_status=AssignmentStatus.ACCEPTED if accept else AssignmentStatus.DECLINED,
                by=request.user,
                reason="" if accept else form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if is_htmx(request):
                fresh = scope.get(pk=pk)
                return render(
                    request, "roster/invitations.html#invitation", {"a": fresh, "form": None}
                )
            mission = assignment.slot.mission
            if accept:
                messages.success(
                    request, _("You accepted mission %(m)s.") % {"m": mission.reference}
                )
            else:
                messages.success(
                    request, _("You declined mission %(m)s.") % {"m": mission.reference}
                )
            return redirect("roster:invitations")
    if is_htmx(request):
        return render(
            request, "roster/invitations.html#invitation", {"a": assignment, "form": form}
        )
    return render(request, "roster/invitations.html", {"rows": [(assignment, form)]})


@role_required(Role.EXPERT)
def my_missions(request: AuthedRequest) -> HttpResponse:
    """The expert's missions: invited, accepted, confirmed, completed (and declined)."""
    expert = _own_expert(request)
    # Years of missions: the latest first (those still without dates before them), a page
    # at a time.
    rows = (
        assignments_with_missions()
        .filter(expert=expert, status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
        .order_by(
            F("slot__mission__start").desc(nulls_first=True),
            F("slot__mission__window_start").desc(nulls_first=True),
            "-id",
        )
    )
    page = Paginator(rows, MY_MISSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "roster/my_missions.html",
        {
            "page": page,
            "rows": [
                (a, reverse("missions:mission_detail", args=[a.slot.mission_id]))
                for a in page.object_list
            ],
            "withdrawable": {str(s) for s in COMMITTED_ASSIGNMENT_STATUSES},
            "open_missions": {str(s) for s in STAFFABLE_MISSION_STATUSES},
        },
    )


@role_required(Role.EXPERT)
@require_POST
def assignment_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """The expert withdraws from a mission she accepted, after a confirmation step asking why
    (the secretariat and her home administration are told, with her reason). The service
    refuses it once the mission is delivered or cancelled, or before she accepted."""
    expert = _own_expert(request)
    assignment = get_object_or_404(assignments_with_missions().filter(expert=expert), pk=pk)
    mission = assignment.slot.mission
    step = confirmation(
        request,
        title=_("Withdraw from mission %(mission)s?") % {"mission": mission.reference},
        consequence=_(
            "You will no longer take part in “%(title)s” and your slot opens again. The "
            "secretariat and your home administration will be told, with your reason. You "
            "cannot undo this."
        )
        % {"title": mission.title},
        action=_("Withdraw from the mission"),
        cancel_url=reverse("roster:my_missions"),
        reason="required",
        reason_label=_("Why do you withdraw?"),
    )
    if step.page is not None:
        return step.page
    try:
        mission_services.assignment_transition(
            assignment=assignment,
            to_status=AssignmentStatus.WITHDRAWN,
            by=request.user,
            reason=step.reason,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You withdrew from mission %(m)s.") % {"m": mission.reference})
    return redirect("roster:my_missions")
