"""What followed the demo's delivered missions, and the results they pursue.

The missions step delivered them with their actual dates (``missions._deliver``); this step,
run after the agreements, has their experts report (with follow-up actions, some done, some
overdue), their beneficiaries evaluate the mission and each expert, and records the results
framework: one objective per ``texts.OBJECTIVE_TEXTS`` with an indicator (rising or falling)
measured three times by the secretariat or a beneficiary. Everything goes through the services,
so reported and closed missions (and their requests) get there as they would in real use:

- closed: every report in, then the beneficiaries' evaluations;
- reported: every report in, no evaluation yet;
- delivered: a mission with two experts or more has every report but its last expert's, and
  its beneficiaries' evaluations already; a mission with one expert has neither.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from renfort.accounts.models import Organisation, User
from renfort.demo import texts
from renfort.demo.context import MS, BuildContext, ExpertInfo, MissionPlan
from renfort.missions.models import Mission
from renfort.results import services as results
from renfort.results.models import DeliveryPlanStatus, FollowUpAction, MissionDelivery

FOLLOW_UP_TEXTS: tuple[str, ...] = (
    "Appoint a project lead for the road map and tell the secretariat who it is.",
    "Publish the revised standard operating procedures to all border offices.",
    "Run the first national course with the newly trained trainers.",
    "Share the training material and the case studies with the regional office.",
    "Send the administration the model risk profiles discussed during the workshop.",
    "Propose dates for the follow-up mission in six months.",
)
EXPERT_COMMENTS: tuple[str, ...] = (
    "Knew our procedures quickly and adapted the examples to our offices.",
    "Clear and patient trainer; the practical exercises were the most useful part.",
    "Strong technical knowledge; the written material came a little late.",
    "Excellent facilitation of the working group; everyone took part.",
)
DONE_NOTES: tuple[str, ...] = (
    "Done: the Director General signed the decision.",
    "Done and shared with every office by circular.",
    "Done; the secretariat has the material.",
)


def build_results(ctx: BuildContext) -> None:
    """Reports, evaluations and follow-ups of the delivered missions, then the objectives and
    the year's delivery plan."""
    for plan, mission in ctx.missions:
        if plan.status in {MS.DELIVERED, MS.REPORTED, MS.CLOSED}:
            _after_mission(ctx, plan, Mission.objects.get(pk=mission.pk))
    _objectives(ctx)
    _delivery_plan(ctx)


def _delivery_plan(ctx: BuildContext) -> None:
    """The delivery plan of the demo's year, approved and published by the secretariat (its
    content is read from the year's missions when shown)."""
    plan = results.delivery_plan_create(year=ctx.today.year, by=ctx.coordinator)
    for status in (DeliveryPlanStatus.APPROVED, DeliveryPlanStatus.PUBLISHED):
        plan = results.delivery_plan_transition(plan=plan, to_status=status, by=ctx.coordinator)


def _after_mission(ctx: BuildContext, plan: MissionPlan, mission: Mission) -> None:
    experts = [s.expert for s in plan.slots if s.expert is not None]
    reporting = experts if plan.status != MS.DELIVERED else experts[:-1]
    for n, info in enumerate(reporting):
        _report(ctx, plan, mission, info, n)
    if plan.status == MS.CLOSED or (plan.status == MS.DELIVERED and len(experts) > 1):
        for b in plan.beneficiaries[:2]:
            _evaluate(ctx, mission, b, experts)


def _report(
    ctx: BuildContext, plan: MissionPlan, mission: Mission, info: ExpertInfo, n: int
) -> None:
    delivery = MissionDelivery.objects.get(mission=mission)
    k = ctx.rng.randrange(len(texts.REPORT_SUMMARIES))
    owners: list[Organisation] = [*plan.beneficiaries, ctx.secretariat]
    follow_ups = [
        results.FollowUpSpec(
            ctx.rng.choice(FOLLOW_UP_TEXTS),
            ctx.rng.choice(owners),
            delivery.actual_end + datetime.timedelta(days=ctx.rng.randint(30, 150)),
        )
        for _ in range(ctx.rng.randint(1, 2) if n == 0 else ctx.rng.randint(0, 1))
    ]
    report = results.mission_report_submit(
        mission=mission,
        author=info.expert,
        by=info.expert.user or ctx.coordinator,
        activities=texts.REPORT_SUMMARIES[k],
        findings=texts.REPORT_OUTCOMES[k],
        recommendations=texts.REPORT_RECOMMENDATIONS[k],
        follow_ups=follow_ups,
    )
    _some_done(ctx, list(FollowUpAction.objects.filter(report=report).order_by("pk")))


