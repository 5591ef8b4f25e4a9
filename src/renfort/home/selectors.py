"""What each role's home page shows: a few figures, a chart or two, and what waits for them.

Each waiting item links to the list it comes from, with that list's filters, and counts what
that list shows; where no list holds exactly the item (the missions to staff, the expert's
next missions), its link names the action or page instead of a count.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renfort.accounts.models import Role, User
from renfort.assistance.models import Request, RequestStatus
from renfort.assistance.selectors import requests_visible_to
from renfort.home.figures import (
    Chart,
    Figure,
    active_agreements,
    agreements_figure,
    budget_chart,
    current_missions,
    current_missions_figure,
    link,
    missions_by_region,
    missions_by_status,
    released_chart,
    released_figure,
    requests_by_status,
)
from renfort.missions import selectors as missions_selectors
from renfort.missions.models import (
    COMMITTED_ASSIGNMENT_STATUSES,
    RELEASE_ASKED_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.released_days import released_days
from renfort.missions.selectors import missions_visible_to
from renfort.planning.selectors import runs_waiting_for_review
from renfort.roster.models import ReleaseStatus
from renfort.roster.selectors import experts_visible_to

EXAMPLES = 5


def _ahead(n: int) -> str:
    return ngettext("mission under way or ahead", "missions under way or ahead", n)


@dataclass
class WaitingItem:
    """One card of "What waits for you": what waits, how many, a few examples, and the list
    (``url``) that holds them all; ``link_label`` names that link when it is not the list of
    exactly these (then the card shows no "See all").

    ``kind`` says what the examples are ("request", "mission", "assignment" or "run"), so the
    page links each to its own page.
    """

    label: str
    count: int
    examples: list[Any] = field(default_factory=list)
    kind: str = ""
    url: str = ""
    link_label: str = ""
    empty: str = ""


@dataclass
class HomePage:
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    waiting: list[WaitingItem] = field(default_factory=list)


def _item(label: str, qs: Any, *, kind: str, url: str, **extra: Any) -> WaitingItem:
    examples = list(qs[:EXAMPLES])
    count = qs.count()  # always asked: the page costs the same queries whatever the data
    return WaitingItem(label=label, count=count, examples=examples, kind=kind, url=url, **extra)


def _count_figure(item: WaitingItem, label: Callable[[int], str]) -> Figure:
    """``item``'s count as a figure; ``label(n)``: the words after the number, agreeing
    with it."""
    return Figure(value=str(item.count), label=label(item.count), url=item.url, count=item.count)


def appraisal_queue() -> QuerySet[Request]:
    """The secretariat's appraisal queue as its page lists it (``missions.selectors``)."""
    return missions_selectors.appraisal_queue().order_by("-priority", "created_at", "id")


