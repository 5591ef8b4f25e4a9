"""The secretariat marks a mission delivered with the days it actually ran."""

from __future__ import annotations

import datetime

import pytest

from renfort.accounts.models import Notification
from renfort.assistance.models import RequestStatus
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.missions.services import mission_transition
from renfort.results.models import MissionDelivery
from renfort.results.services import mission_deliver
from renfort.results.tests.factories import PAST, TODAY, confirmed
from renfort.testing import Personas, refuses

pytestmark = pytest.mark.django_db
END = PAST + datetime.timedelta(days=4)


def test_delivering_records_the_actual_dates_and_asks_for_reports(personas: Personas) -> None:
    mission = confirmed(personas)
    mission.requests.update(status=RequestStatus.PLANNED)
    delivery = mission_deliver(
        mission=mission,
        by=personas.secretariat,
        actual_start=PAST + datetime.timedelta(days=1),
        actual_end=END,
        note="Started a day late: flights.",
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DELIVERED
    assert (mission.start, mission.end) == (PAST, END)  # the plan stays as it was
    assert (delivery.actual_start, delivery.actual_end, delivery.days) == (
        PAST + datetime.timedelta(days=1),
        END,
        4,
    )
    assert mission.history.get().to_status == MissionStatus.DELIVERED
    assignment = mission.slots.get().assignments.get()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert mission.requests.get().status == RequestStatus.DELIVERED
    told = set(Notification.objects.values_list("recipient__username", "code"))
    assert {
        ("expert", "mission.delivered_report_due"),
        ("member", "mission.delivered_evaluation_due"),
    } <= told
    assert {code for _, code in told} == {
        "mission.delivered_report_due",
        "mission.delivered_evaluation_due",
        "request.status_changed",
    }


@pytest.mark.parametrize(
    ("start", "end", "field", "text"),
    [
        (END, PAST, "actual_end", f"Actual last day: {PAST} is before the actual first day"),
        (PAST, TODAY + datetime.timedelta(days=1), "actual_end", "is after today"),
        (datetime.date(1999, 12, 31), END, "actual_start", "Actual first day: 1999-12-31 is out"),
        (PAST, datetime.date(2101, 1, 1), "actual_end", "Actual last day: 2101-01-01 is outside"),
    ],
)
def test_the_actual_dates_are_in_range_and_in_order(
    personas: Personas, start, end, field, text
) -> None:
    refuses(
        mission_deliver,
        text=text,
        field=field,
        mission=confirmed(personas),
        by=personas.secretariat,
        actual_start=start,
        actual_end=end,
    )


@pytest.mark.parametrize("who", ["member", "donor", "regional", "expert_user", "lender"])
def test_only_the_secretariat_delivers(personas: Personas, who: str) -> None:
    refuses(
        mission_deliver,
        text="only a secretariat coordinator marks a mission delivered",
        field="by",
        mission=confirmed(personas),
        by=getattr(personas, who),
        actual_start=PAST,
        actual_end=END,
    )


@pytest.mark.parametrize("status", ["scheduled", "delivered", "closed", "cancelled"])
def test_only_a_confirmed_mission_is_delivered(personas: Personas, status: str) -> None:
    mission = confirmed(personas)
    type(mission).objects.filter(pk=mission.pk).update(status=status)
    refuses(
        mission_deliver,
        text="only a confirmed mission is marked delivered",
        field="mission",
        mission=mission,
        by=personas.secretariat,
        actual_start=PAST,
        actual_end=END,
    )


def test_the_status_alone_does_not_deliver(personas: Personas) -> None:
    """The generic status change asks for the delivery's dates first."""
    refuses(
        mission_transition,
        text="record its delivery with the days it actually ran",
        mission=confirmed(personas),
        to_status=MissionStatus.DELIVERED,
        by=personas.secretariat,
    )


def test_a_mission_still_running_is_not_delivered(personas: Personas) -> None:
    mission = confirmed(personas)
    type(mission).objects.filter(pk=mission.pk).update(end=TODAY + datetime.timedelta(days=2))
    mission.refresh_from_db()
    # Cut short, it may be delivered before its planned end.
    mission_deliver(mission=mission, by=personas.secretariat, actual_start=PAST, actual_end=END)
    assert MissionDelivery.objects.get().actual_end == END


def test_the_note_has_a_limit(personas: Personas) -> None:
    refuses(
        mission_deliver,
        text="Note: 2001 characters, at most 2000.",
        field="note",
        mission=confirmed(personas),
        by=personas.secretariat,
        actual_start=PAST,
        actual_end=END,
        note="n" * 2001,
    )
