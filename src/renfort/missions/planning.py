"""The only bridge between the database and the planner.

Three directions:

- **Out**: ``problem_build`` turns chosen missions and the released expert pool into a
  problem dict in the planner's exchange format (``renfort/planner/schemas/instance.schema.json``).
  Slot ids are ``Slot.code``, expert ids ``str(Expert.pk)``, mission ids ``Mission.reference``.
- **Run**: ``planner_run_start`` records a ``PlannerRun`` and queues the background task;
  ``planner_run_execute`` (the task's one call) solves, saves throttled progress points and
  the plan, or records why it failed.
- **Back**: ``run_review`` reads a finished plan against the database for the review page;
  ``proposals_accept`` turns proposals into invitations, ``proposal_swap`` and
  ``proposal_pin`` edit the proposal, ``planner_run_rerun`` plans again around the pins;
  ``pool_gaps`` turns unstaffed missions into the profiles the pool lacks.

The stored plan (``PlannerRun.plan``) is the planner's answer plus a few keys of our own,
which the solution schema allows: ``left_out`` (missions that could not be sent to the planner,
with why), ``previous_run`` (the run this one re-plans), and on each proposed assignment
``explanation``, ``pinned`` and ``swapped``.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, Role, User
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Mission,
    MissionStatus,
    PlannerRun,
    PlannerRunStatus,
    Slot,
    SlotRequirement,
)
from renfort.missions.selectors import missions_visible_to
from renfort.roster.models import Category, Expert, ReleaseStatus, Skill

logger = logging.getLogger(__name__)

FORMAT = "renfort-planning/1"
# Missions the planner may staff: not yet confirmed, so dates and people may still change.
PLANNABLE_STATUSES = (MissionStatus.DRAFT, MissionStatus.PLANNED, MissionStatus.SCHEDULED)
# The pool: active experts whose home administration granted, or has not yet refused, their
# release. A pending expert can be proposed because an invitation asks the home administration
# for the release of that mission anyway; a refused one is never proposed.
POOL_RELEASE_STATUSES = (ReleaseStatus.GRANTED, ReleaseStatus.PENDING)
# Assignments that hold a slot: the planner keeps them (pins).
HOLDING_STATUSES = (
    AssignmentStatus.PROPOSED,
    AssignmentStatus.INVITED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
)
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
PROGRESS_MIN_INTERVAL_S = 0.5  # at most two progress writes a second
PROGRESS_MAX_POINTS = 240
TIME_LIMIT_RANGE = (1.0, 600.0)


# --------------------------------------------------------------------------------------------
# Out: the problem


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _mission_first_day(mission: Mission) -> datetime.date | None:
    return mission.start or mission.window_start


def _mission_span(mission: Mission) -> tuple[datetime.date, datetime.date] | None:
    """The days the mission may occupy: its dates, else its window."""
    if mission.start is not None and mission.end is not None:
        return mission.start, mission.end
    if mission.window_start is not None and mission.window_end is not None:
        return mission.window_start, mission.window_end
    return None


def plannable_missions() -> QuerySet[Mission]:
    """Missions a planner run may include: not yet confirmed and with at least one slot."""
    return (
        Mission.objects.filter(status__in=PLANNABLE_STATUSES, slots__isnull=False)
        .distinct()
        .order_by("start", "window_start", "reference")
    )


def missions_for_run(
    *,
    missions: Iterable[Mission] = (),
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> list[Mission]:
    """The chosen missions plus every plannable mission whose dates or window meet the period."""
    ids = {m.pk for m in missions}
    if period_start is not None or period_end is not None:
        lo = period_start or datetime.date.min
        hi = period_end or datetime.date.max
        in_period = plannable_missions().filter(
            Q(start__isnull=False, start__lte=hi, end__gte=lo)
            | Q(start__isnull=True, window_start__lte=hi, window_end__gte=lo)
        )
        ids.update(in_period.values_list("pk", flat=True))
    return list(plannable_missions().filter(pk__in=ids))


def _missions_with_details(ids: Iterable[int]) -> list[Mission]:
    return list(
        Mission.objects.filter(pk__in=list(ids))
        .prefetch_related(
            "beneficiaries",
            Prefetch(
                "slots",
                queryset=Slot.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "requirements", queryset=SlotRequirement.objects.select_related("topic")
                    )
                ),
            ),
        )
        .order_by("start", "window_start", "reference")
    )


def _experts_with_details(qs: QuerySet[Expert]) -> list[Expert]:
    return list(
        qs.select_related("home_administration").prefetch_related(
            Prefetch("skills", queryset=Skill.objects.select_related("topic")),
            "unavailable",
        )
    )


def pool() -> QuerySet[Expert]:
    """The active released expert pool."""
    return Expert.objects.filter(active=True, release_status__in=POOL_RELEASE_STATUSES)


def slot_skills(slot: Slot) -> dict[str, int]:
    return {r.topic.code: r.level for r in slot.requirements.all()}


def expert_skills(expert: Expert) -> dict[str, int]:
    return {s.topic.code: s.level for s in expert.skills.all()}


def _mission_entry(mission: Mission) -> tuple[dict[str, Any] | None, str]:
    """The mission in exchange format, or None and why it cannot go to the planner."""
    slots = list(mission.slots.all())
    if not slots:
        return None, _("it has no expert slot")
    countries = sorted(
        {b.country.upper() for b in mission.beneficiaries.all() if COUNTRY.match(b.country.upper())}
    )
    if not countries:
        return None, _("no beneficiary administration has a country")
    if not LANGUAGE.match(mission.language.lower()):
        return None, _("its language is not an ISO 639-1 code")
    entry: dict[str, Any] = {
        "id": mission.reference,
        "beneficiaries": countries,
        "language": mission.language.lower(),
        "level": mission.level,
        "priority": mission.priority,
        "distinct_countries": mission.distinct_countries,
    }
    if mission.start is not None and mission.end is not None:
        entry["start"], entry["end"] = _iso(mission.start), _iso(mission.end)
    elif mission.window_start is not None and mission.window_end is not None:
        duration = mission.duration_days or 0
        if (mission.window_end - mission.window_start).days + 1 < duration:
            return None, _("its window is shorter than its duration")
        entry["window"] = [_iso(mission.window_start), _iso(mission.window_end)]
        entry["duration_days"] = duration
    else:
        return None, _("it has neither dates nor a window")
    entry["slots"] = [
        {"id": s.code, "category": s.category, "skills": slot_skills(s)} for s in slots
    ]
    return entry, ""


def _plan_year(missions: Sequence[Mission], period_start: datetime.date | None) -> int:
    firsts = [d for d in (_mission_first_day(m) for m in missions) if d is not None]
    if period_start is not None:
        return period_start.year
    if firsts:
        return min(firsts).year
    return timezone.localdate().year


@dataclass
class BuiltProblem:
    problem: dict[str, Any]
    missions: list[Mission]
    left_out: list[dict[str, str]] = field(default_factory=list)


def problem_build(
    *,
    missions: Iterable[Mission],
    period_start: datetime.date | None = None,
    extra_pins: Iterable[tuple[str, str]] = (),
    time_limit_s: float | None = None,
    travel_days: int | None = None,
) -> BuiltProblem:
    """The planning problem for these missions and the released pool.

    - Pins: every assignment that holds a slot of these missions (proposed, invited, accepted,
      confirmed), plus ``extra_pins`` (slot code, expert id) the coordinator pinned in a review.
    - Experts: the pool, plus any pinned expert outside it (the planner must know them).
    - Unavailability: the expert's unavailable periods, and the dates of their missions outside
      this problem, widened by the travel days on each side.
    - ``max_days``: released days per year minus the days of active assignments outside this
      problem in the plan's year (the period's, else the first mission's).
    """
    travel = settings.PLANNER_TRAVEL_DAYS if travel_days is None else travel_days
    limit = settings.PLANNER_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    chosen = _missions_with_details(m.pk for m in missions)
    year = _plan_year(chosen, period_start)

    entries: list[dict[str, Any]] = []
    left_out: list[dict[str, str]] = []
    kept: list[Mission] = []
    for mission in chosen:
        entry, why = _mission_entry(mission)
        if entry is None:
            left_out.append({"mission": mission.reference, "reason": why})
        else:
            entries.append(entry)
            kept.append(mission)
    kept_ids = {m.pk for m in kept}
    slot_codes = {s.code for m in kept for s in m.slots.all()}

    holding = list(
        Assignment.objects.filter(slot__mission_id__in=kept_ids, status__in=HOLDING_STATUSES)
        .select_related("slot__mission")
        .order_by("slot__mission__reference", "slot__position")
    )
    pins: dict[str, str] = {a.slot.code: str(a.expert_id) for a in holding}
    for slot_code, expert_id in extra_pins:
        if slot_code in slot_codes:
            pins.setdefault(slot_code, str(expert_id))

    pinned_ids = {int(e) for e in pins.values()}
    experts = _experts_with_details(Expert.objects.filter(Q(pk__in=pool()) | Q(pk__in=pinned_ids)))

    # Commitments outside this problem: they block the expert's days and use released days.
    outside = (
        Assignment.objects.filter(
            expert__in=[e.pk for e in experts],
            status__in=[*HOLDING_STATUSES, AssignmentStatus.COMPLETED],
        )
        .exclude(slot__mission_id__in=kept_ids)
        .select_related("slot__mission")
    )
    busy: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    used: Counter[int] = Counter()
    pad = datetime.timedelta(days=travel)
    for assignment in outside:
        mission = assignment.slot.mission
        if mission.status == MissionStatus.CANCELLED:
            continue
        if mission.start is not None and mission.end is not None:
            busy[assignment.expert_id].append((mission.start - pad, mission.end + pad))
        first = _mission_first_day(mission)
        if first is not None and first.year == year:
            used[assignment.expert_id] += mission.days

    expert_entries: list[dict[str, Any]] = []
    for expert in experts:
        country = (expert.home_administration.country or "").upper()
        country = country if COUNTRY.match(country) else ""
        categories = [c for c in expert.categories if c in Category.values]
        languages = sorted(
            {str(x).lower() for x in expert.languages if LANGUAGE.match(str(x).lower())}
        )
        if not country or not categories or not languages:
            if str(expert.pk) in pins.values():
                # A pinned expert must be known to the planner; keep them with what we have.
                country = country or "ZZ"
                categories = categories or [Category.TECHNICAL_OPERATIONAL_EXPERT.value]
                languages = languages or ["en"]
            else:
                continue
        periods = [(u.start, u.end) for u in expert.unavailable.all()] + busy.get(expert.pk, [])
        expert_entries.append(
            {
                "id": str(expert.pk),
                "country": country,
                "categories": categories,
                "languages": languages,
                "skills": expert_skills(expert),
                "unavailable": [[_iso(a), _iso(b)] for a, b in sorted(periods)],
                "max_days": max(0, expert.released_days_per_year - used[expert.pk]),
            }
        )

    problem: dict[str, Any] = {
        "format": FORMAT,
        "settings": {"travel_days": travel, "time_limit_s": limit, "seed": 0},
        "experts": expert_entries,
        "missions": entries,
        "pinned": [{"slot": s, "expert": e} for s, e in sorted(pins.items())],
    }
    return BuiltProblem(problem=problem, missions=kept, left_out=left_out)


# --------------------------------------------------------------------------------------------
# Run: create, queue, execute


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
    """Record a planner run over the chosen missions and/or the period, with its problem.

    Refuses a user who is not a secretariat coordinator, an empty choice, a period that ends
    before it starts, and a time limit outside 1..600 s.
    """
    if getattr(by, "role", "") != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(_("Only a secretariat coordinator can run the planner."))
    limit = _clean_time_limit(time_limit_s)
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
    built = problem_build(
        missions=chosen, period_start=period_start, extra_pins=extra_pins, time_limit_s=limit
    )
    if not built.problem["missions"]:
        reasons = "; ".join(f"{x['mission']}: {x['reason']}" for x in built.left_out)
        raise ValidationError(
            _("No mission can go to the planner: %(reasons)s") % {"reasons": reasons}
        )
    seed: dict[str, Any] = {"left_out": built.left_out}
    if previous is not None:
        seed["previous_run"] = previous.pk
    run = PlannerRun.objects.create(
        created_by=by,
        period_start=period_start,
        period_end=period_end,
        time_limit_s=limit,
        problem=built.problem,
        plan=seed,
    )
    run.missions.set(chosen)
    return run


def planner_run_start(**kwargs: Any) -> PlannerRun:
    """Create a run (see ``planner_run_create``) and queue it for the worker.

    The queue row is written in the same transaction as the run with the database backend;
    with the immediate backend (tests) the run is solved before this returns.
    """
    from renfort.missions.tasks import planner_run_task

    with transaction.atomic():
        run = planner_run_create(**kwargs)
        planner_run_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


class ProgressRecorder:
    """Collects solver progress and writes it to the run at most every half second."""

    def __init__(self, run_id: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.run_id = run_id
        self.clock = clock
        self.points: list[dict[str, Any]] = []
        self.last_write = float("-inf")

    def __call__(self, event: Any) -> None:
        get = event.get if isinstance(event, Mapping) else lambda k: getattr(event, k, None)
        elapsed, primary, bound = get("elapsed_s"), get("primary"), get("bound")
        if elapsed is None or primary is None:
            return
        point = {"t": round(float(elapsed), 3), "primary": int(primary)}
        if bound is not None:
            point["bound"] = int(bound)
        self.points.append(point)
        if len(self.points) > PROGRESS_MAX_POINTS:
            # Keep the first and last point and thin the middle.
            self.points = [self.points[0], *self.points[1:-1:2], self.points[-1]]
        now = self.clock()
        if now - self.last_write >= PROGRESS_MIN_INTERVAL_S:
            self.flush()
            self.last_write = now

    def flush(self) -> None:
        PlannerRun.objects.filter(pk=self.run_id).update(progress=list(self.points))


def _explain(problem: Mapping[str, Any], mission_id: str, slot_id: str, expert_id: str) -> str:
    """Why the expert fits the slot, from the problem's own data (when the planner gave none)."""
    mission = next((m for m in problem["missions"] if m["id"] == mission_id), None)
    expert = next((e for e in problem["experts"] if e["id"] == expert_id), None)
    if mission is None or expert is None:
        return ""
    slot: dict[str, Any] = next((s for s in mission["slots"] if s["id"] == slot_id), {})
    category = str(slot.get("category", ""))
    parts = [str(Category(category).label) if category in Category.values else category]
    parts.append(_("speaks %(lang)s") % {"lang": mission["language"]})
    for topic, need in sorted(slot.get("skills", {}).items()):
        have = expert.get("skills", {}).get(topic, 0)
        parts.append(
            _("%(topic)s %(have)s (needs %(need)s)") % {"topic": topic, "have": have, "need": need}
        )
    parts.append(_("from %(country)s") % {"country": expert["country"]})
    return "; ".join(p for p in parts if p)


