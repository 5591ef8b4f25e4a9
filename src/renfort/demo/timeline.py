"""Give the demo's histories a believable timeline.

The services stamp every history row, request, mission, assignment and report with the moment
they run, so a freshly built demo would show a year of work done in the same second. This last
step moves those *timestamps only* (never a status, never a rule-bearing field) to the days the
work would have happened: a request submitted some months before its mission, appraised and
accepted a few weeks later, the mission planned, scheduled, confirmed before it starts,
delivered, reported and closed after it ends. Notifications follow the step that sent them.
Nothing lies in the future: steps that would fall after now are squeezed into the recent past,
in order.
"""

from __future__ import annotations

import bisect
import datetime
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Max
from django.utils import timezone

from renfort.accounts.models import Notification
from renfort.assistance.models import Request, RequestStatus, RequestStatusChange
from renfort.missions.models import (
    Assignment,
    AssignmentStatusChange,
    Mission,
    MissionStatus,
    MissionStatusChange,
)
from renfort.results.models import Evaluation, MissionReport

RS = RequestStatus
MS = MissionStatus


def _squeeze(times: Sequence[datetime.datetime], now: datetime.datetime) -> list[datetime.datetime]:
    """``times`` made strictly increasing and all before ``now`` (keeping their order)."""
    out = list(times)
    step = datetime.timedelta(hours=3)
    latest = now - datetime.timedelta(hours=1)
    for i in range(len(out) - 1, -1, -1):
        out[i] = min(out[i], latest)
        latest = out[i] - step
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            out[i] = out[i - 1] + datetime.timedelta(minutes=20)
    return out


