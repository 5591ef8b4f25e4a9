"""The expert pool: lending administrations see their experts and decide releases; experts
keep their profile and availability and answer invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.lib.languages import language_name
from renfort.missions import services as mission_services
from renfort.missions.models import (
    KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES,
    RELEASE_ASKED_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
)
from renfort.roster import services
from renfort.roster.forms import (
    ExpertFilterForm,
    InvitationAnswerForm,
    ProfileForm,
    ReleaseDecisionForm,
    UnavailabilityForm,
)
from renfort.roster.models import Accreditation, Expert, ReleaseStatus, Skill, Unavailability
from renfort.roster.selectors import experts_visible_to

PAGE_SIZE = 50
DECIDED_SHOWN = 50


def _assignments_with_missions() -> Any:
    return Assignment.objects.select_related("expert", "slot__mission").prefetch_related(
        "slot__mission__beneficiaries", "slot__requirements__topic"
    )


# --- lending administrations (and the secretariat and regions) -------------------------------


@role_required(Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT)
def expert_list(request: AuthedRequest) -> HttpResponse:
    """The experts the user may see: a member focal point's are those its administration lends."""
    experts = (
        experts_visible_to(request.user)
        .select_related("home_administration")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.select_related("topic")),
            Prefetch("accreditations", queryset=Accreditation.objects.select_related("topic")),
        )
        .order_by("last_name", "first_name", "id")
    )
    filters = ExpertFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            experts = experts.filter(
                Q(last_name__icontains=data["q"]) | Q(first_name__icontains=data["q"])
            )
        if data["topic"]:
            experts = experts.filter(
                pk__in=Skill.objects.filter(topic=data["topic"]).values("expert_id")
            )
        # JSON lists: match the quoted element in their text (works on SQLite and PostgreSQL).
        if data["category"]:
            experts = experts.filter(categories__icontains=f'"{data["category"]}"')
        if data["language"]:
            experts = experts.filter(languages__icontains=f'"{data["language"]}"')
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
        fresh = (
            Expert.objects.select_related("home_administration")
            .prefetch_related(
                Prefetch("skills", queryset=Skill.objects.select_related("topic")),
                Prefetch("accreditations", queryset=Accreditation.objects.select_related("topic")),
            )
            .get(pk=expert.pk)
        )
        return render(
            request,
            "roster/expert_list.html#expert-row",
            {"e": fresh, "error": error, "today": timezone.localdate()},
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
    return _assignments_with_missions().filter(
        expert__home_administration=request.user.organisation
    )


@role_required(Role.MEMBER_FOCAL_POINT)
def releases(request: AuthedRequest) -> HttpResponse:
    """Missions the administration's experts are invited to: grant or refuse their release."""
    scope = _release_scope(request)
    pending = scope.filter(
        status__in=RELEASE_ASKED_ASSIGNMENT_STATUSES, release_status=ReleaseStatus.PENDING
    ).order_by("slot__mission__start", "slot__mission__window_start", "id")
    decided = scope.exclude(release_status=ReleaseStatus.PENDING).order_by("-updated_at", "-id")
    return render(
        request,
        "roster/releases.html",
        {
            "pending": list(pending),
            "decided": list(decided[:DECIDED_SHOWN]),
            "open_statuses": [str(s) for s in sorted(RELEASE_ASKED_ASSIGNMENT_STATUSES)],
        },
    )


@role_required(Role.MEMBER_FOCAL_POINT)
@require_POST
def release_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Grant or refuse an expert's release for one mission."""
    assignment = get_object_or_404(_release_scope(request), pk=pk)
    form = ReleaseDecisionForm(request.POST)
    error = ""
    if form.is_valid():
        granted = form.cleaned_data["decision"] == ReleaseDecisionForm.GRANT
        try:
            assignment = mission_services.assignment_release_decide(
                assignment=assignment, granted=granted, by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if is_htmx(request):
        fresh = _assignments_with_missions().get(pk=assignment.pk)
        return render(
            request,
            "roster/releases.html#release-row",
            {
                "a": fresh,
                "error": error,
                "open_statuses": [str(s) for s in sorted(RELEASE_ASKED_ASSIGNMENT_STATUSES)],
            },
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


# --- the expert themself ---------------------------------------------------------------------


def _own_expert(request: AuthedRequest) -> Expert:
    expert = Expert.objects.filter(user=request.user).select_related("home_administration").first()
    if expert is None:
        raise Http404("No expert profile for this user.")
    return expert


def _profile_context(expert: Expert, **forms: Any) -> dict[str, Any]:
    return {
        "expert": expert,
        "skills": expert.skills.select_related("topic"),
        "languages": [(code, language_name(code)) for code in expert.languages],
        "accreditations": expert.accreditations.select_related("topic"),
        "unavailable": expert.unavailable.all(),
        "today": timezone.localdate(),
        "profile_form": forms.get("profile_form")
        or ProfileForm(initial={"languages": expert.languages, "email": expert.email}),
        "unavailability_form": forms.get("unavailability_form") or UnavailabilityForm(),
    }


@role_required(Role.EXPERT)
@require_http_methods(["GET", "POST"])
def my_profile(request: AuthedRequest) -> HttpResponse:
    """The expert's own profile: topics, languages, accreditation, unavailable periods."""
    expert = _own_expert(request)
    form = ProfileForm(
        request.POST or None, initial={"languages": expert.languages, "email": expert.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update_profile(
                expert=expert,
                languages=form.cleaned_data["languages"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            add_service_error(form, error)
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
        mission_services.unavailability_remove(unavailability=period)
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
        _assignments_with_missions()
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
    scope = _assignments_with_missions().filter(expert=expert)
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
    rows = (
        _assignments_with_missions()
        .filter(expert=expert, status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
        .order_by("slot__mission__start", "slot__mission__window_start", "id")
    )
    return render(
        request,
        "roster/my_missions.html",
        {"rows": [(a, reverse("missions:mission_detail", args=[a.slot.mission_id])) for a in rows]},
    )
