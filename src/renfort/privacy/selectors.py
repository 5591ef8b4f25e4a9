"""Reads of personal data that depend on who asks (docs/privacy.md, "Who sees it").

``expert_data`` gathers everything Renfort holds about one expert, for the JSON download and
the readable page: one shape, so that both always say the same thing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from renfort.accounts.models import Invitation, Notification, Role, User
from renfort.lib.audit_trail import HistoryEntry, audited_models, object_history
from renfort.missions.models import (
    KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatusChange,
    SlotExclusion,
)
from renfort.missions.selectors import missions_visible_to
from renfort.privacy.erasure import history_models
from renfort.privacy.models import ErasureRequest, ErasureStatus
from renfort.results.models import ExpertRating, MissionReport
from renfort.roster.models import Accreditation, Expert, Skill, Unavailability

# Never exported, even to the person: secrets, not data about them.
_SECRET_FIELDS = frozenset({"password", "token_hash"})
# History tables whose rows are about the expert, and the column naming them.
_HISTORY_OF = {
    Expert: "id",
    Skill: "expert_id",
    Accreditation: "expert_id",
    Unavailability: "expert_id",
    Assignment: "expert_id",
    Invitation: "expert_id",
}


def may_see_personal_data(user: User, expert: Expert) -> bool:
    """The expert themself, a focal point of their home administration, the secretariat."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return True
    if user.role == Role.EXPERT:
        return expert.user_id == user.pk
    return (
        user.role == Role.MEMBER_FOCAL_POINT
        and user.organisation_id is not None
        and user.organisation_id == expert.home_administration_id
    )


def expert_for_privacy(user: User, pk: int) -> Expert:
    """The expert whose data ``user`` may export or ask to erase; 404 for anyone else."""
    expert = Expert.objects.select_related("home_administration", "user").filter(pk=pk).first()
    if expert is None or not may_see_personal_data(user, expert):
        raise Http404("No such expert.")
    return expert


def own_expert(user: User) -> Expert:
    """The expert record of a signed-in expert (404 when there is none)."""
    expert = Expert.objects.select_related("home_administration", "user").filter(user=user).first()
    if expert is None:
        raise Http404("No expert record.")
    return expert


def open_erasure_request(expert: Expert) -> ErasureRequest | None:
    return expert.erasure_requests.filter(status=ErasureStatus.ASKED).first()


def erasure_queue() -> QuerySet[ErasureRequest]:
    """Erasure requests for the secretariat: those waiting first, then the newest."""
    waiting = models.Case(
        models.When(status=ErasureStatus.ASKED, then=0),
        default=1,
        output_field=models.IntegerField(),
    )
    return (
        ErasureRequest.objects.select_related(
            "expert__home_administration", "asked_by", "decided_by"
        )
        .alias(waiting=waiting)
        .order_by("waiting", "-asked_at", "-id")
    )


# --- the export --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: models.Model, *names: str) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _all_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items() if k not in _SECRET_FIELDS}


def _login(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        **_row(user, "username", "email", "first_name", "last_name", "language"),
        "role": user.role,
        "organisation": user.organisation.name if user.organisation else "",
        "notification_mail": user.notification_mail,
        "active": user.is_active,
        "date_joined": _plain(user.date_joined),
        "last_login": _plain(user.last_login),
    }


