"""The secretariat changes a mission after creating it: its details (title, location,
language, window) on a page of their own, and the postponement of a confirmed mission, with a
confirmation step listing the experts who no longer fit the new dates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error
from renfort.missions import services
from renfort.missions.forms import MissionEditForm, PostponeForm
from renfort.missions.models import Mission
from renfort.missions.selectors import mission_for_user
from renfort.missions.views.common import SECRETARIAT
from renfort.missions.views.detail import done


@role_required(SECRETARIAT)
def mission_edit(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Change the mission's title, location, language and window."""
    mission = mission_for_user(request.user, pk)
    form = MissionEditForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mission_edit(
                mission=mission,
                title=data["title"],
                location=data["location"],
                language=data["language"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                duration_days=data["duration_days"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc, default="title")
        else:
            return done(request, mission, _("Mission details saved."))
    status = 400 if form.errors else 200
    return render(
        request, "missions/mission_edit.html", {"mission": mission, "form": form}, status=status
    )


def _postpone_page(request: AuthedRequest, mission: Mission, form: PostponeForm) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(
        request, "missions/mission_postpone.html", {"mission": mission, "form": form}, status=status
    )


@role_required(SECRETARIAT)
def mission_postpone(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """New dates for a confirmed mission: the experts who no longer fit are listed on a
    confirmation step and withdrawn once the coordinator confirms."""
    mission = mission_for_user(request.user, pk)
    form = PostponeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _postpone_page(request, mission, form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        unfit = services.postpone_preview(mission, start, end)
    except ValidationError as exc:
        add_service_error(form, exc, default="start")
        return _postpone_page(request, mission, form)
    if unfit:
        names = ", ".join(str(u.assignment.expert) for u in unfit)
        consequence = format_lazy(
            "{} {}",
            ngettext(
                "%(names)s cannot take part at the new dates and will be withdrawn; the "
                "mission goes back to scheduled until the slot is staffed again.",
                "%(names)s cannot take part at the new dates and will be withdrawn; the "
                "mission goes back to scheduled until the slots are staffed again.",
                len(unfit),
            )
            % {"names": names},
            " ".join(p for u in unfit for p in u.problems),
        )
    else:
        consequence = _("Every expert of the mission can take part at the new dates.")
    step = confirmation(
        request,
        title=_("Postpone mission %(ref)s to %(start)s – %(end)s?")
        % {
            "ref": mission.reference,
            "start": formats.date_format(start, "DATE_FORMAT"),
            "end": formats.date_format(end, "DATE_FORMAT"),
        },
        consequence=str(consequence)
        + " "
        + _("The experts, their home administrations and the beneficiaries will be told."),
        action=_("Postpone the mission"),
        cancel_url=reverse("missions:mission_detail", args=[mission.pk]),
        reason="optional",
        reason_label=_("Why is it postponed? (the people told will read it)"),
    )
    if step.page is not None:
        return step.page
    try:
        services.mission_postpone(
            mission=mission,
            start=start,
            end=end,
            by=request.user,
            withdraw=[u.assignment.pk for u in unfit],
            reason=step.reason,
        )
    except ValidationError as exc:
        add_service_error(form, exc, default="start")
        return _postpone_page(request, mission, form)
    return done(
        request,
        mission,
        ngettext(
            "Mission postponed; %(count)d expert withdrawn.",
            "Mission postponed; %(count)d experts withdrawn.",
            len(unfit),
        )
        % {"count": len(unfit)}
        if unfit
        else _("Mission postponed."),
    )
