"""Build the demo data set through the services, deterministically.

The same seed and the same day give the same data. Dates hang on an *anchor*, the first
Monday of next month: delivered work lies before it, the plan of missions over the year after
it. Every write that has a service goes through it (so histories, notifications and rules are
those of real use); organisations and users, which have no service, are created directly.

The plan of each staffed mission is drawn *expert first* (see ``plans.py``), so every
assignment keeps every rule — and ``missions.rules.assignment_problems`` has the last word
before each one is written.

The steps, in the order they run (the order of the random draws, so do not reorder them):
``organisations`` (and their users), ``experts``, ``plans`` then ``missions`` (with their
``requests``), the open ``requests``, ``agreements`` and results, a planner run, ``timeline``
(believable dates), ``inboxes``; after the commit, the pool gaps snapshot.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.db import transaction
from django.test.utils import override_settings

from renfort.accounts.models import Organisation, OrganisationKind
from renfort.agreements.models import Agreement
from renfort.assistance.models import Request
from renfort.demo.agreements import build_agreements
from renfort.demo.context import BuildContext
from renfort.demo.experts import build_experts
from renfort.demo.inboxes import welcome
from renfort.demo.logins import DEMO_LOGINS, Login, two_factor_demo_enrol
from renfort.demo.missions import realise
from renfort.demo.organisations import build_organisations, build_users
from renfort.demo.plans import plan_missions
from renfort.demo.requests import build_open_requests
from renfort.demo.results import build_results
from renfort.demo.timeline import Timeline
from renfort.missions.models import Assignment, Mission
from renfort.planning.gap_snapshots import pool_gaps_refresh
from renfort.planning.services import planner_run_create
from renfort.planning.solving import planner_run_execute
from renfort.results.models import Evaluation, Indicator, MissionReport
from renfort.roster.models import Expert

DEFAULT_SEED = 2027


@dataclass
class DemoResult:
    logins: list[Login]
    counts: dict[str, int]
    anchor: datetime.date
    seconds: float = 0.0


def build_demo(
    *, seed: int = DEFAULT_SEED, small: bool = False, today: datetime.date | None = None
) -> DemoResult:
    """Build the whole demo in one transaction, store its pool gaps, and return the logins
    and counts.

    Mail is not sent while building (notifications still fill the in-app inboxes).
    """
    started = time.perf_counter()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        ctx = BuildContext(seed=seed, small=small, today=today or datetime.date.today())
        result = _build(ctx)
    # The pool gaps of the plan just built, stored now rather than when a worker next runs
    # (the commit queued a refresh too: it will find nothing changed).
    pool_gaps_refresh()
    result.seconds = time.perf_counter() - started
    return result


def _build(ctx: BuildContext) -> DemoResult:
    build_organisations(ctx)
    build_users(ctx)
    two_factor_demo_enrol()
    build_experts(ctx)
    plans = plan_missions(ctx)
    for plan in plans:
        ctx.missions.append((plan, realise(ctx, plan)))
    build_open_requests(ctx)
    build_agreements(ctx)
    build_results(ctx)
    _build_planner_run(ctx)
    Timeline(rng=ctx.rng, today=ctx.today).apply(Mission.objects.order_by("reference"))
    welcome(ctx)
    order = list(DEMO_LOGINS)
    logins = sorted(ctx.logins, key=lambda x: order.index(x.username))
    return DemoResult(logins=logins, counts=_counts(), anchor=ctx.anchor)


def _build_planner_run(ctx: BuildContext) -> None:
    """A finished planner run over the coming year, waiting for the secretariat's review
    (its unstaffed missions show on the run's page)."""
    run = planner_run_create(by=ctx.coordinator, period_start=ctx.anchor, period_end=ctx.day(365))
    planner_run_execute(run_id=run.pk)


def _counts() -> dict[str, int]:
    return {
        "member administrations": Organisation.objects.filter(
            kind=OrganisationKind.MEMBER_ADMINISTRATION
        ).count(),
        "lending administrations": Organisation.objects.filter(lends_experts=True).count(),
        "experts": Expert.objects.count(),
        "requests": Request.objects.count(),
        "missions": Mission.objects.count(),
        "assignments": Assignment.objects.count(),
        "agreements": Agreement.objects.count(),
        "indicators": Indicator.objects.count(),
        "mission reports": MissionReport.objects.count(),
        "evaluations": Evaluation.objects.count(),
    }
