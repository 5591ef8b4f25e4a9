"""Calendar computations: timelines and month grids over rows the views selected.

Pure functions over plain rows (no database access here), so a page costs the few queries its
view makes whatever the number of missions, and the layout can be tested on its own.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from renfort.missions.eligibility import overlaps as too_close

GROUP_BY_EXPERT = "expert"
GROUP_BY_MEMBER = "member"
GROUP_BY_REGION = "region"
GROUPINGS = (GROUP_BY_EXPERT, GROUP_BY_MEMBER, GROUP_BY_REGION)


@dataclass(frozen=True)
class MissionRow:
    """What the calendar needs of a mission."""

    id: int
    reference: str
    title: str
    status: str
    start: datetime.date | None
    end: datetime.date | None
    window_start: datetime.date | None = None
    window_end: datetime.date | None = None
    open_slots: int = 0

    @property
    def span(self) -> tuple[datetime.date, datetime.date] | None:
        """Its dates, or its window while the planner has not fixed them."""
        if self.start is not None and self.end is not None:
            return self.start, self.end
        if self.window_start is not None and self.window_end is not None:
            return self.window_start, self.window_end
        return None

    @property
    def has_dates(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True)
class AssignmentRow:
    """An active assignment of an expert to a mission."""

    id: int
    mission_id: int
    expert_id: int
    expert_name: str
    status: str


@dataclass(frozen=True)
class UnavailableRow:
    """A period in which an expert cannot travel (both ends inclusive); ``reason`` only for
    those who may read it (the expert herself)."""

    id: int
    expert_id: int
    start: datetime.date
    end: datetime.date
    reason: str = ""


# A bar narrower than this (percent of the period) carries its label beside it, and the lane
# keeps that room free, so that a short mission still reads "M-2027-014 Risk workshop".
LABEL_ROOM = 22.0


@dataclass(frozen=True)
class Bar:
    """One mission drawn on a timeline row, as percentages of the period's width."""

    mission: MissionRow
    left: float
    width: float
    conflict: bool = False
    assignment_status: str = ""

    @property
    def windowed(self) -> bool:
        return not self.mission.has_dates

    @property
    def short(self) -> bool:
        """Too narrow for its label: the label goes beside the bar."""
        return self.width < LABEL_ROOM

    @property
    def label_before(self) -> bool:
        """A short bar near the end of the period carries its label before it, not past the
        edge."""
        return self.short and self.left + self.width + LABEL_ROOM > 100.0

    @property
    def reach(self) -> tuple[float, float]:
        """Where the bar and its label start and end, for packing the lanes."""
        if not self.short:
            return self.left, self.left + self.width
        if self.label_before:
            return max(self.left - LABEL_ROOM, 0.0), self.left + self.width
        return self.left, self.left + max(self.width, LABEL_ROOM)

    @property
    def extent(self) -> float:
        """Where the bar and its label end."""
        return self.reach[1]

    @property
    def unstaffed(self) -> bool:
        return self.mission.open_slots > 0


@dataclass
class TimelineRow:
    key: str
    label: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def conflicts(self) -> int:
        return sum(1 for bar in self.bars if bar.conflict)

    @property
    def lanes(self) -> list[list[Bar]]:
        """The bars packed into lanes so that overlapping bars sit one above the other."""
        return pack_lanes(self.bars)


def pack_lanes(bars: Sequence[Bar]) -> list[list[Bar]]:
    """Greedy interval packing: each bar (with its label, when beside it) goes to the first
    lane where it fits."""
    lanes: list[list[Bar]] = []
    ends: list[float] = []
    for bar in sorted(bars, key=lambda b: (b.reach[0], -b.width, b.mission.reference)):
        for i, end in enumerate(ends):
            if end <= bar.reach[0] + 0.01:  # adjacent days touch; rounding aside
                lanes[i].append(bar)
                ends[i] = bar.extent
                break
        else:
            lanes.append([bar])
            ends.append(bar.extent)
    return lanes


