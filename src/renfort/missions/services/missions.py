"""Writes about missions: create one (from requests, or merged requests) and set its dates."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind, User
from renfort.accounts.references import next_reference
from renfort.accounts.services import notification_send
from renfort.assistance.models import ANSWERABLE_REQUEST_STATUSES, Level, Request, RequestStatus
from renfort.missions.locking import booking_refused, lock_assignments, lock_mission_commitments
from renfort.missions.models import (
    STAFFABLE_MISSION_STATUSES,
    AssignmentStatus,
    DistinctCountries,
    Mission,
    MissionStatus,
    MissionType,
)
from renfort.missions.rules import assignment_problems
from renfort.missions.services.common import (
    SUGGESTED_PROFILE,
    expert_users,
    history_add,
    mission_focal_points,
    mission_link,
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
) -> Mission:
    """A draft mission answering ``requests`` (each accepted, or planned for another mission).

    Dates: fixed ``start``/``end``, or ``window_start``/``window_end`` and ``duration_days`` in
    which the planner picks them. Beneficiaries default to the requests' administrations,
    priority to the highest of the requests'. No mission without an accepted request.
    """
    requests = list(dict.fromkeys(requests))
    errors: dict[str, list[str]] = {}

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    _check_fields(requests, title, type, level, language, distinct_countries, err)
    _check_dates(start, end, window_start, window_end, duration_days, err)
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


def _suggested_window(
    requests: Sequence[Request], days: int
) -> tuple[datetime.date, datetime.date, int]:
    """The requests' common preferred period (their whole span when they share none)."""
    start = max(r.preferred_start for r in requests)
    end = min(r.preferred_end for r in requests)
    if end < start:
        start = min(r.preferred_start for r in requests)
        end = max(r.preferred_end for r in requests)
    return start, end, min(days, (end - start).days + 1)


@transaction.atomic
def mission_from_requests(*, requests: Sequence[Request], by: User | None) -> Mission:
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
    window_start, window_end, duration = _suggested_window(requests, days)
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
        objectives="\n\n".join(r.needs for r in requests),
        slots=slots,
        by=by,
    )


@transaction.atomic
def requests_merge(*, requests: Sequence[Request], by: User | None) -> Mission:
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
    return mission_from_requests(requests=requests, by=by)


@transaction.atomic
def mission_set_dates(
    *, mission: Mission, start: datetime.date, end: datetime.date, by: User | None = None
) -> Mission:
    """Fix (or move) the mission's dates.

    Every active assignment is checked again at the new dates; one broken rule refuses the
    move. Experts already invited and the focal points are told when the dates move.
    """
    # Every expert of the mission, then the mission, then its assignments (missions/locking.py):
    # the rules below read those experts' other missions, which cannot move meanwhile.
    mission, _experts = lock_mission_commitments(mission.pk)
    assignments = lock_assignments(mission=mission)
    problems: list[str] = []
    if mission.status not in STAFFABLE_MISSION_STATUSES:
        problems.append(
            _("Mission %(mission)s is %(status)s: its dates can no longer change.")
            % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
        )
    if end < start:
        raise ValidationError(
            {
                "end": _("Last day: %(end)s is before the first day %(start)s.")
                % {"end": end, "start": start}
            }
        )
    if (
        mission.window_start
        and mission.window_end
        and not (mission.window_start <= start and end <= mission.window_end)
    ):
        problems.append(
            _(
                "Dates: %(start)s to %(end)s are outside the window of mission %(mission)s "
                "(%(wstart)s to %(wend)s); change the window first."
            )
            % {
                "start": start,
                "end": end,
                "mission": mission.reference,
                "wstart": mission.window_start,
                "wend": mission.window_end,
            }
        )
    for a in assignments:
        if a.status == AssignmentStatus.COMPLETED:
            continue
        problems.extend(
            p
            for p in assignment_problems(
                slot=a.slot, expert=a.expert, start=start, end=end, exclude=a
            )
            if p not in problems
        )
    if problems:
        raise ValidationError(problems)
    moved = mission.has_dates and (mission.start, mission.end) != (start, end)
    mission.start, mission.end = start, end
    mission.save(update_fields=["start", "end"])
    for a in assignments:
        if busy := a.refresh_busy_range(mission):
            with booking_refused(a.expert):
                a.save(update_fields=busy)
    if moved:
        told = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
        notification_send(
            recipients=[*expert_users(told), *mission_focal_points(mission)],
            code="mission.moved",
            params={
                "reference": mission.reference,
                "title": mission.title,
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
            link=mission_link(mission),
        )
    return mission
