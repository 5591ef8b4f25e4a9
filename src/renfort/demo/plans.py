"""Planning the missions in pure Python, before anything is written.

Each staffed mission is drawn *expert first*: the builder picks an expert who is free, speaks
the language and comes from outside the beneficiaries, then derives the slot's requirements
from that expert's skills, so every assignment keeps every rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from renfort.accounts.models import Organisation
from renfort.assistance.models import Level
from renfort.demo import texts
from renfort.demo.candidates import pick_expert
from renfort.demo.context import (
    CAT_ADVISER,
    CAT_TECHNICAL,
    CAT_TRAINER,
    DEMO_MEMBER,
    LEVEL_CAP,
    MS,
    BuildContext,
    ExpertInfo,
    MissionPlan,
    SlotPlan,
)
from renfort.missions.eligibility import Period, days_per_year
from renfort.missions.models import AssignmentStatus, DistinctCountries, MissionType
from renfort.roster.models import ReleaseStatus

AS = AssignmentStatus

# The range of start offsets (days from the anchor) for a mission, by its final status.
START_RANGES: dict[str, tuple[int, int]] = {
    MS.CLOSED: (-330, -120),
    MS.REPORTED: (-200, -75),
    MS.DELIVERED: (-110, -50),
    MS.CONFIRMED: (3, 150),
    MS.SCHEDULED: (20, 240),
    MS.PLANNED: (45, 320),
    MS.DRAFT: (60, 340),
    MS.CANCELLED: (10, 300),
}
TYPES_BY_LEVEL: dict[str, list[str]] = {
    Level.STRATEGIC: [MissionType.DIAGNOSTIC, MissionType.ADVISORY],
    Level.TACTICAL: [MissionType.ADVISORY, MissionType.WORKSHOP, MissionType.FOLLOW_UP],
    Level.OPERATIONAL: [MissionType.TRAINING, MissionType.WORKSHOP, MissionType.REMOTE],
}
DURATION: dict[str, int] = {
    MissionType.DIAGNOSTIC: 5,
    MissionType.ADVISORY: 5,
    MissionType.WORKSHOP: 4,
    MissionType.TRAINING: 5,
    MissionType.FOLLOW_UP: 3,
    MissionType.REMOTE: 3,
}
STAFFED_STATUSES = {MS.SCHEDULED, MS.CONFIRMED, MS.DELIVERED, MS.REPORTED, MS.CLOSED}

# Beneficiaries chosen, by status: the demo member's workflows in progress, and the
# beneficiaries of the bilateral and tripartite agreements.
FORCED_BENEFICIARIES: dict[str, list[str]] = {
    MS.CLOSED: [DEMO_MEMBER],
    MS.CONFIRMED: [DEMO_MEMBER, "MA"],
    MS.SCHEDULED: [DEMO_MEMBER, "JO"],
    MS.DRAFT: [DEMO_MEMBER],
    MS.DELIVERED: ["MA"],
}
# Missions where the demo expert must be: two confirmed, two invitations, one done.
DEMO_EXPERT_WANTED: dict[str, int] = {MS.CONFIRMED: 2, MS.SCHEDULED: 1, MS.PLANNED: 1, MS.CLOSED: 1}
# Missions where experts of the demo member wait for their release.
DEMO_MEMBER_PENDING: dict[str, int] = {MS.SCHEDULED: 2, MS.PLANNED: 1}


@dataclass(frozen=True)
class _Shape:
    """A mission's draw before its slots: who, in which language, what, when."""

    beneficiaries: list[Organisation]
    language: str
    level: str
    type: str
    duration: int
    start: datetime.date
    end: datetime.date
    n_slots: int
    distinct: str

    @property
    def excluded(self) -> set[str]:
        return {b.country for b in self.beneficiaries}