@dataclass(frozen=True)
class Tick:
    """A month boundary on the timeline's scale."""

    day: datetime.date
    left: float
    width: float


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    rows: list[TimelineRow]
    ticks: list[Tick]
    conflicts: int
    unstaffed: int


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = pycalendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The next three months from today."""
    return today, add_months(today, 3) - datetime.timedelta(days=1)


def overlaps(
    a: tuple[datetime.date, datetime.date], b: tuple[datetime.date, datetime.date]
) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def place(
    span: tuple[datetime.date, datetime.date], start: datetime.date, end: datetime.date
) -> tuple[float, float]:
    """Left offset and width (percent) of ``span`` clipped to the period ``start..end``."""
    total = (end - start).days + 1
    first = max(span[0], start)
    last = min(span[1], end)
    left = (first - start).days * 100.0 / total
    width = max(((last - first).days + 1) * 100.0 / total, 0.0)
    return round(left, 3), round(width, 3)


def month_ticks(start: datetime.date, end: datetime.date) -> list[Tick]:
    """One tick per month (or part of a month) in the period."""
    ticks: list[Tick] = []
    day = start
    while day <= end:
        month_last = datetime.date(
            day.year, day.month, pycalendar.monthrange(day.year, day.month)[1]
        )
        left, width = place((day, min(month_last, end)), start, end)
        ticks.append(Tick(day=day, left=left, width=width))
        day = month_last + datetime.timedelta(days=1)
    return ticks


def conflicting_assignments(
    assignments: Iterable[AssignmentRow],
    missions: dict[int, MissionRow],
    travel_days: int = 1,
) -> set[int]:
    """Assignments whose expert is double-booked or lacks the travel days between missions:
    the availability rule's overlap (``missions.eligibility.overlaps``), which refuses such
    pairs when they are made; these marks show pairs made before, or forced.

    Missions that only have a window are not checked: their dates are not set.
    """
    by_expert: dict[int, list[tuple[datetime.date, datetime.date, int]]] = defaultdict(list)
    for a in assignments:
        mission = missions.get(a.mission_id)
        if mission is None or mission.start is None or mission.end is None:
            continue
        by_expert[a.expert_id].append((mission.start, mission.end, a.id))
    clashing: set[int] = set()
    for spans in by_expert.values():
        spans.sort()
        for i, (start_i, end_i, id_i) in enumerate(spans):
            for start_j, end_j, id_j in spans[i + 1 :]:
                # Sorted by start: once one is far enough after this one, all later ones are.
                if not too_close(start_i, end_i, start_j, end_j, travel_days):
                    break
                clashing.update((id_i, id_j))
    return clashing


def build_timeline(
    *,
    start: datetime.date,
    end: datetime.date,
    group_by: str,
    missions: Sequence[MissionRow],
    assignments: Sequence[AssignmentRow] = (),
    beneficiaries: dict[int, list[tuple[str, str]]] | None = None,
    regions: dict[int, list[tuple[str, str]]] | None = None,
    travel_days: int = 1,
    unstaffed_label: str = "Unstaffed",
) -> Timeline:
    """Rows of bars for the period, grouped by expert, member (beneficiary) or region.

    ``beneficiaries`` and ``regions`` map a mission id to its groups as (key, label) pairs.
    By expert, missions with open slots also appear on an ``unstaffed_label`` row.
    """
    period = (start, end)
    in_period = {m.id: m for m in missions if m.span is not None and overlaps(m.span, period)}
    clashing = conflicting_assignments(assignments, in_period, travel_days)
    rows: dict[str, TimelineRow] = {}

    def bar(mission: MissionRow, *, conflict: bool = False, status: str = "") -> Bar:
        span = mission.span
        assert span is not None
        left, width = place(span, start, end)
        return Bar(mission, left, width, conflict=conflict, assignment_status=status)

    if group_by == GROUP_BY_EXPERT:
        for a in assignments:
            mission = in_period.get(a.mission_id)
            if mission is None:
                continue
            row = rows.setdefault(f"e{a.expert_id}", TimelineRow(f"e{a.expert_id}", a.expert_name))
            row.bars.append(bar(mission, conflict=a.id in clashing, status=a.status))
        ordered = sorted(rows.values(), key=lambda r: (r.label.lower(), r.key))
        open_missions = [m for m in in_period.values() if m.open_slots > 0]
        if open_missions:
            ordered.append(
                TimelineRow("unstaffed", unstaffed_label, [bar(m) for m in open_missions])
            )
    else:
        groups = (beneficiaries if group_by == GROUP_BY_MEMBER else regions) or {}
        expert_clash = {a.mission_id for a in assignments if a.id in clashing}
        for mission in in_period.values():
            for key, label in groups.get(mission.id, []):
                row = rows.setdefault(key, TimelineRow(key, label))
                row.bars.append(bar(mission, conflict=mission.id in expert_clash))
        ordered = sorted(rows.values(), key=lambda r: (r.label.lower(), r.key))
    for row in ordered:
        row.bars.sort(key=lambda b: (b.left, b.mission.reference))
    return Timeline(
        start=start,
        end=end,
        rows=ordered,
        ticks=month_ticks(start, end),
        conflicts=len(clashing),
        unstaffed=sum(1 for m in in_period.values() if m.open_slots > 0),
    )


@dataclass(frozen=True)
class MissionDetail:
    """What the timeline's detail panel tells of a mission: its row and the experts the
    viewer may see on it."""

    mission: MissionRow
    experts: tuple[str, ...]


def mission_details(
    missions: Iterable[MissionRow],
    assignments: Iterable[AssignmentRow],
    start: datetime.date,
    end: datetime.date,
) -> list[MissionDetail]:
    """The missions met in ``start..end``, by their first day, each with its experts."""
    experts: dict[int, list[str]] = defaultdict(list)
    for a in sorted(assignments, key=lambda a: (a.expert_name.lower(), a.id)):
        if a.expert_name not in experts[a.mission_id]:
            experts[a.mission_id].append(a.expert_name)
    shown = [m for m in missions if m.span is not None and overlaps(m.span, (start, end))]
    shown.sort(key=lambda m: (m.span or (start, end), m.reference))
    return [MissionDetail(m, tuple(experts.get(m.id, ()))) for m in shown]


@dataclass
class Day:
    day: datetime.date
    in_month: bool
    missions: list[MissionRow] = field(default_factory=list)
    unavailable: list[UnavailableRow] = field(default_factory=list)


def month_grid(year: int, month: int, first_weekday: int = 0) -> list[list[datetime.date]]:
    """The weeks (Monday first by default) that cover the month, as lists of seven days."""
    cal = pycalendar.Calendar(first_weekday)
    return [list(week) for week in cal.monthdatescalendar(year, month)]


def month_view(
    year: int,
    month: int,
    missions: Iterable[MissionRow],
    first_weekday: int = 0,
    unavailable: Iterable[UnavailableRow] = (),
) -> list[list[Day]]:
    """Weeks of days, each day with the dated missions running on it and the expert's
    unavailable periods covering it."""
    weeks = month_grid(year, month, first_weekday)
    days = {d: Day(d, d.month == month) for week in weeks for d in week}
    first, last = weeks[0][0], weeks[-1][-1]
    for mission in sorted(missions, key=lambda m: (m.start or first, m.reference)):
        if mission.start is None or mission.end is None:
            continue
        day = max(mission.start, first)
        while day <= min(mission.end, last):
            days[day].missions.append(mission)
            day += datetime.timedelta(days=1)
    for period in sorted(unavailable, key=lambda p: (p.start, p.id)):
        day = max(period.start, first)
        while day <= min(period.end, last):
            days[day].unavailable.append(period)
            day += datetime.timedelta(days=1)
    return [[days[d] for d in week] for week in weeks]


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, pycalendar.monthrange(year, month)[1]
    )


def parse_month(value: str, today: datetime.date) -> tuple[int, int]:
    """``YYYY-MM`` from a query string, or today's month when absent or malformed."""
    try:
        year_s, month_s = value.split("-", 1)
        year, month = int(year_s), int(month_s)
        if 1 <= month <= 12 and 1900 <= year <= 2999:
            return year, month
    except ValueError:
        pass
    return today.year, today.month
