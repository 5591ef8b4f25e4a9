"""Reads: a finished plan read against the database, for the review page (one page of it:
``run_review_page``) and for accepting it (the whole plan: ``run_review``); the missions left
out of a run, and why a failed run has no plan.

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
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch

from renfort.lib.countries import country_name
from renfort.lib.messages import kind_of, render
from renfort.missions.models import Assignment, AssignmentStatus, Mission, Slot
from renfort.planning.messages import PlanNames, expert_ids, planner_message, topic_codes
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.outlook import Outlook
from renfort.planning.run_messages import left_out_reason
from renfort.planning.selectors import date_or_none
from renfort.roster.models import Expert, Topic


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
    # Of the whole plan when the review shows one page of it (``run_review_page``).
    open_total: int | None = None

    @property
    def open_count(self) -> int:
        """Open proposals of the whole plan (of the missions shown without ``open_total``)."""
        if self.open_total is not None:
            return self.open_total
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


def _homes(entries: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """Each proposed expert's home administration and its country, in one query of two
    columns whatever the plan's size."""
    named = {
        str(a.get("expert", ""))
        for e in entries
        if e.get("staffed")
        for a in e.get("assignments") or []
    }
    ids = [int(x) for x in named if x.isdigit()]
    return {
        str(pk): (admin, country)
        for pk, admin, country in Expert.objects.filter(pk__in=ids).values_list(
            "pk", "home_administration_id", "home_administration__country"
        )
    }


def _quality(entries: list[dict[str, Any]], homes: Mapping[str, tuple[int, str]]) -> PlanQuality:
    staffed = [e for e in entries if e.get("staffed")]
    crews = [[str(a["expert"]) for a in e.get("assignments") or []] for e in staffed]
    used = {x for crew in crews for x in crew}
    admins = {homes[x][0] for x in used if x in homes}
    crewed = [crew for crew in crews if len(crew) >= 2]

    def countries(crew: list[str]) -> list[str]:
        return [homes[x][1] if x in homes else x for x in crew]

    mixed = sum(1 for crew in crewed if len(set(countries(crew))) == len(crew))
    return PlanQuality(len(entries), len(staffed), len(used), len(admins), len(crewed), mixed)


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


def _mission_reviews(entries: list[dict[str, Any]]) -> list[MissionReview]:
    """The plan's mission entries read against the database, in a fixed number of queries."""
    rows = _review_rows(entries)
    reviews = []
    for entry in entries:
        proposals = [
            _proposal(rows, rows.slots[a["slot"]], a)
            for a in entry.get("assignments") or []
            if a["slot"] in rows.slots
        ]
        reviews.append(
            MissionReview(
                mission=rows.missions.get(entry["id"]),
                mission_id=entry["id"],
                staffed=bool(entry.get("staffed")),
                start=date_or_none(entry.get("start")),
                end=date_or_none(entry.get("end")),
                proposals=proposals,
                reasons=reason_texts(
                    list(entry.get("reason_codes") or []),
                    list(entry.get("reasons") or []),
                    rows.names,
                ),
            )
        )
    return reviews


def run_review(run: PlannerRun) -> Review:
    """The whole plan read against the database, in a fixed number of queries (accepting
    reads it; the page reads one page of it: ``run_review_page``)."""
    entries = run.plan.get("missions", []) if run.plan else []
    reviews = _mission_reviews(entries)
    return Review(
        staffed=[r for r in reviews if r.staffed],
        unstaffed=[r for r in reviews if not r.staffed],
        left_out=run_left_out(run),
        quality=_quality(entries, _homes(entries)),
    )


# Missions of a plan shown on one page of its review (staffed and unstaffed each).
REVIEW_PAGE_SIZE = 50
# Missions left out of a run listed on its page; the count says how many in all.
LEFT_OUT_SHOWN = 50


