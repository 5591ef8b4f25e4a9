"""Reads: planner runs for the people who may see them, and a finished plan read against the
database for the review page.

The stored plan (``PlannerRun.plan``) is the planner's answer plus a few keys of our own,
which the solution schema allows: ``left_out`` (missions that could not be sent to the planner,
with why), ``previous_run`` (the run this one re-plans), and on each proposed assignment
``pinned``, ``swapped``, and why the expert fits: ``explanation_code`` and
``explanation_params`` (``lib.messages``, read in the reader's language: ``plan_apply`` makes
the planner's ``explanation_code`` data this message). ``explanation`` holds the planner's own
words, shown only where there is no code (plans written before codes). An unstaffed mission's
``reason_codes`` and an infeasible plan's ``error_codes`` are the planner's data, put into
words with names when read (``planning.messages.planner_message``); plans written before them
show their ``reasons`` and the run's ``error`` as they are. ``left_out`` items and a failed
run's ``error_code`` are messages too (``planning.run_messages``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.lib.countries import country_name
from renfort.lib.messages import kind_of, render
from renfort.missions.eligibility import exclusions_of, needs_of, qualified_experts
from renfort.missions.models import Assignment, AssignmentStatus, Mission, Slot, SlotRequirement
from renfort.planning.messages import PlanNames, expert_ids, planner_message, topic_codes
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.outlook import Outlook
from renfort.planning.run_messages import left_out_reason
from renfort.roster.models import Expert, Skill, Topic


def run_for_user(user: User, pk: int) -> PlannerRun:
    """The run if the user may see it (runs belong to the secretariat); 404 otherwise."""
    if getattr(user, "role", "") != Role.SECRETARIAT_COORDINATOR:
        raise Http404("No such planner run.")
    try:
        return PlannerRun.objects.get(pk=pk)
    except PlannerRun.DoesNotExist as exc:
        raise Http404("No such planner run.") from exc


def runs_with_outcome() -> QuerySet[PlannerRun]:
    """Planner runs, newest first, with their outcome (plans themselves are not loaded)."""
    return (
        PlannerRun.objects.select_related("created_by")
        .defer("problem", "progress", "plan")
        .annotate(
            mission_count=Count("missions", distinct=True),
            primary=KT("plan__objective__primary"),
            bound=KT("plan__objective__primary_bound"),
            plan_status=KT("plan__status"),
        )
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
# The review of a finished plan


class ProposalState:
    OPEN = "open"  # a proposal only
    HELD = "held"  # the slot already holds this expert in the database
    TAKEN = "taken"  # the slot holds another expert now: accepting is impossible


def explanation_text(a: Mapping[str, Any]) -> str:
    """Why the plan's proposed assignment ``a`` holds its expert, in the active language."""
    if a.get("explanation_code"):
        return str(render(a["explanation_code"], a.get("explanation_params") or {}))
    return str(a.get("explanation") or "")


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
    explanation_code: str = ""
    explanation_params: dict[str, Any] = field(default_factory=dict)

    @property
    def acceptable(self) -> bool:
        return self.state == ProposalState.OPEN and self.expert is not None

    @property
    def country(self) -> str:
        """The expert's home country, by name in the active language."""
        code = self.expert.home_administration.country if self.expert else ""
        return country_name(code) if code else ""

    @property
    def explanation_text(self) -> str:
        return explanation_text(
            {
                "explanation": self.explanation,
                "explanation_code": self.explanation_code,
                "explanation_params": self.explanation_params,
            }
        )


@dataclass
class MissionReview:
    mission: Mission | None
    mission_id: str
    staffed: bool
    start: datetime.date | None
    end: datetime.date | None
    proposals: list[Proposal]
    reasons: list[str]
    # Who could staff an unstaffed mission, and what it would take (the page adds it).
    outlook: Outlook | None = None