def plan_apply(*, run: PlannerRun, plan: Mapping[str, Any], progress: list[Any]) -> PlannerRun:
    """Store a plan on the run: done when it holds a valid plan, failed otherwise."""
    stored = dict(plan)
    for key in ("left_out", "previous_run"):
        if key in run.plan:
            stored[key] = run.plan[key]
    for entry in stored.get("missions", []):
        for a in entry.get("assignments") or []:
            a.setdefault("explanation", "")
            if not a["explanation"]:
                a["explanation"] = _explain(run.problem, entry["id"], a["slot"], a["expert"])
            a.setdefault("pinned", False)
    run.plan = stored
    run.progress = progress
    run.finished_at = timezone.now()
    if plan.get("status") in ("optimal", "feasible"):
        run.status = PlannerRunStatus.DONE
        run.error = ""
    elif plan.get("status") == "infeasible":
        run.status = PlannerRunStatus.FAILED
        run.error = _("The pinned assignments cannot all hold. %(why)s") % {
            "why": " ".join(plan.get("errors", []))
        }
    else:
        run.status = PlannerRunStatus.FAILED
        run.error = _("The planner refused the problem: %(why)s") % {
            "why": "; ".join(plan.get("errors", [])) or _("no reason given")
        }
    run.save(update_fields=["plan", "progress", "finished_at", "status", "error"])
    return run