def plan_missions(ctx: BuildContext) -> list[MissionPlan]:
    plans: list[MissionPlan] = []
    statuses: list[str] = []
    for status, n in ctx.size.missions.items():
        statuses += [status] * n
    regional_at = set(ctx.rng.sample(range(len(statuses)), k=min(ctx.size.regional, len(statuses))))
    forced = {status: list(codes) for status, codes in FORCED_BENEFICIARIES.items()}
    demo_expert_wanted = dict(DEMO_EXPERT_WANTED)
    demo_member_pending = dict(DEMO_MEMBER_PENDING)
    seen: set[str] = set()
    for i, status in enumerate(statuses):
        # One role per mission: the demo member as beneficiary, or the demo expert, or an
        # expert of the demo member (who cannot serve their own administration).
        queue = forced.get(status, [])
        beneficiary = queue.pop(0) if queue else None
        force_member = beneficiary is not None
        want_expert = not force_member and demo_expert_wanted.get(status, 0) > 0
        want_member_expert = (
            not force_member and not want_expert and demo_member_pending.get(status, 0) > 0
        )
        plan = None
        for attempt in range(60):
            relax = attempt >= 30  # give up a wish rather than fail the build
            plan = _plan_one(
                ctx,
                status,
                regional=i in regional_at,
                beneficiary=None if relax else beneficiary,
                want_demo_expert=want_expert and not relax,
                want_member_expert=want_member_expert and not relax,
                want_staffed=status == MS.DRAFT and MS.DRAFT not in seen,
            )
            if plan is not None:
                break
        if plan is None:
            raise RuntimeError(f"demo: could not plan a {status} mission")
        _book(plan)
        if any(s.expert is ctx.demo_expert for s in plan.slots):
            demo_expert_wanted[status] = demo_expert_wanted.get(status, 0) - 1
        if _has_pending_member_expert(plan.slots):
            demo_member_pending[status] = demo_member_pending.get(status, 0) - 1
        plans.append(plan)
        seen.add(status)
    return plans


def _has_pending_member_expert(slots: list[SlotPlan]) -> bool:
    return any(
        s.expert is not None
        and s.expert.country == DEMO_MEMBER
        and s.release == ReleaseStatus.PENDING
        for s in slots
    )


def beneficiaries_for(
    ctx: BuildContext, regional: bool, beneficiary: str | None
) -> list[Organisation]:
    """``beneficiary`` (or a member drawn at random), and for a regional mission one to three
    members of the same region who share a language with it."""
    if beneficiary is not None and beneficiary in ctx.members:
        first = ctx.members[beneficiary]
    else:
        first = ctx.members[ctx.rng.choice(sorted(ctx.members))]
    if not regional:
        return [first]
    same_region = sorted(
        code
        for code, org in ctx.members.items()
        if org.region == first.region
        and org.pk != first.pk
        and set(org.languages) & set(first.languages)
    )
    others = ctx.rng.sample(same_region, k=min(len(same_region), ctx.rng.randint(1, 3)))
    return [first, *(ctx.members[code] for code in others)]


def _draw_shape(ctx: BuildContext, status: str, regional: bool, beneficiary: str | None) -> _Shape:
    rng = ctx.rng
    beneficiaries = beneficiaries_for(ctx, regional, beneficiary)
    common = set(beneficiaries[0].languages)
    for b in beneficiaries[1:]:
        common &= set(b.languages)
    languages = [lang for lang in beneficiaries[0].languages if lang in common]
    language = languages[0] if rng.random() < 0.7 or len(languages) == 1 else languages[1]
    level = rng.choices([Level.STRATEGIC, Level.TACTICAL, Level.OPERATIONAL], [25, 40, 35])[0]
    mission_type = rng.choice(TYPES_BY_LEVEL[level])
    if regional:
        mission_type = rng.choice([MissionType.WORKSHOP, MissionType.TRAINING])
    duration = DURATION[mission_type]
    lo, hi = START_RANGES[status]
    start = ctx.day(rng.randint(lo, hi))
    start -= datetime.timedelta(days=start.weekday())  # missions start on a Monday
    n_slots = rng.choices([1, 2, 3], [50, 38, 12])[0]
    if regional:
        n_slots = max(n_slots, 2)
    distinct = rng.choices(
        [DistinctCountries.PREFERRED, DistinctCountries.REQUIRED, DistinctCountries.NONE],
        [70, 20, 10],
    )[0]
    return _Shape(
        beneficiaries=beneficiaries,
        language=language,
        level=level,
        type=mission_type,
        duration=duration,
        start=start,
        end=start + datetime.timedelta(days=duration - 1),
        n_slots=n_slots,
        distinct=distinct,
    )


def _staffing_mode(ctx: BuildContext, status: str, *, wished: bool) -> tuple[bool, bool]:
    """(staffed, windowed): whether the plan names experts, or puts the mission on a window."""
    staffed = status in STAFFED_STATUSES
    # Draft and planned missions: some staffed in part (proposals, invitations), some
    # on a window, undated, for the planner.
    windowed = False
    if status in {MS.DRAFT, MS.PLANNED}:
        staffed = ctx.rng.random() < (0.35 if status == MS.DRAFT else 0.6)
        windowed = not staffed
    if status == MS.CANCELLED:
        staffed = ctx.rng.random() < 0.5
    if wished:
        staffed, windowed = True, False
    return staffed, windowed