@dataclass
class PlanQuality:
    """The plan in a coordinator's words (not the planner's tie-break statistics)."""

    missions: int  # missions in the plan
    staffed: int
    experts: int  # distinct experts proposed
    administrations: int  # lending administrations of those experts
    crewed: int  # staffed missions with two experts or more
    mixed: int  # of those, the missions whose experts all come from different countries


@dataclass(frozen=True)
class LeftOut:
    """A mission left out of a run, and why, in the reader's language."""

    reference: str
    mission: Mission | None  # None when it has been deleted since
    reason: str


@dataclass
class Review:
    staffed: list[MissionReview]
    unstaffed: list[MissionReview]
    left_out: list[LeftOut]
    quality: PlanQuality | None = None

    @property
    def open_count(self) -> int:
        return sum(1 for m in self.staffed for p in m.proposals if p.acceptable)


@dataclass
class _ReviewRows:
    """The database rows a review needs, each loaded in one query."""

    missions: dict[str, Mission]
    slots: dict[str, Slot]
    experts: dict[str, Expert]
    holding: dict[int, Assignment]
    declined: dict[tuple[int, int], str]
    names: PlanNames


def _plan_names(
    slots: Mapping[str, Slot], experts: Mapping[str, Expert], reasons: list[Any]
) -> PlanNames:
    """Names for the planner's ids: experts and slots from the rows given, topics in one
    query when the reasons name any."""
    codes = topic_codes(reasons)
    topics = dict(Topic.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return PlanNames(
        experts={k: str(x) for k, x in experts.items()},
        slots={code: (s.position, s.mission.reference) for code, s in slots.items()},
        topics=topics,
    )


def _review_rows(entries: list[dict[str, Any]]) -> _ReviewRows:
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
    reasons = [r for e in entries for r in e.get("reason_codes") or []]
    named = {str(a.get("expert", "")) for e in entries for a in e.get("assignments") or []}
    named |= expert_ids(reasons)
    experts = {
        str(x.pk): x
        for x in Expert.objects.filter(
            pk__in=[int(e) for e in named if e.isdigit()]
        ).select_related("home_administration")
    }
    holding = {
        a.slot_id: a
        for a in Assignment.objects.open()
        .filter(slot__in=list(slots.values()))
        .select_related("expert")
    }
    declined = {
        (slot_id, expert_id): reason
        for slot_id, expert_id, reason in Assignment.objects.filter(
            slot__in=list(slots.values()), status=AssignmentStatus.DECLINED
        ).values_list("slot_id", "expert_id", "decline_reason")
    }
    names = _plan_names(slots, experts, reasons)
    return _ReviewRows(missions, slots, experts, holding, declined, names)


def reason_texts(codes: list[Any], texts: list[Any], names: PlanNames) -> list[str]:
    """The planner's reasons in the active language, with names; the planner's own words
    where there are no codes (plans written before them) or for a code no kind renders."""
    if not codes:
        return [str(t) for t in texts]
    out = []
    for k, code in enumerate(codes):
        kind, params = planner_message(code, names) if isinstance(code, Mapping) else ("", {})
        if kind_of(kind) is not None:
            out.append(str(render(kind, params)))
        else:
            out.append(str(texts[k]) if k < len(texts) else str(code))
    return out


def _quality(entries: list[dict[str, Any]], experts: Mapping[str, Expert]) -> PlanQuality:
    staffed = [e for e in entries if e.get("staffed")]
    crews = [[str(a["expert"]) for a in e.get("assignments") or []] for e in staffed]
    used = {x for crew in crews for x in crew}
    homes = {experts[x].home_administration_id for x in used if x in experts}
    crewed = [crew for crew in crews if len(crew) >= 2]

    def countries(crew: list[str]) -> list[str]:
        return [experts[x].home_administration.country if x in experts else x for x in crew]

    mixed = sum(1 for crew in crewed if len(set(countries(crew))) == len(crew))
    return PlanQuality(len(entries), len(staffed), len(used), len(homes), len(crewed), mixed)


def _proposal(rows: _ReviewRows, slot: Slot, a: Mapping[str, Any]) -> Proposal:
    """One proposed assignment of the plan, with what the database holds for its slot."""
    held = rows.holding.get(slot.pk)
    if held is None:
        state = ProposalState.OPEN
    elif str(held.expert_id) == str(a["expert"]):
        state = ProposalState.HELD
    else:
        state = ProposalState.TAKEN
    expert_id = str(a["expert"])
    return Proposal(
        slot=slot,
        expert=rows.experts.get(expert_id),
        expert_id=expert_id,
        fit=a.get("fit"),
        explanation=a.get("explanation", ""),
        explanation_code=a.get("explanation_code", ""),
        explanation_params=dict(a.get("explanation_params") or {}),
        pinned=held.pinned if state == ProposalState.HELD and held else bool(a.get("pinned")),
        swapped=bool(a.get("swapped")),
        state=state,
        assignment=held,
        declined=rows.declined.get((slot.pk, int(expert_id))) if expert_id.isdigit() else None,
    )


def run_review(run: PlannerRun) -> Review:
    """The plan read against the database, in a fixed number of queries."""
    entries = run.plan.get("missions", []) if run.plan else []
    rows = _review_rows(entries)
    staffed: list[MissionReview] = []
    unstaffed: list[MissionReview] = []
    for entry in entries:
        proposals = [
            _proposal(rows, rows.slots[a["slot"]], a)
            for a in entry.get("assignments") or []
            if a["slot"] in rows.slots
        ]
        review = MissionReview(
            mission=rows.missions.get(entry["id"]),
            mission_id=entry["id"],
            staffed=bool(entry.get("staffed")),
            start=date_or_none(entry.get("start")),
            end=date_or_none(entry.get("end")),
            proposals=proposals,
            reasons=reason_texts(
                list(entry.get("reason_codes") or []), list(entry.get("reasons") or []), rows.names
            ),
        )
        (staffed if review.staffed else unstaffed).append(review)
    return Review(
        staffed=staffed,
        unstaffed=unstaffed,
        left_out=run_left_out(run),
        quality=_quality(entries, rows.experts),
    )


def run_left_out(run: PlannerRun) -> list[LeftOut]:
    """The missions left out of the run, each with why (in the active language), in one
    query for their titles."""
    items = list(run.plan.get("left_out") or []) if run.plan else []
    if not items:
        return []
    refs = [str(item.get("mission", "")) for item in items]
    missions = {m.reference: m for m in Mission.objects.filter(reference__in=refs)}
    return [
        LeftOut(ref, missions.get(ref), left_out_reason(item))
        for ref, item in zip(refs, items, strict=True)
    ]


def run_failure(run: PlannerRun) -> list[str]:
    """Why a failed run has no plan, in the active language: an infeasible plan's reasons
    (``error_codes``, with names), else the failure recorded on the run."""
    codes = list(run.plan.get("error_codes") or []) if run.plan else []
    if run.status != PlannerRunStatus.FAILED or not codes:
        text = run.error_text()
        return [text] if text else []
    slots = {
        s.code: s
        for s in Slot.objects.filter(
            mission__reference__in=[e["id"] for e in run.plan.get("missions", [])]
        ).select_related("mission")
    }
    named = [int(e) for e in expert_ids(codes) if e.isdigit()]
    experts = {str(x.pk): x for x in Expert.objects.filter(pk__in=named)}
    names = _plan_names(slots, experts, codes)
    return reason_texts(codes, list(run.plan.get("errors") or []), names)


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
        .exclude(pk__in=Assignment.objects.open().values("slot_id"))
        .values_list("mission__reference", "position")
    }
    waiting = []
    for run in runs:
        run.open_proposals = len(proposed[run.pk] & free)  # type: ignore[attr-defined]
        if run.open_proposals:  # type: ignore[attr-defined]
            waiting.append(run)
    return waiting
