"""``renfort demo --years N``: years of history in bulk beside the demo, in the demo's
proportions, every status history a chain ending at its status, and no rule broken (the bulk
check finds a broken rule when there is one)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renfort.accounts.models import Notification, ReferenceCounter
from renfort.assistance.models import Request, RequestStatus
from renfort.demo.integrity import rule_violations, status_history_mismatches
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
    MissionStatusChange,
)
from renfort.results.models import Evaluation, MissionReport
from renfort.roster.models import Expert

TODAY = datetime.date(2026, 11, 29)
YEARS = (2024, 2025)


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--small", f"--today={TODAY.isoformat()}", *args, stdout=out)
    return out.getvalue()


def history(model: type[Mission] | type[Request], year: int) -> int:
    prefix = "M" if model is Mission else "R"
    return model.objects.filter(reference__startswith=f"{prefix}-{year}-").count()


@pytest.mark.django_db
def test_years_of_history_beside_the_demo_keep_every_rule() -> None:
    demo_missions = Mission.objects.count()
    output = run("--years=2", "--scale=0.03")
    assert "0 violations." in output
    assert Mission.objects.filter(reference__startswith="M-2026-").count() > demo_missions
    # Each year in the demo's proportions: 1,000 missions and 1,500 requests at scale 1.
    for year in YEARS:
        missions, requests = history(Mission, year), history(Request, year)
        assert 25 <= missions <= 30, (year, missions)
        assert requests == 45, (year, requests)
        assert ReferenceCounter.objects.get(prefix="M", year=year).last == missions
    # 300 experts a year at scale 1, beside the demo's 70.
    assert Expert.objects.count() == 70 + 18
    past = Mission.objects.filter(reference__regex=r"^M-202[45]-")
    statuses = set(past.values_list("status", flat=True))
    assert statuses >= {MissionStatus.CLOSED, MissionStatus.CANCELLED}
    assert statuses <= {
        MissionStatus.CLOSED,
        MissionStatus.CANCELLED,
        MissionStatus.REPORTED,
        MissionStatus.DELIVERED,
    }
    closed = past.filter(status=MissionStatus.CLOSED)
    assert past.count() * 0.8 <= closed.count()
    done = Assignment.objects.filter(slot__mission__in=past, status=AssignmentStatus.COMPLETED)
    assert done.count() >= past.count()
    assert set(
        Assignment.objects.filter(slot__mission__in=past).values_list("status", flat=True)
    ) >= {AssignmentStatus.COMPLETED, AssignmentStatus.DECLINED, AssignmentStatus.WITHDRAWN}
    assert MissionReport.objects.filter(mission__in=past).count() >= done.count() * 0.8
    assert Evaluation.objects.filter(mission__in=closed).count() >= closed.count()
    assert set(
        Request.objects.filter(reference__regex=r"^R-202[45]-").values_list("status", flat=True)
    ) >= {RequestStatus.CLOSED, RequestStatus.DECLINED}
    # Work happened when it says: in its year (closing early the next), never after today.
    first = MissionStatusChange.objects.filter(mission__in=past).order_by("at").first()
    assert first is not None and first.at.year >= YEARS[0] - 1
    assert not MissionStatusChange.objects.filter(mission__in=past, at__date__gte=TODAY).exists()
    assert Notification.objects.filter(created_at__year=2025).count() > 10 * past.count() // 2

    # The check is not blind: a broken rule and a broken history are found and fail the
    # command.
    assignment = done.select_related("expert").first()
    assert assignment is not None
    Expert.objects.filter(pk=assignment.expert_id).update(languages=["xx"])
    assert rule_violations()["language"] >= 1
    Mission.objects.filter(pk=assignment.slot.mission_id).update(status=MissionStatus.PLANNED)
    assert status_history_mismatches()["mission_status_history"] == 1
    with pytest.raises(CommandError, match="already holds missions of 2025"):
        run("--years=2", "--scale=0.03")


@pytest.mark.django_db
def test_years_out_of_range_are_refused() -> None:
    with pytest.raises(CommandError, match="--years -1"):
        run("--years=-1")
    with pytest.raises(CommandError, match=r"--scale 0\.0"):
        run("--years=1", "--scale=0")
    assert not Mission.objects.exists()
