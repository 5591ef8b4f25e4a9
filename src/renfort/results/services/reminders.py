"""The daily reminders: people who owe something hear of it once.

Who owes what, as of ``today``:

- an expert, their report on a mission delivered ``RESULTS_REPORT_REMINDER_DAYS`` (7) days or
  more after its actual last day, still missing (an expert without a login: the secretariat,
  which files on their behalf);
- a beneficiary administration (its member focal points), its evaluation of a mission
  delivered or reported ``RESULTS_EVALUATION_REMINDER_DAYS`` (14) days or more after its
  actual last day;
- an action's owner, a follow-up action due within ``RESULTS_FOLLOW_UP_NOTICE_DAYS`` (7) days,
  and again once it is overdue;
- an expert and their home administration, an accreditation that expires within
  ``RESULTS_ACCREDITATION_NOTICE_DAYS`` (60) days.

Each reminder has a key (``report:<mission>:<expert>``, ``follow_up_overdue:<action>``,
``accreditation:<id>:<expiry>``…) recorded in ``ReminderSent``, unique: a reminder is sent
once, whichever day and however many runs (two runs at once: the second waits for the first's
key, then skips it).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from renfort.accounts.models import User
from renfort.accounts.services import notification_send
from renfort.missions.models import Mission, MissionStatus
from renfort.missions.services.common import lender_focal_points, secretariat_users
from renfort.results.models import (
    Evaluation,
    FollowUpAction,
    FollowUpStatus,
    MissionDelivery,
    ReminderSent,
)
from renfort.results.participants import acting_users, missing_reports
from renfort.results.services.notices import follow_ups_link, results_link
from renfort.roster.models import Accreditation

KEY_CHUNK = 500


def _days(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, name, default)))


@dataclass
class Reminder:
    key: str
    code: str
    params: dict[str, Any]
    recipients: Sequence[User | None]
    link: str = ""


def _delivered(today: datetime.date, setting: str, default: int, statuses: set[str]) -> Any:
    cutoff = today - _days(setting, default)
    return (
        MissionDelivery.objects.filter(mission__status__in=statuses, actual_end__lte=cutoff)
        .select_related("mission")
        .order_by("actual_end", "pk")
    )


def _report_reminders(today: datetime.date) -> Iterator[Reminder]:
    deliveries = _delivered(
        today, "RESULTS_REPORT_REMINDER_DAYS", 7, {MissionStatus.DELIVERED.value}
    )
    secretariat: list[User] | None = None
    for delivery in deliveries:
        mission = delivery.mission
        for expert in missing_reports(mission):
            if expert.user is None and secretariat is None:
                secretariat = secretariat_users()
            yield Reminder(
                key=f"report:{mission.pk}:{expert.pk}",
                code="reminder.report_due",
                params=_mission(mission, delivery),
                recipients=[expert.user] if expert.user else (secretariat or []),
                link=results_link(mission),
            )


def _mission(mission: Mission, delivery: MissionDelivery) -> dict[str, Any]:
    return {
        "reference": mission.reference,
        "title": mission.title,
        "end": delivery.actual_end.isoformat(),
    }


def _evaluation_reminders(today: datetime.date) -> Iterator[Reminder]:
    deliveries = _delivered(
        today,
        "RESULTS_EVALUATION_REMINDER_DAYS",
        14,
        {MissionStatus.DELIVERED.value, MissionStatus.REPORTED.value},
    )
    for delivery in deliveries:
        mission = delivery.mission
        evaluated = set(
            Evaluation.objects.filter(mission=mission).values_list("organisation_id", flat=True)
        )
        for org in mission.beneficiaries.order_by("name"):
            if org.pk in evaluated:
                continue
            yield Reminder(
                key=f"evaluation:{mission.pk}:{org.pk}",
                code="reminder.evaluation_due",
                params={**_mission(mission, delivery), "org": org.name},
                recipients=list(acting_users(org)),
                link=results_link(mission),
            )


def _follow_up_reminders(today: datetime.date) -> Iterator[Reminder]:
    soon = today + _days("RESULTS_FOLLOW_UP_NOTICE_DAYS", 7)
    actions = (
        FollowUpAction.objects.filter(status=FollowUpStatus.OPEN, due_on__lte=soon)
        .select_related("owner", "mission")
        .order_by("due_on", "pk")
    )
    for action in actions:
        overdue = action.due_on < today
        yield Reminder(
            key=f"follow_up_{'overdue' if overdue else 'due'}:{action.pk}",
            code="reminder.follow_up_overdue" if overdue else "reminder.follow_up_due",
            params={
                "reference": action.mission.reference,
                "org": action.owner.name,
                "due": action.due_on.isoformat(),
                "note": action.description,
            },
            recipients=list(acting_users(action.owner)),
            link=follow_ups_link(),
        )


def _accreditation_reminders(today: datetime.date) -> Iterator[Reminder]:
    until = today + _days("RESULTS_ACCREDITATION_NOTICE_DAYS", 60)
    accreditations = (
        Accreditation.objects.filter(
            expert__active=True, expires_on__gte=today, expires_on__lte=until
        )
        .select_related("expert__user", "topic")
        .order_by("expires_on", "pk")
    )
    for accreditation in accreditations:
        assert accreditation.expires_on is not None  # filtered
        expert = accreditation.expert
        yield Reminder(
            key=f"accreditation:{accreditation.pk}:{accreditation.expires_on.isoformat()}",
            code="reminder.accreditation_expiring",
            params={
                "expert": str(expert),
                "topic": accreditation.topic.name,
                "status": accreditation.status,
                "expires": accreditation.expires_on.isoformat(),
            },
            recipients=[expert.user, *lender_focal_points(expert)],
        )


def _already_sent(keys: list[str]) -> set[str]:
    sent: set[str] = set()
    for i in range(0, len(keys), KEY_CHUNK):
        chunk = keys[i : i + KEY_CHUNK]
        sent.update(ReminderSent.objects.filter(key__in=chunk).values_list("key", flat=True))
    return sent


def _send_once(reminder: Reminder, today: datetime.date) -> bool:
    """Record the reminder's key, then send it; False when its key is there already."""
    recipients = [u for u in reminder.recipients if u is not None and u.is_active]
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                key=reminder.key,
                code=reminder.code,
                sent_on=today,
                recipients=min(len(recipients), 32767),
            )
    except IntegrityError:  # another run sent it meanwhile
        return False
    notification_send(
        recipients=recipients, code=reminder.code, params=reminder.params, link=reminder.link
    )
    return True


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send today's reminders (see the module's docstring), each once; returns how many of
    each kind went out, by message code."""
    today = today or timezone.localdate()
    due = [
        *_report_reminders(today),
        *_evaluation_reminders(today),
        *_follow_up_reminders(today),
        *_accreditation_reminders(today),
    ]
    sent = _already_sent([r.key for r in due])
    counts: Counter[str] = Counter()
    for reminder in due:
        if reminder.key not in sent and _send_once(reminder, today):
            counts[reminder.code] += 1
    return dict(counts)