def planner_run_execute(*, run_id: int) -> PlannerRun | None:
    """Solve a queued run, recording progress, then the plan or the failure.

    Never raises for a failed solve: the error goes on the run, where the user sees it.
    """
    run = PlannerRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("planner run %s vanished before it started", run_id)
        return None
    if run.status != PlannerRunStatus.QUEUED:
        return run
    PlannerRun.objects.filter(pk=run_id).update(status=PlannerRunStatus.RUNNING)
    run.status = PlannerRunStatus.RUNNING
    recorder = ProgressRecorder(run_id)
    previous = None
    previous_id = run.plan.get("previous_run")
    if previous_id:
        previous_run = PlannerRun.objects.filter(pk=previous_id).only("plan").first()
        if previous_run is not None and previous_run.plan.get("missions"):
            previous = _plan_for_planner(previous_run.plan)
    try:
        from renfort.planner.solve import solve

        plan = solve(
            run.problem, time_limit_s=run.time_limit_s, previous=previous, progress=recorder
        )
    except Exception as exc:
        logger.exception("planner run %s failed", run_id)
        run.status = PlannerRunStatus.FAILED
        run.error = _(
            "The planner stopped with an error (%(kind)s). Try again or shorten the run."
        ) % {"kind": type(exc).__name__}
        run.progress = recorder.points
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "progress", "finished_at"])
        return run
    return plan_apply(run=run, plan=plan, progress=recorder.points)


