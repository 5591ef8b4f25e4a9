"""Writes about missions, their slots and the assignments that staff them.

Every service validates before it writes and refuses with a ``ValidationError`` whose
messages name the broken rule; a refused call writes nothing (each runs in one transaction).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.accounts.services import notification_send
from renfort.assistance.models import Level, Request, RequestStatus
from renfort.assistance.services import request_transition
from renfort.lib.links import link_to
from renfort.lib.references import next_reference
from renfort.lib.states import transition_error
from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    ASSIGNMENT_TRANSITIONS,
    MISSION_TRANSITIONS,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    DistinctCountries,
    Mission,
    MissionStatus,
    MissionStatusChange,
    MissionType,
    Slot,
    SlotRequirement,
)
from renfort.missions.rules import STAFFABLE_MISSION_STATUSES, assignment_problems
from renfort.roster.models import Category, Expert, ReleaseStatus, Topic

__all__ = [
    "SlotSpec",
    "assignment_create",
    "assignment_pin",
    "assignment_problems",
    "assignment_release_decide",
    "assignment_swap",
    "assignment_transition",
    "mission_create",
    "mission_from_requests",
    "mission_set_dates",
    "mission_transition",
    "requests_merge",
    "slot_add",
    "slot_remove",
]

# A mission may answer a request in these statuses.
ANSWERABLE_REQUEST_STATUSES = frozenset({RequestStatus.ACCEPTED, RequestStatus.PLANNED})
# Missions that no longer answer their requests.
_ENDED = frozenset({MissionStatus.CANCELLED})
# Missions whose slots may still change.
_EDITABLE = frozenset({MissionStatus.DRAFT, MissionStatus.PLANNED, MissionStatus.SCHEDULED})

# Suggestions when a request is accepted: category, minimum level and days by request level.
SUGGESTED_PROFILE: dict[str, tuple[str, int, str, int]] = {
    Level.STRATEGIC: (Category.MODERNIZATION_ADVISER, 3, MissionType.ADVISORY, 5),
    Level.TACTICAL: (Category.TECHNICAL_OPERATIONAL_EXPERT, 3, MissionType.WORKSHOP, 5),
    Level.OPERATIONAL: (Category.SPECIALIZED_TRAINER, 2, MissionType.TRAINING, 5),
}


@dataclass(frozen=True)
class SlotSpec:
    """A slot to create: a category and ``{topic code: minimum level}``."""

    category: str
    requirements: Mapping[str, int] = field(default_factory=dict)


# --- helpers --------------------------------------------------------------------------------


def _mission_link(mission: Mission) -> str:
    return link_to("missions:mission_detail", mission.pk, fallback=f"/missions/{mission.pk}/")


def _secretariat_users() -> list[User]:
    return list(User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True))


def _mission_focal_points(mission: Mission) -> list[User]:
    """Member focal points of the beneficiaries and the focal points of the requests."""
    beneficiaries = User.objects.filter(
        role=Role.MEMBER_FOCAL_POINT,
        is_active=True,
        organisation__in=mission.beneficiaries.all(),
    )
    askers = User.objects.filter(requests__missions=mission, is_active=True)
    return list((beneficiaries | askers).distinct())


def _expert_users(assignments: Iterable[Assignment]) -> list[User]:
    return [a.expert.user for a in assignments if a.expert.user is not None]


def _lender_focal_points(expert: Expert) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.MEMBER_FOCAL_POINT,
            is_active=True,
            organisation_id=expert.home_administration_id,
        )
    )


def _mission_status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in MissionStatus.choices}


def _assignment_status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in AssignmentStatus.choices}


def _dates_text(mission: Mission) -> str:
    if mission.start and mission.end:
        return f"{mission.start.isoformat()} – {mission.end.isoformat()}"
    if mission.window_start and mission.window_end:
        return f"{mission.window_start.isoformat()} – {mission.window_end.isoformat()}"
    return ""


def _check_slot_spec(
    category: str, requirements: Mapping[str, int], topics: Mapping[str, Topic], label: str
) -> list[str]:
    errors = []
    if category not in Category.values:
        errors.append(
            _("%(slot)s: %(category)s is not an expert category.")
            % {"slot": label, "category": category}
        )
    unknown = sorted(set(requirements) - set(topics))
    if unknown:
        errors.append(
            _("%(slot)s: unknown topic %(codes)s.") % {"slot": label, "codes": ", ".join(unknown)}
        )
    bad = sorted(code for code, level in requirements.items() if not 1 <= int(level) <= 4)
    if bad:
        errors.append(
            _("%(slot)s: the level of %(codes)s must be between 1 and 4.")
            % {"slot": label, "codes": ", ".join(bad)}
        )
    return errors


def _write_slot(
    mission: Mission,
    position: int,
    category: str,
    requirements: Mapping[str, int],
    topics: Mapping[str, Topic],
) -> Slot:
    slot = Slot.objects.create(mission=mission, position=position, category=category)
    SlotRequirement.objects.bulk_create(
        SlotRequirement(slot=slot, topic=topics[code], level=int(level))
        for code, level in requirements.items()
    )
    return slot


def _history(
    mission: Mission, from_status: str, to_status: str, by: User | None, note: str = ""
) -> None:
    MissionStatusChange.objects.create(
        mission=mission, from_status=from_status, to_status=to_status, by=by, note=note
    )


# --- missions -------------------------------------------------------------------------------


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
    _check_dates(start, end, window_start, window_end, duration_days, err)

    if beneficiaries is None:
        seen: dict[int, Organisation] = {}
        for req in requests:
            for org in req.administrations.all():
                seen.setdefault(org.pk, org)
        beneficiaries = list(seen.values())
    beneficiaries = list(dict.fromkeys(beneficiaries))
    if requests and not beneficiaries:
        err(
            "beneficiaries",
            _("Beneficiaries: a mission has at least one beneficiary administration."),
        )
    not_members = [
        b.name for b in beneficiaries if b.kind != OrganisationKind.MEMBER_ADMINISTRATION
    ]
    if not_members:
        err(
            "beneficiaries",
            _("Beneficiaries: %(names)s is not a member administration.")
            % {"names": ", ".join(not_members)},
        )
    if priority is None:
        priority = max((r.priority for r in requests), default=3)
    if not 1 <= priority <= 5:
        err(
            "priority", _("Priority: %(priority)s is not between 1 and 5.") % {"priority": priority}
        )

    codes = {code for spec in slots for code in spec.requirements}
    topics = {t.code: t for t in Topic.objects.filter(code__in=codes)}
    for i, spec in enumerate(slots, start=1):
        for message in _check_slot_spec(
            spec.category, spec.requirements, topics, _("Slot %(n)s") % {"n": i}
        ):
            err("slots", message)
    if errors:
        raise ValidationError(errors)

    year = (start or window_start or timezone.localdate()).year
    mission = Mission.objects.create(
        reference=next_reference(Mission, "M", year),
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
        _write_slot(mission, position, spec.category, spec.requirements, topics)
    _history(mission, "", MissionStatus.DRAFT, by)
    return mission


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
def slot_add(*, mission: Mission, category: str, requirements: Mapping[str, int]) -> Slot:
    """Add an expert slot to a mission that is not yet confirmed."""
    if mission.status not in _EDITABLE:
        raise ValidationError(
            _("Mission %(mission)s is %(status)s: its slots can no longer change.")
            % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
        )
    topics = {t.code: t for t in Topic.objects.filter(code__in=list(requirements))}
    errors = _check_slot_spec(category, requirements, topics, _("New slot"))
    if errors:
        raise ValidationError(errors)
    last = mission.slots.order_by("-position").values_list("position", flat=True).first()
    return _write_slot(mission, (last or 0) + 1, category, requirements, topics)


@transaction.atomic
def slot_remove(*, slot: Slot) -> None:
    """Remove a slot that no expert holds, from a mission that is not yet confirmed."""
    mission = slot.mission
    if mission.status not in _EDITABLE:
        raise ValidationError(
            _("Mission %(mission)s is %(status)s: its slots can no longer change.")
            % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
        )
    held = (
        slot.assignments.filter(status__in=list(ACTIVE_ASSIGNMENT_STATUSES))
        .select_related("expert")
        .first()
    )
    if held is not None:
        raise ValidationError(
            _("Slot %(slot)s is held by %(expert)s; withdraw that assignment first.")
            % {"slot": slot.code, "expert": held.expert}
        )
    slot.delete()


def _active_assignments(mission: Mission) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            slot__mission=mission, status__in=list(ACTIVE_ASSIGNMENT_STATUSES)
        ).select_related("expert__user", "expert__home_administration", "slot__mission")
    )


def _mission_guard(mission: Mission, to_status: str, note: str) -> list[str]:
    """What forbids ``to_status`` beyond the transition table."""
    problems: list[str] = []
    names = {"mission": mission.reference}
    if to_status in {MissionStatus.PLANNED, MissionStatus.SCHEDULED, MissionStatus.CONFIRMED}:
        if not mission.slots.exists():
            problems.append(
                _("Mission %(mission)s has no expert slot; add one before planning it.") % names
            )
        if mission.requests.exclude(status__in=list(ANSWERABLE_REQUEST_STATUSES)).exists():
            refs = ", ".join(
                mission.requests.exclude(status__in=list(ANSWERABLE_REQUEST_STATUSES)).values_list(
                    "reference", flat=True
                )
            )
            problems.append(
                _("Mission %(mission)s answers %(refs)s, no longer accepted.")
                % {**names, "refs": refs}
            )
    if to_status in {MissionStatus.SCHEDULED, MissionStatus.CONFIRMED} and not mission.has_dates:
        problems.append(
            _("Mission %(mission)s has no dates yet: set its dates or let the planner choose them.")
            % names
        )
    if to_status == MissionStatus.CONFIRMED:
        held = {a.slot_id: a for a in _active_assignments(mission)}
        for slot in mission.slots.all():
            a = held.get(slot.pk)
            if a is None:
                problems.append(_("Slot %(slot)s has no expert.") % {"slot": slot.code})
            elif a.status not in {AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED}:
                problems.append(
                    _("Slot %(slot)s: %(expert)s is %(status)s, not accepted.")
                    % {
                        "slot": slot.code,
                        "expert": a.expert,
                        "status": AssignmentStatus(a.status).label,
                    }
                )
            elif a.release_status != ReleaseStatus.GRANTED:
                problems.append(
                    _(
                        "Slot %(slot)s: %(home)s has not granted the release of %(expert)s "
                        "(%(release)s)."
                    )
                    % {
                        "slot": slot.code,
                        "home": a.expert.home_administration.name,
                        "expert": a.expert,
                        "release": ReleaseStatus(a.release_status).label,
                    }
                )
    if to_status == MissionStatus.DELIVERED:
        today = timezone.localdate()
        if mission.end is None or mission.end > today:
            problems.append(
                _("Mission %(mission)s ends on %(end)s: it cannot be delivered before then.")
                % {**names, "end": mission.end or "-"}
            )
    if to_status == MissionStatus.REPORTED and not mission.reports.exists():
        problems.append(
            _("Mission %(mission)s has no report yet: an expert must submit one first.") % names
        )
    if to_status == MissionStatus.CANCELLED and not note.strip():
        problems.append(_("Reason: say why mission %(mission)s is cancelled.") % names)
    return problems


@transaction.atomic
def mission_transition(
    *, mission: Mission, to_status: str, by: User | None = None, note: str = ""
) -> Mission:
    """Move ``mission`` to ``to_status``; writes a history row and follows through.

    planned: its accepted requests become planned. confirmed: every slot holds an accepted
    expert whose release is granted; their assignments become confirmed. delivered: the
    mission has ended; assignments complete, requests whose missions are all delivered become
    delivered. reported: a report exists. cancelled (reason required): assignments are
    withdrawn, requests no mission answers any more go back to accepted.
    Experts and focal points are told when a mission is confirmed or cancelled.
    """
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    error = transition_error(
        _("Mission %(mission)s") % {"mission": mission.reference},
        mission.status,
        to_status,
        MISSION_TRANSITIONS,
        _mission_status_labels(),
    )
    if error:
        raise ValidationError(error)
    problems = _mission_guard(mission, to_status, note)
    if problems:
        raise ValidationError(problems)

    from_status = mission.status
    mission.status = to_status
    fields = ["status"]
    if to_status == MissionStatus.CANCELLED:
        mission.cancel_reason = note.strip()
        fields.append("cancel_reason")
    mission.save(update_fields=fields)
    _history(mission, from_status, to_status, by, note.strip())
    assignments = _active_assignments(mission)

    if to_status == MissionStatus.PLANNED:
        for req in mission.requests.filter(status=RequestStatus.ACCEPTED):
            request_transition(
                request=req,
                to_status=RequestStatus.PLANNED,
                by=by,
                note=_("Planned in mission %(mission)s.") % {"mission": mission.reference},
            )
    elif to_status in {MissionStatus.DRAFT, MissionStatus.CANCELLED}:
        _requests_back_to_accepted(mission, by)
    if to_status == MissionStatus.CONFIRMED:
        Assignment.objects.filter(
            pk__in=[a.pk for a in assignments if a.status == AssignmentStatus.ACCEPTED]
        ).update(status=AssignmentStatus.CONFIRMED, updated_at=timezone.now())
    elif to_status == MissionStatus.DELIVERED:
        Assignment.objects.filter(
            pk__in=[a.pk for a in assignments if a.status == AssignmentStatus.CONFIRMED]
        ).update(status=AssignmentStatus.COMPLETED, updated_at=timezone.now())
        _requests_delivered(mission, by)
    elif to_status == MissionStatus.CANCELLED:
        Assignment.objects.filter(
            pk__in=[a.pk for a in assignments if a.status != AssignmentStatus.COMPLETED]
        ).update(
            status=AssignmentStatus.WITHDRAWN,
            decline_reason=_("Mission cancelled: %(reason)s") % {"reason": note.strip()},
            updated_at=timezone.now(),
        )

    if to_status in {MissionStatus.CONFIRMED, MissionStatus.CANCELLED}:
        told = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
        status_label = MissionStatus(to_status).label
        subject = format_lazy(
            gettext_lazy("Mission {reference} {status}"),
            reference=mission.reference,
            status=status_label,
        )
        body = format_lazy(
            gettext_lazy("Mission “{title}” ({dates}) is now {status}."),
            title=mission.title,
            dates=_dates_text(mission),
            status=status_label,
        )
        if note.strip():
            body = format_lazy("{}\n\n{}", body, note.strip())
        notification_send(
            recipients=[*_expert_users(told), *_mission_focal_points(mission)],
            subject=subject,
            body=body,
            link=_mission_link(mission),
        )
    return mission


def _requests_back_to_accepted(mission: Mission, by: User | None) -> None:
    """Planned requests that no other live mission answers return to accepted."""
    for req in mission.requests.filter(status=RequestStatus.PLANNED):
        still = req.missions.exclude(pk=mission.pk).exclude(
            status__in=[*_ENDED, MissionStatus.DRAFT]
        )
        if not still.exists():
            request_transition(
                request=req,
                to_status=RequestStatus.ACCEPTED,
                by=by,
                note=_("Mission %(mission)s no longer plans it.") % {"mission": mission.reference},
            )


def _requests_delivered(mission: Mission, by: User | None) -> None:
    """Planned requests whose live missions are all delivered become delivered."""
    done = {MissionStatus.DELIVERED, MissionStatus.REPORTED, MissionStatus.CLOSED}
    for req in mission.requests.filter(status=RequestStatus.PLANNED):
        pending = req.missions.exclude(status__in=[*done, *_ENDED])
        if not pending.exists():
            request_transition(
                request=req,
                to_status=RequestStatus.DELIVERED,
                by=by,
                note=_("Delivered by mission %(mission)s.") % {"mission": mission.reference},
            )


@transaction.atomic
def mission_set_dates(
    *, mission: Mission, start: datetime.date, end: datetime.date, by: User | None = None
) -> Mission:
    """Fix (or move) the mission's dates.

    Every active assignment is checked again at the new dates; one broken rule refuses the
    move. Experts already invited and the focal points are told when the dates move.
    """
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
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
    assignments = _active_assignments(mission)
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
    if moved:
        told = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
        notification_send(
            recipients=[*_expert_users(told), *_mission_focal_points(mission)],
            subject=format_lazy(
                gettext_lazy("Mission {reference} moved"), reference=mission.reference
            ),
            body=format_lazy(
                gettext_lazy("Mission “{title}” now runs from {start} to {end}."),
                title=mission.title,
                start=start.isoformat(),
                end=end.isoformat(),
            ),
            link=_mission_link(mission),
        )
    return mission


# --- assignments ----------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    slot: Slot,
    expert: Expert,
    source: str = AssignmentSource.MANUAL,
    pinned: bool = False,
    status: str = AssignmentStatus.PROPOSED,
    fit: float | None = None,
    explanation: str = "",
    by: User | None = None,
) -> Assignment:
    """Put ``expert`` in ``slot`` after checking every rule (``assignment_problems``).

    ``status`` is proposed (default) or invited (then the expert and the lending
    administration are told, as ``assignment_transition`` does).
    """
    if status not in {AssignmentStatus.PROPOSED, AssignmentStatus.INVITED}:
        raise ValidationError(
            {
                "status": _("Status: a new assignment is proposed or invited, not %(status)s.")
                % {"status": status}
            }
        )
    if source not in AssignmentSource.values:
        raise ValidationError(
            {"source": _("Source: %(source)s is not planner or manual.") % {"source": source}}
        )
    # Serialise writers on the same mission (slot, countries) and the same expert (overlap,
    # yearly days) so two concurrent creations cannot both pass the checks.
    Mission.objects.select_for_update().filter(pk=slot.mission_id).first()
    Expert.objects.select_for_update().filter(pk=expert.pk).first()
    problems = assignment_problems(slot=slot, expert=expert)
    if problems:
        raise ValidationError(problems)
    assignment = Assignment.objects.create(
        slot=slot,
        expert=expert,
        status=AssignmentStatus.PROPOSED,
        source=source,
        pinned=pinned,
        fit=fit,
        explanation=explanation,
        release_status=ReleaseStatus.PENDING,
    )
    if status == AssignmentStatus.INVITED:
        assignment = assignment_transition(assignment=assignment, to_status=status, by=by)
    return assignment


def _assignment_guard(
    assignment: Assignment, to_status: str, by: User | None, reason: str
) -> list[str]:
    a = assignment
    mission = a.slot.mission
    names = {"expert": str(a.expert), "slot": a.slot.code, "mission": mission.reference}
    problems: list[str] = []
    if to_status == AssignmentStatus.INVITED:
        problems.extend(assignment_problems(slot=a.slot, expert=a.expert, exclude=a))
    if to_status == AssignmentStatus.DECLINED and not reason.strip():
        problems.append(_("Reason: say why %(expert)s declines slot %(slot)s.") % names)
    if (
        to_status in {AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED}
        and by is not None
        and by.role == Role.EXPERT
        and a.expert.user_id != by.pk
    ):
        problems.append(_("Only %(expert)s can answer their invitation to slot %(slot)s.") % names)
    if to_status == AssignmentStatus.CONFIRMED:
        if a.release_status != ReleaseStatus.GRANTED:
            problems.append(
                _(
                    "%(home)s has not granted the release of %(expert)s for mission "
                    "%(mission)s (%(release)s); it must before the assignment is confirmed."
                )
                % {
                    **names,
                    "home": a.expert.home_administration.name,
                    "release": ReleaseStatus(a.release_status).label,
                }
            )
        if not mission.has_dates:
            problems.append(
                _(
                    "Mission %(mission)s has no dates yet: set its dates or let the planner "
                    "choose them."
                )
                % names
            )
    if to_status == AssignmentStatus.COMPLETED and mission.status not in {
        MissionStatus.DELIVERED,
        MissionStatus.REPORTED,
        MissionStatus.CLOSED,
    }:
        problems.append(
            _("Mission %(mission)s is %(status)s: an assignment completes once it is delivered.")
            % {**names, "status": MissionStatus(mission.status).label}
        )
    if (
        to_status in {AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED}
        and mission.status not in STAFFABLE_MISSION_STATUSES
    ):
        problems.append(
            _("Mission %(mission)s is %(status)s: it takes no more experts.")
            % {**names, "status": MissionStatus(mission.status).label}
        )
    return problems


@transaction.atomic
def assignment_transition(
    *, assignment: Assignment, to_status: str, by: User | None = None, reason: str = ""
) -> Assignment:
    """Move ``assignment`` to ``to_status`` if allowed.

    invited: every rule is checked again; the expert is told and the home administration is
    asked to release them. declined: needs a reason; the secretariat is told. accepted: the
    secretariat is told. confirmed: the release must be granted. withdrawn: an expert who knew
    about it is told.
    """
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("slot__mission", "expert__user", "expert__home_administration")
        .get(pk=assignment.pk)
    )
    error = transition_error(
        _("Assignment of %(expert)s to slot %(slot)s")
        % {"expert": assignment.expert, "slot": assignment.slot.code},
        assignment.status,
        to_status,
        ASSIGNMENT_TRANSITIONS,
        _assignment_status_labels(),
    )
    if error:
        raise ValidationError(error)
    problems = _assignment_guard(assignment, to_status, by, reason)
    if problems:
        raise ValidationError(problems)
    from_status = assignment.status
    assignment.status = to_status
    fields = ["status", "updated_at"]
    if to_status in {AssignmentStatus.DECLINED, AssignmentStatus.WITHDRAWN} and reason.strip():
        assignment.decline_reason = reason.strip()
        fields.append("decline_reason")
    if to_status == AssignmentStatus.INVITED and assignment.release_status == ReleaseStatus.REFUSED:
        assignment.release_status = ReleaseStatus.PENDING
        fields.append("release_status")
    assignment.save(update_fields=fields)
    _notify_assignment(assignment, from_status, reason.strip())
    return assignment


def _notify_assignment(a: Assignment, from_status: str, reason: str) -> None:
    mission = a.slot.mission
    expert = a.expert
    link = _mission_link(mission)
    values = {
        "expert": str(expert),
        "reference": mission.reference,
        "title": mission.title,
        "dates": _dates_text(mission) or "-",
        "slot": a.slot.code,
    }
    if a.status == AssignmentStatus.INVITED:
        notification_send(
            recipients=[expert.user],
            subject=format_lazy(gettext_lazy("Invitation: mission {reference}"), **values),
            body=format_lazy(
                gettext_lazy(
                    "You are invited to mission “{title}” ({dates}), slot {slot}. Please accept "
                    "or decline."
                ),
                **values,
            ),
            link=link_to("roster:invitations", fallback=link),
        )
        if a.release_status != ReleaseStatus.GRANTED:
            notification_send(
                recipients=_lender_focal_points(expert),
                subject=format_lazy(
                    gettext_lazy("Release asked: {expert} for mission {reference}"), **values
                ),
                body=format_lazy(
                    gettext_lazy(
                        "{expert} is invited to mission “{title}” ({dates}). Please grant or "
                        "refuse their release."
                    ),
                    **values,
                ),
                link=link_to("roster:releases", fallback=link),
            )
    elif a.status in {AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED}:
        status_label = AssignmentStatus(a.status).label
        body = format_lazy(
            gettext_lazy("{expert}: {status} for mission “{title}” ({dates}), slot {slot}."),
            status=status_label,
            **values,
        )
        if reason:
            body = format_lazy("{}\n\n{}", body, reason)
        notification_send(
            recipients=_secretariat_users(),
            subject=format_lazy(
                gettext_lazy("{expert} {status}: mission {reference}"),
                status=status_label,
                **values,
            ),
            body=body,
            link=link,
        )
    elif a.status == AssignmentStatus.WITHDRAWN and from_status != AssignmentStatus.PROPOSED:
        notification_send(
            recipients=[expert.user],
            subject=format_lazy(gettext_lazy("Withdrawn from mission {reference}"), **values),
            body=format_lazy(
                gettext_lazy("You are no longer expected on mission “{title}” ({dates})."),
                **values,
            ),
            link=link,
        )


@transaction.atomic
def assignment_swap(
    *, assignment: Assignment, expert: Expert, by: User | None = None
) -> Assignment:
    """Replace the assignment's expert: the old assignment is withdrawn and a new proposed one
    takes the same slot, after every rule is checked for the new expert."""
    assignment = Assignment.objects.select_related("slot__mission").get(pk=assignment.pk)
    if not assignment.is_active or assignment.status == AssignmentStatus.COMPLETED:
        raise ValidationError(
            _("The assignment of %(expert)s to slot %(slot)s is %(status)s: nothing to swap.")
            % {
                "expert": assignment.expert,
                "slot": assignment.slot.code,
                "status": AssignmentStatus(assignment.status).label,
            }
        )
    if expert.pk == assignment.expert_id:
        raise ValidationError(
            _("%(expert)s already holds slot %(slot)s.")
            % {"expert": expert, "slot": assignment.slot.code}
        )
    problems = assignment_problems(slot=assignment.slot, expert=expert, exclude=assignment)
    if problems:
        raise ValidationError(problems)
    assignment_transition(
        assignment=assignment,
        to_status=AssignmentStatus.WITHDRAWN,
        by=by,
        reason=_("Replaced by %(expert)s.") % {"expert": expert},
    )
    return assignment_create(
        slot=assignment.slot,
        expert=expert,
        source=AssignmentSource.MANUAL,
        pinned=assignment.pinned,
        by=by,
    )


@transaction.atomic
def assignment_pin(*, assignment: Assignment, pinned: bool) -> Assignment:
    """Pin (the planner keeps it) or unpin an active assignment."""
    if pinned and not assignment.is_active:
        raise ValidationError(
            _(
                "The assignment of %(expert)s to slot %(slot)s is %(status)s: only an active "
                "one can be pinned."
            )
            % {
                "expert": assignment.expert,
                "slot": assignment.slot.code,
                "status": AssignmentStatus(assignment.status).label,
            }
        )
    assignment.pinned = pinned
    assignment.save(update_fields=["pinned", "updated_at"])
    return assignment


@transaction.atomic
def assignment_release_decide(*, assignment: Assignment, granted: bool, by: User) -> Assignment:
    """The expert's home administration grants or refuses their release for this mission.

    ``by`` must be a member focal point of that administration. A refusal withdraws the
    assignment (the slot is free again); the secretariat and the expert are told either way.
    """
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("slot__mission", "expert__user", "expert__home_administration")
        .get(pk=assignment.pk)
    )
    expert = assignment.expert
    names = {
        "expert": str(expert),
        "home": expert.home_administration.name,
        "slot": assignment.slot.code,
        "mission": assignment.slot.mission.reference,
    }
    if by.role != Role.MEMBER_FOCAL_POINT or by.organisation_id != expert.home_administration_id:
        raise ValidationError(
            _("Release: only a member focal point of %(home)s, home of %(expert)s, can decide it.")
            % names
        )
    if assignment.status not in {AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED}:
        raise ValidationError(
            _(
                "Release of %(expert)s for slot %(slot)s: the assignment is %(status)s; a "
                "release is decided while the expert is invited or has accepted."
            )
            % {**names, "status": AssignmentStatus(assignment.status).label}
        )
    if granted:
        assignment.release_status = ReleaseStatus.GRANTED
        assignment.save(update_fields=["release_status", "updated_at"])
        subject = format_lazy(
            gettext_lazy("Release granted: {expert} for mission {mission}"), **names
        )
    else:
        assignment.release_status = ReleaseStatus.REFUSED
        assignment.status = AssignmentStatus.WITHDRAWN
        assignment.decline_reason = _("Release refused by %(home)s.") % names
        assignment.save(update_fields=["release_status", "status", "decline_reason", "updated_at"])
        subject = format_lazy(
            gettext_lazy("Release refused: {expert} for mission {mission}"), **names
        )
    notification_send(
        recipients=[*_secretariat_users(), expert.user],
        subject=subject,
        body=subject,
        link=_mission_link(assignment.slot.mission),
    )
    return assignment