def _plan_one(
    ctx: BuildContext,
    status: str,
    *,
    regional: bool,
    beneficiary: str | None,
    want_demo_expert: bool,
    want_member_expert: bool,
    want_staffed: bool = False,
) -> MissionPlan | None:
    """One mission's plan, or None when the draw cannot meet the wishes (draw again)."""
    rng = ctx.rng
    shape = _draw_shape(ctx, status, regional, beneficiary)
    staffed, windowed = _staffing_mode(
        ctx, status, wished=want_demo_expert or want_member_expert or want_staffed
    )
    prefer: Callable[[ExpertInfo], bool] | None = None
    if want_demo_expert:
        prefer = lambda e: e is ctx.demo_expert  # noqa: E731
    elif want_member_expert:
        prefer = lambda e: e.country == DEMO_MEMBER  # noqa: E731
    drawn = _draw_slots(ctx, shape, staffed=staffed, prefer=prefer)
    if drawn is None:
        return None
    slots, topics, taken = drawn
    _outcomes(ctx, status, slots, shape, taken)
    if want_member_expert and not _has_pending_member_expert(slots):
        return None
    window = None
    if windowed:
        w_start = shape.start - datetime.timedelta(days=rng.choice([14, 21, 28]))
        window = (
            w_start,
            w_start + datetime.timedelta(days=rng.choice([42, 56, 70])),
            shape.duration,
        )
    return MissionPlan(
        status=status,
        beneficiaries=shape.beneficiaries,
        language=shape.language,
        topics=topics,
        level=shape.level,
        type=shape.type,
        start=None if windowed else shape.start,
        end=None if windowed else shape.end,
        window=window,
        slots=slots,
        priority=rng.choices([1, 2, 3, 4, 5], [5, 15, 40, 25, 15])[0],
        distinct=shape.distinct,
        # Regional missions alternate: one regional request, or national ones together.
        one_regional_request=len(shape.beneficiaries) > 1 and next(ctx.regional_turn) % 2 == 0,
        cancel_after_planning=status == MS.CANCELLED and staffed and rng.random() < 0.6,
    )


def _draw_slots(
    ctx: BuildContext,
    shape: _Shape,
    *,
    staffed: bool,
    prefer: Callable[[ExpertInfo], bool] | None,
) -> tuple[list[SlotPlan], list[str], set[int]] | None:
    """The slots (with their experts when ``staffed``), the mission's topics and the experts
    taken; None when no expert fits the first slot, or ``prefer`` cannot be met."""
    slots: list[SlotPlan] = []
    topics: list[str] = []
    taken: set[int] = set()
    countries: set[str] = set()
    for position in range(shape.n_slots):
        category = _slot_category(ctx, shape.level, position)
        if not staffed:
            requirements = _unstaffed_requirements(ctx, topics, shape.level)
            topics += [t for t in requirements if t not in topics]
            slots.append(SlotPlan(category, requirements))
            continue
        wish = prefer if position == 0 else None
        pick = pick_expert(
            ctx,
            category=category,
            language=shape.language,
            excluded=shape.excluded,
            start=shape.start,
            end=shape.end,
            taken=taken,
            countries=countries if shape.distinct == DistinctCountries.REQUIRED else set(),
            avoid_countries=countries,
            topics=topics,
            prefer=wish,
        )
        if pick is None:
            if position == 0:
                return None
            break
        if wish is not None and not wish(pick):
            return None
        requirements = _requirements_from(ctx, pick, topics, shape.level)
        topics += [t for t in requirements if t not in topics]
        taken.add(pick.expert.pk)
        countries.add(pick.country)
        slots.append(SlotPlan(category, requirements, expert=pick))
    if not topics:
        return None
    return slots, topics, taken


def _slot_category(ctx: BuildContext, level: str, position: int) -> str:
    if position == 0:
        first: dict[str, str] = {
            Level.STRATEGIC: CAT_ADVISER,
            Level.TACTICAL: ctx.rng.choice([CAT_TECHNICAL, CAT_ADVISER]),
            Level.OPERATIONAL: ctx.rng.choice([CAT_TRAINER, CAT_TECHNICAL]),
        }
        return first[level]
    return ctx.rng.choice([CAT_TECHNICAL, CAT_TRAINER, CAT_TECHNICAL])