def _plan_for_planner(plan: Mapping[str, Any]) -> dict[str, Any]:
    """A stored plan without our review keys, as the planner's ``previous``."""
    missions = []
    for entry in plan.get("missions", []):
        clean = {k: v for k, v in entry.items() if k in ("id", "staffed", "start", "end")}
        clean["assignments"] = [
            {"slot": a["slot"], "expert": a["expert"]} for a in entry.get("assignments") or []
        ]
        missions.append(clean)
    return {
        "status": plan.get("status", "feasible"),
        "objective": plan.get("objective", {"primary": 0}),
        "missions": missions,
    }


# --------------------------------------------------------------------------------------------
# Back: review, accept, swap, pin, re-run


class ProposalState:
    OPEN = "open"  # a proposal only
    HELD = "held"  # the slot already holds this expert in the database
    TAKEN = "taken"  # the slot holds another expert now: accepting is impossible


@dataclass
class Proposal:
    slot: Slot
    expert: Expert | None
    expert_id: str
    fit: float | None
    explanation: str
    pinned: bool
    swapped: bool
    state: str
    assignment: Assignment | None = None
    # The expert already declined this slot once (their reason), worth a look before inviting.
    declined: str | None = None

    @property
    def acceptable(self) -> bool:
        return self.state == ProposalState.OPEN and self.expert is not None


@dataclass
class MissionReview:
    mission: Mission | None
    mission_id: str
    staffed: bool
    start: datetime.date | None
    end: datetime.date | None
    proposals: list[Proposal]
    reasons: list[str]


@dataclass
class Review:
    staffed: list[MissionReview]
    unstaffed: list[MissionReview]
    left_out: list[dict[str, str]]

    @property
    def open_count(self) -> int:
        return sum(1 for m in self.staffed for p in m.proposals if p.acceptable)