def _some_done(ctx: BuildContext, actions: list[FollowUpAction]) -> None:
    """About half the actions due by now are done (on a day before the demo's today); the
    others are overdue or still ahead."""
    latest = min(ctx.today, timezone.localdate())
    for action in actions:
        done_on = action.due_on - datetime.timedelta(days=ctx.rng.randint(0, 25))
        if done_on > latest or ctx.rng.random() < 0.45:
            continue
        by = (
            ctx.coordinator
            if action.owner == ctx.secretariat
            else ctx.focal.get(action.owner.country, ctx.coordinator)
        )
        results.follow_up_done(
            action=action,
            by=by,
            note=ctx.rng.choice(DONE_NOTES),
            done_on=done_on,
        )


def _evaluate(
    ctx: BuildContext, mission: Mission, beneficiary: Organisation, experts: list[ExpertInfo]
) -> None:
    results.evaluation_submit(
        mission=mission,
        by=ctx.focal[beneficiary.country],
        rating=ctx.rng.choice([3, 4, 4, 5, 5]),
        comments=ctx.rng.choice(texts.EVALUATION_COMMENTS),
        expert_ratings=[
            results.ExpertRatingSpec(
                info.expert, ctx.rng.choice([3, 4, 4, 5, 5]), ctx.rng.choice(EXPERT_COMMENTS)
            )
            for info in experts
        ],
    )


def _objectives(ctx: BuildContext) -> None:
    """One objective per ``texts.OBJECTIVE_TEXTS``, with an indicator (falling ones, such as
    a release time, improve by going down) measured three times: by the secretariat, then by a
    focal point of a beneficiary administration the objective serves."""
    done = [m for p, m in ctx.missions if p.status in {MS.CLOSED, MS.REPORTED, MS.DELIVERED}]
    for i, spec in enumerate(texts.OBJECTIVE_TEXTS):
        agreement = ctx.agreements[spec.agreement]
        missions = list(agreement.missions.order_by("reference")[:3]) or done[i : i + 2]
        objective = results.objective_create(
            title=spec.title,
            level=spec.level,
            description=f"{spec.title}, pursued under {agreement.reference} “{agreement.title}”.",
            missions=missions,
            agreements=[agreement],
            requests=[r for m in missions for r in m.requests.order_by("reference")][:3],
        )
        baseline, target = Decimal(spec.baseline), Decimal(spec.target)
        indicator = results.indicator_create(
            objective=objective,
            name=spec.indicator,
            unit=spec.unit,
            baseline=baseline,
            target=target,
            baseline_date=ctx.day(-365),
            target_date=ctx.day(2 * 365),
        )
        recorders = [ctx.coordinator, *_beneficiary_focal_points(ctx, missions)]
        # A third of the way in time, about a third of the way to the target.
        places = Decimal("0.1") if spec.unit in {"%", "hours"} else Decimal("1")
        for quarter in range(3):
            start = ctx.day(-365 + 91 * quarter)
            share = Decimal(quarter + 1) / 9 * Decimal(ctx.rng.choice(["0.7", "1", "1.2"]))
            results.indicator_actual_record(
                indicator=indicator,
                period_start=start,
                period_end=start + datetime.timedelta(days=90),
                value=(baseline + (target - baseline) * share).quantize(places),
                by=recorders[min(quarter, len(recorders) - 1)],
                note="Measured by the administration's statistics unit.",
            )


def _beneficiary_focal_points(ctx: BuildContext, missions: list[Mission]) -> list[User]:
    """The demo's focal points of the missions' beneficiaries, by mission then name."""
    seen: dict[int, User] = {}
    for mission in missions:
        for org in mission.beneficiaries.order_by("name"):
            user = ctx.focal.get(org.country)
            if user is not None and user.organisation_id == org.pk:
                seen.setdefault(user.pk, user)
    return list(seen.values())
