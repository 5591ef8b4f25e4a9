"""A feed as an iCalendar file (RFC 5545): one all-day event per mission, in the owner's
language (docs/api.md, "Calendar feeds").

Reads go through ``feeds.selectors`` (what the owner may see now); the one write is each
mission's SEQUENCE (``feeds.services.mission_sequences_sync``). A handful of queries whatever
the number of missions.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from renfort.feeds.models import CalendarFeed, FeedKind
from renfort.feeds.selectors import assignments_shown, feed_missions
from renfort.feeds.services import mission_sequences_sync
from renfort.lib.countries import country_name
from renfort.lib.typography import typeset
from renfort.missions.models import Assignment, AssignmentStatus, Mission, MissionStatus

PRODID = "-//Renfort//Calendar feeds//EN"
S = MissionStatus
# How sure an event is: not yet scheduled is tentative; confirmed and after, confirmed.
EVENT_STATUS: dict[str, str] = {
    S.DRAFT: "TENTATIVE",
    S.PLANNED: "TENTATIVE",
    S.SCHEDULED: "TENTATIVE",
    S.CONFIRMED: "CONFIRMED",
    S.DELIVERED: "CONFIRMED",
    S.REPORTED: "CONFIRMED",
    S.CLOSED: "CONFIRMED",
    S.CANCELLED: "CANCELLED",
}


@dataclass
class MissionEvent:
    """What one mission's event is made of."""

    mission: Mission
    beneficiaries: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, country
    everyone: list[tuple[int, int, str]] = field(default_factory=list)  # id, expert, status
    shown: list[tuple[str, str]] = field(default_factory=list)  # name, status

    def fingerprint(self) -> str:
        """Everything any feed may show of the mission: a change raises its SEQUENCE."""
        m = self.mission
        data = [
            m.reference,
            m.title,
            str(m.start),
            str(m.end),
            m.location,
            m.status,
            sorted(b[0] for b in self.beneficiaries),
            sorted(self.everyone),
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def uid_domain() -> str:
    return str(getattr(settings, "FEEDS_UID_DOMAIN", "renfort.calendar"))


def _events(feed: CalendarFeed, today: datetime.date) -> list[MissionEvent]:
    missions = list(feed_missions(feed, today).order_by("start", "reference"))
    events = {m.id: MissionEvent(m) for m in missions}
    ids = list(events)
    through = Mission.beneficiaries.through.objects.filter(mission_id__in=ids).values_list(
        "mission_id", "organisation_id", "organisation__name", "organisation__country"
    )
    for mission_id, org_id, name, country in through.order_by("organisation__name"):
        events[mission_id].beneficiaries.append((org_id, name, country))
    for a_id, mission_id, expert_id, status in (
        Assignment.objects.active()
        .filter(slot__mission_id__in=ids)
        .values_list("id", "slot__mission_id", "expert_id", "status")
    ):
        events[mission_id].everyone.append((a_id, expert_id, status))
    shown = assignments_shown(feed.owner, ids).order_by(
        "slot__position", "expert__last_name", "expert__first_name", "id"
    )
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for mission_id, first, last, status in shown.values_list(
        "slot__mission_id", "expert__first_name", "expert__last_name", "status"
    ):
        names[mission_id].append((f"{first} {last}".strip(), status))
    for mission_id, event in events.items():
        event.shown = names[mission_id]
    return list(events.values())


def _line(label: str, value: str) -> str:
    """``label: value``, the label set for the language (French spacing), the value as is."""
    return f"{typeset(label + ':')} {value}"


def _description(event: MissionEvent, link: str) -> str:
    m = event.mission
    lines = [f"{m.reference} {m.title}", _line(_("Status"), str(S(m.status).label))]
    if event.beneficiaries:
        names = ", ".join(name for _id, name, _c in event.beneficiaries)
        lines.append(_line(_("Beneficiaries"), names))
    if event.shown:
        experts = ", ".join(
            f"{name} ({AssignmentStatus(status).label.lower()})" for name, status in event.shown
        )
        lines.append(_line(_("Experts"), experts))
    lines.append(_line(_("Mission page"), link))
    return "\n".join(lines)


def _location(event: MissionEvent) -> str:
    if event.mission.location:
        return event.mission.location
    countries = [country_name(c) for _id, _n, c in event.beneficiaries if c]
    return ", ".join(dict.fromkeys(countries))


def _vevent(event: MissionEvent, seq: tuple[int, datetime.datetime], site: str) -> icalendar.Event:
    m = event.mission
    assert m.start is not None and m.end is not None  # feed_missions keeps dated missions
    link = site + reverse("missions:mission_detail", args=[m.pk])
    summary = f"{m.reference} {m.title}"
    if m.status == S.CANCELLED:
        summary = typeset(_("Cancelled: %(mission)s")) % {"mission": summary}
    sequence, changed_at = seq
    vevent = icalendar.Event()
    vevent.add("uid", f"mission-{m.pk}@{uid_domain()}")
    vevent.add("dtstamp", changed_at.astimezone(datetime.UTC))
    vevent.add("last-modified", changed_at.astimezone(datetime.UTC))
    vevent.add("sequence", sequence)
    vevent.add("summary", summary)
    vevent.add("dtstart", m.start)
    vevent.add("dtend", m.end + datetime.timedelta(days=1))  # all-day: DTEND is exclusive
    location = _location(event)
    if location:
        vevent.add("location", location)
    vevent.add("description", _description(event, link))
    vevent.add("url", link)
    vevent.add("status", EVENT_STATUS.get(m.status, "TENTATIVE"))
    return vevent


def feed_title(feed: CalendarFeed) -> str:
    if feed.kind == FeedKind.PLAN:
        return typeset(_("Renfort: the whole plan"))
    return typeset(_("Renfort: missions of %(target)s")) % {"target": feed.target_label}


def _owner_language(feed: CalendarFeed) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return feed.owner.language if feed.owner.language in codes else settings.LANGUAGE_CODE


def feed_publish(feed: CalendarFeed, *, site_url: str, today: datetime.date) -> bytes:
    """The feed's calendar as it stands now, for its owner, in the owner's language."""
    site = str(getattr(settings, "SITE_URL", "") or site_url).rstrip("/")
    with translation.override(_owner_language(feed)):
        events = _events(feed, today)
        sequences = mission_sequences_sync(
            fingerprints={e.mission.pk: e.fingerprint() for e in events}
        )
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        title = feed_title(feed)
        calendar.add("name", title)
        calendar.add("x-wr-calname", title)
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
        for event in events:
            calendar.add_component(_vevent(event, sequences[event.mission.pk], site))
    return calendar.to_ical()
