"""An expert's page: her profile, skills, accreditation, released days, missions and calendar,
for the secretariat, the regional coordinator of her region, her home administration's focal
points and herself (``experts_visible_to``; anyone else: 404). Contact details and the reasons
of her unavailable periods only as docs/experts.md says."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.accounts.permissions import role_required
from renfort.calendars.month import month_context, month_from_query
from renfort.calendars.selectors import CalendarScope
from renfort.missions.models import KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES, Assignment
from renfort.missions.released_days import released_days
from renfort.missions.selectors import missions_visible_to
from renfort.roster.models import Accreditation, Expert, Skill
from renfort.roster.selectors import expert_for_user, shows_contact_details

MISSIONS_PAGE_SIZE = 10


def _expert_assignments(user: User, expert: Expert) -> Any:
    """Her assignments on missions the user may see, newest first; proposals and their
    withdrawals only to the secretariat, who makes them."""
    qs = Assignment.objects.filter(
        expert=expert, slot__mission__in=missions_visible_to(user)
    ).select_related("slot__mission")
    if user.role != Role.SECRETARIAT_COORDINATOR:
        qs = qs.filter(status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
    first_day = Coalesce("slot__mission__start", "slot__mission__window_start")
    return qs.alias(first_day=first_day).order_by(F("first_day").desc(nulls_last=True), "-id")


@role_required(
    Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT, Role.EXPERT
)
@require_GET
def expert_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One expert as the user may see her (404 for another administration's expert)."""
    expert = expert_for_user(request.user, pk)
    expert = (
        Expert.objects.select_related("home_administration")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.select_related("topic")),
            Prefetch("accreditations", queryset=Accreditation.objects.select_related("topic")),
        )
        .get(pk=expert.pk)
    )
    today = timezone.localdate()
    assignments = _expert_assignments(request.user, expert)
    # Without a month asked for, the month of her next mission (or this one).
    upcoming = (
        assignments.filter(slot__mission__start__gte=today)
        .order_by("slot__mission__start")
        .values_list("slot__mission__start", flat=True)
        .first()
    )
    year, month, problem = month_from_query(request.GET.get("month"), upcoming or today)
    if problem:
        messages.error(request, problem)
    calendar = month_context(
        request.user, year=year, month=month, scope=CalendarScope(expert=expert.pk), today=today
    )
    missions = Paginator(assignments, MISSIONS_PAGE_SIZE)
    return render(
        request,
        "roster/expert_detail.html",
        {
            "expert": expert,
            "today": today,
            "contact": shows_contact_details(request.user, expert),
            "released": released_days(expert, today),
            "missions": missions.get_page(request.GET.get("page")),
            **calendar,
        },
    )
