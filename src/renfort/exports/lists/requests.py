"""The requests list (with its filters) and the secretariat's appraisal queue, as files."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Role, User
from renfort.assistance.forms import RequestFilterForm
from renfort.assistance.models import Request
from renfort.assistance.selectors import requests_visible_to
from renfort.exports.lists.base import ListExport, chunked, names, sheet
from renfort.lib.tabular import Cell, Sheet
from renfort.missions.selectors import appraisal_queue

SEES_REQUESTS = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
HEADERS = (
    _("Reference"),
    _("Title"),
    _("Requesting administrations"),
    _("Topics"),
    _("Level"),
    _("Preferred start"),
    _("Preferred end"),
    _("Priority"),
    _("Status"),
    _("Submitted"),
)


def _row(r: Request) -> list[Cell]:
    return [
        r.reference,
        r.title,
        names(r.administrations.all()),
        names(r.topics.all()),
        r.get_level_display(),
        r.preferred_start,
        r.preferred_end,
        r.priority,
        r.get_status_display(),
        timezone.localdate(r.created_at),
    ]


def request_rows(user: User, query: QueryDict) -> Sheet:
    """The requests list's rows: the page's filter form on the page's selector, same order."""
    filters = RequestFilterForm(
        query or None,
        with_region=user.role in (Role.SECRETARIAT_COORDINATOR, Role.DONOR_FOCAL_POINT),
    )
    requests = filters.apply(
        requests_visible_to(user)
        .select_related("focal_point")
        .prefetch_related("administrations", "topics")
        .order_by("-created_at", "-id")
    )
    return sheet(_("Requests"), HEADERS, (_row(r) for r in chunked(requests)))


def queue_rows(user: User, query: QueryDict) -> Sheet:
    """The appraisal queue's rows (most urgent first), with who submitted each request."""
    queue = (
        appraisal_queue()
        .select_related("focal_point")
        .prefetch_related("administrations", "topics")
        .order_by("-priority", "created_at", "id")
    )
    headers = (*HEADERS, _("Submitted by"))
    rows = ([*_row(r), str(r.focal_point or "")] for r in chunked(queue))
    return sheet(_("Requests to appraise"), headers, rows)


REQUESTS = ListExport(
    name="requests",
    title=_("Requests"),
    page="assistance:request_list",
    roles=tuple(str(r) for r in SEES_REQUESTS),
    sheet=request_rows,
)
APPRAISAL = ListExport(
    name="appraisal",
    title=_("Requests to appraise"),
    page="assistance:appraisal_queue",
    roles=(str(Role.SECRETARIAT_COORDINATOR),),
    sheet=queue_rows,
)