def _unstaffed_requirements(ctx: BuildContext, topics: list[str], level: str) -> dict[str, int]:
    base = LEVEL_CAP[level]
    if topics and ctx.rng.random() < 0.6:
        code = ctx.rng.choice(topics)
    else:
        code = ctx.rng.choice(ctx.rng.choice(texts.TOPIC_FAMILIES))
    requirements = {code: min(4, base + (1 if ctx.rng.random() < 0.2 else 0))}
    if ctx.rng.random() < 0.25:
        other = ctx.rng.choice(sorted(ctx.topics))
        requirements.setdefault(other, 2)
    return requirements


def _requirements_from(
    ctx: BuildContext, info: ExpertInfo, topics: list[str], level: str
) -> dict[str, int]:
    """Slot requirements the picked expert meets: a shared mission topic when they have
    one, else their best topic; levels capped by what the mission's level asks."""
    cap = LEVEL_CAP[level]
    shared = [t for t in topics if info.skills.get(t, 0) >= 2]
    best = sorted(info.skills.items(), key=lambda kv: (-kv[1], kv[0]))
    code = shared[0] if shared else best[0][0]
    requirements = {code: min(cap, info.skills[code])}
    seconds = [(t, lv) for t, lv in best if t != code and lv >= 2]
    if seconds and ctx.rng.random() < 0.35:
        t, lv = seconds[0]
        requirements[t] = min(2, lv)
    return requirements


def _outcomes(
    ctx: BuildContext, status: str, slots: list[SlotPlan], shape: _Shape, taken: set[int]
) -> None:
    """Decide each staffed slot's final assignment status and release."""
    rng = ctx.rng
    for i, slot in enumerate(slots):
        if slot.expert is None:
            continue
        if status in {MS.DELIVERED, MS.REPORTED, MS.CLOSED}:
            slot.outcome, slot.release = AS.COMPLETED, ReleaseStatus.GRANTED
        elif status == MS.CONFIRMED:
            slot.outcome, slot.release = AS.CONFIRMED, ReleaseStatus.GRANTED
        elif status == MS.SCHEDULED:
            slot.outcome = rng.choice([AS.INVITED, AS.ACCEPTED, AS.ACCEPTED])
            slot.release = rng.choice([ReleaseStatus.PENDING, ReleaseStatus.GRANTED])
        elif status == MS.PLANNED:
            slot.outcome = rng.choice([AS.PROPOSED, AS.INVITED, AS.INVITED])
            slot.release = ReleaseStatus.PENDING
        elif status == MS.DRAFT:
            slot.outcome, slot.release = AS.PROPOSED, ReleaseStatus.PENDING
        elif status == MS.CANCELLED:
            slot.outcome = AS.WITHDRAWN
        if slot.expert is ctx.demo_expert and status in {MS.SCHEDULED, MS.PLANNED}:
            slot.outcome, slot.release = AS.INVITED, ReleaseStatus.PENDING
        if status == MS.SCHEDULED and DEMO_MEMBER in shape.excluded:
            # The demo member's scheduled mission is ready for it to confirm the dates.
            slot.outcome, slot.release = AS.ACCEPTED, ReleaseStatus.GRANTED
        if slot.expert.country == DEMO_MEMBER and status in {MS.SCHEDULED, MS.PLANNED}:
            slot.outcome = rng.choice([AS.INVITED, AS.ACCEPTED])
            slot.release = ReleaseStatus.PENDING
        if status in {MS.PLANNED, MS.SCHEDULED, MS.CONFIRMED, MS.CLOSED} and i == 0:
            _maybe_invited_first(ctx, slot, shape, taken)


def _maybe_invited_first(ctx: BuildContext, slot: SlotPlan, shape: _Shape, taken: set[int]) -> None:
    """Now and then, someone was invited first and declined, or their home administration
    refused to release them."""
    roll = ctx.rng.random()
    if roll >= 0.35:
        return
    first = pick_expert(
        ctx,
        category=slot.category,
        language=shape.language,
        excluded=shape.excluded,
        start=shape.start,
        end=shape.end,
        taken=taken,
        countries=set(),
        avoid_countries=set(),
        topics=list(slot.requirements),
        prefer=None,
        requirements=slot.requirements,
    )
    if first is not None and first is not ctx.demo_expert:
        slot.before.append((first, "declined" if roll < 0.25 else "refused"))
        taken.add(first.expert.pk)


def _book(plan: MissionPlan) -> None:
    if plan.start is None or plan.end is None or plan.status == MS.CANCELLED:
        return
    for slot in plan.slots:
        if slot.expert is not None:
            slot.expert.booked.append(Period(plan.start, plan.end))
            for year, days in days_per_year(plan.start, plan.end).items():
                slot.expert.days[year] += days
