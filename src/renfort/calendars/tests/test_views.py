"""The timeline and the month calendar pages: who may see them, what they show, their cost."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from renfort.accounts.models import Region
from renfort.calendars.layout import add_months, default_period
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


def test_calendars_keep_their_addresses_under_missions():
    assert reverse("calendars:timeline") == "/missions/timeline/"
    assert reverse("calendars:calendar") == "/missions/calendar/"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["calendars:timeline", "calendars:calendar"])
def test_calendars_ask_anonymous_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["calendars:timeline", "calendars:calendar"])
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
    response = client.get(reverse("calendars:timeline"))
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
    body = client.get(reverse("calendars:timeline"), {"group": group}).content.decode()
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
    url = reverse("calendars:timeline")
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
    body = client.get(reverse("calendars:timeline")).content.decode()
    assert own.reference in body
    assert other.reference not in body and "Jan Berg" not in body


@pytest.mark.django_db
def test_timeline_hides_other_organisations_missions(client, personas):
    mission = persona_mission(personas, start=_soon(5), end=_soon(8))
    client.force_login(personas.outsider)
    for group in ("expert", "member", "region"):
        body = client.get(reverse("calendars:timeline"), {"group": group}).content.decode()
        assert mission.reference not in body


@pytest.mark.django_db
def test_timeline_hides_proposals_from_donor(client, personas):
    mission = persona_mission(personas, start=_soon(5), end=_soon(8))
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.PROPOSED)
    client.force_login(personas.donor)
    body = client.get(reverse("calendars:timeline"), {"group": "expert"}).content.decode()
    assert "Ana Lima" not in body


@pytest.mark.django_db
def test_month_calendar_shows_missions_per_day_with_month_links(client, personas):
    start = _soon(40)
    dated = persona_mission(personas, start=start, end=start + datetime.timedelta(days=2))
    windowed = persona_mission(personas, window=(start, start + datetime.timedelta(days=5), 3))
    client.force_login(personas.member)
    month = f"{start.year:04d}-{start.month:02d}"
    response = client.get(reverse("calendars:calendar"), {"month": month})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(dated.reference) >= 3 - (1 if start.day >= 27 else 0)
    assert windowed.reference in body
    previous = add_months(D(start.year, start.month, 1), -1)
    following = add_months(D(start.year, start.month, 1), 1)
    assert f"?month={previous:%Y-%m}" in body and f"?month={following:%Y-%m}" in body


@pytest.mark.django_db
def test_month_calendar_hides_other_organisations_missions(client, personas):
    start = _soon(5)
    mission = persona_mission(personas, start=start, end=start)
    client.force_login(personas.outsider)
    body = client.get(reverse("calendars:calendar"), {"month": f"{start:%Y-%m}"}).content.decode()
    assert mission.reference not in body


@pytest.mark.django_db
def test_month_calendar_bad_month_falls_back_to_this_month(client, personas):
    client.force_login(personas.donor)
    response = client.get(reverse("calendars:calendar"), {"month": "2027-99", "region": "XX"})
    assert response.status_code == 200
    assert "Month: “2027-99” is not a month such as 2030-03." in response.content.decode()


@pytest.mark.django_db
def test_month_calendar_out_of_range_month_is_named(client, personas):
    client.force_login(personas.secretariat)
    response = client.get(reverse("calendars:calendar"), {"month": "2101-01"})
    assert response.status_code == 200
    assert (
        "Month: 2101-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31)."
        in response.content.decode()
    )
    assert response.context["month_start"] == datetime.date.today().replace(day=1)
    response = client.get(reverse("calendars:calendar"), {"month": "2100-12"})
    assert response.context["month_start"] == D(2100, 12, 1)
    assert "messages" not in response.content.decode()


@pytest.mark.django_db
def test_timeline_bad_period_is_named_and_the_default_period_shown(client, personas):
    client.force_login(personas.secretariat)
    response = client.get(
        reverse("calendars:timeline"),
        {"group": "member", "period_from": "9999-12-31", "period_to": _soon(30)},
    )
    assert response.status_code == 200
    assert "From: 9999-12-31 is outside the dates Renfort accepts" in response.content.decode()
    timeline = response.context["timeline"]
    assert (timeline.start, timeline.end) == default_period(datetime.date.today())
    assert response.context["group"] == "member"


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
        response = client.get(reverse("calendars:timeline"), {"group": group})
    assert response.status_code == 200


@pytest.mark.django_db
def test_month_calendar_queries_stay_bounded(client, personas, django_assert_max_num_queries):
    _many_missions(personas)
    client.force_login(personas.regional)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("calendars:calendar"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_timeline_links_to_earlier_and_later_periods(client, personas):
    client.force_login(personas.secretariat)
    response = client.get(
        reverse("calendars:timeline"), {"period_from": "2030-01-01", "period_to": "2030-01-31"}
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
    body = client.get(reverse("calendars:calendar"), {"month": f"{start:%Y-%m}"}).content.decode()
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
        ("calendars:timeline", {"group": "member"}),
        ("calendars:calendar", {"month": month}),
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
        reverse("calendars:calendar"), {"month": f"{start:%Y-%m}", "expert": personas.expert.pk}
    ).content.decode()
    assert mission.reference not in body
