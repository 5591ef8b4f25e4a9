"""``renfort demo``: the small demo builds every workflow, through the services, within the
rules, deterministically; its logins work."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfort.accounts.models import Notification, Organisation, OrganisationKind, Region, User
from renfort.accounts.two_factor import current_code
from renfort.agreements.models import Agreement, AgreementKind
from renfort.assistance.models import Request, RequestStatus
from renfort.demo.context import anchor_for
from renfort.demo.logins import (
    TWO_FACTOR_DEMO_KEY,
    TWO_FACTOR_DEMO_LOGINS,
    Login,
    login_table,
)
from renfort.home.selectors import waiting_for
from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.rules import assignment_problem_list
from renfort.planning.models import (
    PlannerRun,
    PlannerRunStatus,
    PoolGapRefresh,
    PoolGapSnapshot,
)
from renfort.results.models import (
    DeliveryPlan,
    Evaluation,
    IndicatorActual,
    MissionReport,
    Objective,
)
from renfort.results.tests.test_demo_results import fingerprint as results_fingerprint
from renfort.roster.models import Expert, ReleaseStatus

TODAY = datetime.date(2026, 11, 29)


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--small", f"--today={TODAY.isoformat()}", *args, stdout=out)
    return out.getvalue()


def logins(output: str) -> dict[str, str]:
    """``{username: password}`` read from the table the command prints."""
    found = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1] not in {"", "Username"} and line.startswith("|"):
            found[cells[1]] = cells[2]
    return found


def fingerprint() -> list[tuple[object, ...]]:
    """What must be the same from one build to the next (ids and timestamps aside)."""
    experts = [
        (e.first_name, e.last_name, e.home_administration.country, tuple(e.languages))
        for e in Expert.objects.select_related("home_administration").order_by("id")
    ]
    missions = [
        (m.reference, m.title, m.status, m.start, m.end, m.window_start, m.language)
        for m in Mission.objects.order_by("reference")
    ]
    requests = [(r.reference, r.title, r.status) for r in Request.objects.order_by("reference")]
    assignments = [
        (a.slot.code, a.expert.last_name, a.status, a.release_status)
        for a in Assignment.objects.select_related("slot__mission", "expert").order_by("id")
    ]
    return [*experts, *missions, *requests, *assignments]


def test_anchor_is_the_first_monday_of_next_month() -> None:
    assert anchor_for(datetime.date(2026, 11, 29)) == datetime.date(2026, 12, 7)
    assert anchor_for(datetime.date(2026, 12, 1)) == datetime.date(2027, 1, 4)
    assert anchor_for(datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 1)


def test_login_table_lists_role_username_password() -> None:
    table = login_table([Login("Expert", "expert", "expert-demo", "Ana Lima, France")])
    assert "| Role" in table and "| Expert " in table and "expert-demo" in table


@pytest.mark.django_db
def test_small_demo_shows_every_workflow_within_the_rules(client: Client) -> None:
    output = run_demo()

    # Reference data: real regions, countries, lenders, donors, offices.
    members = Organisation.objects.filter(kind=OrganisationKind.MEMBER_ADMINISTRATION)
    assert members.count() >= 20
    assert {m.region for m in members} == set(Region.values)
    assert members.filter(lends_experts=True).count() >= 15
    assert all(len(m.country) == 2 and m.country.isupper() for m in members)
    assert Organisation.objects.filter(kind=OrganisationKind.DONOR_AGENCY).count() >= 3
    assert Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).count() == 1
    offices = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_OFFICE)
    assert {o.region for o in offices} == set(Region.values)
    assert Expert.objects.count() == 70
    assert set(Expert.objects.values_list("release_status", flat=True)) >= {
        ReleaseStatus.GRANTED,
        ReleaseStatus.PENDING,
    }

    # Every status of every workflow is present.
    assert set(Request.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(Mission.objects.values_list("status", flat=True)) == set(MissionStatus.values)
    assert set(Assignment.objects.values_list("status", flat=True)) == set(AssignmentStatus.values)
    assert Request.objects.count() >= 30
    assert Mission.objects.count() >= 20
    # Histories come from the services: every request and mission has one from its creation.
    for request in Request.objects.prefetch_related("history"):
        steps = list(request.history.all())
        assert steps[0].to_status == RequestStatus.SUBMITTED
        assert steps[-1].to_status == request.status
    for mission in Mission.objects.prefetch_related("history"):
        changes = list(mission.history.all())
        assert changes[0].to_status == MissionStatus.DRAFT
        assert changes[-1].to_status == mission.status
    declined = Request.objects.filter(status=RequestStatus.DECLINED)
    assert all(r.decline_reason for r in declined)
    assert any(r.administrations.count() > 1 for r in Request.objects.all())
    assert any(m.requests.count() > 1 for m in Mission.objects.all())
    assert Mission.objects.filter(start__isnull=True, window_start__isnull=False).exists()
    assert {a.kind for a in Agreement.objects.all()} == set(AgreementKind.values)
    assert IndicatorActual.objects.exists()
    assert MissionReport.objects.exists() and Evaluation.objects.exists()
    # Unstaffed missions are left for the planner.
    assert Mission.objects.filter(
        status__in=[MissionStatus.DRAFT, MissionStatus.PLANNED], slots__assignments__isnull=True
    ).exists()

    # Every active assignment keeps every rule (a delivered mission takes no new experts:
    # that rule is about new assignments, not those that were made in time).
    for assignment in Assignment.objects.filter(status__in=list(ACTIVE_ASSIGNMENT_STATUSES)):
        problems = [
            p.message
            for p in assignment_problem_list(
                slot=assignment.slot, expert=assignment.expert, exclude=assignment
            )
            if not (
                p.code == "mission_status"
                and assignment.slot.mission.status not in STAFFABLE_MISSION_STATUSES
            )
        ]
        assert problems == [], (assignment, problems)

    # One login per role, printed, and each one signs in.
    printed = logins(output)
    assert set(printed) == {
        "admin",
        "secretariat",
        "regional",
        "member",
        "lender",
        "donor",
        "expert",
    }
    for username, password in printed.items():
        browser = Client()
        assert browser.login(username=username, password=password), username
        if username in TWO_FACTOR_DEMO_LOGINS:  # the secretariat's second step, demo secret
            assert browser.get(reverse("home")).status_code == 302
            code = current_code(TWO_FACTOR_DEMO_KEY)
            response = browser.post(reverse("accounts:two_factor_verify"), {"code": code})
            assert response.status_code == 302, username
            TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
        assert browser.get(reverse("home")).status_code == 200
    assert "renfort totp secretariat" in output
    assert User.objects.get(username="admin").is_superuser

    # Each persona has work waiting.
    def waiting(username: str) -> dict[str, int]:
        return {str(w.label): w.count for w in waiting_for(User.objects.get(username=username))}

    member = User.objects.get(username="member")
    open_requests = Request.objects.filter(administrations=member.organisation).exclude(
        status__in=[RequestStatus.CLOSED, RequestStatus.DECLINED]
    )
    assert open_requests.filter(status=RequestStatus.SUBMITTED).exists()
    assert Assignment.objects.filter(
        expert__home_administration=member.organisation,
        status__in=[AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED],
        release_status=ReleaseStatus.PENDING,
    ).exists()
    # ... and a scheduled mission whose experts all accepted and were released: its focal
    # point can confirm the dates.
    ready = Mission.objects.filter(
        beneficiaries=member.organisation, status=MissionStatus.SCHEDULED
    ).first()
    assert ready is not None
    held = {a.slot_id: a for a in Assignment.objects.filter(slot__mission=ready, status="accepted")}
    assert all(
        slot.pk in held and held[slot.pk].release_status == ReleaseStatus.GRANTED
        for slot in ready.slots.all()
    )
    # A finished planner run waits for review; it left missions unstaffed.
    run = PlannerRun.objects.get()
    assert run.status == PlannerRunStatus.DONE
    # The pool gaps of the whole plan are stored, and no refresh is waiting.
    snapshot = PoolGapSnapshot.objects.get()
    assert snapshot.gaps.exists() and snapshot.mission_count > 0
    assert not PoolGapRefresh.objects.filter(queued_at__isnull=False).exists()
    lender = User.objects.get(username="lender")
    assert Assignment.objects.filter(
        expert__home_administration=lender.organisation, release_status=ReleaseStatus.PENDING
    ).exists()
    expert = Expert.objects.get(user__username="expert")
    statuses = set(expert.assignments.values_list("status", flat=True))
    assert {AssignmentStatus.INVITED, AssignmentStatus.CONFIRMED} <= statuses
    assert all(count > 0 for count in waiting("donor").values())
    regional = User.objects.get(username="regional")
    assert Mission.objects.filter(beneficiaries__region=regional.region).exists()
    assert Request.objects.filter(administrations__region=regional.region).exists()
    for username in printed:
        assert Notification.objects.filter(recipient__username=username).exists(), username


# --reset flushes (TRUNCATE on PostgreSQL), which cannot run inside a test's transaction;
# serialized_rollback puts the seeded topics back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_refuses_existing_data_keeps_it_if_asked_and_reset_rebuilds_the_same() -> None:
    run_demo()
    first = fingerprint()
    with pytest.raises(CommandError, match="--reset"):
        run_demo()
    kept = run_demo("--if-empty")
    assert "left as it is" in kept and logins(kept)["member"] == "member-demo"
    assert fingerprint() == first
    after = results_fingerprint(), _framework()
    run_demo("--reset")
    assert fingerprint() == first
    # What follows the missions (reports, follow-ups, evaluations, ratings, actuals) and the
    # results framework (objectives, the published plan) are rebuilt the same too.
    assert (results_fingerprint(), _framework()) == after


def _framework() -> tuple[list[str], list[tuple[int, str]]]:
    titles = sorted(Objective.objects.values_list("title", flat=True))
    plans = list(DeliveryPlan.objects.order_by("year").values_list("year", "status"))
    return titles, plans


@pytest.mark.django_db
def test_demo_refuses_a_day_in_the_future() -> None:
    future = datetime.date.today() + datetime.timedelta(days=400)
    with pytest.raises(CommandError, match="in the future"):
        call_command("demo", "--small", f"--today={future.isoformat()}", stdout=StringIO())
    assert not Organisation.objects.exists()