def _date_or_none(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def run_review(run: PlannerRun) -> Review:
    """The plan read against the database, in a fixed number of queries."""
    entries = run.plan.get("missions", []) if run.plan else []
    refs = [e["id"] for e in entries]
    missions = {
        m.reference: m
        for m in Mission.objects.filter(reference__in=refs).prefetch_related(
            Prefetch("slots", queryset=Slot.objects.order_by("position"))
        )
    }
    slots = {s.code: s for m in missions.values() for s in m.slots.all()}
    for m in missions.values():
        for s in m.slots.all():
            s.mission = m  # spare a query per slot in templates
    expert_ids = {
        int(a["expert"])
        for e in entries
        for a in e.get("assignments") or []
        if str(a.get("expert", "")).isdigit()
    }
    experts = {
        str(x.pk): x
        for x in Expert.objects.filter(pk__in=expert_ids).select_related("home_administration")
    }
    holding = {
        a.slot_id: a
        for a in Assignment.objects.filter(
            slot__in=list(slots.values()), status__in=HOLDING_STATUSES
        ).select_related("expert")
    }
    declined = {
        (slot_id, expert_id): reason
        for slot_id, expert_id, reason in Assignment.objects.filter(
            slot__in=list(slots.values()), status=AssignmentStatus.DECLINED
        ).values_list("slot_id", "expert_id", "decline_reason")
    }
    staffed: list[MissionReview] = []
    unstaffed: list[MissionReview] = []
    for entry in entries:
        mission = missions.get(entry["id"])
        proposals = []
        for a in entry.get("assignments") or []:
            slot = slots.get(a["slot"])
            if slot is None:
                continue
            held = holding.get(slot.pk)
            if held is None:
                state = ProposalState.OPEN
            elif str(held.expert_id) == str(a["expert"]):
                state = ProposalState.HELD
            else:
                state = ProposalState.TAKEN
            proposals.append(
                Proposal(
                    slot=slot,
                    expert=experts.get(str(a["expert"])),
                    expert_id=str(a["expert"]),
                    fit=a.get("fit"),
                    explanation=a.get("explanation", ""),
                    pinned=held.pinned
                    if state == ProposalState.HELD and held
                    else bool(a.get("pinned")),
                    swapped=bool(a.get("swapped")),
                    state=state,
                    assignment=held,
                    declined=declined.get((slot.pk, int(a["expert"])))
                    if str(a["expert"]).isdigit()
                    else None,
                )
            )
        review = MissionReview(
            mission=mission,
            mission_id=entry["id"],
            staffed=bool(entry.get("staffed")),
            start=_date_or_none(entry.get("start")),
            end=_date_or_none(entry.get("end")),
            proposals=proposals,
            reasons=list(entry.get("reasons") or []),
        )
        (staffed if review.staffed else unstaffed).append(review)
    return Review(staffed=staffed, unstaffed=unstaffed, left_out=list(run.plan.get("left_out", [])))


def run_is_stalled(run: PlannerRun, *, grace_s: float = 600) -> bool:
    """Queued or running well past its time limit: the worker is probably not running."""
    if run.status not in (PlannerRunStatus.QUEUED, PlannerRunStatus.RUNNING):
        return False
    age = (timezone.now() - run.created_at).total_seconds()
    return age > run.time_limit_s + grace_s


def run_for_user(user: User, pk: int) -> PlannerRun:
    """The run if the user may see it (runs belong to the secretariat); 404 otherwise."""
    from django.http import Http404

    if getattr(user, "role", "") != Role.SECRETARIAT_COORDINATOR:
        raise Http404("No such planner run.")
    try:
        return PlannerRun.objects.get(pk=pk)
    except PlannerRun.DoesNotExist as exc:
        raise Http404("No such planner run.") from exc


def _require_done(run: PlannerRun) -> None:
    if run.status != PlannerRunStatus.DONE:
        raise ValidationError(
            _("The run has no plan to review (status: %(s)s).") % {"s": run.get_status_display()}
        )


def proposal_for_slot(run: PlannerRun, slot_code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for entry in run.plan.get("missions", []):
        for a in entry.get("assignments") or []:
            if a["slot"] == slot_code:
                return entry, a
    raise ValidationError(
        {"slot": _("Slot %(slot)s has no proposal in this plan.") % {"slot": slot_code}}
    )


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
    from renfort.missions import services

    _require_done(run)
    wanted = set(slot_codes)
    review = run_review(run)
    created: list[Assignment] = []
    refused: dict[str, str] = {}
    for mr in review.staffed:
        chosen = [p for p in mr.proposals if p.slot.code in wanted]
        if not chosen:
            continue
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
                mission = mr.mission
                if not mission.has_dates and mr.start and mr.end:
                    mission = services.mission_set_dates(
                        mission=mission, start=mr.start, end=mr.end, by=by
                    )
                    for p in chosen:
                        p.slot.mission = mission
                batch = []
                for p in chosen:
                    assert p.expert is not None
                    assignment = services.assignment_create(
                        slot=p.slot,
                        expert=p.expert,
                        source=AssignmentSource.PLANNER,
                        pinned=p.pinned,
                        fit=p.fit,
                        explanation=p.explanation,
                        by=by,
                    )
                    batch.append(
                        services.assignment_transition(
                            assignment=assignment, to_status=AssignmentStatus.INVITED, by=by
                        )
                    )
                created.extend(batch)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            for p in chosen:
                refused[p.slot.code] = message
    for code in wanted - {p.slot.code for mr in review.staffed for p in mr.proposals}:
        refused[code] = _("no such proposal in this plan")
    return created, refused


def swap_candidates(*, run: PlannerRun, slot_code: str, limit: int = 60) -> list[Expert]:
    """Pool experts who meet the slot's category, language and levels and are not beneficiaries.

    Ordered by how far above the required levels they are; availability is checked when the
    coordinator picks one (``proposal_swap``).
    """
    entry, current = proposal_for_slot(run, slot_code)
    slot = (
        Slot.objects.select_related("mission")
        .prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic"))
        )
        .get(mission__reference=entry["id"], position=int(slot_code.rsplit("-", 1)[1]))
    )
    needs = slot_skills(slot)
    beneficiaries = set(slot.mission.beneficiaries.values_list("pk", flat=True))
    language = slot.mission.language.lower()
    scored: list[tuple[float, str, Expert]] = []
    for expert in _experts_with_details(pool().exclude(home_administration__in=beneficiaries)):
        if str(expert.pk) == str(current["expert"]) or slot.category not in expert.categories:
            continue
        if language not in {str(x).lower() for x in expert.languages}:
            continue
        skills = expert_skills(expert)
        if any(skills.get(t, 0) < lvl for t, lvl in needs.items()):
            continue
        margin = sum(skills.get(t, 0) - lvl for t, lvl in needs.items())
        scored.append((-margin, str(expert), expert))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [x[2] for x in scored[:limit]]


def _plan_problems(
    run: PlannerRun, entry: Mapping[str, Any], slot_code: str, expert: Expert
) -> list[str]:
    """Rules that the database cannot check because the other proposals exist only in the plan."""
    problems = []
    start, end = _date_or_none(entry.get("start")), _date_or_none(entry.get("end"))
    travel = int(run.problem.get("settings", {}).get("travel_days", settings.PLANNER_TRAVEL_DAYS))
    for other in run.plan.get("missions", []):
        for a in other.get("assignments") or []:
            if a["slot"] == slot_code or a["expert"] != str(expert.pk):
                continue
            if other["id"] == entry["id"]:
                problems.append(
                    _("the expert already holds slot %(slot)s of this mission")
                    % {"slot": a["slot"]}
                )
                continue
            o_start, o_end = _date_or_none(other.get("start")), _date_or_none(other.get("end"))
            if start and end and o_start and o_end:
                gap = datetime.timedelta(days=travel)
                if o_start <= end + gap and start <= o_end + gap:
                    problems.append(
                        _(
                            "double booking: the plan also sends the expert to %(m)s "
                            "(%(a)s to %(b)s), with %(t)s travel day(s) between missions"
                        )
                        % {"m": other["id"], "a": o_start, "b": o_end, "t": travel}
                    )
    mission: dict[str, Any] = next(
        (m for m in run.problem.get("missions", []) if m["id"] == entry["id"]), {}
    )
    if mission.get("distinct_countries") == "required":
        country = expert.home_administration.country.upper()
        ids = [a["expert"] for a in entry.get("assignments") or [] if a["slot"] != slot_code]
        countries = set(
            Expert.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
                "home_administration__country", flat=True
            )
        )
        if country in {c.upper() for c in countries}:
            problems.append(
                _("different countries required: another expert of this mission is from %(c)s")
                % {"c": country}
            )
    return problems


