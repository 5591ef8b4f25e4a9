"""The feeds as calendar applications read them: every kind parsed back with ``icalendar``,
stable UIDs, SEQUENCE raised on a change and only then, cancelled missions kept, exclusive
all-day DTEND, and only what the owner may see."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renfort.feeds.models import FeedKind
from renfort.feeds.selectors import assignments_shown
from renfort.feeds.tests.world import DAY, build, feed, feeds_of_every_kind, fetch, uid
from renfort.missions.models import Assignment, Mission, MissionStatus
from renfort.missions.selectors import assignment_ids_shown_to, missions_visible_to
from renfort.testing import Personas, make_mission, make_slot, persona_mission

pytestmark = pytest.mark.django_db


def _text(event: Any, name: str) -> str:
    return str(event.get(name, ""))


def _seq(event: Any) -> int:
    return int(str(event["SEQUENCE"]))


@pytest.mark.parametrize(
    "name",
    ["expert_own", "expert_by_lender", "member", "member_lending", "region", "donor", "plan"],
)
def test_every_kind_parses_with_one_all_day_event_per_mission(client, personas, name):
    w = build(personas)
    events = fetch(client, feeds_of_every_kind(w)[name])
    event = events[uid(w.shared)]
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    assert type(start) is datetime.date and type(end) is datetime.date  # all-day, no time
    assert start == w.start
    assert end == w.end + DAY  # exclusive: the day after the last day
    assert _text(event, "SUMMARY") == f"{w.shared.reference} Risk management workshop"
    assert _text(event, "LOCATION") == "Dakar"
    assert _text(event, "STATUS") == "TENTATIVE"
    assert _text(event, "URL") == f"http://testserver/missions/{w.shared.pk}/"
    assert f"http://testserver/missions/{w.shared.pk}/" in _text(event, "DESCRIPTION")
    assert _seq(event) == 0
    assert "DTSTAMP" in event
    assert "Ana Lima" in _text(event, "DESCRIPTION")


def test_uids_and_the_file_are_stable_and_sequence_stays_when_nothing_changed(client, personas):
    w = build(personas)
    plan = feed(w.p.secretariat, FeedKind.PLAN)
    first = fetch(client, plan)
    second = fetch(client, plan)
    assert set(first) == set(second) == {uid(w.shared), uid(w.kenya)}
    for key in first:
        assert _seq(second[key]) == _seq(first[key]) == 0
        assert second[key].decoded("DTSTAMP") == first[key].decoded("DTSTAMP")


def test_a_date_change_raises_sequence_once_for_every_feed(client, personas):
    w = build(personas)
    member = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    plan = feed(w.p.secretariat, FeedKind.PLAN)
    before = fetch(client, member)[uid(w.shared)]
    Mission.objects.filter(pk=w.shared.pk).update(start=w.start + DAY, end=w.end + DAY)
    after = fetch(client, member)[uid(w.shared)]
    assert _seq(after) == _seq(before) + 1 == 1
    assert after.decoded("DTSTART") == w.start + DAY
    assert after.decoded("DTSTAMP") >= before.decoded("DTSTAMP")
    # Another feed, and the same one again, find it raised already: no second raise.
    assert _seq(fetch(client, plan)[uid(w.shared)]) == 1
    assert _seq(fetch(client, member)[uid(w.shared)]) == 1
    assert _seq(fetch(client, plan)[uid(w.kenya)]) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Renamed"},
        {"location": "Saint-Louis"},
        {"status": MissionStatus.CONFIRMED},
    ],
)
def test_title_location_and_status_changes_raise_sequence(client, personas, change):
    w = build(personas)
    member = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    fetch(client, member)
    Mission.objects.filter(pk=w.shared.pk).update(**change)
    assert _seq(fetch(client, member)[uid(w.shared)]) == 1


def test_an_expert_joining_raises_sequence(client, personas):
    from renfort.missions.models import AssignmentStatus
    from renfort.testing import make_assignment, make_expert

    w = build(personas)
    member = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    fetch(client, member)
    slot = make_slot(w.shared)
    make_assignment(slot, make_expert(first_name="Idris"), status=AssignmentStatus.INVITED)
    event = fetch(client, member)[uid(w.shared)]
    assert _seq(event) == 1
    assert "Idris" in _text(event, "DESCRIPTION")


def test_a_cancelled_mission_stays_as_cancelled(client, personas):
    w = build(personas)
    for owner, f in [
        (w.p.member, feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)),
        (w.p.donor, feed(w.p.donor, FeedKind.DONOR, organisation_id=w.p.donor_agency.pk)),
        (w.p.secretariat, feed(w.p.secretariat, FeedKind.PLAN)),
    ]:
        fetch(client, f)
        Mission.objects.filter(pk=w.shared.pk).update(status=MissionStatus.CANCELLED)
        event = fetch(client, f)[uid(w.shared)]
        assert _text(event, "STATUS") == "CANCELLED", owner
        assert _text(event, "SUMMARY").startswith("Cancelled: ")
        assert _seq(event) == 1


def test_a_feed_shows_only_what_its_owner_may_see(client, personas):
    w = build(personas)
    feeds = feeds_of_every_kind(w)
    for name, f in feeds.items():
        events = fetch(client, f)
        visible = set(missions_visible_to(f.owner).values_list("pk", flat=True))
        assert {int(key.split("-")[1].split("@")[0]) for key in events} <= visible, name
        body = "".join(_text(e, "SUMMARY") + _text(e, "DESCRIPTION") for e in events.values())
        if name != "plan":
            assert "SECRET" not in body, name
    assert uid(w.kenya) in fetch(client, feeds["plan"])
    wca = feed(w.p.secretariat, FeedKind.REGION, region="WCA")
    assert set(fetch(client, wca)) == {uid(w.shared)}


def test_proposals_show_only_where_the_mission_page_shows_them(client, personas):
    w = build(personas)
    feeds = feeds_of_every_kind(w)
    for name in ["member", "region", "donor", "expert_own"]:
        description = _text(fetch(client, feeds[name])[uid(w.shared)], "DESCRIPTION")
        assert "Ana Lima" in description, name
        assert "Proposed" not in description, name  # the secretariat's working state
    assert "Zoe Proposed" in _text(fetch(client, feeds["plan"])[uid(w.shared)], "DESCRIPTION")
    lending = _text(fetch(client, feeds["member_lending"])[uid(w.shared)], "DESCRIPTION")
    assert "Zoe Proposed" in lending  # France offered her: its focal point sees her


def test_the_bulk_rule_is_the_mission_pages_rule(personas):
    w = build(personas)
    for user in [*personas.users().values(), personas.lender]:
        shown = set(assignments_shown(user, [w.shared.pk]).values_list("pk", flat=True))
        page = set(assignment_ids_shown_to(user, w.shared))
        active = set(
            Assignment.objects.active().filter(slot__mission=w.shared).values_list("pk", flat=True)
        )
        assert shown == page & active, user.username


def test_a_feed_is_in_its_owners_language(client, personas):
    w = build(personas)
    w.p.member.language = "fr"
    w.p.member.save(update_fields=["language"])
    Mission.objects.filter(pk=w.shared.pk).update(status=MissionStatus.CANCELLED)
    response = client.get(
        f"/feeds/{feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk).token}.ics"
    )
    calendar = icalendar.Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert "Page de la mission" in _text(event, "DESCRIPTION")
    assert _text(event, "SUMMARY").startswith("Annulée")
    assert str(calendar["X-WR-CALNAME"]).startswith("Renfort")


def test_missions_without_dates_or_outside_the_period_are_left_out(client, personas):
    today = timezone.localdate()
    windowed = persona_mission(personas, window=(today + 10 * DAY, today + 90 * DAY, 5))
    old = persona_mission(personas, start=today - 800 * DAY, end=today - 796 * DAY)
    far = persona_mission(personas, start=today + 1200 * DAY, end=today + 1201 * DAY)
    kept = persona_mission(personas, start=today - 300 * DAY, end=today - 299 * DAY)
    member = feed(personas.member, FeedKind.MEMBER, organisation_id=personas.admin_a.pk)
    events = fetch(client, member)
    assert uid(kept) in events
    assert not {uid(windowed), uid(old), uid(far)} & set(events)


def test_a_mission_without_location_is_placed_in_its_beneficiary_country(client, personas):
    mission = persona_mission(personas, start=timezone.localdate() + 5 * DAY)
    member = feed(personas.member, FeedKind.MEMBER, organisation_id=personas.admin_a.pk)
    events = fetch(client, member)
    assert _text(events[uid(mission)], "LOCATION") == "Senegal"


def _queries(client, f) -> int:
    with CaptureQueriesContext(connection) as queries:
        fetch(client, f)
    return len(queries)


def test_query_count_is_flat_as_missions_grow(client, personas: Personas):
    build(personas)
    f = feed(personas.secretariat, FeedKind.PLAN)
    fetch(client, f)
    few = _queries(client, f)
    for _i in range(15):
        m = persona_mission(personas, start=timezone.localdate() + 60 * DAY)
        make_slot(m)
        make_mission(beneficiaries=[personas.admin_c], start=m.start)
    first = _queries(client, f)  # 30 new missions: their states inserted in one go
    assert first <= few + 6, (few, first)
    assert _queries(client, f) == few
    Mission.objects.update(title="Everything renamed")  # every SEQUENCE raised in one go
    assert _queries(client, f) <= few + 6


def test_a_feed_holds_a_bounded_number_of_events_the_latest_kept(client, personas, settings):
    settings.FEEDS_MAX_EVENTS = 2
    today = timezone.localdate()
    missions = [persona_mission(personas, start=today + n * 10 * DAY) for n in range(1, 4)]
    member = feed(personas.member, FeedKind.MEMBER, organisation_id=personas.admin_a.pk)
    assert set(fetch(client, member)) == {uid(missions[1]), uid(missions[2])}


def test_a_head_request_answers_like_get(client, personas):
    w = build(personas)
    member = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    response = client.head(f"/feeds/{member.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
