"""A small world for the feed tests: the personas, one mission they share (Senegal's,
funded by the donor agency, with the France-lent expert accepted and a proposal of a second
France-lent expert), and one of Kenya's that only the secretariat sees."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import icalendar
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import Region, User
from renfort.feeds.models import CalendarFeed, FeedKind
from renfort.feeds.selectors import feed_target_for
from renfort.feeds.services import feed_create
from renfort.missions.models import AssignmentStatus, Mission, MissionStatus
from renfort.roster.models import Expert
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    make_slot,
    persona_mission,
)

DAY = datetime.timedelta(days=1)


@dataclass
class World:
    p: Personas
    shared: Mission
    kenya: Mission
    proposed: Expert
    start: datetime.date  # the shared mission's dates
    end: datetime.date


def build(p: Personas) -> World:
    today = timezone.localdate()
    shared = persona_mission(
        p,
        start=today + 30 * DAY,
        end=today + 34 * DAY,
        status=MissionStatus.SCHEDULED,
        title="Risk management workshop",
        location="Dakar",
    )
    slot = shared.slots.get()
    make_assignment(slot, p.expert, status=AssignmentStatus.ACCEPTED)
    proposed = make_expert(home_administration=p.admin_b, first_name="Zoe", last_name="Proposed")
    make_assignment(make_slot(shared), proposed, status=AssignmentStatus.PROPOSED)
    kenya = make_mission(
        requests=[make_request(administrations=[p.admin_c], focal_point=p.outsider)],
        start=today + 40 * DAY,
        end=today + 41 * DAY,
        title="SECRET Kenya mission",
    )
    start, end = today + 30 * DAY, today + 34 * DAY
    return World(p=p, shared=shared, kenya=kenya, proposed=proposed, start=start, end=end)


def feed(owner: User, kind: str, **target: Any) -> CalendarFeed:
    """A feed created as the page does: the target checked, then the service."""
    return feed_create(owner=owner, target=feed_target_for(owner, kind, **target))


def feeds_of_every_kind(w: World) -> dict[str, CalendarFeed]:
    p = w.p
    return {
        "expert_own": feed(p.expert_user, FeedKind.EXPERT, expert_id=p.expert.pk),
        "expert_by_lender": feed(p.lender, FeedKind.EXPERT, expert_id=p.expert.pk),
        "member": feed(p.member, FeedKind.MEMBER, organisation_id=p.admin_a.pk),
        "member_lending": feed(p.lender, FeedKind.MEMBER, organisation_id=p.admin_b.pk),
        "region": feed(p.regional, FeedKind.REGION, region=Region.WEST_CENTRAL_AFRICA),
        "donor": feed(p.donor, FeedKind.DONOR, organisation_id=p.donor_agency.pk),
        "plan": feed(p.secretariat, FeedKind.PLAN),
    }


def fetch_raw(client: Client, feed: CalendarFeed) -> Any:
    return client.get(reverse("feeds:feed_ical", args=[feed.token]))


def fetch(client: Client, feed: CalendarFeed) -> dict[str, Any]:
    """The feed parsed back with ``icalendar``: its events by UID."""
    response = fetch_raw(client, feed)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def uid(mission: Mission) -> str:
    return f"mission-{mission.pk}@renfort.calendar"
