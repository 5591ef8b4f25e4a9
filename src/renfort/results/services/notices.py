"""Who hears of what follows a mission, and where their notice links to."""

from __future__ import annotations

from collections.abc import Iterable

from renfort.accounts.models import User
from renfort.accounts.services import notification_send
from renfort.lib.links import link_to
from renfort.missions.models import Mission
from renfort.missions.services.common import (
    lender_focal_points,
    mission_focal_points,
    mission_params,
    secretariat_users,
)
from renfort.results.models import Evaluation, FollowUpAction
from renfort.results.participants import acting_users, mission_experts


def results_link(mission: Mission) -> str:
    """The mission's page of what followed it (delivery, reports, evaluation)."""
    return link_to(
        "results:mission_results", mission.pk, fallback=f"/results/missions/{mission.pk}/"
    )


def follow_ups_link() -> str:
    return link_to("results:follow_up_list", fallback="/results/follow-ups/")


def _beneficiary_users(mission: Mission) -> list[User]:
    """The member focal points of the mission's beneficiaries (and its requests' focal
    points): who evaluates."""
    return mission_focal_points(mission)


def notify_delivered(mission: Mission) -> None:
    """The experts owe a report, the beneficiaries an evaluation."""
    params = mission_params(mission)
    experts = [e.user for e in mission_experts(mission) if e.user is not None]
    link = results_link(mission)
    notification_send(
        recipients=experts, code="mission.delivered_report_due", params=params, link=link
    )
    notification_send(
        recipients=_beneficiary_users(mission),
        code="mission.delivered_evaluation_due",
        params=params,
        link=link,
    )


def notify_report(mission: Mission, expert_name: str) -> None:
    notification_send(
        recipients=secretariat_users(),
        code="report.submitted",
        params={**mission_params(mission), "expert": expert_name},
        link=results_link(mission),
    )


def notify_follow_ups(actions: Iterable[FollowUpAction]) -> None:
    """Each owner's people hear of the action they now own."""
    for action in actions:
        notification_send(
            recipients=acting_users(action.owner),
            code="follow_up.assigned",
            params={
                "org": action.owner.name,
                "reference": action.mission.reference,
                "due": action.due_on.isoformat(),
                "note": action.description,
            },
            link=follow_ups_link(),
        )


def notify_follow_up_done(action: FollowUpAction) -> None:
    author = action.report.author.user
    notification_send(
        recipients=[*secretariat_users(), author],
        code="follow_up.done",
        params={
            "org": action.owner.name,
            "reference": action.mission.reference,
            "note": action.done_note,
        },
        link=results_link(action.mission),
    )


def notify_evaluation(evaluation: Evaluation) -> None:
    """The secretariat hears of the rating; each expert, and their home administration, of
    the evaluation of their work (the ratings themselves are on the page, for those allowed)."""
    mission = evaluation.mission
    params = mission_params(mission)
    link = link_to(
        "results:evaluation_detail", mission.pk, fallback=f"/results/missions/{mission.pk}/"
    )
    notification_send(
        recipients=secretariat_users(),
        code="evaluation.submitted",
        params={**params, "org": evaluation.organisation.name, "rating": str(evaluation.rating)},
        link=link,
    )
    for rating in evaluation.ratings.select_related("expert__user"):
        notification_send(
            recipients=[rating.expert.user, *lender_focal_points(rating.expert)],
            code="evaluation.expert_rated",
            params={**params, "org": evaluation.organisation.name, "expert": str(rating.expert)},
            link=link,
        )


def notify_status(mission: Mission, code: str) -> None:
    """Reported: the beneficiaries (who evaluate next) and the secretariat. Closed: the
    experts too."""
    recipients: list[User | None] = [*_beneficiary_users(mission), *secretariat_users()]
    if code == "mission.closed":
        recipients += [e.user for e in mission_experts(mission)]
    notification_send(
        recipients=recipients, code=code, params=mission_params(mission), link=results_link(mission)
    )