def _by_first_day(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """Soonest first: by the first day, or the window's start while there are no dates (the
    same order on SQLite and PostgreSQL, which place NULLs differently)."""
    first = Coalesce("start", "window_start")
    return missions.alias(first_day=first).order_by(
        F("first_day").asc(nulls_last=True), "reference"
    )


def _missions_ahead(missions: QuerySet[Mission], today: datetime.date) -> QuerySet[Mission]:
    return _by_first_day(current_missions(missions, today))


def _secretariat(user: User, today: datetime.date) -> HomePage:
    requests, missions = requests_visible_to(user), missions_visible_to(user)
    queue = _item(
        _("Requests in the appraisal queue"),
        appraisal_queue(),
        kind="request",
        url=link("assistance:appraisal_queue"),
    )
    runs = runs_waiting_for_review()
    review = WaitingItem(
        label=_("Planner runs waiting for review"),
        count=len(runs),
        examples=runs[:EXAMPLES],
        kind="run",
        url=link("planner:run_list", waiting=1),
        empty=_("No plan waits: start a planner run to staff the missions."),
    )
    to_staff = _item(
        _("Draft or planned missions to staff"),
        _by_first_day(missions.filter(status__in=[MissionStatus.DRAFT, MissionStatus.PLANNED])),
        kind="mission",
        url=link("planner:run_create"),
        link_label=_("Start a planner run"),
    )
    agreements = active_agreements(user)
    return HomePage(
        figures=[
            _count_figure(
                queue,
                lambda n: ngettext(
                    "request in the appraisal queue", "requests in the appraisal queue", n
                ),
            ),
            _count_figure(
                review,
                lambda n: ngettext(
                    "planner run waiting for review", "planner runs waiting for review", n
                ),
            ),
            current_missions_figure(missions, today, label=_ahead),
            agreements_figure(agreements),
        ],
        charts=[
            c for c in (requests_by_status(requests), missions_by_region(missions, today)) if c
        ],
        waiting=[queue, review, to_staff],
    )


def _regional(user: User, today: datetime.date) -> HomePage:
    requests, missions = requests_visible_to(user), missions_visible_to(user)
    submitted = _item(
        _("Requests submitted in your region"),
        requests.filter(status=RequestStatus.SUBMITTED).order_by("-created_at", "-id"),
        kind="request",
        url=link("assistance:request_list", status=RequestStatus.SUBMITTED),
    )
    ahead = _item(
        _("Missions under way or ahead in your region"),
        _missions_ahead(missions, today),
        kind="mission",
        url=link("missions:mission_list", period_from=today.isoformat()),
    )
    return HomePage(
        figures=[
            _count_figure(
                submitted,
                lambda n: ngettext(
                    "request submitted in your region", "requests submitted in your region", n
                ),
            ),
            current_missions_figure(
                missions,
                today,
                label=lambda n: ngettext(
                    "mission under way or ahead in your region",
                    "missions under way or ahead in your region",
                    n,
                ),
            ),
            agreements_figure(active_agreements(user)),
        ],
        charts=[c for c in (requests_by_status(requests), missions_by_status(missions)) if c],
        waiting=[submitted, ahead],
    )


def _member(user: User, today: datetime.date) -> HomePage:
    requests, missions = requests_visible_to(user), missions_visible_to(user)
    releases = _item(
        _("Releases to decide for your experts"),
        Assignment.objects.filter(
            expert__home_administration=user.organisation,
            status__in=RELEASE_ASKED_ASSIGNMENT_STATUSES,
            release_status=ReleaseStatus.PENDING,
        )
        .select_related("expert", "slot__mission")
        .order_by("slot__mission__start", "slot__mission__window_start", "id"),
        kind="assignment",
        url=link("roster:releases"),
    )
    ahead = _item(
        _("Your missions under way or ahead"),
        _missions_ahead(missions, today),
        kind="mission",
        url=link("missions:mission_list", period_from=today.isoformat()),
    )
    experts = experts_visible_to(user).count()
    return HomePage(
        figures=[
            _count_figure(
                releases,
                lambda n: ngettext(
                    "release to decide for your experts", "releases to decide for your experts", n
                ),
            ),
            Figure(
                value=str(experts),
                label=ngettext(
                    "expert your administration lends", "experts your administration lends", experts
                ),
                url=link("roster:expert_list"),
                count=experts,
            ),
            current_missions_figure(missions, today, label=_ahead),
        ],
        charts=[c for c in (requests_by_status(requests), missions_by_status(missions)) if c],
        waiting=[releases, ahead],
    )


def _donor(user: User, today: datetime.date) -> HomePage:
    missions = missions_visible_to(user)
    agreements = active_agreements(user)
    ahead = _item(
        _("Missions you fund, under way or ahead"),
        _missions_ahead(missions, today),
        kind="mission",
        url=link("missions:mission_list", period_from=today.isoformat()),
    )
    return HomePage(
        figures=[
            agreements_figure(agreements),
            current_missions_figure(
                missions,
                today,
                label=lambda n: ngettext(
                    "mission you fund, under way or ahead",
                    "missions you fund, under way or ahead",
                    n,
                ),
            ),
        ],
        charts=[c for c in (budget_chart(agreements), missions_by_status(missions)) if c],
        waiting=[ahead],
    )


def _expert(user: User, today: datetime.date) -> HomePage:
    expert = getattr(user, "expert", None)
    if expert is None:
        return HomePage()
    invitations = _item(
        _("Invitations to answer"),
        Assignment.objects.filter(expert=expert, status=AssignmentStatus.INVITED)
        .select_related("slot__mission", "expert")
        .order_by("slot__mission__start", "slot__mission__window_start", "id"),
        kind="assignment",
        url=link("roster:invitations"),
    )
    # Those she takes part in and that are not over: what she prepares for.
    next_ones = (
        Assignment.objects.filter(
            expert=expert,
            status__in=COMMITTED_ASSIGNMENT_STATUSES,
            slot__mission__in=current_missions(Mission.objects.all(), today),
        )
        .select_related("slot__mission", "expert")
        .order_by("slot__mission__start", "slot__mission__window_start", "id")
    )
    upcoming = _item(
        _("Your next missions"),
        next_ones,
        kind="assignment",
        url=link("roster:my_missions"),
        link_label=_("See all your missions"),
        empty=_("No mission ahead: answer your invitations, or keep your availability current."),
    )
    years = released_days(expert, today)
    return HomePage(
        figures=[
            _count_figure(
                invitations,
                lambda n: ngettext("invitation to answer", "invitations to answer", n),
            ),
            Figure(
                value=str(upcoming.count),
                label=ngettext(
                    "mission ahead that you have accepted",
                    "missions ahead that you have accepted",
                    upcoming.count,
                ),
                url=link("roster:my_missions"),
            ),
            released_figure(expert, years),
        ],
        charts=[released_chart(expert, years)],
        waiting=[invitations, upcoming],
    )


_BY_ROLE: dict[str, Callable[[User, datetime.date], HomePage]] = {
    Role.SECRETARIAT_COORDINATOR: _secretariat,
    Role.REGIONAL_COORDINATOR: _regional,
    Role.MEMBER_FOCAL_POINT: _member,
    Role.DONOR_FOCAL_POINT: _donor,
    Role.EXPERT: _expert,
}


def home_page(user: User, today: datetime.date | None = None) -> HomePage:
    """The figures, charts and waiting items of the user's role (a bounded number of
    queries, whatever the amount of data)."""
    build = _BY_ROLE.get(user.role)
    if build is None:
        return HomePage()
    return build(user, today or timezone.localdate())


def waiting_for(user: User) -> list[WaitingItem]:
    """A short list of what the user's role asks them to act on next."""
    return home_page(user).waiting
