"""HTML views of the calendars: the timeline and the month calendar of missions.

Each view parses, authorises (``role_required``; the selectors start from the missions the
user may see), reads through ``calendars.selectors`` and lays out with ``calendars.layout``.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Region, Role
from renfort.accounts.permissions import role_required
from renfort.calendars import layout
from renfort.calendars.forms import TimelineForm
from renfort.calendars.month import month_context, month_from_query
from renfort.calendars.selectors import (
    CalendarScope,
    assignment_rows,
    calendar_missions,
    mission_groups,
    mission_rows,
)
from renfort.missions.eligibility import travel_days

ALL_ROLES = tuple(Role.values)
# The timeline caps the period it shows and pages its rows, so that its page weighs what one
# period of experts weighs, whatever the years of history or the size of the pool
# (docs/ui.md, "Long lists").
MAX_TIMELINE_MONTHS = 6
TIMELINE_ROWS = 40


@role_required(*ALL_ROLES)
@require_GET
def timeline(request: AuthedRequest) -> HttpResponse:
    """Missions over a period, one row per expert, member or region; conflicts and unstaffed
    slots stand out."""
    today = timezone.localdate()
    default_group = (
        layout.GROUP_BY_MEMBER
        if request.user.role == Role.DONOR_FOCAL_POINT
        else layout.GROUP_BY_EXPERT
    )
    params = request.GET.copy()
    params.setdefault("group", default_group)
    form = TimelineForm(params)
    # A bad filter is shown with its message (naming the field) and left out; a bad period
    # gives way to the default one as a whole.
    form.is_valid()
    data = dict(form.cleaned_data)
    if form.has_error("period_from") or form.has_error("period_to"):
        data.pop("period_from", None)
        data.pop("period_to", None)
    default_start, default_end = layout.default_period(today)
    start = data.get("period_from") or default_start
    end = data.get("period_to") or (
        layout.add_months(start, 3) - datetime.timedelta(days=1)
        if data.get("period_from")
        else default_end
    )
    if end < start:
        start, end = default_start, default_end
    last = layout.add_months(start, MAX_TIMELINE_MONTHS) - datetime.timedelta(days=1)
    if end > last:
        end = last
        messages.info(request, _("The timeline shows at most six months at a time."))
    group = data.get("group") or default_group
    span = end - start + datetime.timedelta(days=1)
    scope = CalendarScope.from_query(request.GET)
    missions = calendar_missions(request.user, start, end, scope)
    rows = mission_rows(missions)
    ids = [r.id for r in rows]
    assignments = assignment_rows(request.user, ids)
    members, regions = mission_groups(ids) if group != layout.GROUP_BY_EXPERT else ({}, {})
    result = layout.build_timeline(
        start=start,
        end=end,
        group_by=group,
        missions=rows,
        assignments=assignments,
        beneficiaries=members,
        regions=regions,
        travel_days=travel_days(),
        unstaffed_label=_("Unstaffed slots"),
    )
    today_left = layout.place((today, today), start, end)[0] if start <= today <= end else None
    page = Paginator(result.rows, TIMELINE_ROWS).get_page(request.GET.get("page"))
    # The details tell of the missions on this page's rows, and on the first page of those
    # on no row (their experts hidden from the viewer).
    shown = {bar.mission.id for row in page.object_list for bar in row.bars}
    if page.number == 1:
        placed = {bar.mission.id for row in result.rows for bar in row.bars}
        shown |= {m.id for m in rows if m.id not in placed}
    context = {
        "form": form,
        "timeline": result,
        "page": page,
        "details": layout.mission_details(
            [m for m in rows if m.id in shown], assignments, start, end
        ),
        "group": group,
        "groupings": [
            (layout.GROUP_BY_EXPERT, _("Expert"), _("By expert")),
            (layout.GROUP_BY_MEMBER, _("Member"), _("By member")),
            (layout.GROUP_BY_REGION, _("Region"), _("By region")),
        ],
        "today_left": today_left,
        "scope": scope,
        "earlier": (start - span, start - datetime.timedelta(days=1)),
        "later": (end + datetime.timedelta(days=1), end + span),
    }
    return render(request, "calendars/timeline.html", context)


@role_required(*ALL_ROLES)
@require_GET
def month_calendar(request: AuthedRequest) -> HttpResponse:
    """A month of missions, one table row per week, with links to the months around it; an
    expert's unavailable periods beside her missions."""
    today = timezone.localdate()
    year, month, problem = month_from_query(request.GET.get("month"), today)
    if problem:
        messages.error(request, problem)
    scope = CalendarScope.from_query(request.GET)
    context = month_context(request.user, year=year, month=month, scope=scope, today=today)
    context.update({"region": scope.region, "scope": scope, "regions": Region.choices})
    return render(request, "calendars/calendar.html", context)
