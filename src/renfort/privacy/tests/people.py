"""A person Renfort holds much about, to prove that erasure leaves no trace of them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from renfort.accounts.models import Invitation, Role, User
from renfort.accounts.services import notification_send
from renfort.missions.models import Assignment, AssignmentStatus, AssignmentStatusChange
from renfort.results.models import MissionReport
from renfort.roster.models import Expert, ReleaseStatus, Unavailability
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_user,
    next_year,
    persona_mission,
)

FIRST = "Zebulon"
LAST = "Quixotewright"
EMAIL = "zebulon.quixotewright@example.net"
OLD_EMAIL = "zq.old-address@example.net"


@dataclass
class RichPerson:
    expert: Expert
    user: User
    assignment: Assignment

    @property
    def needles(self) -> list[str]:
        return [f"{FIRST} {LAST}", FIRST, LAST, EMAIL, OLD_EMAIL]


def make_rich_person(p: Personas) -> RichPerson:
    """An expert of France with a login, skills, unavailable periods (one withdrawn), an
    e-mail changed once (history), an assignment with a history, notifications to and about
    them, an invitation, a report naming them, an admin log entry and an open session."""
    user = make_user(
        Role.EXPERT,
        p.admin_b,
        username=OLD_EMAIL,
        email=OLD_EMAIL,
        first_name=FIRST,
        last_name=LAST,
    )
    expert = make_expert(
        home_administration=p.admin_b,
        first_name=FIRST,
        last_name=LAST,
        email=OLD_EMAIL,
        user=user,
        skills={"risk_management": 3, "aeo": 2},
    )
    expert.email = EMAIL  # a change the field history (when installed) remembers
    expert.save()
    user.email = EMAIL
    user.username = EMAIL
    user.save()
    Unavailability.objects.create(
        expert=expert,
        start=next_year(7, 1),
        end=next_year(7, 10),
        reason=f"Wedding of {FIRST} {LAST}",
    )
    mission = persona_mission(p)
    mission.objectives = f"Led by {FIRST} {LAST} ({EMAIL})."
    mission.save()
    assignment = make_assignment(
        mission.slots.get(),
        expert,
        status=AssignmentStatus.DECLINED,
        release_status=ReleaseStatus.GRANTED,
    )
    assignment.decline_reason = f"{FIRST} is at a conference."
    assignment.save()
    AssignmentStatusChange.objects.create(
        assignment=assignment,
        from_status=AssignmentStatus.INVITED,
        to_status=AssignmentStatus.DECLINED,
        by=user,
        note=f"{FIRST} {LAST} cannot come.",
        note_code="assignment.replaced_by",
        note_params={"expert": f"{FIRST} {LAST}"},
    )
    notification_send(
        recipients=[user],
        code="assignment.invited",
        params={
            "reference": mission.reference,
            "title": mission.title,
            "dates": [str(mission.start), str(mission.end)],
            "slot": "S1",
        },
    )
    notification_send(
        recipients=[p.lender, p.secretariat],
        code="assignment.release_asked",
        params={
            "expert": f"{FIRST} {LAST}",
            "reference": mission.reference,
            "title": mission.title,
            "dates": [str(mission.start), str(mission.end)],
        },
    )
    now = timezone.now()
    Invitation.objects.create(
        invited_by=p.lender,
        organisation=p.admin_b,
        role=Role.EXPERT,
        email=EMAIL,
        first_name=FIRST,
        last_name=LAST,
        expert=expert,
        token_hash="a" * 64,
        created_at=now - datetime.timedelta(days=3),
        expires_at=now + datetime.timedelta(days=4),
    )
    MissionReport.objects.create(
        mission=mission,
        author=expert,
        filed_by=user,
        activities=f"Training given by {LAST}, {FIRST} and a colleague.",
    )
    LogEntry.objects.create(
        user=p.secretariat,
        content_type=ContentType.objects.get_for_model(Expert),
        object_id=str(expert.pk),
        object_repr=str(expert),
        action_flag=CHANGE,
        change_message="[]",
    )
    return RichPerson(expert=expert, user=user, assignment=assignment)


def tables_holding(needles: list[str]) -> dict[str, set[str]]:
    """Needle → the tables where some column of some row contains it (case-insensitive),
    reading every row of every table of the database, whatever the column types."""
    import json

    forms = {n: {n.lower(), json.dumps(n)[1:-1].lower()} for n in needles}
    found: dict[str, set[str]] = {n: set() for n in needles}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, (bytes, memoryview)):
                        text = bytes(value).decode("utf-8", "replace").lower()
                    else:
                        text = str(value).lower()
                    for needle, shapes in forms.items():
                        if any(s in text for s in shapes):
                            found[needle].add(table)
    return found
