"""The demo shows what follows its delivered missions, the same from one build to the next."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from renfort.accounts.models import User
from renfort.assistance.models import RequestStatus
from renfort.missions.models import DONE_MISSION_STATUSES, Mission, MissionStatus
from renfort.results.models import (
    Direction,
    Evaluation,
    ExpertRating,
    FollowUpAction,
    FollowUpStatus,
    Indicator,
    IndicatorActual,
    MissionDelivery,
    MissionReport,
)
from renfort.results.participants import missing_reports, mission_experts

TODAY = datetime.date(2026, 11, 29)


def fingerprint() -> list[object]:
    """What must not change from one build to the next (ids and timestamps aside)."""
    return [
        sorted(
            (d.mission.reference, d.actual_start, d.actual_end)
            for d in MissionDelivery.objects.select_related("mission")
        ),
        sorted(
            (r.mission.reference, r.author.last_name, r.activities, r.findings)
            for r in MissionReport.objects.select_related("mission", "author")
        ),
        sorted(
            (f.mission.reference, f.owner.name, f.description, f.due_on, f.status, f.done_on)
            for f in FollowUpAction.objects.select_related("mission", "owner")
        ),
        sorted(
            (e.mission.reference, e.organisation.name, e.rating, e.comments)
            for e in Evaluation.objects.select_related("mission", "organisation")
        ),
        sorted(
            (r.evaluation.mission.reference, r.expert.last_name, r.rating, r.comment)
            for r in ExpertRating.objects.select_related("evaluation__mission", "expert")
        ),
        sorted(
            (
                a.indicator.name,
                a.period_start,
                a.value,
                a.recorded_by.username if a.recorded_by else "",
            )
            for a in IndicatorActual.objects.select_related("indicator", "recorded_by")
        ),
    ]


def _build(*args: str) -> None:
    call_command("demo", "--small", f"--today={TODAY.isoformat()}", *args, stdout=StringIO())


@pytest.mark.sqlite_only  # the demo's content: the same on both databases
@pytest.mark.django_db
def test_the_demo_shows_what_follows_missions() -> None:
    """(That it builds the same twice is checked with the whole demo, in demo/tests.)"""
    _build()
    done = Mission.objects.filter(status__in=list(DONE_MISSION_STATUSES))
    assert {m.status for m in done} == {"delivered", "reported", "closed"}
    for mission in done:
        assert MissionDelivery.objects.filter(mission=mission).exists(), mission
        missing = missing_reports(mission)
        if mission.status == MissionStatus.DELIVERED:
            assert missing, mission
        else:
            assert not missing, mission
        if mission.status == MissionStatus.CLOSED:
            evaluation = mission.evaluations.first()
            assert evaluation is not None
            rated = set(evaluation.ratings.values_list("expert_id", flat=True))
            assert rated == {e.pk for e in mission_experts(mission)}
            assert set(mission.requests.values_list("status", flat=True)) == {RequestStatus.CLOSED}
    actions = FollowUpAction.objects.all()
    assert actions.filter(status=FollowUpStatus.DONE).exclude(done_note="").exists()
    assert actions.filter(status=FollowUpStatus.OPEN, due_on__lt=TODAY).exists()  # overdue
    member = User.objects.get(username="member")
    assert actions.filter(owner=member.organisation).exists()
    assert ExpertRating.objects.filter(expert__user__username="expert").exists()
    assert {i.direction for i in Indicator.objects.all()} == set(Direction.values)
    assert not IndicatorActual.objects.filter(recorded_by__isnull=True).exists()
