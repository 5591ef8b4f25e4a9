"""Writes: planner runs and what a coordinator does with their proposals.

- **Run**: ``planner_run_start`` records a ``PlannerRun`` and queues the background task,
  whose one call is ``solving.planner_run_execute``; ``planner_run_rerun`` plans again around
  the pins.
- **Back**: ``proposals_accept`` turns proposals into invitations, ``proposal_swap`` and
  ``proposal_pin`` edit the proposal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.lib.dates import out_of_range
from renfort.lib.messages import check, nested
from renfort.missions import rules
from renfort.missions import services as mission_services
from renfort.missions.eligibility import Held, crew_misses, overlaps
from renfort.missions.locking import lock_mission_commitments
from renfort.missions.models import Assignment, AssignmentSource, AssignmentStatus, Mission, Slot
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.problem import fit_explanation, missions_for_run, topic_names
from renfort.planning.review_selectors import MissionReview, Proposal, ProposalState, run_review
from renfort.planning.selectors import date_or_none, proposal_for_slot
from renfort.planning.tasks import planner_run_task
from renfort.roster.models import Expert

TIME_LIMIT_RANGE = (1.0, 600.0)


# --------------------------------------------------------------------------------------------
# Run: create, queue, re-run


def _clean_time_limit(value: float | None) -> float:
    limit = float(settings.PLANNER_TIME_LIMIT_S if value is None else value)
    lo, hi = TIME_LIMIT_RANGE
    if not lo <= limit <= hi:
        raise ValidationError(
            {
                "time_limit_s": _("The time limit must be between %(lo)s and %(hi)s seconds.")
                % {"lo": f"{lo:g}", "hi": f"{hi:g}"}
            }
        )
    return limit


@transaction.atomic
def planner_run_create(
    *,
    by: User,
    missions: Iterable[Mission] = (),
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    time_limit_s: float | None = None,
    previous: PlannerRun | None = None,
    extra_pins: Iterable[tuple[str, str]] = (),
) -> PlannerRun:
    """Record a planner run over the chosen missions and/or the period: its parameters only.

    The run keeps its period, missions (the chosen ones plus the plannable ones the period
    meets), time limit, the coordinator's pins and the run it re-plans (in ``plan`` until the
    problem is built); the worker builds the problem (``solving.planner_run_execute``), so
    starting a run costs a few queries however much data there is.

    Refuses a user who is not a secretariat coordinator, an empty choice, a period outside
    the dates Renfort accepts or that ends before it starts, and a time limit outside
    1..600 s.
    """
    if getattr(by, "role", "") != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(_("Only a secretariat coordinator can run the planner."))
    limit = _clean_time_limit(time_limit_s)
    if errors := out_of_range(
        period_start=(_("Period from"), period_start), period_end=(_("Period to"), period_end)
    ):
        raise ValidationError(errors)
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    chosen = missions_for_run(missions=missions, period_start=period_start, period_end=period_end)
    if not chosen:
        raise ValidationError(
            _(
                "No mission to plan: choose missions, or a period holding draft, planned or "
                "scheduled missions with expert slots."
            )
        )
    seed: dict[str, Any] = {"pins": [[str(s), str(e)] for s, e in extra_pins]}
    if previous is not None:
        seed["previous_run"] = previous.pk
    run = PlannerRun.objects.create(
        created_by=by,
        period_start=period_start,
        period_end=period_end,
        time_limit_s=limit,
        plan=seed,
        mission_count=len(chosen),
    )
    run.missions.set(chosen)
    return run


def planner_run_start(**kwargs: Any) -> PlannerRun:
    """Create a run (see ``planner_run_create``) and queue it for the worker.

    The queue row is written in the same transaction as the run with the database backend;
    with the immediate backend (tests) the run is solved before this returns.
    """
    with transaction.atomic():
        run = planner_run_create(**kwargs)
        planner_run_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


def planner_run_rerun(
    *, run: PlannerRun, by: User, time_limit_s: float | None = None
) -> PlannerRun:
    """A new run over the same missions that keeps every pinned proposal and every held slot.

    The new run's ``previous`` is this run's plan, so the planner changes little beyond what
    the pins and the database now require. Trying again a run that never got its problem
    built keeps what it was asked: its pins and the run it re-planned.
    """
    pins = [
        (a["slot"], a["expert"])
        for entry in run.plan.get("missions", [])
        for a in entry.get("assignments") or []
        if a.get("pinned")
    ]
    pins += [(slot, expert) for slot, expert in run.plan.get("pins", [])]
    previous: PlannerRun | None = run if run.status == PlannerRunStatus.DONE else None
    if previous is None and run.plan.get("previous_run"):
        previous = PlannerRun.objects.filter(pk=run.plan["previous_run"]).first()
    return planner_run_start(
        by=by,
        missions=list(run.missions.all()),
        period_start=run.period_start,
        period_end=run.period_end,
        time_limit_s=time_limit_s or run.time_limit_s,
        previous=previous,
        extra_pins=pins,
    )


# --------------------------------------------------------------------------------------------
# Back: accept, swap, pin


def _require_done(run: PlannerRun) -> None:
    if run.status != PlannerRunStatus.DONE:
        raise ValidationError(
            _("The run has no plan to review (status: %(s)s).") % {"s": run.get_status_display()}
        )


def _slot_position(slot_code: str) -> int:
    """The slot's position within its mission, from its code (``<reference>-<position>``)."""
    return int(slot_code.rsplit("-", 1)[1])