@transaction.atomic
def proposal_swap(*, run: PlannerRun, slot_code: str, expert: Expert, by: User) -> PlannerRun:
    """Put another expert in a proposal, after checking every rule; names the broken one.

    A proposal already accepted is swapped in the database (``assignment_swap``); an open one
    is changed in the stored plan, checked with ``assignment_problems`` at the plan's dates and
    against the plan's other proposals.
    """
    from renfort.missions import rules, services

    _require_done(run)
    run = PlannerRun.objects.select_for_update().get(pk=run.pk)
    entry, proposal = proposal_for_slot(run, slot_code)
    slot = Slot.objects.select_related("mission").get(
        mission__reference=entry["id"], position=int(slot_code.rsplit("-", 1)[1])
    )
    held = Assignment.objects.filter(slot=slot, status__in=HOLDING_STATUSES).first()
    if held is not None and str(held.expert_id) == str(proposal["expert"]):
        services.assignment_swap(assignment=held, expert=expert, by=by)
    elif held is not None:
        raise ValidationError(
            {"expert": _("The slot now holds another expert; swap it from the mission page.")}
        )
    else:
        start, end = _date_or_none(entry.get("start")), _date_or_none(entry.get("end"))
        problems = rules.assignment_problems(slot=slot, expert=expert, start=start, end=end)
        problems += _plan_problems(run, entry, slot_code, expert)
        if problems:
            raise ValidationError({"expert": problems})
    proposal["expert"] = str(expert.pk)
    proposal["swapped"] = True
    proposal["fit"] = None
    proposal["explanation"] = _("swapped in by %(who)s") % {"who": by}
    if str(expert.pk) not in {e["id"] for e in run.problem.get("experts", [])}:
        explanation = ""
    else:
        explanation = _explain(run.problem, entry["id"], slot_code, str(expert.pk))
    if explanation:
        proposal["explanation"] += "; " + explanation
    run.save(update_fields=["plan"])
    return run