class Timeline:
    def __init__(self, *, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()

    def at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours moment of ``day``."""
        moment = datetime.time(self.rng.randint(8, 17), self.rng.choice([0, 10, 25, 40, 55]))
        return timezone.make_aware(datetime.datetime.combine(day, moment), self.tz)

    def days(self, lo: int, hi: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(lo, hi))

    def mission_days(self, mission: Mission) -> dict[str, datetime.date]:
        """When each step of the mission (and of its requests) happened."""
        first = mission.start or mission.window_start or self.today
        last = mission.end or mission.window_end or first
        d: dict[str, datetime.date] = {}
        d["submitted"] = first - self.days(110, 170)
        d["under_appraisal"] = d["submitted"] + self.days(3, 8)
        d["accepted"] = d["under_appraisal"] + self.days(5, 15)
        d[MS.DRAFT] = d["accepted"] + self.days(0, 2)
        d[MS.PLANNED] = d[MS.DRAFT] + self.days(5, 12)
        d[MS.SCHEDULED] = d[MS.PLANNED] + self.days(7, 20)
        d[MS.CONFIRMED] = max(d[MS.SCHEDULED] + self.days(3, 6), first - self.days(12, 25))
        d[MS.DELIVERED] = last + self.days(1, 3)
        d[MS.REPORTED] = last + self.days(7, 14)
        d[MS.CLOSED] = last + self.days(20, 40)
        d[MS.CANCELLED] = d[MS.PLANNED] + self.days(10, 30)
        return d

    @staticmethod
    def _request_key(step: RequestStatusChange, mission: Mission) -> str:
        """Which step of the mission's timeline a request's status change belongs to."""
        key = step.to_status
        if key == RS.PLANNED:
            return MS.PLANNED
        if key == RS.DELIVERED:
            return MS.DELIVERED
        if key == RS.CLOSED:
            return MS.CLOSED if mission.status == MS.CLOSED else MS.CANCELLED
        if key == RS.ACCEPTED and step.from_status == RS.PLANNED:
            return MS.CANCELLED
        return key

    def apply(self, missions: Iterable[Mission]) -> None:
        request_rows: list[RequestStatusChange] = []
        mission_rows: list[MissionStatusChange] = []
        requests: list[Request] = []
        dated: set[int] = set()
        missions = list(missions)
        for mission in missions:
            d = self.mission_days(mission)
            changes = list(mission.history.order_by("id"))
            answered = [r for r in mission.requests.order_by("id") if r.pk not in dated]
            steps = {r.pk: list(r.history.order_by("id")) for r in answered}
            keys = {
                r.pk: [self._request_key(step, mission) for step in steps[r.pk]] for r in answered
            }
            # Work on a future mission has happened already: move its steps back together.
            used = [d[c.to_status] for c in changes] + [d[k] for ks in keys.values() for k in ks]
            latest_allowed = self.today - self.days(1, 20)
            if max(used) > latest_allowed:
                shift = max(used) - latest_allowed
                d = {k: v - shift for k, v in d.items()}
            times = _squeeze([self.at(d[c.to_status]) for c in changes], self.now)
            for change, moment in zip(changes, times, strict=True):
                change.at = moment
            mission_rows += changes
            mission.created_at = times[0]
            for request in answered:
                dated.add(request.pk)
                raw = [self.at(d[k]) for k in keys[request.pk]]
                for step, moment in zip(steps[request.pk], _squeeze(raw, self.now), strict=True):
                    step.at = moment
                request_rows += steps[request.pk]
                request.created_at = steps[request.pk][0].at
                requests.append(request)
        # Requests no mission answers: submitted in the last weeks, appraised since.
        for request in Request.objects.exclude(pk__in=dated).order_by("reference"):
            history = list(request.history.order_by("id"))
            day = self.today - self.days(2, 75)
            raw = []
            for _change in history:
                raw.append(self.at(day))
                day += self.days(3, 12)
            for row, moment in zip(history, _squeeze(raw, self.now), strict=True):
                row.at = moment
            request_rows += history
            request.created_at = history[0].at
            requests.append(request)
        # Before the new times are written: when each step really ran, to place the
        # notifications it sent.
        ran = dict(RequestStatusChange.objects.values_list("pk", "at"))
        marks: dict[tuple[str, int], list[tuple[datetime.datetime, datetime.datetime]]] = (
            defaultdict(list)
        )
        for row in request_rows:
            marks["requests", row.request_id].append((ran[row.pk], row.at))
        ran = dict(MissionStatusChange.objects.values_list("pk", "at"))
        for mrow in mission_rows:
            marks["missions", mrow.mission_id].append((ran[mrow.pk], mrow.at))
        RequestStatusChange.objects.bulk_update(request_rows, ["at"], batch_size=500)
        MissionStatusChange.objects.bulk_update(mission_rows, ["at"], batch_size=500)
        Request.objects.bulk_update(requests, ["created_at"], batch_size=500)
        Mission.objects.bulk_update(missions, ["created_at"], batch_size=500)
        self._follow(missions)
        self._notifications(marks)

    def _notifications(
        self, marks: dict[tuple[str, int], list[tuple[datetime.datetime, datetime.datetime]]]
    ) -> None:
        """A notification about a request or mission moves with the step that sent it (the
        last step of that object before it, in build order); those older than three weeks
        have been read."""
        link = re.compile(r"/(requests|missions)/(\d+)/")
        # Parameters (or, before codes, subjects) name the request or mission by reference.
        reference = re.compile(r"\b[RM]-\d{4}-\d+\b")
        by_reference = {
            **{ref: ("requests", pk) for ref, pk in Request.objects.values_list("reference", "pk")},
            **{ref: ("missions", pk) for ref, pk in Mission.objects.values_list("reference", "pk")},
        }
        notifications = list(Notification.objects.order_by("id"))
        for n in notifications:
            found = link.search(n.link)
            named = reference.search(n.subject or str(n.params.get("reference", "")))
            if found:
                key: tuple[str, int] | None = (found[1], int(found[2]))
            else:
                key = by_reference.get(named[0]) if named else None
            seq = sorted(marks.get(key, [])) if key else []
            if not seq:
                continue
            i = max(bisect.bisect_right([ran for ran, _ in seq], n.created_at) - 1, 0)
            moment = seq[i][1] + datetime.timedelta(minutes=self.rng.randint(2, 90))
            n.created_at = min(moment, self.now - datetime.timedelta(minutes=30))
            if n.created_at < self.now - datetime.timedelta(days=21):
                n.read_at = n.created_at + datetime.timedelta(hours=self.rng.randint(2, 48))
        Notification.objects.bulk_update(notifications, ["created_at", "read_at"], batch_size=500)

    @staticmethod
    def _assignment_history(assignments: list[Assignment]) -> None:
        """An assignment's steps spread from its creation to its last change, in order."""
        rows: dict[int, list[AssignmentStatusChange]] = defaultdict(list)
        for row in AssignmentStatusChange.objects.order_by("id"):
            rows[row.assignment_id].append(row)
        changed: list[AssignmentStatusChange] = []
        for a in assignments:
            steps = rows.get(a.pk, [])
            span = a.updated_at - a.created_at
            for i, row in enumerate(steps):
                row.at = a.created_at + span * i / max(len(steps) - 1, 1)
            changed += steps
        AssignmentStatusChange.objects.bulk_update(changed, ["at"], batch_size=500)

    def _follow(self, missions: list[Mission]) -> None:
        """Assignments, reports and evaluations follow their mission's history."""
        last = dict(
            MissionStatusChange.objects.values("mission_id")
            .annotate(last=Max("at"))
            .values_list("mission_id", "last")
        )
        created = {m.pk: m.created_at for m in missions}
        assignments = list(Assignment.objects.select_related("slot"))
        for a in assignments:
            mission_id = a.slot.mission_id
            a.created_at = created[mission_id] + datetime.timedelta(days=1)
            a.updated_at = max(a.created_at, last.get(mission_id, a.created_at))
        Assignment.objects.bulk_update(assignments, ["created_at", "updated_at"], batch_size=500)
        self._assignment_history(assignments)
        reported = dict(
            MissionStatusChange.objects.filter(to_status=MS.REPORTED).values_list(
                "mission_id", "at"
            )
        )
        reports = list(MissionReport.objects.all())
        for report in reports:
            report.submitted_at = reported.get(report.mission_id, report.submitted_at)
        MissionReport.objects.bulk_update(reports, ["submitted_at"])
        evaluations = list(Evaluation.objects.all())
        for evaluation in evaluations:
            base = reported.get(evaluation.mission_id, evaluation.submitted_at)
            evaluation.submitted_at = min(
                base + datetime.timedelta(days=5), self.now - datetime.timedelta(hours=2)
            )
        Evaluation.objects.bulk_update(evaluations, ["submitted_at"])