def _mission_accept(mr: MissionReview, chosen: list[Proposal], by: User) -> list[Assignment]:
    """Invite the chosen proposals of one mission, giving a windowed mission the plan's dates."""
    assert mr.mission is not None
    # The services below lock experts before missions (missions/locking.py); having set the
    # dates, this mission is held, so take the chosen experts' locks now, in that order.
    mission, _experts = lock_mission_commitments(
        mr.mission.pk, also=[p.expert.pk for p in chosen if p.expert is not None]
    )
    if not mission.has_dates and mr.start and mr.end:
        mission = mission_services.mission_set_dates(
            mission=mission, start=mr.start, end=mr.end, by=by
        )
        for p in chosen:
            p.slot.mission = mission
    batch = []
    for p in chosen:
        assert p.expert is not None
        assignment = mission_services.assignment_create(
            slot=p.slot,
            expert=p.expert,
            source=AssignmentSource.PLANNER,
            pinned=p.pinned,
            fit=p.fit,
            explanation_code=p.explanation_code,
            explanation_params=p.explanation_params,
            # The planner's own words only where the plan has no code (written before codes).
            explanation="" if p.explanation_code else p.explanation,
            by=by,
        )
        batch.append(
            mission_services.assignment_transition(
                assignment=assignment, to_status=AssignmentStatus.INVITED, by=by
            )
        )
    return batch


def proposals_accept(
    *, run: PlannerRun, slot_codes: Iterable[str], by: User
) -> tuple[list[Assignment], dict[str, str]]:
    """Turn the chosen proposals into invitations; returns them and what was refused, by slot.

    Each mission is accepted in its own savepoint: a windowed mission first gets the plan's
    dates (``mission_set_dates``), then each proposal becomes an assignment from the planner
    (``assignment_create``) moved to invited (``assignment_transition``, which notifies the
    expert and asks the home administration for the release). A refusal rolls back that
    mission only and is reported with the broken rule.
    """
    _require_done(run)
    wanted = set(slot_codes)
    review = run_review(run)
    created: list[Assignment] = []
    refused: dict[str, str] = {}
    for mr in review.staffed:
        chosen = [p for p in mr.proposals if p.slot.code in wanted]
        for p in chosen:
            if not p.acceptable:
                refused[p.slot.code] = (
                    _("already accepted")
                    if p.state == ProposalState.HELD
                    else _("the slot now holds another expert")
                )
        chosen = [p for p in chosen if p.acceptable]
        if not chosen or mr.mission is None:
            continue
        try:
            with transaction.atomic():
                created.extend(_mission_accept(mr, chosen, by))
        except ValidationError as exc:
            message = " ".join(exc.messages)
            for p in chosen:
                refused[p.slot.code] = message
    for code in wanted - {p.slot.code for mr in review.staffed for p in mr.proposals}:
        refused[code] = _("no such proposal in this plan")
    return created, refused


def _double_bookings(run: PlannerRun, entry: Mapping[str, Any], expert: Expert) -> list[str]:
    """The plan's proposals of the expert on other missions that this slot would clash with
    (the overlap rule, ``eligibility.overlaps``, at the plan's dates)."""
    problems = []
    start, end = date_or_none(entry.get("start")), date_or_none(entry.get("end"))
    travel = int(run.problem.get("settings", {}).get("travel_days", settings.PLANNER_TRAVEL_DAYS))
    for other in run.plan.get("missions", []):
        for a in other.get("assignments") or []:
            if other["id"] == entry["id"] or a["expert"] != str(expert.pk):
                continue
            o_start, o_end = date_or_none(other.get("start")), date_or_none(other.get("end"))
            if start and end and o_start and o_end and overlaps(o_start, o_end, start, end, travel):
                problems.append(
                    _(
                        "double booking: the plan also sends the expert to %(m)s "
                        "(%(a)s to %(b)s), with %(t)s travel day(s) between missions"
                    )
                    % {"m": other["id"], "a": o_start, "b": o_end, "t": travel}
                )
    return problems