def _assignments(expert: Expert, viewer: User) -> list[dict[str, Any]]:
    """Her assignments on missions the viewer may see; proposals (the secretariat's working
    notes, which she has not been sent) only in the secretariat's export."""
    rows = Assignment.objects.filter(expert=expert, slot__mission__in=missions_visible_to(viewer))
    if viewer.role != Role.SECRETARIAT_COORDINATOR:
        rows = rows.filter(status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
    rows = (
        rows.select_related("slot__mission")
        .prefetch_related(
            Prefetch("history", queryset=AssignmentStatusChange.objects.order_by("at", "id"))
        )
        .order_by("-id")
    )
    out = []
    for a in rows:
        mission = a.slot.mission
        out.append(
            {
                "mission": mission.reference,
                "mission_title": mission.title,
                "mission_status": mission.status,
                "start": _plain(mission.start),
                "end": _plain(mission.end),
                "slot": a.slot.code,
                "category": a.slot.category,
                "status": a.status,
                "release_status": a.release_status,
                "decline_reason": a.decline_reason,
                "history": [
                    {
                        "from": h.from_status,
                        "to": h.to_status,
                        "at": _plain(h.at),
                        "note": h.note_text,
                    }
                    for h in a.history.all()
                ],
            }
        )
    return out


def _assignment_ids(expert: Expert, viewer: User) -> list[int]:
    """The expert's assignments whose history the viewer gets: as ``_assignments``."""
    rows = Assignment.objects.filter(expert=expert, slot__mission__in=missions_visible_to(viewer))
    if viewer.role != Role.SECRETARIAT_COORDINATOR:
        rows = rows.filter(status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
    return list(rows.values_list("id", flat=True))


def readable_history(expert: Expert, viewer: User, *, limit: int = 500) -> list[HistoryEntry]:
    """The field history about the expert as the audit trail shows it (who, which field,
    previous → new value), newest first: their record, skills, unavailability, login and the
    assignments the viewer may see (lib/audit_trail.py)."""
    audited = set(audited_models())
    targets: list[tuple[type[models.Model], dict[str, Any]]] = [
        (model, {_HISTORY_OF[model]: expert.pk})
        for model in (Expert, Skill, Accreditation, Unavailability)
        if model in audited
    ]
    if expert.user_id is not None and User in audited:
        targets.append((User, {"id": expert.user_id}))
    if Assignment in audited:
        targets.append((Assignment, {"id__in": _assignment_ids(expert, viewer)}))
    return object_history(targets, limit=limit)


def _history(expert: Expert, viewer: User) -> dict[str, list[dict[str, Any]]]:
    """Rows of the field-history tables about the expert (and their login), if any; of
    assignments, those the viewer may see."""
    found: dict[str, list[dict[str, Any]]] = {}
    for hm in history_models():
        kind = hm.instance_type  # type: ignore[attr-defined]
        if kind is User:
            if expert.user_id is None:
                continue
            rows = hm._default_manager.filter(id=expert.user_id)
        elif kind is Assignment:
            rows = hm._default_manager.filter(id__in=_assignment_ids(expert, viewer))
        elif kind in _HISTORY_OF:
            rows = hm._default_manager.filter(**{_HISTORY_OF[kind]: expert.pk})
        else:
            continue
        values = [_all_columns(r) for r in rows.order_by("history_date").values()]
        if values:
            found[kind._meta.label] = values
    return found


def _profile(expert: Expert) -> dict[str, Any]:
    return {
        "expert": {
            **_row(expert, "id", "first_name", "last_name", "email"),
            "home_administration": expert.home_administration.name,
            "country": expert.home_administration.country,
            "categories": list(expert.categories),
            "languages": list(expert.languages),
            **_row(expert, "released_days_per_year", "release_status", "active"),
        },
        "skills": [
            {"topic": s.topic.code, "topic_name": str(s.topic), "level": s.level}
            for s in expert.skills.all()
        ],
        "accreditations": [
            {"topic": a.topic.code, **_row(a, "status", "granted_on", "expires_on")}
            for a in expert.accreditations.all()
        ],
        "unavailability": [
            _all_columns(r) for r in Unavailability._base_manager.filter(expert=expert).values()
        ],
    }


def _results(expert: Expert, viewer: User) -> dict[str, Any]:
    """Exclusions (the secretariat's only), reports and ratings on missions the viewer sees."""
    missions = missions_visible_to(viewer)
    exclusions = (
        SlotExclusion.objects.filter(expert=expert).select_related("slot__mission")
        if viewer.role == Role.SECRETARIAT_COORDINATOR
        else []
    )
    reports = MissionReport.objects.filter(author=expert, mission__in=missions)
    ratings = ExpertRating.objects.filter(expert=expert, evaluation__mission__in=missions)
    return {
        "exclusions": [
            {"mission": x.slot.mission.reference, "slot": x.slot.code, "reason": x.reason}
            for x in exclusions
        ],
        "reports": [
            {
                "mission": r.mission.reference,
                **_row(r, "submitted_at", "activities", "findings", "recommendations"),
            }
            for r in reports.select_related("mission")
        ],
        "ratings": [
            {
                "mission": r.evaluation.mission.reference,
                "by": r.evaluation.organisation.name,
                **_row(r, "rating", "comment"),
            }
            for r in ratings.select_related("evaluation__mission", "evaluation__organisation")
        ],
    }


def _inbox(user: User | None, viewer: User) -> list[dict[str, Any]]:
    """The login's notifications: for the expert and the secretariat only."""
    if user is None or (viewer.role != Role.SECRETARIAT_COORDINATOR and viewer.pk != user.pk):
        return []
    return [
        {
            "sent_at": _plain(n.created_at),
            "read_at": _plain(n.read_at),
            "subject": n.subject_text,
            "body": n.body_text,
            "link": n.link,
        }
        for n in Notification.objects.filter(recipient=user)
    ]


def _invitations(expert: Expert, user: User | None) -> list[dict[str, Any]]:
    invitations = Invitation.objects.select_related("organisation").filter(
        models.Q(expert=expert) | models.Q(user_id=getattr(user, "pk", None))
    )
    return [
        {
            **_row(i, "email", "first_name", "last_name", "role", "language"),
            "organisation": i.organisation.name,
            **_row(i, "created_at", "expires_at", "used_at", "revoked_at"),
        }
        for i in invitations
    ]


def expert_data(expert: Expert, viewer: User) -> dict[str, Any]:
    """Everything Renfort holds about ``expert``, as plain JSON values (codes, ISO dates), as
    ``viewer`` may read it: the secretariat gets all of it; the expert and their focal points
    get what concerns missions they may open (``missions_visible_to``: no title of another
    mission), the inbox only goes to the expert and the secretariat, the exclusions from
    slots (the secretariat's working notes) only to the secretariat (docs/privacy.md)."""
    expert = (
        Expert.objects.select_related("home_administration", "user__organisation")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.select_related("topic")),
            Prefetch("accreditations", queryset=Accreditation.objects.select_related("topic")),
        )
        .get(pk=expert.pk)
    )
    return {
        "generated_at": timezone.now().isoformat(),
        **_profile(expert),
        "login": _login(expert.user),
        "assignments": _assignments(expert, viewer),
        **_results(expert, viewer),
        "notifications": _inbox(expert.user, viewer),
        "invitations": _invitations(expert, expert.user),
        "erasure_requests": [
            _row(e, "asked_at", "status", "reason", "decided_at", "refusal_reason")
            for e in expert.erasure_requests.all()
        ],
        "history": _history(expert, viewer),
    }
