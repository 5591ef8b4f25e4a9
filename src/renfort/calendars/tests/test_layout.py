"""The layout of the timeline and the month calendar: pure functions over plain rows."""

from __future__ import annotations

import datetime

from renfort.calendars import layout

D = datetime.date


def row(id, start=None, end=None, *, window=None, open_slots=0, ref=None):
    return layout.MissionRow(
        id=id,
        reference=ref or f"M{id}",
        title=f"Mission {id}",
        status="scheduled",
        start=start,
        end=end,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        open_slots=open_slots,
    )


def assign(id, mission_id, expert_id=1):
    return layout.AssignmentRow(id, mission_id, expert_id, f"Expert {expert_id}", "confirmed")


def test_default_period_is_the_next_three_months():
    assert layout.default_period(D(2027, 1, 15)) == (D(2027, 1, 15), D(2027, 4, 14))
    assert layout.add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert layout.add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert layout.add_months(D(2027, 3, 31), -1) == D(2027, 2, 28)


def test_place_clips_to_the_period():
    start, end = D(2027, 1, 1), D(2027, 1, 10)
    assert layout.place((D(2027, 1, 1), D(2027, 1, 10)), start, end) == (0.0, 100.0)
    assert layout.place((D(2026, 12, 25), D(2027, 1, 2)), start, end) == (0.0, 20.0)
    assert layout.place((D(2027, 1, 6), D(2027, 1, 20)), start, end) == (50.0, 50.0)


def test_month_ticks_cover_the_period():
    ticks = layout.month_ticks(D(2027, 1, 15), D(2027, 3, 14))
    assert [t.day for t in ticks] == [D(2027, 1, 15), D(2027, 2, 1), D(2027, 3, 1)]
    assert round(sum(t.width for t in ticks), 1) == 100.0


def test_conflicts_need_travel_days_between_missions():
    missions = {
        1: row(1, D(2027, 3, 1), D(2027, 3, 5)),
        2: row(2, D(2027, 3, 7), D(2027, 3, 9)),  # one free day after 1: fine
        3: row(3, D(2027, 3, 10), D(2027, 3, 12)),  # starts the day after 2 ends: no travel day
        4: row(4, D(2027, 3, 2), D(2027, 3, 3)),  # inside 1: double-booked
        5: row(5, None, None, window=(D(2027, 3, 1), D(2027, 3, 31))),  # no dates: not checked
    }
    assignments = [assign(10, 1), assign(20, 2), assign(30, 3), assign(50, 5)]
    assert layout.conflicting_assignments(assignments, missions, travel_days=1) == {20, 30}
    assert layout.conflicting_assignments(assignments, missions, travel_days=0) == set()
    assert layout.conflicting_assignments([*assignments, assign(40, 4)], missions) == {
        10,
        20,
        30,
        40,
    }
    # Different experts never conflict.
    assert layout.conflicting_assignments([assign(10, 1, 1), assign(40, 4, 2)], missions) == set()


def test_timeline_by_expert_marks_conflicts_and_lists_unstaffed_missions():
    missions = [
        row(1, D(2027, 3, 1), D(2027, 3, 5)),
        row(2, D(2027, 3, 6), D(2027, 3, 8), open_slots=1),
        row(3, D(2028, 1, 1), D(2028, 1, 5)),  # outside the period
    ]
    assignments = [assign(10, 1), assign(20, 2), assign(30, 3)]
    timeline = layout.build_timeline(
        start=D(2027, 3, 1),
        end=D(2027, 3, 31),
        group_by=layout.GROUP_BY_EXPERT,
        missions=missions,
        assignments=assignments,
        unstaffed_label="Unstaffed",
    )
    assert [r.label for r in timeline.rows] == ["Expert 1", "Unstaffed"]
    expert_row = timeline.rows[0]
    assert [b.mission.id for b in expert_row.bars] == [1, 2]
    assert all(b.conflict for b in expert_row.bars)
    assert expert_row.conflicts == 2
    assert [b.mission.id for b in timeline.rows[1].bars] == [2]
    assert timeline.rows[1].bars[0].unstaffed
    assert timeline.conflicts == 2 and timeline.unstaffed == 1


def test_timeline_by_member_and_region_puts_a_regional_mission_on_every_row():
    missions = [
        row(1, D(2027, 3, 1), D(2027, 3, 5)),
        row(2, None, None, window=(D(2027, 3, 10), D(2027, 3, 30))),
    ]
    members = {1: [("o1", "Senegal"), ("o2", "Mali")], 2: [("o1", "Senegal")]}
    regions = {1: [("rWCA", "West & Central Africa")], 2: [("rWCA", "West & Central Africa")]}

    def build(group_by: str) -> layout.Timeline:
        return layout.build_timeline(
            start=D(2027, 3, 1),
            end=D(2027, 3, 31),
            group_by=group_by,
            missions=missions,
            beneficiaries=members,
            regions=regions,
        )

    by_member = build(layout.GROUP_BY_MEMBER)
    assert [(r.label, len(r.bars)) for r in by_member.rows] == [("Mali", 1), ("Senegal", 2)]
    assert by_member.rows[1].bars[1].windowed
    by_region = build(layout.GROUP_BY_REGION)
    assert [(r.label, len(r.bars)) for r in by_region.rows] == [("West & Central Africa", 2)]


def test_overlapping_bars_go_to_separate_lanes():
    missions = [
        row(1, D(2027, 3, 1), D(2027, 3, 5)),
        row(2, D(2027, 3, 3), D(2027, 3, 8)),
        row(3, D(2027, 3, 6), D(2027, 3, 9)),
    ]
    # Over ten days every bar is wide enough for its label (short bars: test_labels.py).
    timeline = layout.build_timeline(
        start=D(2027, 3, 1),
        end=D(2027, 3, 10),
        group_by=layout.GROUP_BY_MEMBER,
        missions=missions,
        beneficiaries={m.id: [("o1", "Senegal")] for m in missions},
    )
    lanes = timeline.rows[0].lanes
    assert [[b.mission.id for b in lane] for lane in lanes] == [[1, 3], [2]]


def test_month_view_puts_missions_on_their_days():
    missions = [
        row(1, D(2027, 2, 27), D(2027, 3, 2)),
        row(2, None, None, window=(D(2027, 3, 1), D(2027, 3, 31))),
    ]
    weeks = layout.month_view(2027, 3, missions)
    assert weeks[0][0].day == D(2027, 3, 1)  # a Monday
    days = {d.day: d for week in weeks for d in week}
    assert [m.id for m in days[D(2027, 3, 1)].missions] == [1]
    assert [m.id for m in days[D(2027, 3, 2)].missions] == [1]
    assert days[D(2027, 3, 3)].missions == []
    assert all(len(week) == 7 for week in weeks)


def test_parse_month_falls_back_to_today():
    today = D(2027, 5, 4)
    assert layout.parse_month("2027-11", today) == (2027, 11)
    assert layout.parse_month("2027-13", today) == (2027, 5)
    assert layout.parse_month("nonsense", today) == (2027, 5)
    assert layout.parse_month("", today) == (2027, 5)