@transaction.atomic
def proposal_pin(*, run: PlannerRun, slot_code: str, pinned: bool) -> PlannerRun:
    """Pin or unpin a proposal so a re-run keeps it (an accepted one through ``assignment_pin``)."""
    from renfort.missions import services

    _require_done(run)
    run = PlannerRun.objects.select_for_update().get(pk=run.pk)
    entry, proposal = proposal_for_slot(run, slot_code)
    held = Assignment.objects.filter(
        slot__mission__reference=entry["id"],
        slot__position=int(slot_code.rsplit("-", 1)[1]),
        status__in=HOLDING_STATUSES,
    ).first()
    if held is not None and str(held.expert_id) == str(proposal["expert"]):
        services.assignment_pin(assignment=held, pinned=pinned)
    proposal["pinned"] = pinned
    run.save(update_fields=["plan"])
    return run


def planner_run_rerun(
    *, run: PlannerRun, by: User, time_limit_s: float | None = None
) -> PlannerRun:
    """A new run over the same missions that keeps every pinned proposal and every held slot.

    The new run's ``previous`` is this run's plan, so the planner changes little beyond what
    the pins and the database now require.
    """
    pins = [
        (a["slot"], a["expert"])
        for entry in run.plan.get("missions", [])
        for a in entry.get("assignments") or []
        if a.get("pinned")
    ]
    return planner_run_start(
        by=by,
        missions=list(run.missions.all()),
        period_start=run.period_start,
        period_end=run.period_end,
        time_limit_s=time_limit_s or run.time_limit_s,
        previous=run if run.status == PlannerRunStatus.DONE else None,
        extra_pins=pins,
    )


def progress_chart(run: PlannerRun, width: int = 480, height: int = 140) -> dict[str, Any]:
    """Polyline points for the best objective and the bound over time (server-rendered SVG)."""
    points = run.progress or []
    limit = max(run.time_limit_s, max((p.get("t", 0) for p in points), default=0), 0.001)
    top = max([p.get("bound") or p.get("primary", 0) for p in points] + [1])
    pad = 4

    def xy(t: float, v: float) -> str:
        x = pad + (width - 2 * pad) * (t / limit)
        y = height - pad - (height - 2 * pad) * (v / top)
        return f"{x:.1f},{y:.1f}"

    primary = " ".join(xy(p["t"], p["primary"]) for p in points)
    bound = " ".join(xy(p["t"], p["bound"]) for p in points if p.get("bound") is not None)
    last = points[-1] if points else None
    elapsed = last["t"] if last else 0.0
    last_xy = xy(last["t"], last["primary"]).split(",") if last else None
    return {
        "width": width,
        "height": height,
        "primary": primary,
        "bound": bound,
        "top": top,
        "last": last,
        "last_xy": last_xy,
        "elapsed": elapsed,
        "limit": run.time_limit_s,
        "percent": 100
        if run.status in (PlannerRunStatus.DONE, PlannerRunStatus.FAILED)
        else min(99, int(100 * elapsed / max(run.time_limit_s, 0.001))),
    }


# --------------------------------------------------------------------------------------------
# Pool gap analysis


@dataclass
class Gap:
    """A profile the pool lacks, and the missions it would staff."""

    category: str
    requirements: tuple[tuple[str, int], ...]
    language: str
    month: str
    missions: list[str] = field(default_factory=list)
    visible: list[Mission] = field(default_factory=list)
    near: list[tuple[Organisation, int]] = field(default_factory=list)
    topic_names: dict[str, str] = field(default_factory=dict)
    beneficiary_sets: list[frozenset[int]] = field(default_factory=list)

    @property
    def requirement_labels(self) -> list[tuple[str, int]]:
        """(topic name, minimum level) pairs, for display."""
        return [(self.topic_names.get(code, code), level) for code, level in self.requirements]

    @property
    def category_label(self) -> str:
        return (
            str(Category(self.category).label)
            if self.category in Category.values
            else self.category
        )

    @property
    def mission_count(self) -> int:
        return len(self.missions)


