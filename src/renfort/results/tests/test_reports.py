"""Each expert of a delivered mission files a report with its follow-up actions; the mission
is reported when every report is in."""

from __future__ import annotations

import datetime

import pytest

from renfort.accounts.models import Notification
from renfort.missions.models import MissionStatus
from renfort.results.models import FollowUpAction, FollowUpStatus
from renfort.results.services import FollowUpSpec, mission_report_submit
from renfort.results.tests.factories import (
    PAST,
    TODAY,
    confirmed,
    delivered,
    second_expert,
    user_of,
)
from renfort.testing import Personas, make_assignment, make_expert, refuses

pytestmark = pytest.mark.django_db
LATER = TODAY + datetime.timedelta(days=30)


def _report(p: Personas, mission, expert=None, by=None, **kwargs):
    expert = expert or p.expert
    return mission_report_submit(
        mission=mission,
        author=expert,
        by=by or expert.user,
        activities=kwargs.pop("activities", "Two workshops."),
        findings=kwargs.pop("findings", "Manual risk profiles."),
        **kwargs,
    )


def test_a_report_with_follow_ups_reports_the_mission(personas: Personas) -> None:
    mission = delivered(personas)
    report = _report(
        personas,
        mission,
        recommendations="Automate the profiles.",
        follow_ups=[
            FollowUpSpec("Adopt the risk policy.", personas.admin_a, LATER),
            FollowUpSpec("Send the trainer's kit.", personas.secretariat_org, LATER),
        ],
    )
    assert (report.author, report.filed_by) == (personas.expert, personas.expert_user)
    actions = list(FollowUpAction.objects.order_by("pk"))
    assert [(a.owner, a.status, a.mission) for a in actions] == [
        (personas.admin_a, FollowUpStatus.OPEN, mission),
        (personas.secretariat_org, FollowUpStatus.OPEN, mission),
    ]
    mission.refresh_from_db()
    assert mission.status == MissionStatus.REPORTED
    codes = set(Notification.objects.values_list("recipient__username", "code"))
    assert {
        ("secretariat", "report.submitted"),
        ("member", "follow_up.assigned"),
        ("secretariat", "follow_up.assigned"),
        ("member", "mission.reported"),
    } <= codes


def test_the_mission_is_reported_when_every_expert_has_reported(personas: Personas) -> None:
    bruno = second_expert(personas)
    mission = delivered(personas, experts=(personas.expert, bruno))
    _report(personas, mission)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DELIVERED  # Bruno's report is missing
    _report(personas, mission, expert=bruno)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.REPORTED
    assert [c.to_status for c in mission.history.all()] == [MissionStatus.REPORTED]


def test_the_secretariat_files_on_an_experts_behalf(personas: Personas) -> None:
    report = _report(personas, delivered(personas), by=personas.secretariat)
    assert report.filed_by == personas.secretariat


def test_someone_not_on_the_mission_does_not_report(personas: Personas) -> None:
    mission = delivered(personas)
    stranger = make_expert(home_administration=personas.admin_b, first_name="Zoe")
    refuses(
        mission_report_submit,
        text=f"{stranger} was not assigned to mission {mission.reference}",
        field="author",
        mission=mission,
        author=stranger,
        by=personas.secretariat,
        activities="I was not there.",
    )
    withdrawn = make_expert(home_administration=personas.admin_c, first_name="Wim")
    make_assignment(mission.slots.get(), withdrawn, status="withdrawn")
    refuses(
        mission_report_submit,
        text="was not assigned",
        field="author",
        mission=mission,
        author=withdrawn,
        by=personas.secretariat,
        activities="x",
    )


@pytest.mark.parametrize("who", ["member", "lender", "donor", "outsider"])
def test_only_the_expert_or_the_secretariat_files_it(personas: Personas, who: str) -> None:
    refuses(
        mission_report_submit,
        text="or the secretariat on their behalf, files their report",
        field="by",
        mission=delivered(personas),
        author=personas.expert,
        by=getattr(personas, who),
        activities="Done.",
    )


def test_another_expert_does_not_file_it(personas: Personas) -> None:
    bruno = second_expert(personas)
    mission = delivered(personas, experts=(personas.expert, bruno))
    refuses(
        mission_report_submit,
        text="files their report",
        field="by",
        mission=mission,
        author=personas.expert,
        by=user_of(bruno),
        activities="Done.",
    )


def test_one_report_per_expert(personas: Personas) -> None:
    bruno = second_expert(personas)
    mission = delivered(personas, experts=(personas.expert, bruno))
    _report(personas, mission)
    refuses(
        mission_report_submit,
        text="has already filed a report",
        field="author",
        mission=mission,
        author=personas.expert,
        by=personas.expert_user,
        activities="Again.",
    )


def test_a_report_follows_delivery(personas: Personas) -> None:
    refuses(
        mission_report_submit,
        text="a report follows a delivered mission",
        field="mission",
        mission=confirmed(personas),
        author=personas.expert,
        by=personas.expert_user,
        activities="Early.",
    )
    refuses(
        mission_report_submit,
        text="Activities: say what the mission did.",
        field="activities",
        mission=delivered(personas),
        author=personas.expert,
        by=personas.expert_user,
        activities=" ",
    )


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (("", "A", LATER), "Follow-up action 1: say what is to be done."),
        (("x" * 2001, "A", LATER), "Follow-up action 1: Action: 2001 characters, at most 2000."),
        (("Act.", "C", LATER), "is neither a beneficiary of mission"),
        (("Act.", "A", PAST), "before the mission's last day"),
        (("Act.", "A", datetime.date(2101, 1, 1)), "Follow-up action 1, due on: 2101-01-01 is"),
    ],
)
def test_follow_up_actions_are_checked(personas: Personas, spec, text) -> None:
    description, owner, due = spec
    org = {"A": personas.admin_a, "C": personas.admin_c}[owner]
    refuses(
        mission_report_submit,
        text=text,
        field="follow_ups",
        mission=delivered(personas),
        author=personas.expert,
        by=personas.expert_user,
        activities="Done.",
        follow_ups=[FollowUpSpec(description, org, due)],
    )


def test_a_report_asks_for_ten_actions_at_most(personas: Personas) -> None:
    refuses(
        mission_report_submit,
        text="Follow-up actions: 11, at most 10",
        field="follow_ups",
        mission=delivered(personas),
        author=personas.expert,
        by=personas.expert_user,
        activities="Done.",
        follow_ups=[FollowUpSpec("Act.", personas.admin_a, LATER)] * 11,
    )