def _plan_crew(entry: Mapping[str, Any], slot: Slot) -> list[Held]:
    """The plan's other proposals for the slot's mission, as the crew rules read them."""
    others = [
        a
        for a in entry.get("assignments") or []
        if a["slot"] != slot.code and str(a["expert"]).isdigit()
    ]
    experts = Expert.objects.select_related("home_administration").in_bulk(
        [int(a["expert"]) for a in others]
    )
    slot_ids = {s.code: s.pk for s in Slot.objects.filter(mission=slot.mission)}
    return [
        Held(
            pk=0,
            slot_id=slot_ids.get(a["slot"], 0),
            slot_code=a["slot"],
            expert_id=x.pk,
            expert_name=str(x),
            country=x.home_administration.country,
            status=AssignmentStatus.PROPOSED,
        )
        for a in others
        if (x := experts.get(int(a["expert"]))) is not None
    ]


def _plan_problems(
    run: PlannerRun, entry: Mapping[str, Any], slot: Slot, expert: Expert
) -> list[str]:
    """Rules that the database cannot check because the other proposals exist only in the
    plan: the mission's crew (``eligibility.crew_misses``) and the expert's other missions."""
    problems = _double_bookings(run, entry, expert)
    mission: dict[str, Any] = next(
        (m for m in run.problem.get("missions", []) if m["id"] == entry["id"]), {}
    )
    for miss in crew_misses(
        slot_id=slot.pk,
        held=_plan_crew(entry, slot),
        distinct_required=mission.get("distinct_countries") == "required",
        expert_id=expert.pk,
        country=expert.home_administration.country,
    ):
        other = miss.values["other"]
        if miss.code == "same_mission":
            problems.append(
                _("the expert already holds slot %(slot)s of this mission")
                % {"slot": other.slot_code}
            )
        elif miss.code == "distinct_countries":
            problems.append(
                _("different countries required: another expert of this mission is from %(c)s")
                % {"c": other.country}
            )
    return problems


@transaction.atomic
def proposal_swap(*, run: PlannerRun, slot_code: str, expert: Expert, by: User) -> PlannerRun:
    """Put another expert in a proposal, after checking every rule; names the broken one.

    A proposal already accepted is swapped in the database (``assignment_swap``); an open one
    is changed in the stored plan, checked with ``assignment_problems`` at the plan's dates and
    against the plan's other proposals.
    """
    _require_done(run)
    run = PlannerRun.objects.select_for_update().get(pk=run.pk)
    entry, proposal = proposal_for_slot(run, slot_code)
    slot = Slot.objects.select_related("mission").get(
        mission__reference=entry["id"], position=_slot_position(slot_code)
    )
    held = Assignment.objects.open().filter(slot=slot).first()
    if held is not None and str(held.expert_id) == str(proposal["expert"]):
        mission_services.assignment_swap(assignment=held, expert=expert, by=by)
    elif held is not None:
        raise ValidationError(
            {"expert": _("The slot now holds another expert; swap it from the mission page.")}
        )
    else:
        start, end = date_or_none(entry.get("start")), date_or_none(entry.get("end"))
        problems = rules.assignment_problems(slot=slot, expert=expert, start=start, end=end)
        problems += _plan_problems(run, entry, slot, expert)
        if problems:
            raise ValidationError({"expert": problems})
    why: dict[str, Any] = {"who": str(by)}
    fit = fit_explanation(run.problem, entry["id"], slot_code, str(expert.pk), topic_names())
    if fit is not None:  # the expert was in the run's problem
        why["fit"] = nested("assignment.fit", fit)
    check("assignment.swapped_in_by", why)
    proposal["expert"] = str(expert.pk)
    proposal["swapped"] = True
    proposal["fit"] = None
    # The planner's words were about the expert it chose.
    proposal["explanation"] = ""
    proposal["explanation_code"] = "assignment.swapped_in_by"
    proposal["explanation_params"] = why
    run.save(update_fields=["plan"])
    return run


@transaction.atomic
def proposal_pin(*, run: PlannerRun, slot_code: str, pinned: bool) -> PlannerRun:
    """Pin or unpin a proposal so a re-run keeps it (an accepted one through ``assignment_pin``)."""
    _require_done(run)
    run = PlannerRun.objects.select_for_update().get(pk=run.pk)
    entry, proposal = proposal_for_slot(run, slot_code)
    held = (
        Assignment.objects.open()
        .filter(slot__mission__reference=entry["id"], slot__position=_slot_position(slot_code))
        .first()
    )
    if held is not None and str(held.expert_id) == str(proposal["expert"]):
        mission_services.assignment_pin(assignment=held, pinned=pinned)
    proposal["pinned"] = pinned
    run.save(update_fields=["plan"])
    return run
