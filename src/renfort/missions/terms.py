"""A mission's terms of reference, built from its data, and who has confirmed which version.

The terms say what the mission is for and who goes: the requests it answers (administrations,
needs, topics, level), its objectives (the mission's own text and the results framework's
objectives linked to it), dates, venue, language, and its expert slots (category, topic
levels) with the experts taking part (accepted, confirmed or completed: name, home
administration, their levels in the topics that matter here).

Nothing is stored but a fingerprint: the SHA-256 of what the terms say, in codes (topics,
levels, categories), not words, so it is the same in every language. A beneficiary
administration confirms one fingerprint (``TermsConfirmation``); when the terms change, so
does the fingerprint, and the mission cannot be confirmed until every beneficiary has
confirmed the new version (``terms_problems``, read by ``mission_transition``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation
from renfort.missions.models import (
    TAKING_PART_ASSIGNMENT_STATUSES,
    Assignment,
    Mission,
    MissionStatus,
    SlotRequirement,
)
from renfort.missions.terms_models import TermsConfirmation
from renfort.planner.workdays import Calendar
from renfort.roster.models import Category, Expert, Skill, Topic

# The terms are confirmed while the mission is scheduled: dates set, experts found, the
# mission not yet confirmed (a confirmed mission moved back to scheduled is confirmed again).
TERMS_CONFIRMABLE_STATUSES = frozenset({MissionStatus.SCHEDULED})
# An agenda lists at most this many days (a longer mission shows how many more there are).
AGENDA_MAX_DAYS = 62


@dataclass(frozen=True)
class TopicLevel:
    """A topic and a level: asked of a slot, or held by an expert."""

    topic: Topic
    level: int


@dataclass(frozen=True)
class RequestTerms:
    reference: str
    title: str
    administrations: tuple[Organisation, ...]
    level: str
    level_label: str
    topics: tuple[Topic, ...]
    needs: str


@dataclass(frozen=True)
class ExpertTerms:
    expert: Expert
    home: Organisation
    levels: tuple[TopicLevel, ...]  # their levels in the slot's and the requests' topics


@dataclass(frozen=True)
class SlotTerms:
    position: int
    category: str
    requirements: tuple[TopicLevel, ...]
    expert: ExpertTerms | None

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category in Category.values else ""


@dataclass(frozen=True)
class Terms:
    mission: Mission
    beneficiaries: tuple[Organisation, ...]
    requests: tuple[RequestTerms, ...]
    objectives: tuple[str, ...]  # titles of the results framework's objectives
    slots: tuple[SlotTerms, ...]
    fingerprint: str

    @property
    def version(self) -> str:
        return self.fingerprint[:8]


def _requests(mission: Mission) -> tuple[RequestTerms, ...]:
    prefetch: list[Any] = [
        Prefetch("administrations", queryset=Organisation.objects.order_by("name")),
        Prefetch("topics", queryset=Topic.objects.order_by("code")),
    ]
    rows = mission.requests.prefetch_related(*prefetch).order_by("reference")
    return tuple(
        RequestTerms(
            reference=r.reference,
            title=r.title,
            administrations=tuple(r.administrations.all()),
            level=r.level,
            level_label=r.get_level_display(),
            topics=tuple(r.topics.all()),
            needs=r.needs,
        )
        for r in rows
    )


def _objectives(mission: Mission) -> tuple[str, ...]:
    """The results framework's objectives linked to the mission, read through the reverse
    relation that ``results.Objective.missions`` adds (missions may not import results)."""
    linked = getattr(mission, "result_objectives", None)
    if linked is None:
        return ()
    return tuple(linked.order_by("level", "title").values_list("title", flat=True))


def _slots(mission: Mission, requested: set[int]) -> tuple[SlotTerms, ...]:
    taking_part = Assignment.objects.filter(
        status__in=TAKING_PART_ASSIGNMENT_STATUSES
    ).select_related("expert__home_administration")
    slots = list(
        mission.slots.prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
            Prefetch("assignments", queryset=taking_part),
        ).order_by("position", "id")
    )
    experts = [a.expert for s in slots for a in s.assignments.all()]
    skills: dict[int, list[Skill]] = {}
    for skill in Skill.objects.filter(expert__in=experts).select_related("topic"):
        skills.setdefault(skill.expert_id, []).append(skill)
    out = []
    for slot in slots:
        requirements = tuple(
            TopicLevel(r.topic, r.level) for r in sorted(slot.requirements.all(), key=_topic_code)
        )
        wanted = requested | {r.topic.pk for r in requirements}
        held = next(iter(slot.assignments.all()), None)
        expert = None
        if held is not None:
            levels = tuple(
                TopicLevel(s.topic, s.level)
                for s in sorted(skills.get(held.expert_id, []), key=_topic_code)
                if s.topic_id in wanted
            )
            expert = ExpertTerms(held.expert, held.expert.home_administration, levels)
        out.append(SlotTerms(slot.position, slot.category, requirements, expert))
    return tuple(out)


def _topic_code(item: SlotRequirement | Skill) -> str:
    return item.topic.code


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def fingerprint(
    mission: Mission,
    beneficiaries: Sequence[Organisation],
    requests: Sequence[RequestTerms],
    objectives: Sequence[str],
    slots: Sequence[SlotTerms],
) -> str:
    """The SHA-256 of what the terms say, in codes and ids (the same in every language)."""
    payload: dict[str, Any] = {
        "mission": [
            mission.reference,
            mission.title,
            mission.type,
            mission.level,
            mission.language,
            mission.location,
            mission.objectives,
        ],
        "dates": [_iso(mission.start), _iso(mission.end)],
        "window": [_iso(mission.window_start), _iso(mission.window_end), mission.duration_days],
        "beneficiaries": sorted(b.pk for b in beneficiaries),
        "requests": [
            [r.reference, r.level, sorted(t.code for t in r.topics), r.needs] for r in requests
        ],
        "objectives": list(objectives),
        "slots": [
            [
                s.position,
                s.category,
                [[x.topic.code, x.level] for x in s.requirements],
                s.expert.expert.pk if s.expert else None,
            ]
            for s in slots
        ],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def terms_of(mission: Mission) -> Terms:
    """The terms of reference of ``mission`` as its data says now (about ten queries)."""
    beneficiaries = tuple(mission.beneficiaries.order_by("name"))
    requests = _requests(mission)
    objectives = _objectives(mission)
    slots = _slots(mission, {t.pk for r in requests for t in r.topics})
    return Terms(
        mission=mission,
        beneficiaries=beneficiaries,
        requests=requests,
        objectives=objectives,
        slots=slots,
        fingerprint=fingerprint(mission, beneficiaries, requests, objectives, slots),
    )


# --- confirmations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where one beneficiary administration stands: its confirmation of the current version,
    else its latest of an earlier one."""

    organisation: Organisation
    current: TermsConfirmation | None
    earlier: TermsConfirmation | None

    @property
    def confirmed(self) -> bool:
        return self.current is not None


