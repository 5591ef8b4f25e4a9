"""Working days of a host calendar: where a mission may start and how many days it then spans.

A mission's ``duration_days`` counts working days of its host's calendar when the problem gives
one (``calendar``: the weekend as ISO weekdays, 1 = Monday .. 7 = Sunday, and the public
holidays). It starts on a working day, its last day is its last working day, and a short mission
(five working days or fewer) does not straddle a weekend unless ``straddle_weekend`` allows it.
Pure date arithmetic: no data, no network, so the planner can run anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# "Unless the coordinator allows it, a mission of five working days or fewer does not straddle
# a weekend."
SHORT_MISSION_DAYS = 5
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Calendar:
    """A host's working week: ``weekend`` in ISO weekdays (1 = Monday .. 7 = Sunday)."""

    weekend: frozenset[int]
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Calendar:
        """From the exchange format's ``calendar`` object (already schema-checked)."""
        return cls(
            frozenset(int(d) for d in doc["weekend"]),
            frozenset(date.fromisoformat(h) for h in doc.get("holidays", ())),
        )

    def is_weekend(self, day: date) -> bool:
        return day.isoweekday() in self.weekend

    def is_working(self, day: date) -> bool:
        return day.isoweekday() not in self.weekend and day not in self.holidays

    def describe(self) -> str:
        """'weekend Fri-Sat, 2 public holidays' for messages."""
        days = "-".join(WEEKDAY_NAMES[d - 1] for d in sorted(self.weekend)) or "none"
        count = len(self.holidays)
        return f"weekend {days}, {count} public holiday{'' if count == 1 else 's'}"


def straddle_allowed(duration: int, given: bool | None) -> bool:
    """``straddle_weekend`` as given, else allowed only beyond five working days."""
    return given if given is not None else duration > SHORT_MISSION_DAYS


def spans(calendar: Calendar, first: date, last: date, duration: int, straddle: bool) -> list[int]:
    """For each day from ``first`` to ``last``: the calendar days, first to last day, of a
    mission of ``duration`` working days starting that day and ending by ``last``; 0 where it
    may not start (not a working day, not enough working days left, or a forbidden straddle).
    """
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    working = [k for k, day in enumerate(days) if calendar.is_working(day)]
    # weekend_before[k]: weekend days among days[0 .. k - 1]
    weekend_before = [0]
    for day in days:
        weekend_before.append(weekend_before[-1] + calendar.is_weekend(day))
    out = [0] * len(days)
    for rank, k in enumerate(working):
        if rank + duration - 1 >= len(working):
            break
        end = working[rank + duration - 1]
        if straddle or weekend_before[end + 1] == weekend_before[k]:
            out[k] = end - k + 1
    return out