def open_proposal_codes(run: PlannerRun) -> set[str]:
    """The slots of the whole plan whose proposal is open (``Proposal.acceptable``: the slot
    still exists and holds no open assignment, the expert still exists), in two queries
    of short columns whatever the plan's size."""
    entries = run.plan.get("missions", []) if run.plan else []
    proposed = {
        str(a["slot"]): str(a.get("expert", ""))
        for e in entries
        if e.get("staffed")
        for a in e.get("assignments") or []
        if a.get("slot")
    }
    if not proposed:
        return set()
    refs = {code.rpartition("-")[0] for code in proposed}
    free = {
        f"{ref}-{position}"
        for ref, position in Slot.objects.filter(mission__reference__in=refs)
        .exclude(Exists(Assignment.objects.open().filter(slot=OuterRef("pk"))))
        .values_list("mission__reference", "position")
    }
    ids = [int(x) for x in set(proposed.values()) if x.isdigit()]
    experts = {str(pk) for pk in Expert.objects.filter(pk__in=ids).values_list("pk", flat=True)}
    return {code for code, expert in proposed.items() if code in free and expert in experts}


@dataclass
class ReviewPage:
    """One page of a plan's review: ``review`` holds the missions of the page (staffed and
    unstaffed, each paginated), its quality and open count are the whole plan's."""

    review: Review
    staffed_page: Page[dict[str, Any]]
    unstaffed_page: Page[dict[str, Any]]
    query: str
    left_out_total: int

    def _keep(self, **pages: int) -> str:
        kept = {"q": self.query} if self.query else {}
        kept.update({k: str(n) for k, n in pages.items() if n > 1})
        return urlencode(kept)

    @property
    def staffed_keep(self) -> str:
        """The query string the staffed list's page links keep (search, other list's page)."""
        return self._keep(unstaffed=self.unstaffed_page.number)

    @property
    def unstaffed_keep(self) -> str:
        return self._keep(page=self.staffed_page.number)


def _matching(entries: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """The entries whose mission reference or title holds ``query`` (one query for titles)."""
    if not query:
        return entries
    refs = [str(e["id"]) for e in entries]
    titled = set(
        Mission.objects.filter(reference__in=refs, title__icontains=query).values_list(
            "reference", flat=True
        )
    )
    needle = query.casefold()
    return [e for e in entries if needle in str(e["id"]).casefold() or e["id"] in titled]


def run_review_page(
    run: PlannerRun,
    *,
    page: str | int | None = None,
    unstaffed_page: str | int | None = None,
    query: str = "",
    per_page: int = REVIEW_PAGE_SIZE,
) -> ReviewPage:
    """One page of staffed and one of unstaffed missions of the plan (those whose reference
    or title holds ``query``), read against the database in a fixed number of queries; the
    plan's quality and open proposals counted over the whole plan with short columns only."""
    entries = run.plan.get("missions", []) if run.plan else []
    query = query.strip()[:100]
    shown = _matching(entries, query)
    staffed = Paginator([e for e in shown if e.get("staffed")], per_page).get_page(page)
    unstaffed = Paginator([e for e in shown if not e.get("staffed")], per_page).get_page(
        unstaffed_page
    )
    reviews = _mission_reviews([*staffed.object_list, *unstaffed.object_list])
    left_out = list(run.plan.get("left_out") or []) if run.plan else []
    review = Review(
        staffed=[r for r in reviews if r.staffed],
        unstaffed=[r for r in reviews if not r.staffed],
        left_out=run_left_out(run, limit=LEFT_OUT_SHOWN),
        quality=_quality(entries, _homes(entries)),
        open_total=len(open_proposal_codes(run)),
    )
    return ReviewPage(review, staffed, unstaffed, query, len(left_out))


def run_left_out(run: PlannerRun, *, limit: int | None = None) -> list[LeftOut]:
    """The missions left out of the run (the first ``limit``), each with why (in the active
    language), in one query for their titles."""
    items = list(run.plan.get("left_out") or []) if run.plan else []
    items = items[:limit] if limit is not None else items
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
