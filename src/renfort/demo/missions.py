"""Writing a planned mission through the services, as users would: its requests, the mission,
its staffing (proposals, invitations, declines, releases), and each step to its final status
(delivered at the latest: reports and evaluations come with ``demo/results.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from renfort.assistance import services as assistance
from renfort.assistance.models import RequestStatus
from renfort.demo import texts
from renfort.demo.context import MS, BuildContext, ExpertInfo, MissionPlan, SlotPlan
from renfort.demo.requests import accept, submit_request
from renfort.missions import services as missions
from renfort.missions.messages import topic_level
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Mission,
    MissionType,
    Slot,
)
from renfort.missions.services import terms
from renfort.results import services as results
from renfort.roster.models import ReleaseStatus

AS = AssignmentStatus


def realise(ctx: BuildContext, plan: MissionPlan) -> Mission:
    """The mission of ``plan``, with its requests, staffed and walked to its status."""
    first_day = plan.start or (plan.window[0] if plan.window else ctx.anchor)
    last_day = plan.end or (plan.window[1] if plan.window else ctx.anchor)
    pref_start = first_day - datetime.timedelta(days=ctx.rng.randint(0, 21))
    pref_end = last_day + datetime.timedelta(days=ctx.rng.randint(14, 45))
    if plan.one_regional_request or len(plan.beneficiaries) == 1:
        groups = [plan.beneficiaries]
    else:
        groups = [[b] for b in plan.beneficiaries]
    requests = [
        accept(
            ctx,
            submit_request(
                ctx,
                administrations=group,
                topics=plan.topics,
                level=plan.level,
                language=plan.language,
                start=pref_start,
                end=pref_end,
                priority=plan.priority,
            ),
        )
        for group in groups
    ]
    phrase = ctx.phrase(plan.topics[0])
    scope = "Regional" if len(plan.beneficiaries) > 1 else "National"
    title = texts.MISSION_TITLES[plan.type].format(phrase=phrase, scope=scope)
    host = ctx.country_of[plan.beneficiaries[0].country]
    window = plan.window
    mission = missions.mission_create(
        requests=requests,
        title=title[:1].upper() + title[1:],
        type=plan.type,
        level=plan.level,
        language=plan.language,
        beneficiaries=plan.beneficiaries,
        start=plan.start,
        end=plan.end,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        duration_days=window[2] if window else None,
        location="Remote" if plan.type == MissionType.REMOTE else host.name,
        objectives=f"Strengthen {phrase} at "
        + ", ".join(b.name for b in plan.beneficiaries)
        + ". "
        + ctx.rng.choice(texts.MISSION_OUTPUTS),
        priority=plan.priority,
        distinct_countries=plan.distinct,
        slots=[missions.SlotSpec(s.category, s.requirements) for s in plan.slots],
        by=ctx.coordinator,
        # Missions of past months are replayed as of the day they were created.
        today=min(first_day, ctx.today),
    )
    _staff_and_advance(ctx, plan, mission)
    return mission


def _move(ctx: BuildContext, mission: Mission, to_status: str, note: str = "") -> Mission:
    return missions.mission_transition(
        mission=mission, to_status=to_status, by=ctx.coordinator, note=note
    )


def _planner_explanation(
    ctx: BuildContext, slot_plan: SlotPlan, slot: Slot, info: ExpertInfo
) -> dict[str, Any]:
    """The parameters of an ``assignment.fit`` message, as a planner run would store them."""
    return {
        "category": slot_plan.category,
        "language": slot.mission.language,
        "skills": [
            topic_level(t, ctx.topics[t].name, info.skills.get(t, 0), lv)
            for t, lv in sorted(slot_plan.requirements.items())
        ],
        "country": info.country,
    }


def _assign(
    ctx: BuildContext,
    slot_plan: SlotPlan,
    slot: Slot,
    info: ExpertInfo,
    *,
    planner: bool,
    invite: bool = False,
) -> Assignment:
    explanation: dict[str, Any] = {}
    fit = None
    if planner:
        explanation = _planner_explanation(ctx, slot_plan, slot, info)
        fit = round(
            sum(min(1.0, info.skills.get(t, 0) / 4) for t in slot_plan.requirements)
            / max(len(slot_plan.requirements), 1),
            2,
        )
    # assignment_create checks every rule (missions.rules.assignment_problems); the plan
    # was drawn to keep them, so a refusal here is a bug in the builder.
    try:
        return missions.assignment_create(
            slot=slot,
            expert=info.expert,
            source=AssignmentSource.PLANNER if planner else AssignmentSource.MANUAL,
            status=AS.INVITED if invite else AS.PROPOSED,
            fit=fit,
            explanation_code="assignment.fit" if planner else "",
            explanation_params=explanation,
            by=ctx.coordinator,
        )
    except ValidationError as exc:
        raise RuntimeError(f"demo: assignment refused for {slot}: {exc.messages}") from exc


def _staff_and_advance(ctx: BuildContext, plan: MissionPlan, mission: Mission) -> None:
    """Staff the mission and walk it to its planned status, as users would."""
    status = plan.status
    pairs = list(zip(plan.slots, mission.slots.order_by("position"), strict=True))
    planner_made = ctx.rng.random() < 0.6
    if status == MS.DRAFT or (status == MS.CANCELLED and not plan.cancel_after_planning):
        # Still a draft: the planner (or a coordinator) has proposed experts.
        for slot_plan, slot in pairs:
            if slot_plan.expert is not None:
                _assign(ctx, slot_plan, slot, slot_plan.expert, planner=True)
        if status == MS.CANCELLED:
            _cancel(ctx, mission)
        return
    mission = _move(ctx, mission, MS.PLANNED)
    live = _invite(ctx, pairs, planner_made=planner_made)
    if status == MS.PLANNED:
        return
    if status == MS.CANCELLED:
        _cancel(ctx, mission)
        return
    _accept_and_release(ctx, live)
    _advance(ctx, plan, mission)


def _invite(
    ctx: BuildContext, pairs: list[tuple[SlotPlan, Slot]], *, planner_made: bool
) -> list[tuple[SlotPlan, Assignment]]:
    """The planned mission's invitations (and proposals); those invited first decline, or are
    not released. Returns the live assignments with their plans."""
    live: list[tuple[SlotPlan, Assignment]] = []
    for slot_plan, slot in pairs:
        for info, how in slot_plan.before:
            first = _assign(ctx, slot_plan, slot, info, planner=planner_made, invite=True)
            if how == "declined":
                missions.assignment_transition(
                    assignment=first,
                    to_status=AS.DECLINED,
                    by=info.expert.user or ctx.coordinator,
                    reason=ctx.rng.choice(texts.DECLINE_INVITATION_REASONS),
                )
            else:
                missions.assignment_release_decide(
                    assignment=first, granted=False, by=ctx.focal[info.country]
                )
        if slot_plan.expert is not None:
            assignment = _assign(
                ctx,
                slot_plan,
                slot,
                slot_plan.expert,
                planner=planner_made,
                invite=slot_plan.outcome != AS.PROPOSED,
            )
            live.append((slot_plan, assignment))
    return live


def _accept_and_release(ctx: BuildContext, live: list[tuple[SlotPlan, Assignment]]) -> None:
    for slot_plan, assignment in live:
        if slot_plan.outcome in {AS.ACCEPTED, AS.CONFIRMED, AS.COMPLETED}:
            assignment = missions.assignment_transition(
                assignment=assignment,
                to_status=AS.ACCEPTED,
                by=assignment.expert.user or ctx.coordinator,
            )
        if slot_plan.release == ReleaseStatus.GRANTED and slot_plan.expert is not None:
            missions.assignment_release_decide(
                assignment=assignment, granted=True, by=ctx.focal[slot_plan.expert.country]
            )


def _advance(ctx: BuildContext, plan: MissionPlan, mission: Mission) -> None:
    """A staffed mission from planned to its final status, delivered at the latest: its
    reports and evaluations, which take it on to reported and closed, come with the results
    (``demo/results.py``, after the agreements)."""
    status = plan.status
    mission = _move(ctx, mission, MS.SCHEDULED)
    if status == MS.SCHEDULED:
        # Its beneficiaries are asked to confirm the terms of reference (the demo member's).
        terms.terms_send(mission=mission, by=ctx.coordinator)
        return
    for b in plan.beneficiaries:
        terms.terms_confirm(mission=mission, by=ctx.focal[b.country])
    mission = _move(ctx, mission, MS.CONFIRMED)
    if status == MS.CONFIRMED:
        return
    _deliver(ctx, mission)


def _deliver(ctx: BuildContext, mission: Mission) -> None:
    """Delivered with the days it actually ran: every fourth mission (by reference) started
    a day late."""
    assert mission.start is not None and mission.end is not None
    late = int(mission.reference.rsplit("-", 1)[-1]) % 4 == 0
    results.mission_deliver(
        mission=mission,
        by=ctx.coordinator,
        actual_start=mission.start + datetime.timedelta(days=1 if late else 0),
        actual_end=mission.end,
        today=ctx.today,
    )


def _cancel(ctx: BuildContext, mission: Mission) -> None:
    mission = _move(ctx, mission, MS.CANCELLED, note=ctx.rng.choice(texts.CANCEL_REASONS))
    if ctx.rng.random() < 0.5:
        for request in mission.requests.filter(status=RequestStatus.ACCEPTED):
            assistance.request_transition(
                request=request,
                to_status=RequestStatus.CLOSED,
                by=ctx.coordinator,
            )
