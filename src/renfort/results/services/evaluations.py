"""A beneficiary administration's evaluation of a delivered mission and of each expert."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.lib.limits import length_errors
from renfort.missions.locking import lock_mission_commitments
from renfort.missions.models import DONE_MISSION_STATUSES, Mission, MissionStatus
from renfort.results.models import Evaluation, ExpertRating
from renfort.results.participants import beneficiary_of, mission_experts
from renfort.results.services.notices import notify_evaluation
from renfort.results.services.progress import mission_results_advance
from renfort.roster.models import Expert


class ExpertRatingSpec(NamedTuple):
    """How the beneficiary rates one expert's work: 1 to 5, and a comment (optional)."""

    expert: Expert
    rating: int
    comment: str = ""


def _rating_ok(rating: object) -> bool:
    return isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5


def _rating_errors(mission: Mission, ratings: Sequence[ExpertRatingSpec]) -> list[str]:
    """Every expert of the mission rated once, 1 to 5; nobody else."""
    experts = {e.pk: e for e in mission_experts(mission)}
    problems: list[str] = []
    seen: set[int] = set()
    for spec in ratings:
        names = {"expert": spec.expert, "mission": mission.reference}
        if spec.expert.pk not in experts:
            problems.append(
                _("Experts: %(expert)s did not take part in mission %(mission)s.") % names
            )
        elif spec.expert.pk in seen:
            problems.append(_("Experts: %(expert)s is rated twice.") % names)
        seen.add(spec.expert.pk)
        if not _rating_ok(spec.rating):
            problems.append(
                _("Rating of %(expert)s: %(rating)s is not between 1 and 5.")
                % {**names, "rating": spec.rating}
            )
        if too_long := length_errors(ExpertRating, comment=spec.comment.strip()):
            problems.append(f"{spec.expert}: {too_long['comment']}")
    for pk, expert in experts.items():
        if pk not in seen:
            problems.append(
                _("Rating of %(expert)s: rate the work of each expert of the mission.")
                % {"expert": expert}
            )
    return problems


def _who_errors(mission: Mission, by: User) -> dict[str, str]:
    errors: dict[str, str] = {}
    organisation = beneficiary_of(by, mission)
    if organisation is None or not by.is_active:
        errors["by"] = _(
            "Evaluation: only a focal point of a beneficiary of mission %(mission)s can "
            "evaluate it."
        ) % {"mission": mission.reference}
    elif earlier := Evaluation.objects.filter(mission=mission, organisation=organisation).first():
        errors["by"] = _(
            "Evaluation: %(org)s has already evaluated mission %(mission)s (%(user)s)."
        ) % {"org": organisation, "mission": mission.reference, "user": earlier.by}
    if mission.status not in DONE_MISSION_STATUSES:
        errors["mission"] = _(
            "Mission %(mission)s is %(status)s: it can be evaluated once delivered."
        ) % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
    return errors


@transaction.atomic
def evaluation_submit(
    *,
    mission: Mission,
    by: User,
    rating: int,
    comments: str = "",
    expert_ratings: Sequence[ExpertRatingSpec] = (),
) -> Evaluation:
    """A member focal point of a beneficiary administration evaluates a delivered mission
    for their administration (once per administration): the mission rated 1 to 5 with
    comments, and each of its experts rated 1 to 5 with a comment.

    The secretariat hears of it, each expert and their home administration that their work
    was evaluated; a reported mission closes (its requests with it)."""
    mission, _experts = lock_mission_commitments(mission.pk)
    errors: dict[str, str | list[str]] = dict(_who_errors(mission, by))
    if not _rating_ok(rating):
        errors["rating"] = _("Rating: %(rating)s is not between 1 and 5.") % {"rating": rating}
    errors.update(length_errors(Evaluation, comments=comments.strip()))
    if "mission" not in errors and (problems := _rating_errors(mission, expert_ratings)):
        errors["expert_ratings"] = problems
    if errors:
        raise ValidationError(errors)
    organisation = beneficiary_of(by, mission)
    assert organisation is not None  # checked above
    evaluation = Evaluation.objects.create(
        mission=mission,
        organisation=organisation,
        by=by,
        rating=rating,
        comments=comments.strip(),
    )
    ExpertRating.objects.bulk_create(
        ExpertRating(
            evaluation=evaluation,
            expert=spec.expert,
            rating=spec.rating,
            comment=spec.comment.strip(),
        )
        for spec in expert_ratings
    )
    notify_evaluation(evaluation)
    mission_results_advance(mission=mission, by=by)
    return evaluation