def terms_standing(terms: Terms) -> list[Standing]:
    """Each beneficiary administration's confirmation, in one query."""
    latest: dict[int, TermsConfirmation] = {}
    current: dict[int, TermsConfirmation] = {}
    rows = TermsConfirmation.objects.filter(mission=terms.mission).select_related("confirmed_by")
    for row in rows.order_by("confirmed_at", "id"):
        latest[row.organisation_id] = row
        if row.fingerprint == terms.fingerprint:
            current.setdefault(row.organisation_id, row)
    return [
        Standing(org, current.get(org.pk), None if org.pk in current else latest.get(org.pk))
        for org in terms.beneficiaries
    ]


def unconfirmed(terms: Terms) -> list[Organisation]:
    """The beneficiary administrations that have not confirmed the current version."""
    return [s.organisation for s in terms_standing(terms) if not s.confirmed]


def terms_problems(mission: Mission) -> list[str]:
    """Why ``mission`` cannot be confirmed yet as far as its terms of reference go: the
    beneficiary administrations that have not confirmed their current version."""
    missing = unconfirmed(terms_of(mission))
    if not missing:
        return []
    return [
        _(
            "Mission %(mission)s: the terms of reference are not confirmed by %(names)s. A "
            "member focal point of each beneficiary administration confirms their current "
            "version on the mission's terms of reference page."
        )
        % {"mission": mission.reference, "names": ", ".join(o.name for o in missing)}
    ]


# --- the agenda -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaDay:
    day: datetime.date
    kind: str  # "working", "weekend" or "holiday"

    @property
    def is_working(self) -> bool:
        return self.kind == "working"


def agenda(mission: Mission, calendar: Calendar | None) -> tuple[list[AgendaDay], int]:
    """The mission's days, first to last, each a working day, a weekend day or a public
    holiday of the host's ``calendar`` (without one, every day works); at most
    ``AGENDA_MAX_DAYS`` of them, and how many more there are."""
    if mission.start is None or mission.end is None:
        return [], 0
    total = (mission.end - mission.start).days + 1
    days = []
    for k in range(min(total, AGENDA_MAX_DAYS)):
        day = mission.start + datetime.timedelta(days=k)
        kind = "working"
        if calendar is not None and day in calendar.holidays:
            kind = "holiday"
        elif calendar is not None and calendar.is_weekend(day):
            kind = "weekend"
        days.append(AgendaDay(day, kind))
    return days, total - len(days)