def latest_finished_run() -> PlannerRun | None:
    return (
        PlannerRun.objects.filter(status=PlannerRunStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def _qualifies(
    expert: Expert, skills: Mapping[str, int], category: str, language: str, reqs: Mapping[str, int]
) -> bool:
    return (
        category in expert.categories
        and language in {str(x).lower() for x in expert.languages}
        and all(skills.get(t, 0) >= lvl for t, lvl in reqs.items())
    )


def _misses(
    expert: Expert, skills: Mapping[str, int], category: str, language: str, reqs: Mapping[str, int]
) -> int:
    """How far the expert is from the profile: one per missing category or language, one per
    topic one level short, two per topic further short (so that such an expert is never near)."""
    missing = int(category not in expert.categories)
    missing += int(language not in {str(x).lower() for x in expert.languages})
    for topic, level in reqs.items():
        short = level - skills.get(topic, 0)
        missing += 0 if short <= 0 else 1 if short == 1 else 2
    return missing


def pool_gaps(
    *, user: User, run: PlannerRun | None = None, near_limit: int = 5
) -> tuple[PlannerRun | None, list[Gap]]:
    """Profiles the pool lacks, from the unstaffed missions of the latest finished run.

    Each unstaffed mission contributes the profile of its bottleneck slots: the slots that no
    pool expert qualifies for (category, language, levels), or, when every slot has someone,
    the slot with the fewest qualified experts (they were all busy or over their days).
    A profile is category + topic levels + language + month; profiles are ranked by how many
    missions they would staff. Near matches: active experts, per home administration, who miss
    exactly one criterion (the category, the language, or one topic by one level), or who
    qualify but are not released to the pool; experts of an administration that benefits from
    every one of the profile's missions are not counted.
    Regional coordinators see their region's missions only; the others see every profile but
    mission references only of missions they may see.
    """
    run = run or latest_finished_run()
    if run is None:
        return None, []
    unstaffed = [e["id"] for e in run.plan.get("missions", []) if not e.get("staffed")]
    qs = Mission.objects.filter(reference__in=unstaffed)
    if getattr(user, "role", "") == Role.REGIONAL_COORDINATOR:
        qs = qs.filter(pk__in=missions_visible_to(user).values("pk"))
    missions = _missions_with_details(qs.values_list("pk", flat=True))
    visible = set(
        missions_visible_to(user)
        .filter(pk__in=[m.pk for m in missions])
        .values_list("pk", flat=True)
    )

    everyone = _experts_with_details(Expert.objects.filter(active=True))
    skills_of = {e.pk: expert_skills(e) for e in everyone}
    in_pool = {e.pk for e in everyone if e.release_status in POOL_RELEASE_STATUSES}

    gaps: dict[tuple[Any, ...], Gap] = {}
    for mission in missions:
        first = _mission_first_day(mission)
        month = first.strftime("%Y-%m") if first else ""
        language = mission.language.lower()
        beneficiaries = {b.pk for b in mission.beneficiaries.all()}
        counted = []
        for slot in mission.slots.all():
            reqs = slot_skills(slot)
            n = sum(
                1
                for e in everyone
                if e.pk in in_pool
                and e.home_administration_id not in beneficiaries
                and _qualifies(e, skills_of[e.pk], slot.category, language, reqs)
            )
            counted.append((n, slot, reqs))
        if not counted:
            continue
        empty = [c for c in counted if c[0] == 0]
        bottleneck = empty or [min(counted, key=lambda c: c[0])]
        for _n, slot, reqs in bottleneck:
            key = (slot.category, tuple(sorted(reqs.items())), language, month)
            gap = gaps.get(key)
            if gap is None:
                gap = gaps[key] = Gap(slot.category, key[1], language, month)
                gap.topic_names = {r.topic.code: str(r.topic) for r in slot.requirements.all()}
            if mission.reference not in gap.missions:
                gap.missions.append(mission.reference)
                gap.beneficiary_sets.append(frozenset(beneficiaries))
                if mission.pk in visible:
                    gap.visible.append(mission)

    for gap in gaps.values():
        reqs = dict(gap.requirements)
        per_org: Counter[int] = Counter()
        orgs: dict[int, Organisation] = {}
        for e in everyone:
            if all(e.home_administration_id in b for b in gap.beneficiary_sets):
                continue  # could staff none of these missions: it would help itself
            skills = skills_of[e.pk]
            misses = _misses(e, skills, gap.category, gap.language, reqs)
            if misses == 1 or (misses == 0 and e.pk not in in_pool):
                per_org[e.home_administration_id] += 1
                orgs[e.home_administration_id] = e.home_administration
        gap.near = [
            (orgs[o], n)
            for o, n in sorted(per_org.items(), key=lambda x: (-x[1], orgs[x[0]].name))[:near_limit]
        ]
    ranked = sorted(
        gaps.values(), key=lambda g: (-g.mission_count, g.month, g.category, g.requirements)
    )
    return run, ranked
