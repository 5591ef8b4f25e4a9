"""Reads: planner runs for the people who may see them, a plan's proposal for a slot and the
experts it may be swapped for, and the finished runs whose plan waits for review. The review
of a finished plan (and what the stored plan holds): ``planning.review_selectors``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.missions.eligibility import exclusions_of, needs_of, qualified_experts
from renfort.missions.models import Assignment, Slot, SlotRequirement
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.roster.models import Expert, Skill


def run_for_user(user: User, pk: int, *, with_problem: bool = True) -> PlannerRun:
    """The run if the user may see it (runs belong to the secretariat); 404 otherwise.
    ``with_problem=False``: its stored problem (the pool as it was) is not read; the run's
    page shows its counts (``problem_*_count``)."""
    if getattr(user, "role", "") != Role.SECRETARIAT_COORDINATOR:
        raise Http404("No such planner run.")
    runs = PlannerRun.objects.all() if with_problem else PlannerRun.objects.defer("problem")
    try:
        return runs.get(pk=pk)
    except PlannerRun.DoesNotExist as exc:
        raise Http404("No such planner run.") from exc


# The columns the run list reads: the run's parameters and its stored summary, never a plan.
RUN_LIST_FIELDS = (
    "pk",
    "created_at",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__email",
    "created_by__username",
    "period_start",
    "period_end",
    "status",
    "finished_at",
    "time_limit_s",
    "mission_count",
    "staffed_count",
    "proposal_count",
    "objective",
    "objective_bound",
    "plan_status",
    "duration_s",
)


def runs_with_outcome() -> QuerySet[PlannerRun]:
    """Planner runs, newest first, with their stored summary (``run_summary``): no plan,
    problem or progress is read, whatever their size."""
    return (
        PlannerRun.objects.select_related("created_by")
        .only(*RUN_LIST_FIELDS)
        .order_by("-created_at", "-pk")
    )


def latest_finished_run() -> PlannerRun | None:
    return (
        PlannerRun.objects.filter(status=PlannerRunStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def run_is_stalled(run: PlannerRun, *, grace_s: float = 600) -> bool:
    """Queued or running well past its time limit: the worker is probably not running."""
    if run.status not in (PlannerRunStatus.QUEUED, PlannerRunStatus.RUNNING):
        return False
    age = (timezone.now() - run.created_at).total_seconds()
    return age > run.time_limit_s + grace_s


def date_or_none(value: Any) -> datetime.date | None:
    """A date from the plan's ISO text, or None when there is none (or it is not a date)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def slot_label(code: str) -> str:
    """The slot as people name it ("Slot 2 of mission M-2027-052"), from its code."""
    reference, _sep, position = str(code).rpartition("-")
    return _("Slot %(position)s of mission %(mission)s") % {
        "position": position,
        "mission": reference,
    }


def proposal_for_slot(run: PlannerRun, slot_code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The plan's mission entry and proposed assignment for the slot; refuses an unknown slot."""
    for entry in run.plan.get("missions", []):
        for a in entry.get("assignments") or []:
            if a["slot"] == slot_code:
                return entry, a
    raise ValidationError(
        {"slot": _("Slot %(slot)s has no proposal in this plan.") % {"slot": slot_code}}
    )


# --------------------------------------------------------------------------------------------
# Swapping a proposal's expert


def swap_candidates(*, run: PlannerRun, slot_code: str, limit: int = 60) -> list[Expert]:
    """Pool experts whom the pool and profile rules accept for the slot (category, topic
    levels, language, from outside the beneficiaries: ``eligibility.qualified_experts``, in
    SQL), but the one proposed now and those excluded from the slot
    (``eligibility.exclusions_of``); the furthest above the required levels first.

    Availability and the mission's other experts are checked when the coordinator picks one
    (``proposal_swap``): at the plan's dates and against the plan's other proposals, which
    only the plan holds.
    """
    entry, current = proposal_for_slot(run, slot_code)
    slot = (
        Slot.objects.select_related("mission")
        .prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
            "mission__beneficiaries",
        )
        .get(mission__reference=entry["id"], position=int(slot_code.rsplit("-", 1)[1]))
    )
    needs = needs_of(slot)
    excluded = exclusions_of([slot.mission_id]).of(slot.pk, slot.mission_id)
    qualified = (
        qualified_experts(needs)
        .exclude(pk__in=list(excluded))
        .select_related("home_administration")
    )
    if str(current["expert"]).isdigit():
        qualified = qualified.exclude(pk=int(current["expert"]))
    qualified = qualified.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.only("expert", "topic", "level"))
    )
    scored: list[tuple[int, str, Expert]] = []
    for expert in qualified:
        levels = {s.topic_id: s.level for s in expert.skills.all()}
        margin = sum(levels[t] - level for t, level in needs.levels.items())
        scored.append((-margin, str(expert), expert))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [x[2] for x in scored[:limit]]


# --------------------------------------------------------------------------------------------
# Runs waiting for review

# A plan older than this is stale (dates and the pool have moved on): run the planner again.
REVIEW_DAYS = 30
# The newest finished runs looked at; older ones wait on the run list, never on a home page.
REVIEW_RUNS = 20


def _proposed_slots(run: PlannerRun) -> set[str]:
    """The slots the run's plan proposes an expert for (staffed missions only)."""
    entries = run.plan.get("missions", []) if isinstance(run.plan, Mapping) else []
    return {
        str(a["slot"])
        for e in entries
        if e.get("staffed")
        for a in e.get("assignments") or []
        if a.get("slot")
    }


def runs_waiting_for_review(*, limit: int = REVIEW_RUNS) -> list[PlannerRun]:
    """Finished runs whose plan still has a proposal to accept, newest first, each with
    ``open_proposals``: done in the last ``REVIEW_DAYS`` days, not re-planned by a later run
    that has not failed, and proposing an expert for a slot that holds no open assignment
    (the review's open proposal). Looks at the ``limit`` newest finished runs only, in
    three queries whatever their number."""
    since = timezone.now() - datetime.timedelta(days=REVIEW_DAYS)
    replanned = {
        str(v)
        for v in PlannerRun.objects.filter(created_at__gte=since)
        .exclude(status=PlannerRunStatus.FAILED)
        .annotate(previous=KT("plan__previous_run"))
        .exclude(previous=None)
        .values_list("previous", flat=True)
    }
    runs = [
        run
        for run in PlannerRun.objects.filter(status=PlannerRunStatus.DONE, finished_at__gte=since)
        .select_related("created_by")
        .defer("problem", "progress")
        .order_by("-finished_at", "-pk")[:limit]
        if str(run.pk) not in replanned
    ]
    proposed = {run.pk: _proposed_slots(run) for run in runs}
    references = {code.rpartition("-")[0] for codes in proposed.values() for code in codes}
    free = {
        f"{reference}-{position}"
        for reference, position in Slot.objects.filter(mission__reference__in=references)
        .exclude(Exists(Assignment.objects.open().filter(slot=OuterRef("pk"))))
        .values_list("mission__reference", "position")
    }
    waiting = []
    for run in runs:
        run.open_proposals = len(proposed[run.pk] & free)  # type: ignore[attr-defined]
        if run.open_proposals:  # type: ignore[attr-defined]
            waiting.append(run)
    return waiting
