"""Writes about missions: create one (from requests, or merged requests) and set its dates."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind, User
from renfort.accounts.references import next_reference
from renfort.assistance.models import ANSWERABLE_REQUEST_STATUSES, Level, Request, RequestStatus
from renfort.assistance.services import request_transition
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.models import (
    DistinctCountries,
    Mission,
    MissionStatus,
    MissionType,
)
from renfort.missions.services.common import (
    SUGGESTED_PROFILE,
    history_add,
)
from renfort.missions.services.slots import SlotSpec, check_slot_spec, write_slot
from renfort.roster.models import Topic


@transaction.atomic
def mission_create(
    *,
    requests: Sequence[Request],
    title: str,
    type: str,
    level: str,
    language: str,
    beneficiaries: Sequence[Organisation] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    window_start: datetime.date | None = None,
    window_end: datetime.date | None = None,
    duration_days: int | None = None,
    location: str = "",
    objectives: str = "",
    priority: int | None = None,
    distinct_countries: str = DistinctCountries.PREFERRED,
    slots: Sequence[SlotSpec] = (),
    by: User | None = None,
    today: datetime.date | None = None,
) -> Mission:
    """A draft mission answering ``requests`` (each accepted, or planned for another mission).

    Dates: fixed ``start``/``end``, or ``window_start``/``window_end`` and ``duration_days`` in
    which the planner picks them; in the dates Renfort accepts, starting no earlier than
    ``today`` (the day of creation; the demo passes the day it replays). Beneficiaries default
    to the requests' administrations, priority to the highest of the requests'. No mission
    without an accepted request.
    """
    requests = list(dict.fromkeys(requests))
    errors: dict[str, list[str]] = {}

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    _check_fields(requests, title, type, level, language, distinct_countries, err)
    for key, message in length_errors(
        Mission, title=title.strip(), location=location.strip(), objectives=objectives.strip()
    ).items():
        err(key, message)
    _check_dates(start, end, window_start, window_end, duration_days, err)
    _check_dates_bounds(start, window_start, end, window_end, today or timezone.localdate(), err)
    beneficiaries = _beneficiaries(requests, beneficiaries, err)
    if priority is None:
        priority = max((r.priority for r in requests), default=3)
    if not 1 <= priority <= 5:
        err(
            "priority", _("Priority: %(priority)s is not between 1 and 5.") % {"priority": priority}
        )
    topics = _slot_topics(slots, err)
    if errors:
        raise ValidationError(errors)

    mission = Mission.objects.create(
        reference=next_reference(Mission, "M"),
        title=title.strip(),
        type=type,
        level=level,
        start=start,
        end=end,
        window_start=window_start,
        window_end=window_end,
        duration_days=duration_days,
        language=language,
        location=location.strip(),
        objectives=objectives.strip(),
        priority=priority,
        distinct_countries=distinct_countries,
        status=MissionStatus.DRAFT,
    )
    mission.requests.set(requests)
    mission.beneficiaries.set(beneficiaries)
    for position, spec in enumerate(slots, start=1):
        write_slot(mission, position, spec.category, spec.requirements, topics)
    history_add(mission, "", MissionStatus.DRAFT, by)
    return mission


def _check_fields(
    requests: Sequence[Request],
    title: str,
    type: str,
    level: str,
    language: str,
    distinct_countries: str,
    err: Callable[[str, str], None],
) -> None:
    """The requests are answerable; title, type, level, language and countries are valid."""
    if not requests:
        err("requests", _("Requests: a mission answers at least one accepted request; choose one."))
    for req in requests:
        if req.status not in ANSWERABLE_REQUEST_STATUSES:
            err(
                "requests",
                _(
                    "Requests: %(reference)s is %(status)s; a mission can only answer an "
                    "accepted request."
                )
                % {"reference": req.reference, "status": RequestStatus(req.status).label},
            )
    if not title.strip():
        err("title", _("Title: give the mission a title."))
    if type not in MissionType.values:
        err("type", _("Type: %(type)s is not a mission type.") % {"type": type})
    if level not in Level.values:
        err(
            "level",
            _("Level: %(level)s is not strategic, tactical or operational.") % {"level": level},
        )
    if len(language or "") != 2 or not language.isalpha() or not language.islower():
        err(
            "language",
            _("Language: %(language)s is not an ISO 639-1 code such as fr.")
            % {"language": language},
        )
    if distinct_countries not in DistinctCountries.values:
        err(
            "distinct_countries",
            _("Experts from different countries: %(value)s is not required, preferred or none.")
            % {"value": distinct_countries},
        )


def _beneficiaries(
    requests: Sequence[Request],
    beneficiaries: Sequence[Organisation] | None,
    err: Callable[[str, str], None],
) -> list[Organisation]:
    """The given beneficiaries (default: the requests' administrations), checked."""
    if beneficiaries is None:
        seen: dict[int, Organisation] = {}
        for req in requests:
            for org in req.administrations.all():
                seen.setdefault(org.pk, org)
        beneficiaries = list(seen.values())
    chosen = list(dict.fromkeys(beneficiaries))
    if requests and not chosen:
        err(
            "beneficiaries",
            _("Beneficiaries: a mission has at least one beneficiary administration."),
        )
    not_members = [b.name for b in chosen if b.kind != OrganisationKind.MEMBER_ADMINISTRATION]
    if not_members:
        err(
            "beneficiaries",
            _("Beneficiaries: %(names)s is not a member administration.")
            % {"names": ", ".join(not_members)},
        )
    return chosen


def _slot_topics(slots: Sequence[SlotSpec], err: Callable[[str, str], None]) -> dict[str, Topic]:
    """The topics the slots ask for, by code; each slot checked."""
    codes = {code for spec in slots for code in spec.requirements}
    topics = {t.code: t for t in Topic.objects.filter(code__in=codes)}
    for i, spec in enumerate(slots, start=1):
        for message in check_slot_spec(
            spec.category, spec.requirements, topics, _("Slot %(n)s") % {"n": i}
        ):
            err("slots", message)
    return topics


def _check_dates(
    start: datetime.date | None,
    end: datetime.date | None,
    window_start: datetime.date | None,
    window_end: datetime.date | None,
    duration_days: int | None,
    add: Callable[[str, str], None],
) -> None:
    fixed = start is not None or end is not None
    windowed = window_start is not None or window_end is not None or duration_days is not None
    if not fixed and not windowed:
        add("start", _("Dates: give fixed dates, or a window and a duration for the planner."))
    if fixed:
        if start is None or end is None:
            add(
                "end" if end is None else "start", _("Dates: give both the first and the last day.")
            )
        elif end < start:
            add(
                "end",
                _("Last day: %(end)s is before the first day %(start)s.")
                % {"end": end, "start": start},
            )
    if windowed:
        if window_start is None or window_end is None or duration_days is None:
            add(
                "window_end",
                _("Window: give its first day, its last day and the mission's duration."),
            )
        elif window_end < window_start:
            add(
                "window_end",
                _("Window: it ends (%(end)s) before it starts (%(start)s).")
                % {"end": window_end, "start": window_start},
            )
        elif duration_days < 1:
            add(
                "duration_days",
                _("Duration: %(days)s days; a mission lasts at least one day.")
                % {"days": duration_days},
            )
        elif duration_days > (window_end - window_start).days + 1:
            add(
                "duration_days",
                _("Duration: %(days)s days do not fit in the window %(start)s to %(end)s.")
                % {"days": duration_days, "start": window_start, "end": window_end},
            )
        elif (
            start is not None
            and end is not None
            and not (window_start <= start and end <= window_end)
        ):
            add(
                "start",
                _("Dates: %(start)s to %(end)s are outside the window %(wstart)s to %(wend)s.")
                % {"start": start, "end": end, "wstart": window_start, "wend": window_end},
            )


def _check_dates_bounds(
    start: datetime.date | None,
    window_start: datetime.date | None,
    end: datetime.date | None,
    window_end: datetime.date | None,
    today: datetime.date,
    add: Callable[[str, str], None],
) -> None:
    """Every date in the range Renfort accepts; a new mission starts no earlier than today."""
    for key, message in out_of_range(
        start=(_("First day"), start),
        end=(_("Last day"), end),
        window_start=(_("Window from"), window_start),
        window_end=(_("Window to"), window_end),
    ).items():
        add(key, message)
    for key, label, day in (
        ("start", _("First day"), start),
        ("window_start", _("Window from"), window_start),
    ):
        if day is not None and day < today:
            add(
                key,
                _("%(label)s: %(day)s is in the past; a new mission starts on %(today)s or later.")
                % {"label": label, "day": day, "today": today},
            )


def _suggested_window(
    requests: Sequence[Request], days: int, today: datetime.date
) -> tuple[datetime.date, datetime.date, int]:
    """The requests' common preferred period (their whole span when they share none), from
    ``today`` on: a request accepted late gets a window that starts today and still holds
    the mission's days."""
    start = max(r.preferred_start for r in requests)
    end = min(r.preferred_end for r in requests)
    if end < start:
        start = min(r.preferred_start for r in requests)
        end = max(r.preferred_end for r in requests)
    start = max(start, today)
    end = max(end, start + datetime.timedelta(days=days - 1))
    return start, end, min(days, (end - start).days + 1)


@transaction.atomic
def mission_from_requests(
    *, requests: Sequence[Request], by: User | None, today: datetime.date | None = None
) -> Mission:
    """A draft mission with suggested slots answering ``requests`` (the accept path).

    The slot asks for every topic of the requests at a level suited to the requests' level;
    a regional mission (several administrations) gets two such slots. The planner picks dates
    in a window over the preferred period.
    """
    requests = list(dict.fromkeys(requests))
    if not requests:
        raise ValidationError({"requests": _("Requests: choose at least one accepted request.")})
    levels = [r.level for r in requests]
    level = max(set(levels), key=levels.count) if levels else Level.OPERATIONAL
    category, min_level, mission_type, days = SUGGESTED_PROFILE.get(
        level, SUGGESTED_PROFILE[Level.OPERATIONAL]
    )
    topic_codes = sorted(
        {code for r in requests for code in r.topics.values_list("code", flat=True)}
    )
    administrations = {org.pk for r in requests for org in r.administrations.all()}
    spec = SlotSpec(category, dict.fromkeys(topic_codes, min_level))
    slots = [spec, spec] if len(administrations) > 1 else [spec]
    today = today or timezone.localdate()
    window_start, window_end, duration = _suggested_window(requests, days, today)
    languages = [r.language for r in requests]
    title = (
        requests[0].title
        if len(requests) == 1
        else _("Regional mission: %(titles)s") % {"titles": "; ".join(r.title for r in requests)}
    )
    return mission_create(
        requests=requests,
        title=title[:200],
        type=mission_type,
        level=level,
        language=max(set(languages), key=languages.count),
        window_start=window_start,
        window_end=window_end,
        duration_days=duration,
        objectives=_joined_needs(requests),
        slots=slots,
        by=by,
        today=today,
    )


def _joined_needs(requests: Sequence[Request]) -> str:
    """The requests' needs as the mission's first objectives, cut to what the field holds
    (several long requests merged would exceed it; the coordinator edits them anyway)."""
    text = "\n\n".join(r.needs.strip() for r in requests)
    limit = Mission._meta.get_field("objectives").max_length or len(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@transaction.atomic
def requests_merge(
    *, requests: Sequence[Request], by: User | None, today: datetime.date | None = None
) -> Mission:
    """One regional mission answering several accepted requests in the same language."""
    requests = list(dict.fromkeys(requests))
    if len(requests) < 2:
        raise ValidationError(
            {"requests": _("Requests: choose at least two requests to merge into one mission.")}
        )
    languages = sorted({r.language for r in requests})
    if len(languages) > 1:
        raise ValidationError(
            {
                "requests": _(
                    "Requests: they ask for different languages (%(languages)s); a mission has "
                    "one language."
                )
                % {"languages": ", ".join(languages)}
            }
        )
    return mission_from_requests(requests=requests, by=by, today=today)


@transaction.atomic
def requests_accept(*, requests: Sequence[Request], by: User) -> Mission:
    """Accept the requests still in appraisal and make one draft mission answering them all
    (a regional mission when there are several): the appraisal queue's accept and merge.

    The requests are locked by id, so two coordinators accepting overlapping sets at once
    wait for each other instead of deadlocking; the second one's refusal names the request.
    """
    ordered = sorted(dict.fromkeys(requests), key=lambda r: r.pk)
    accepted = [
        req
        if req.status == RequestStatus.ACCEPTED
        else request_transition(request=req, to_status=RequestStatus.ACCEPTED, by=by)
        for req in ordered
    ]
    chosen = [next(a for a in accepted if a.pk == r.pk) for r in dict.fromkeys(requests)]
    if len(chosen) > 1:
        return requests_merge(requests=chosen, by=by)
    return mission_from_requests(requests=chosen, by=by)
