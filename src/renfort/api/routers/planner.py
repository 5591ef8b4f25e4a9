"""Planner runs, as the planner pages run them (``planning.views``): the secretariat's alone
(any other role: 403). A run is started over chosen missions and/or a period
(``planning.services.planner_run_start``, which queues the background task as the new-run
form does), followed while it works (status, progress), read when done (its plan, a page of
missions at a time, as the review page reads it: ``review_selectors.run_review_page``), and
its proposals accepted (``planning.services.proposals_accept``, as the review page's button):
each accepted proposal becomes an invitation, and what could not be accepted comes back with
the rule that refused it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.api.pagination import page_of, paginate
from renfort.api.problems import errors
from renfort.api.routers.planner_schemas import (
    AcceptIn,
    AcceptOut,
    MissionResultOut,
    ResultFilters,
    RunDetailOut,
    RunFilters,
    RunIn,
    RunOut,
)
from renfort.missions.models import Mission
from renfort.planning import review_selectors, selectors, services
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.problem import plannable_missions
from renfort.planning.review_selectors import MissionReview, Proposal

router = Router(tags=["planner"])


def _secretariat(user: User) -> None:
    if user.role != Role.SECRETARIAT_COORDINATOR:
        raise PermissionDenied(_("Only a secretariat coordinator runs the planner."))


def _detail(run: PlannerRun) -> PlannerRun:
    """The run with what its page shows beside its fields (``RunDetailOut``)."""
    shown: dict[str, Any] = {
        "stalled": selectors.run_is_stalled(run),
        "failure": review_selectors.run_failure(run)
        if run.status == PlannerRunStatus.FAILED
        else [],
        "open_proposals": None,
        "quality": None,
        "left_out": [],
        "left_out_count": 0,
    }
    if run.status == PlannerRunStatus.DONE:
        found = review_selectors.run_review_page(run, per_page=1)
        shown["open_proposals"] = found.review.open_count
        shown["quality"] = found.review.quality
        shown["left_out"] = [
            {
                "reference": x.reference,
                "mission_id": x.mission.pk if x.mission else None,
                "reason": x.reason,
            }
            for x in found.review.left_out
        ]
        shown["left_out_count"] = found.left_out_total
    for key, value in shown.items():
        setattr(run, key, value)
    progress = run.progress if isinstance(run.progress, list) else []
    run.progress = [p for p in progress if isinstance(p, dict) and "t" in p and "primary" in p]
    return run


@router.get(
    "runs/",
    url_name="planner_run_list",
    response={200: page_of(RunOut), **errors(401, 403, 422, 429)},
    summary="List planner runs, newest first",
)
def planner_run_list(request: AuthedRequest, filters: Query[RunFilters]) -> dict[str, Any]:
    _secretariat(request.user)
    runs: QuerySet[PlannerRun] = selectors.runs_with_outcome().order_by("-created_at", "-id")
    if filters.status:
        runs = runs.filter(status=filters.status)
    return paginate(runs, filters)


def _plannable(ids: list[int]) -> list[Mission]:
    found = plannable_missions().in_bulk(list(dict.fromkeys(ids)))
    unknown = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
    if unknown:
        raise ValidationError(
            {
                "missions": _(
                    "Not a plannable mission (draft, planned or scheduled, with expert slots): "
                    "%(ids)s."
                )
                % {"ids": ", ".join(unknown)}
            },
            code="unknown",
        )
    return list(found.values())


@router.post(
    "runs/",
    url_name="planner_run_start",
    response={201: RunDetailOut, **errors(401, 403, 422, 429)},
    summary="Start a planner run",
)
def planner_run_start(request: AuthedRequest, payload: RunIn) -> Status:
    """Plan the chosen missions and those the period meets, as the new-run form does; the run
    goes to the background worker (follow it with ``planner_run_detail``)."""
    _secretariat(request.user)
    if not payload.missions and not payload.period_start and not payload.period_end:
        raise ValidationError({"missions": _("Choose missions, a period, or both.")})
    run = services.planner_run_start(
        by=request.user,
        missions=_plannable(payload.missions),
        period_start=payload.period_start,
        period_end=payload.period_end,
        time_limit_s=payload.time_limit_s,
    )
    return Status(201, _detail(selectors.run_for_user(request.user, run.pk, with_problem=False)))


@router.get(
    "runs/{int:pk}/",
    url_name="planner_run_detail",
    response={200: RunDetailOut, **errors(401, 403, 404, 429)},
    summary="A planner run: status, progress and outcome",
)
def planner_run_detail(request: AuthedRequest, pk: int) -> PlannerRun:
    _secretariat(request.user)
    return _detail(selectors.run_for_user(request.user, pk, with_problem=False))


def _proposal(p: Proposal) -> dict[str, Any]:
    return {
        "slot": p.slot.code,
        "slot_position": p.slot.position,
        "expert_id": p.expert_id,
        "expert_name": str(p.expert) if p.expert else None,
        "country": p.country,
        "fit": p.fit,
        "explanation": p.explanation_text,
        "pinned": p.pinned,
        "swapped": p.swapped,
        "state": p.state,
        "acceptable": p.acceptable,
        "declined": p.declined,
        "assignment_id": p.assignment.pk if p.assignment else None,
    }


def _mission_result(mr: MissionReview) -> dict[str, Any]:
    return {
        "mission_id": mr.mission.pk if mr.mission else None,
        "reference": mr.mission_id,
        "title": mr.mission.title if mr.mission else None,
        "staffed": mr.staffed,
        "start": mr.start,
        "end": mr.end,
        "proposals": [_proposal(p) for p in mr.proposals],
        "reasons": mr.reasons,
    }


@router.get(
    "runs/{int:pk}/result/",
    url_name="planner_run_result",
    response={200: page_of(MissionResultOut), **errors(401, 403, 404, 409, 422, 429)},
    summary="A finished run's plan, a page of missions at a time",
)
def planner_run_result(
    request: AuthedRequest, pk: int, filters: Query[ResultFilters]
) -> dict[str, Any]:
    """The staffed missions with their proposals (or, with ``staffed=false``, the unstaffed
    ones with why), read against the database as the review page reads them. A run that has
    not finished, or failed, has no plan: 409."""
    _secretariat(request.user)
    run = selectors.run_for_user(request.user, pk, with_problem=False)
    if run.status != PlannerRunStatus.DONE:
        raise HttpError(
            409,
            _("The run has no plan to review (status: %(s)s).") % {"s": run.get_status_display()},
        )
    found = review_selectors.run_review_page(
        run,
        page=filters.page,
        unstaffed_page=filters.page,
        query=filters.q,
        per_page=filters.page_size,
    )
    page = found.staffed_page if filters.staffed else found.unstaffed_page
    reviews = found.review.staffed if filters.staffed else found.review.unstaffed
    past_the_end = filters.page > page.paginator.num_pages
    return {
        "count": page.paginator.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [] if past_the_end else [_mission_result(mr) for mr in reviews],
    }


@router.post(
    "runs/{int:pk}/accept/",
    url_name="planner_run_accept",
    response={200: AcceptOut, **errors(401, 403, 404, 422, 429)},
    summary="Accept proposals of a finished run: they become invitations",
)
def planner_run_accept(request: AuthedRequest, pk: int, payload: AcceptIn) -> dict[str, Any]:
    """The chosen proposals (or ``all`` open ones) become invitations; the experts and their
    home administrations are told. Each mission is accepted whole or not at all; what was
    refused comes back with the rule that refused it. Nothing accepted: 422, nothing written."""
    user = request.user
    _secretariat(user)
    run = selectors.run_for_user(user, pk)
    codes = list(dict.fromkeys(payload.slots))
    if payload.all and run.status == PlannerRunStatus.DONE:
        codes = sorted(review_selectors.open_proposal_codes(run))
    if not codes and run.status == PlannerRunStatus.DONE:
        raise ValidationError(
            {"slots": _("Name the proposals to accept (their slot codes), or accept all.")}
            if not payload.all
            else {"all": _("No proposal of this plan is open to accept.")}
        )
    created, refused = services.proposals_accept(run=run, slot_codes=codes, by=user)
    refusals = [{"slot": code, "reason": why} for code, why in sorted(refused.items())]
    if not created and refusals:
        raise ValidationError({"slots": [f"{r['slot']}: {r['reason']}" for r in refusals]})
    return {
        "invited": [
            {
                "slot": a.slot.code,
                "assignment_id": a.pk,
                "mission_id": a.slot.mission_id,
                "expert_id": a.expert_id,
            }
            for a in created
        ],
        "refused": refusals,
    }
