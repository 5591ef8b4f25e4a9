"""The timeline and the month calendar: the pure layout functions and the views."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from renfort.accounts.models import Region
from renfort.missions import calendar as cal
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.roster.models import Category
from renfort.testing import (
    make_assignment,
    make_expert,
    make_member,
    make_mission,
    make_request,
    make_user,
    persona_mission,
)

D = datetime.date


def row(id, start=None, end=None, *, window=None, open_slots=0, ref=None):
    return cal.MissionRow(
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
    return cal.AssignmentRow(id, mission_id, expert_id, f"Expert {expert_id}", "confirmed")


# --- pure functions --------------------------------------------------------------------------


def test_default_period_is_the_next_three_months():
    assert cal.default_period(D(2027, 1, 15)) == (D(2027, 1, 15), D(2027, 4, 14))
    assert cal.add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert cal.add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert cal.add_months(D(2027, 3, 31), -1) == D(2027, 2, 28)


def test_place_clips_to_the_period():
    start, end = D(2027, 1, 1), D(2027, 1, 10)
    assert cal.place((D(2027, 1, 1), D(2027, 1, 10)), start, end) == (0.0, 100.0)
    assert cal.place((D(2026, 12, 25), D(2027, 1, 2)), start, end) == (0.0, 20.0)
    assert cal.place((D(2027, 1, 6), D(2027, 1, 20)), start, end) == (50.0, 50.0)


def test_month_ticks_cover_the_period():
    ticks = cal.month_ticks(D(2027, 1, 15), D(2027, 3, 14))
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
    assert cal.conflicting_assignments(assignments, missions, travel_days=1) == {20, 30}
    assert cal.conflicting_assignments(assignments, missions, travel_days=0) == set()
    assert cal.conflicting_assignments([*assignments, assign(40, 4)], missions) == {
        10,
        20,
        30,
        40,
    }
    # Different experts never conflict.
    assert cal.conflicting_assignments([assign(10, 1, 1), assign(40, 4, 2)], missions) == set()


def test_timeline_by_expert_marks_conflicts_and_lists_unstaffed_missions():
    missions = [
        row(1, D(2027, 3, 1), D(2027, 3, 5)),
        row(2, D(2027, 3, 6), D(2027, 3, 8), open_slots=1),
        row(3, D(2028, 1, 1), D(2028, 1, 5)),  # outside the period
    ]
    assignments = [assign(10, 1), assign(20, 2), assign(30, 3)]
    timeline = cal.build_timeline(
        start=D(2027, 3, 1),
        end=D(2027, 3, 31),
        group_by=cal.GROUP_BY_EXPERT,
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

    def build(group_by: str) -> cal.Timeline:
        return cal.build_timeline(
            start=D(2027, 3, 1),
            end=D(2027, 3, 31),
            group_by=group_by,
            missions=missions,
            beneficiaries=members,
            regions=regions,
        )

    by_member = build(cal.GROUP_BY_MEMBER)
    assert [(r.label, len(r.bars)) for r in by_member.rows] == [("Mali", 1), ("Senegal", 2)]
    assert by_member.rows[1].bars[1].windowed
    by_region = build(cal.GROUP_BY_REGION)
    assert [(r.label, len(r.bars)) for r in by_region.rows] == [("West & Central Africa", 2)]


def test_overlapping_bars_go_to_separate_lanes():
    missions = [
        row(1, D(2027, 3, 1), D(2027, 3, 5)),
        row(2, D(2027, 3, 3), D(2027, 3, 8)),
        row(3, D(2027, 3, 6), D(2027, 3, 9)),
    ]
    timeline = cal.build_timeline(
        start=D(2027, 3, 1),
        end=D(2027, 3, 31),
        group_by=cal.GROUP_BY_MEMBER,
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
    weeks = cal.month_view(2027, 3, missions)
    assert weeks[0][0].day == D(2027, 3, 1)  # a Monday
    days = {d.day: d for week in weeks for d in week}
    assert [m.id for m in days[D(2027, 3, 1)].missions] == [1]
    assert [m.id for m in days[D(2027, 3, 2)].missions] == [1]
    assert days[D(2027, 3, 3)].missions == []
    assert all(len(week) == 7 for week in weeks)


def test_parse_month_falls_back_to_today():
    today = D(2027, 5, 4)
    assert cal.parse_month("2027-11", today) == (2027, 11)
    assert cal.parse_month("2027-13", today) == (2027, 5)
    assert cal.parse_month("nonsense", today) == (2027, 5)
    assert cal.parse_month("", today) == (2027, 5)


# --- views -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["missions:timeline", "missions:calendar"])
def test_calendars_ask_anonymous_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["missions:timeline", "missions:calendar"])
def test_calendars_refuse_user_without_role(client, personas, name):
    client.force_login(make_user("", personas.admin_a, username="norole"))
    assert client.get(reverse(name)).status_code == 403


def _soon(days: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=days)


@pytest.mark.django_db
def test_timeline_shows_conflicts_and_unstaffed_slots(client, personas):
    first = persona_mission(personas, start=_soon(10), end=_soon(14), status="confirmed")
    second = persona_mission(personas, start=_soon(15), end=_soon(18), status="scheduled")
    open_one = persona_mission(personas, start=_soon(30), end=_soon(33), status="planned")
    # Written straight to the database: the services would refuse this double booking.
    make_assignment(first.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    make_assignment(second.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)
    client.force_login(personas.secretariat)
    response = client.get(reverse("missions:timeline"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ana Lima" in body
    assert "2 assignments in conflict" in body
    assert "1 mission with unstaffed slots" in body
    # Two bars in Ana Lima's row, both in conflict, and the open mission in the unstaffed row.
    bars = re.findall(r'class="bar ([^"]*)"', body)
    assert len(bars) == 3
    assert sum("conflict" in classes.split() for classes in bars) == 2
    assert sum("unstaffed" in classes.split() for classes in bars) == 1
    assert open_one.reference in body


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["expert", "member", "region"])
def test_timeline_groups(client, personas, group):
    mission = persona_mission(personas, start=_soon(5), end=_soon(8))
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:timeline"), {"group": group}).content.decode()
    label = {"expert": "Ana Lima", "member": "Senegal Customs", "region": "West &amp; Central"}
    assert label[group] in body
    assert mission.reference in body


@pytest.mark.django_db
def test_timeline_period_and_region_filters(client, personas):
    later = persona_mission(personas, start=_soon(200), end=_soon(203))
    kenya = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
        start=_soon(10),
        end=_soon(12),
    )
    client.force_login(personas.secretariat)
    url = reverse("missions:timeline")
    body = client.get(url, {"group": "member"}).content.decode()
    assert kenya.reference in body and later.reference not in body
    body = client.get(
        url, {"group": "member", "period_from": _soon(190), "period_to": _soon(220)}
    ).content.decode()
    assert later.reference in body and kenya.reference not in body
    body = client.get(
        url, {"group": "member", "region": Region.WEST_CENTRAL_AFRICA}
    ).content.decode()
    assert kenya.reference not in body


@pytest.mark.django_db
def test_timeline_scopes_expert_to_own_missions(client, personas):
    own = persona_mission(personas, start=_soon(5), end=_soon(8))
    make_assignment(own.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    other = persona_mission(personas, start=_soon(5), end=_soon(8))
    make_assignment(
        other.slots.get(),
        make_expert(first_name="Jan", last_name="Berg"),
        status=AssignmentStatus.CONFIRMED,
    )
    client.force_login(personas.expert_user)
    body = client.get(reverse("missions:timeline")).content.decode()
    assert own.reference in body
    assert other.reference not in body and "Jan Berg" not in body


@pytest.mark.django_db
def test_timeline_hides_other_organisations_missions(client, personas):
    mission = persona_mission(personas, start=_soon(5), end=_soon(8))
    client.force_login(personas.outsider)
    for group in ("expert", "member", "region"):
        body = client.get(reverse("missions:timeline"), {"group": group}).content.decode()
        assert mission.reference not in body


@pytest.mark.django_db
def test_timeline_hides_proposals_from_donor(client, personas):
    mission = persona_mission(personas, start=_soon(5), end=_soon(8))
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.PROPOSED)
    client.force_login(personas.donor)
    body = client.get(reverse("missions:timeline"), {"group": "expert"}).content.decode()
    assert "Ana Lima" not in body


@pytest.mark.django_db
def test_month_calendar_shows_missions_per_day_with_month_links(client, personas):
    start = _soon(40)
    dated = persona_mission(personas, start=start, end=start + datetime.timedelta(days=2))
    windowed = persona_mission(personas, window=(start, start + datetime.timedelta(days=5), 3))
    client.force_login(personas.member)
    month = f"{start.year:04d}-{start.month:02d}"
    response = client.get(reverse("missions:calendar"), {"month": month})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(dated.reference) >= 3 - (1 if start.day >= 27 else 0)
    assert windowed.reference in body
    previous = cal.add_months(D(start.year, start.month, 1), -1)
    following = cal.add_months(D(start.year, start.month, 1), 1)
    assert f"?month={previous:%Y-%m}" in body and f"?month={following:%Y-%m}" in body


@pytest.mark.django_db
def test_month_calendar_hides_other_organisations_missions(client, personas):
    start = _soon(5)
    mission = persona_mission(personas, start=start, end=start)
    client.force_login(personas.outsider)
    body = client.get(reverse("missions:calendar"), {"month": f"{start:%Y-%m}"}).content.decode()
    assert mission.reference not in body


@pytest.mark.django_db
def test_month_calendar_bad_month_falls_back_to_this_month(client, personas):
    client.force_login(personas.donor)
    response = client.get(reverse("missions:calendar"), {"month": "2027-99", "region": "XX"})
    assert response.status_code == 200


def _many_missions(personas, n: int = 40):
    """Missions in the coming weeks, each with an assigned expert from several lenders."""
    lenders = [make_member(c, Region.EUROPE) for c in ("DE", "IT", "ES", "PT")]
    request = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    for i in range(n):
        start = _soon(3 + (i % 20) * 3)
        mission = make_mission(
            requests=[request],
            start=start,
            end=start + datetime.timedelta(days=1),
            status=MissionStatus.SCHEDULED,
            slots=[
                (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
                (Category.SPECIALIZED_TRAINER, {"aeo": 2}),
            ],
        )
        expert = make_expert(home_administration=lenders[i % 4], skills={})
        make_assignment(mission.slots.all()[0], expert, status=AssignmentStatus.CONFIRMED)


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["expert", "member", "region"])
def test_timeline_queries_stay_bounded(client, personas, django_assert_max_num_queries, group):
    _many_missions(personas)
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("missions:timeline"), {"group": group})
    assert response.status_code == 200


@pytest.mark.django_db
def test_month_calendar_queries_stay_bounded(client, personas, django_assert_max_num_queries):
    _many_missions(personas)
    client.force_login(personas.regional)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("missions:calendar"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_timeline_links_to_earlier_and_later_periods(client, personas):
    client.force_login(personas.secretariat)
    response = client.get(
        reverse("missions:timeline"), {"period_from": "2030-01-01", "period_to": "2030-01-31"}
    )
    body = response.content.decode()
    assert "period_from=2029-12-01&amp;period_to=2029-12-31" in body
    assert "period_from=2030-02-01&amp;period_to=2030-03-03" in body


@pytest.mark.django_db
def test_month_calendar_marks_conflicts_and_unstaffed_missions(client, personas):
    start = _soon(40)
    first = persona_mission(personas, start=start, end=start + datetime.timedelta(days=2))
    second = persona_mission(
        personas,
        start=start + datetime.timedelta(days=3),
        end=start + datetime.timedelta(days=4),
        slots=[
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
            (Category.SPECIALIZED_TRAINER, {"aeo": 1}),
        ],
    )
    make_assignment(first.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    make_assignment(second.slots.all()[0], personas.expert, status=AssignmentStatus.CONFIRMED)
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:calendar"), {"month": f"{start:%Y-%m}"}).content.decode()
    assert 'class="scheduled unstaffed conflict"' in body or 'unstaffed conflict"' in body
    assert "conflict</span>" in body


@pytest.mark.django_db
def test_calendars_narrow_to_one_member_or_one_expert(client, personas):
    start = _soon(10)
    senegal = persona_mission(personas, start=start, end=start)
    make_assignment(senegal.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    kenya = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
        start=start,
        end=start,
    )
    client.force_login(personas.secretariat)
    month = f"{start:%Y-%m}"
    for name, params in (
        ("missions:timeline", {"group": "member"}),
        ("missions:calendar", {"month": month}),
    ):
        body = client.get(reverse(name), {**params, "member": personas.admin_c.pk}).content
        assert kenya.reference in body.decode() and senegal.reference not in body.decode()
        body = client.get(reverse(name), {**params, "expert": personas.expert.pk}).content
        assert senegal.reference in body.decode() and kenya.reference not in body.decode()
        assert "Show all" in body.decode()


@pytest.mark.django_db
def test_narrowing_never_widens_what_the_user_sees(client, personas):
    start = _soon(10)
    mission = persona_mission(personas, start=start, end=start)
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    client.force_login(personas.outsider)
    body = client.get(
        reverse("missions:calendar"), {"month": f"{start:%Y-%m}", "expert": personas.expert.pk}
    ).content.decode()
    assert mission.reference not in body
