"""What every step of the history (``history.py``) shares: its counts, the draw and the clock,
the pool of experts, and the rows waiting to be written."""

from __future__ import annotations

import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from renfort.accounts.models import (
    Notification,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from renfort.assistance.models import RequestStatus
from renfort.demo.context import BuildContext
from renfort.demo.reference import COUNTRIES, Country
from renfort.lib.messages import check
from renfort.lib.references import format_reference
from renfort.missions.eligibility import overlaps
from renfort.missions.models import AssignmentStatus, MissionStatus, travel_days
from renfort.roster.models import Expert

MS, AS, RS = MissionStatus, AssignmentStatus, RequestStatus
# At scale 1, per year of history.
EXPERTS_PER_YEAR = 300
REQUESTS_PER_YEAR = 1500
MISSIONS_PER_YEAR = 1000
BATCH = 2000
DAY = datetime.timedelta(days=1)
# One step of a status history: from, to, at, note code, note parameters, a person's note.
Step = tuple[str, str, datetime.datetime, str, dict[str, Any], str]
# A note on the step to a status: note code, note parameters, a person's note.
Notes = dict[str, tuple[str, dict[str, Any], str]]


@dataclass
class Pooled:
    """An expert of the history's pool, as the planner of the history sees them."""

    expert: Expert
    country: Country
    categories: list[str]
    languages: list[str]
    skills: dict[str, int]
    released: int
    unavailable: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    booked: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    used: Counter[int] = field(default_factory=Counter)

    def free(self, start: datetime.date, end: datetime.date, travel: int) -> bool:
        """No unavailability over the dates, no other mission within the travel days, and
        the days within the year's released days (missions never straddle a year here)."""
        if any(overlaps(s, e, start, end) for s, e in self.unavailable):
            return False
        if any(overlaps(s, e, start, end, travel) for s, e in self.booked):
            return False
        return self.used[start.year] + (end - start).days + 1 <= self.released

    def book(self, start: datetime.date, end: datetime.date) -> None:
        self.booked.append((start, end))
        self.used[start.year] += (end - start).days + 1


# A slot of a mission as drawn: its expert, category and topic requirements.
CrewMember = tuple[Pooled, str, dict[str, int]]


@dataclass(frozen=True)
class MissionDays:
    """The days a mission of the history moves on, from its requests' acceptance on."""

    accepted: datetime.date
    planned: datetime.date
    scheduled: datetime.date
    confirmed: datetime.date
    delivered: datetime.date
    reported: datetime.date
    closed: datetime.date
    cancelled: datetime.date


class HistoryRows:
    """Rows waiting to be written, by model."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.checked: set[str] = set()
        # Seconds spent writing each table (``renfort demo --years N -v 2`` prints them).
        self.seconds: dict[str, float] = defaultdict(float)

    def add(self, row: models.Model) -> None:
        self.rows[type(row)].append(row)

    def write(self, model: type[models.Model]) -> list[Any]:
        rows = self.rows.pop(model, [])
        started = time.perf_counter()
        model._default_manager.bulk_create(rows, batch_size=BATCH)
        self.seconds[model._meta.label] += time.perf_counter() - started
        return rows

    def notify(
        self,
        recipients: Sequence[User | None],
        code: str,
        params: dict[str, Any],
        link: str,
        at: datetime.datetime,
    ) -> None:
        if code not in self.checked:
            check(code, params)
            self.checked.add(code)
        seen: set[int] = set()
        for user in recipients:
            if user is None or user.pk in seen:
                continue
            seen.add(user.pk)
            self.add(
                Notification(
                    recipient=user,
                    code=code,
                    params=params,
                    link=link,
                    created_at=at,
                    read_at=at + datetime.timedelta(hours=20),
                )
            )


class HistoryBuilder:
    """The demo's organisations and people the history works with, its pool of experts, the
    year being built with its reference numbers and status histories, and the clock."""

    def __init__(self, *, seed: int, scale: float, today: datetime.date) -> None:
        # The demo's context gives the draws, topics, names and texts of the demo.
        self.ctx = BuildContext(seed=seed * 7919 + 11, small=False, today=today)
        self.rng = self.ctx.rng
        self.scale = scale
        self.travel = travel_days()
        self.rows = HistoryRows()
        self.counts: Counter[str] = Counter()
        members = Organisation.objects.filter(kind=OrganisationKind.MEMBER_ADMINISTRATION)
        self.members = {o.country: o for o in members if o.country}
        users = User.objects.filter(is_active=True).order_by("pk")
        self.focal: dict[int, User] = {}
        for u in users.filter(role=Role.MEMBER_FOCAL_POINT):
            if u.organisation_id is not None:
                self.focal.setdefault(u.organisation_id, u)
        self.secretariat = list(users.filter(role=Role.SECRETARIAT_COORDINATOR))
        if not self.secretariat or not self.members:
            raise RuntimeError("Build the demo first: the history needs its organisations.")
        self.coordinator = self.secretariat[0]
        self.countries = {c.code: c for c in COUNTRIES if c.code in self.members}
        self.codes = sorted(self.countries)
        self.by_region: dict[str, list[str]] = defaultdict(list)
        for code in self.codes:
            self.by_region[self.members[code].region].append(code)
        self.pool: list[Pooled] = []
        self.speakers: dict[str, list[Pooled]] = defaultdict(list)
        self.start_year(0)

    def start_year(self, year: int) -> None:
        """Number the year's references from one; its status histories are still to come."""
        self.year_now = year
        self.request_no = 0
        self.mission_no = 0
        self.status_changes: list[tuple[Any, list[Step]]] = []

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def stamp(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = self.rng.randint(7, 17) if hour is None else hour
        naive = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return timezone.make_aware(naive, datetime.UTC)

    def reference(self, prefix: str) -> str:
        if prefix == "R":
            self.request_no += 1
            return format_reference("R", self.year_now, self.request_no, 4)
        self.mission_no += 1
        return format_reference("M", self.year_now, self.mission_no, 4)

    def steps(self, row: Any, steps: list[Step]) -> None:
        """The status history of ``row`` (created with its final status): (from, to, at,
        note_code, note_params, note) steps, which must end at the row's status."""
        assert steps[-1][1] == row.status, (row, steps)
        self.status_changes.append((row, steps))

    def notify(
        self,
        recipients: Sequence[User | None],
        code: str,
        params: dict[str, Any],
        link: str,
        about: Any,
        at: datetime.datetime,
    ) -> None:
        """Notify each of ``recipients`` once; ``link`` gets the pk of ``about`` (a request or
        a mission) once it is written."""
        before = len(self.rows.rows[Notification])
        self.rows.notify(recipients, code, params, link, at)
        for n in self.rows.rows[Notification][before:]:
            n._about = about  # type: ignore[attr-defined]
