"""An expert's report on a delivered mission, with the follow-up actions it asks for."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, Role, User
from renfort.lib.dates import date_error
from renfort.lib.limits import length_errors
from renfort.missions.locking import lock_mission_commitments
from renfort.missions.models import Mission, MissionStatus
from renfort.results.models import FollowUpAction, MissionDelivery, MissionReport
from renfort.results.participants import follow_up_owners, mission_experts
from renfort.results.services.notices import notify_follow_ups, notify_report
from renfort.results.services.progress import mission_results_advance
from renfort.roster.models import Expert

# A report asks for a handful of actions, not a plan: more belong in the next request.
MAX_FOLLOW_UPS = 10
REPORTABLE = frozenset({MissionStatus.DELIVERED, MissionStatus.REPORTED})


class FollowUpSpec(NamedTuple):
    """One follow-up action a report asks for: what, who owns it, by when."""

    description: str
    owner: Organisation
    due_on: datetime.date


def _author_errors(mission: Mission, author: Expert, by: User) -> dict[str, str]:
    errors: dict[str, str] = {}
    names = {"expert": author, "mission": mission.reference}
    if author.pk not in {e.pk for e in mission_experts(mission)}:
        errors["author"] = (
            _(
                "Author: %(expert)s was not assigned to mission %(mission)s; only its experts "
                "report on it."
            )
            % names
        )
    elif MissionReport.objects.filter(mission=mission, author=author).exists():
        errors["author"] = (
            _("Author: %(expert)s has already filed a report on mission %(mission)s.") % names
        )
    if by.role != Role.SECRETARIAT_COORDINATOR and (by.pk != author.user_id or not by.is_active):
        errors["by"] = (
            _(
                "Report: only %(expert)s, or the secretariat on their behalf, files their report "
                "on mission %(mission)s."
            )
            % names
        )
    if mission.status not in REPORTABLE:
        errors["mission"] = _(
            "Mission %(mission)s is %(status)s: a report follows a delivered mission."
        ) % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
    return errors


def _follow_up_errors(mission: Mission, follow_ups: Sequence[FollowUpSpec]) -> list[str]:
    """Each action says what, is owned by a beneficiary or the secretariat, and is due from
    the mission's last day on."""
    if len(follow_ups) > MAX_FOLLOW_UPS:
        return [
            _("Follow-up actions: %(count)d, at most %(max)d in one report.")
            % {"count": len(follow_ups), "max": MAX_FOLLOW_UPS}
        ]
    owners = {o.pk for o in follow_up_owners(mission)}
    last_day = (
        MissionDelivery.objects.filter(mission=mission).values_list("actual_end", flat=True).first()
        or mission.end
    )
    problems = []
    for n, spec in enumerate(follow_ups, start=1):
        label = _("Follow-up action %(n)d") % {"n": n}
        if not spec.description.strip():
            problems.append(_("%(label)s: say what is to be done.") % {"label": label})
        elif too_long := length_errors(FollowUpAction, description=spec.description.strip()):
            problems.append(f"{label}: {too_long['description']}")
        if spec.owner.pk not in owners:
            problems.append(
                _(
                    "%(label)s: %(owner)s is neither a beneficiary of mission %(mission)s nor "
                    "the secretariat."
                )
                % {"label": label, "owner": spec.owner, "mission": mission.reference}
            )
        if message := date_error(_("%(label)s, due on") % {"label": label}, spec.due_on):
            problems.append(message)
        elif last_day is not None and spec.due_on < last_day:
            problems.append(
                _("%(label)s: due on %(due)s, before the mission's last day %(end)s.")
                % {"label": label, "due": spec.due_on, "end": last_day}
            )
    return problems


@transaction.atomic
def mission_report_submit(
    *,
    mission: Mission,
    author: Expert,
    by: User,
    activities: str,
    findings: str = "",
    recommendations: str = "",
    follow_ups: Sequence[FollowUpSpec] = (),
) -> MissionReport:
    """An expert who took part in a delivered mission files their report (once): what was
    done, what was found, what is recommended, and follow-up actions each owned by a
    beneficiary administration or the secretariat with a due day. ``by`` is the expert's user,
    or a secretariat coordinator filing on their behalf.

    The secretariat hears of it, each action's owner of the action; once every expert's
    report is in the mission moves to reported (and to closed if evaluated already)."""
    mission, _experts = lock_mission_commitments(mission.pk)
    errors: dict[str, str | list[str]] = dict(_author_errors(mission, author, by))
    if not activities.strip():
        errors["activities"] = _("Activities: say what the mission did.")
    for key, message in length_errors(
        MissionReport,
        activities=activities.strip(),
        findings=findings.strip(),
        recommendations=recommendations.strip(),
    ).items():
        errors.setdefault(key, message)
    if problems := _follow_up_errors(mission, follow_ups):
        errors["follow_ups"] = problems
    if errors:
        raise ValidationError(errors)
    report = MissionReport.objects.create(
        mission=mission,
        author=author,
        filed_by=by,
        activities=activities.strip(),
        findings=findings.strip(),
        recommendations=recommendations.strip(),
    )
    actions = FollowUpAction.objects.bulk_create(
        FollowUpAction(
            report=report,
            mission=mission,
            description=spec.description.strip(),
            owner=spec.owner,
            due_on=spec.due_on,
        )
        for spec in follow_ups
    )
    notify_report(mission, str(author))
    notify_follow_ups(actions)
    mission_results_advance(mission=mission, by=by)
    return report
