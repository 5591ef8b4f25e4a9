"""Helpers for the race tests: start calls together in threads, then check the invariants.

Each thread uses its own database connection (Django opens one per thread) and closes it
when done; a ``threading.Barrier`` releases the calls together so that their transactions
overlap. The checks read the database afresh and are independent of the services: double
bookings come from the missions' dates; the assignments' busy ranges are checked apart (no
two of one expert overlap, each matches its mission's dates).
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection

from renfort.missions.eligibility import travel_days
from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.roster.models import ReleaseStatus

ROUNDS = 20


@dataclass
class Race:
    """What each call returned (or raised), in the order the calls were given."""

    results: list[object]

    @property
    def successes(self) -> list[object]:
        return [r for r in self.results if not isinstance(r, BaseException)]

    @property
    def refusals(self) -> list[ValidationError]:
        return [r for r in self.results if isinstance(r, ValidationError)]

    @property
    def unexpected(self) -> list[BaseException]:
        return [
            r
            for r in self.results
            if isinstance(r, BaseException) and not isinstance(r, ValidationError)
        ]


def race(*calls: Callable[[], object]) -> Race:
    """Run ``calls`` at the same moment, one thread (and one connection) each."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing call never finished"
    return Race(results)


def double_bookings() -> list[tuple[int, int]]:
    """Pairs of active assignments of one expert on two live missions whose dates overlap or
    leave fewer than the travel days between them (the ``overlap`` rule)."""
    gap = datetime.timedelta(days=travel_days())
    rows = (
        Assignment.objects.filter(
            status__in=list(ACTIVE_ASSIGNMENT_STATUSES), slot__mission__start__isnull=False
        )
        .exclude(slot__mission__status=MissionStatus.CANCELLED)
        .values_list(
            "pk", "expert_id", "slot__mission_id", "slot__mission__start", "slot__mission__end"
        )
    )
    by_expert: dict[int, list[tuple[int, int, datetime.date, datetime.date]]] = defaultdict(list)
    for pk, expert_id, mission_id, start, end in rows:
        assert start is not None and end is not None
        by_expert[expert_id].append((pk, mission_id, start, end))
    pairs = []
    for held in by_expert.values():
        for i, (pk, mission_id, start, end) in enumerate(held):
            for o_pk, o_mission_id, o_start, o_end in held[i + 1 :]:
                if o_mission_id != mission_id and o_start <= end + gap and o_end >= start - gap:
                    pairs.append((pk, o_pk))
    return pairs


def busy_overlaps() -> list[tuple[int, int]]:
    """Pairs of assignments of one expert whose busy ranges overlap (what the PostgreSQL
    exclusion constraint forbids)."""
    rows = Assignment.objects.filter(busy_from__isnull=False).values_list(
        "pk", "expert_id", "busy_from", "busy_to"
    )
    by_expert: dict[int, list[tuple[int, datetime.date, datetime.date]]] = defaultdict(list)
    for pk, expert_id, start, end in rows:
        assert start is not None and end is not None
        by_expert[expert_id].append((pk, start, end))
    return [
        (pk, o_pk)
        for held in by_expert.values()
        for i, (pk, start, end) in enumerate(held)
        for o_pk, o_start, o_end in held[i + 1 :]
        if o_start <= end and start <= o_end
    ]


def stale_busy_ranges() -> list[str]:
    """Assignments whose busy range is not their mission's dates plus the travel days (or
    empty when they hold nothing)."""
    return [
        f"assignment {a.pk} ({a.status}) busy {a.busy_from}..{a.busy_to}"
        for a in Assignment.objects.select_related("slot__mission")
        if (a.busy_from, a.busy_to) != a.busy_range()
    ]


def forbidden_states() -> list[str]:
    """Confirmed assignments whose release was refused; confirmed missions with a slot that no
    accepted (or confirmed) expert with a granted release holds."""
    found = [
        f"assignment {pk} confirmed with its release refused"
        for pk in Assignment.objects.filter(
            status=AssignmentStatus.CONFIRMED, release_status=ReleaseStatus.REFUSED
        ).values_list("pk", flat=True)
    ]
    for mission in Mission.objects.filter(status=MissionStatus.CONFIRMED).prefetch_related(
        "slots__assignments"
    ):
        for slot in mission.slots.all():
            if not any(
                a.status in {AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED}
                and a.release_status == ReleaseStatus.GRANTED
                for a in slot.assignments.all()
            ):
                found.append(f"mission {mission.reference} confirmed, slot {slot.code} not held")
    return found


@dataclass
class Rounds:
    """What went wrong, round by round, so a failure reports how often each kind happened."""

    issues: list[tuple[int, str, str]] = field(default_factory=list)
    count: int = 0
    seen: set[str] = field(default_factory=set)

    def record(self, result: Race, *, successes: int | None = 1, names: str = "") -> None:
        """Check one round: no unexpected exception; every refusal says why (naming ``names``);
        ``successes`` calls went through; no double booking; no forbidden state."""
        self.count += 1
        add = self.issues.append
        for exc in result.unexpected:
            add((self.count, "unexpected exception", f"{type(exc).__name__}: {exc}"[:300]))
        for refusal in result.refusals:
            text = " ".join(refusal.messages)
            if not text.strip() or names not in text:
                add((self.count, "unclear refusal", text))
        if successes is not None and len(result.successes) != successes:
            add((self.count, "successes", f"{len(result.successes)}, expected {successes}"))
        # Only what this round added: the database keeps the earlier rounds' rows.
        for kind, found in (
            ("double booking", [f"assignments {pair}" for pair in double_bookings()]),
            ("busy ranges overlap", [f"assignments {pair}" for pair in busy_overlaps()]),
            ("stale busy range", stale_busy_ranges()),
            ("forbidden state", forbidden_states()),
        ):
            for text in found:
                if text not in self.seen:
                    self.seen.add(text)
                    add((self.count, kind, text))

    def expect(self, holds: bool, kind: str, text: str = "") -> None:
        """Note a failed check of the current round."""
        if not holds:
            self.issues.append((self.count, kind, text))

    def assert_clean(self) -> None:
        kinds = Counter(kind for _, kind, _ in self.issues)
        rounds = {kind: len({n for n, k, _ in self.issues if k == kind}) for kind in kinds}
        summary = ", ".join(
            f"{kind} in {rounds[kind]}/{self.count} rounds ({n} in all)"
            for kind, n in kinds.items()
        )
        assert not self.issues, f"{summary}; first: {self.issues[:3]}"
