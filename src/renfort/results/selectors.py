"""Reads of what follows a mission that depend on who asks.

- The mission's results page, its reports and their follow-up actions: whoever sees the
  mission (``missions_visible_to``), except an expert who did not take part in it.
- Evaluations (``evaluation_access``): the secretariat reads everything; a beneficiary's focal
  point each evaluation's mission rating and comments, and the expert ratings of their own
  administration's evaluation; an expert who took part the same comments and their own
  ratings; a focal point of an expert's home administration that expert's ratings. Everyone
  else who sees the mission (donors, regional coordinators, funders) reads averages only.
  Another party's mission answers 404.
- Follow-up actions (``follow_ups_visible_to``): the secretariat all of them; a member focal
  point those its administration owns; a regional coordinator those of its region's members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.missions.models import TAKING_PART_ASSIGNMENT_STATUSES, Assignment, Mission
from renfort.missions.selectors import missions_visible_to
from renfort.results.models import Evaluation, ExpertRating, FollowUpAction, MissionReport
from renfort.results.participants import beneficiary_of, marks_follow_ups_of, mission_experts


def _taking_part(user: User) -> QuerySet[Assignment]:
    expert = getattr(user, "expert", None)
    return Assignment.objects.filter(
        expert=expert, status__in=list(TAKING_PART_ASSIGNMENT_STATUSES)
    )


def results_missions_visible_to(user: User) -> QuerySet[Mission]:
    """Missions whose results the user may read: those they see, and for an expert only
    those they took part in."""
    missions = missions_visible_to(user)
    if user.is_authenticated and user.role == Role.EXPERT:
        missions = missions.filter(id__in=_taking_part(user).values("slot__mission_id"))
    return missions


def mission_results_for(user: User, pk: int) -> Mission:
    """The mission if the user may read its results; 404 otherwise."""
    try:
        return results_missions_visible_to(user).get(pk=pk)
    except Mission.DoesNotExist as exc:
        raise Http404("No such mission.") from exc


def reports_visible_to(user: User) -> QuerySet[MissionReport]:
    return MissionReport.objects.filter(mission__in=results_missions_visible_to(user))


def report_for_user(user: User, pk: int) -> MissionReport:
    """The report if the user may read it (with its mission and author); 404 otherwise."""
    try:
        return (
            reports_visible_to(user)
            .select_related("mission", "author__home_administration", "filed_by")
            .get(pk=pk)
        )
    except MissionReport.DoesNotExist as exc:
        raise Http404("No such report.") from exc


@dataclass(frozen=True)
class EvaluationAccess:
    """What of a mission's evaluations a user reads: always the averages; ``everything``
    (secretariat); each evaluation's rating and comments (``comments``); every rating of the
    evaluation of ``own_organisation`` (the beneficiary who wrote it); the ratings of the
    experts ``experts`` (the expert themselves, their home administration)."""

    everything: bool = False
    comments: bool = False
    own_organisation: int | None = None
    experts: frozenset[int] = field(default_factory=frozenset)

    def sees_rating(self, rating: ExpertRating, evaluation: Evaluation) -> bool:
        return (
            self.everything
            or evaluation.organisation_id == self.own_organisation
            or rating.expert_id in self.experts
        )

    def sees_comments(self, evaluation: Evaluation) -> bool:
        return self.everything or self.comments


def evaluation_access(user: User, mission: Mission) -> EvaluationAccess:
    """What ``user`` reads of ``mission``'s evaluations (see the module's docstring); 404
    when they may not read the mission's results at all."""
    mission = mission_results_for(user, mission.pk)
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return EvaluationAccess(everything=True)
    if user.role == Role.EXPERT:
        return EvaluationAccess(comments=True, experts=frozenset({user.expert.pk}))
    if user.role == Role.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        beneficiary = beneficiary_of(user, mission)
        lent = frozenset(
            e.pk
            for e in mission_experts(mission)
            if e.home_administration_id == user.organisation_id
        )
        return EvaluationAccess(
            comments=beneficiary is not None,
            own_organisation=beneficiary.pk if beneficiary is not None else None,
            experts=lent,
        )
    return EvaluationAccess()


@dataclass(frozen=True)
class EvaluationSummary:
    """Averages anyone who reads a mission's results may see."""

    count: int
    rating: float | None
    expert_rating: float | None


def evaluation_summary(mission: Mission) -> EvaluationSummary:
    overall = Evaluation.objects.filter(mission=mission).aggregate(n=Count("id"), avg=Avg("rating"))
    experts = ExpertRating.objects.filter(evaluation__mission=mission).aggregate(avg=Avg("rating"))
    return EvaluationSummary(overall["n"], overall["avg"], experts["avg"])


def evaluations_for(mission: Mission, access: EvaluationAccess) -> list[Evaluation]:
    """The mission's evaluations with the ratings ``access`` lets through (``shown``);
    empty for those who read averages only."""
    if not (access.everything or access.comments or access.experts):
        return []
    evaluations = list(
        Evaluation.objects.filter(mission=mission)
        .select_related("organisation", "by")
        .prefetch_related("ratings__expert__home_administration")
        .order_by("submitted_at", "pk")
    )
    for evaluation in evaluations:
        evaluation.shown = [  # type: ignore[attr-defined]
            r for r in evaluation.ratings.all() if access.sees_rating(r, evaluation)
        ]
        evaluation.comments_shown = access.sees_comments(evaluation)  # type: ignore[attr-defined]
    return [
        e
        for e in evaluations
        if e.comments_shown or e.shown  # type: ignore[attr-defined]
    ]


def follow_ups_visible_to(user: User) -> QuerySet[FollowUpAction]:
    qs = FollowUpAction.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == Role.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        return qs.filter(owner_id=user.organisation_id)
    if user.role == Role.REGIONAL_COORDINATOR and user.region:
        return qs.filter(owner__region=user.region)
    return qs.none()


def follow_up_for_user(user: User, pk: int) -> FollowUpAction:
    """The follow-up action if the user may see it (their organisation owns it, their
    region's, or the secretariat); 404 otherwise."""
    try:
        return (
            follow_ups_visible_to(user)
            .select_related("owner", "mission", "report__author", "done_by")
            .get(pk=pk)
        )
    except FollowUpAction.DoesNotExist as exc:
        raise Http404("No such follow-up action.") from exc


def can_mark_done(user: User, action: FollowUpAction) -> bool:
    """Whether the page offers ``user`` to mark the action done (the service's rule)."""
    return marks_follow_ups_of(user, action.owner)
