"""The plan (the missions list with its filters) and an expert's own missions, as files."""

from __future__ import annotations

from django.db.models import F
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Role, User
from renfort.exports.lists.base import ListExport, chunked, names, org_name, sheet
from renfort.lib.tabular import Cell, Sheet
from renfort.missions.forms import MissionFilterForm

# The page's own filters, counts and order (missions.list_selectors): the file lists what the
# page lists.
from renfort.missions.list_selectors import missions_filtered, status_order, with_open_slots
from renfort.missions.models import KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES, Mission
from renfort.missions.selectors import missions_visible_to
from renfort.roster.models import Expert
from renfort.roster.views.pool import assignments_with_missions

DATES = (_("Start"), _("End"), _("Window start"), _("Window end"), _("Duration (days)"))


def _dates(m: Mission) -> list[Cell]:
    return [m.start, m.end, m.window_start, m.window_end, m.duration_days]


def mission_rows(user: User, query: QueryDict) -> Sheet:
    """The plan's rows: the page's filters (status included) on ``missions_visible_to``."""
    form = MissionFilterForm(query or None)
    data = form.cleaned_data if form.is_valid() else {}
    missions = missions_filtered(missions_visible_to(user), data)
    if data.get("status"):
        missions = missions.filter(status=data["status"])
    missions = (
        with_open_slots(missions)
        .annotate(status_order=status_order())
        .prefetch_related("beneficiaries")
        .order_by("status_order", "start", "window_start", "reference")
    )
    headers = (
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Type"),
        _("Level"),
        _("Beneficiaries"),
        *DATES,
        _("Slots staffed"),
        _("Slots"),
    )
    rows = (
        [
            m.reference,
            m.title,
            m.get_status_display(),
            m.get_type_display(),
            m.get_level_display(),
            names(org_name(o) for o in m.beneficiaries.all()),
            *_dates(m),
            m.staffed_count,  # type: ignore[attr-defined]
            m.slot_count,  # type: ignore[attr-defined]
        ]
        for m in chunked(missions)
    )
    return sheet(_("Missions"), headers, rows)


def my_mission_rows(user: User, query: QueryDict) -> Sheet:
    """An expert's missions, as "My missions" lists them (latest first)."""
    expert = Expert.objects.filter(user=user).first()
    if expert is None:
        raise Http404("No expert profile for this user.")
    assignments = (
        assignments_with_missions()
        .filter(expert=expert, status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
        .order_by(
            F("slot__mission__start").desc(nulls_first=True),
            F("slot__mission__window_start").desc(nulls_first=True),
            "-id",
        )
    )
    headers = (
        _("Reference"),
        _("Title"),
        _("Beneficiaries"),
        *DATES,
        _("Place"),
        _("Mission status"),
        _("Your assignment"),
    )
    rows = (
        [
            a.slot.mission.reference,
            a.slot.mission.title,
            names(a.slot.mission.beneficiaries.all()),
            *_dates(a.slot.mission),
            a.slot.mission.location,
            a.slot.mission.get_status_display(),
            a.get_status_display(),
        ]
        for a in chunked(assignments)
    )
    return sheet(_("My missions"), headers, rows)


MISSIONS = ListExport(
    name="missions",
    title=_("Missions"),
    page="missions:mission_list",
    roles=tuple(Role.values),
    sheet=mission_rows,
)
MY_MISSIONS = ListExport(
    name="my_missions",
    title=_("My missions"),
    page="roster:my_missions",
    roles=(str(Role.EXPERT),),
    sheet=my_mission_rows,
    background=False,  # one person's career: a few hundred lines at most
)
