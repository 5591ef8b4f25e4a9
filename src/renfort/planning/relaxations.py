"""What it would take to staff a mission: the relaxations of its needs whose plan staffs it.

Each kind of change is one step: lower one topic level of an open slot by one, widen the
mission's dates or window by 1, 2 or 4 weeks on each side (never before today), hold the
mission in another language the pool speaks, allow a second expert from the same country
(when distinct countries are required). Every candidate is checked by building the problem for
this one mission (``problem.problem_build``: every other mission's commitments are the
experts' unavailability and yearly caps, so no other mission loses its experts) with the change
applied, and solving it (``renfort.planner.solve.solve``, ``SOLVE_S``). The mission as it is
comes first when its plan staffs it already (no change: the run lost it to other missions);
single changes next, pairs only when no single change staffs it. Each kept relaxation counts
the experts it opens up: qualified and free for an open slot after the change (``supply``).
The body of ``tasks.mission_relaxations_task``.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils import timezone

from renfort.missions.eligibility import Needs
from renfort.missions.models import DistinctCountries
from renfort.planner.solve import solve
from renfort.planning.models import MissionRelaxations, RelaxationsStatus
from renfort.planning.outlook import Outlook, mission_outlooks
from renfort.planning.problem import host_calendar, host_country, problem_build
from renfort.planning.supply import Ask, Dates, supply

logger = logging.getLogger(__name__)

WEEKS = (1, 2, 4)
SOLVE_S = 2.0
MAX_SOLVES = 40  # single changes and pairs together
MAX_LANGUAGES = 5
KIND_ORDER = ("topic_level", "window", "language", "same_country")

Change = dict[str, Any]


def _candidates(outlook: Outlook, problem: dict[str, Any]) -> list[Change]:
    """The single changes worth a try, in ``KIND_ORDER``."""
    mission = outlook.mission
    changes: list[Change] = []
    for s in outlook.slots:
        if s.held:
            continue
        for req in s.slot.requirements.all():
            if req.level > 1:
                changes.append(
                    {
                        "kind": "topic_level",
                        "slot": s.slot.code,
                        "topic": req.topic.code,
                        "code": "relaxation.topic_level",
                        "params": {
                            "slot": s.slot.position,
                            "topic": req.topic.name,
                            "from_level": req.level,
                            "to_level": req.level - 1,
                        },
                    }
                )
    if mission.start or mission.window_start:
        changes += [
            {"kind": "window", "weeks": w, "code": "relaxation.window", "params": {"weeks": w}}
            for w in WEEKS
        ]
    categories = {s.slot.category for s in outlook.slots if not s.held}
    speakers: Counter[str] = Counter(
        lang
        for e in problem["experts"]
        if categories & set(e["categories"])
        for lang in e["languages"]
        if lang != mission.language.lower()
    )
    changes += [
        {
            "kind": "language",
            "language": lang,
            "code": "relaxation.language",
            "params": {"language": lang},
        }
        for lang, _n in speakers.most_common(MAX_LANGUAGES)
    ]
    if mission.distinct_countries == DistinctCountries.REQUIRED and len(outlook.slots) > 1:
        changes.append({"kind": "same_country", "code": "relaxation.same_country", "params": {}})
    return changes


def widened(dates: Dates, weeks: int, today: datetime.date) -> Dates:
    """The dates or window widened by ``weeks`` on each side, from today at the earliest; a
    mission with dates gets a window holding as many days."""
    pad = datetime.timedelta(weeks=weeks)
    if dates.start is not None and dates.end is not None:
        first, last = dates.start, dates.end
        duration: int | None = (dates.end - dates.start).days + 1
    else:
        assert dates.window_start is not None and dates.window_end is not None
        first, last, duration = dates.window_start, dates.window_end, dates.duration_days
    return Dates(None, None, max(today, first - pad), last + pad, duration)


def _working_days(entry: dict[str, Any]) -> int:
    """The working days of a mission entry's fixed dates, as its calendar counts them."""
    start = datetime.date.fromisoformat(entry["start"])
    end = datetime.date.fromisoformat(entry["end"])
    calendar = entry.get("calendar")
    days = [start + datetime.timedelta(days=k) for k in range((end - start).days + 1)]
    if calendar is None:
        return len(days)
    weekend, holidays = set(calendar.get("weekend", [])), set(calendar.get("holidays", []))
    return sum(1 for d in days if d.isoweekday() not in weekend and d.isoformat() not in holidays)


def _apply(problem: dict[str, Any], outlook: Outlook, changes: Sequence[Change]) -> dict[str, Any]:
    """A copy of the problem with the changes made to the mission's entry."""
    out = copy.deepcopy(problem)
    entry = next(m for m in out["missions"] if m["id"] == outlook.mission.reference)
    for change in changes:
        kind = change["kind"]
        if kind == "topic_level":
            slot = next(s for s in entry["slots"] if s["id"] == change["slot"])
            slot["skills"][change["topic"]] = change["params"]["to_level"]
        elif kind == "language":
            entry["language"] = change["language"]
        elif kind == "same_country":
            entry["distinct_countries"] = DistinctCountries.PREFERRED.value
        elif kind == "window":
            today = timezone.localdate()
            dates = widened(Dates.of(outlook.mission), change["weeks"], today)
            assert dates.window_start is not None and dates.window_end is not None
            if "start" in entry:
                entry["duration_days"] = _working_days(entry)
                del entry["start"], entry["end"]
            entry["window"] = [dates.window_start.isoformat(), dates.window_end.isoformat()]
            if "calendar" in entry:
                host = host_country(outlook.mission.location, entry["beneficiaries"])
                entry["calendar"] = host_calendar(host, dates.window_start, dates.window_end)
    return out


def _staffs(problem: dict[str, Any], reference: str) -> bool:
    plan = solve(problem, time_limit_s=SOLVE_S, stall_s=0.5, tie_break_s=0.5)
    return any(m["id"] == reference and m.get("staffed") for m in plan.get("missions", []))


def _experts(outlook: Outlook, changes: Sequence[Change]) -> int:
    """The experts qualified and free for some open slot once the changes are made."""
    today = timezone.localdate()
    dates = Dates.of(outlook.mission)
    asks = []
    for s in outlook.slots:
        if s.held:
            continue
        needs: Needs = s.needs
        at = dates
        for c in changes:
            if c["kind"] == "topic_level" and c["slot"] == s.slot.code:
                topic_id = next(
                    r.topic_id for r in s.slot.requirements.all() if r.topic.code == c["topic"]
                )
                needs = replace(needs, levels={**needs.levels, topic_id: c["params"]["to_level"]})
            elif c["kind"] == "language":
                needs = replace(needs, language=c["language"])
            elif c["kind"] == "window":
                at = widened(dates, c["weeks"], today)
        asks.append(Ask(outlook.mission, needs, at))
    return len(frozenset().union(*(s.free for s in supply(asks, today=today))))


def _compatible(a: Change, b: Change) -> bool:
    if a["kind"] != b["kind"]:
        return True
    return a["kind"] == "topic_level" and (a["slot"], a["topic"]) != (b["slot"], b["topic"])


def relaxations_of(outlook: Outlook) -> list[dict[str, Any]]:
    """The relaxations whose plan staffs the mission, fewest changes first (then by kind, then
    the most experts opened up): ``[{"changes": [...], "experts": n}]``."""
    built = problem_build(missions=[outlook.mission], time_limit_s=SOLVE_S)
    reference = outlook.mission.reference
    if not built.problem["missions"]:
        return []  # left out: no relaxation of its needs helps
    found: list[list[Change]] = []
    if _staffs(built.problem, reference):
        found.append([])
    singles = _candidates(outlook, built.problem)
    solves = 0
    for change in singles:
        solves += 1
        if _staffs(_apply(built.problem, outlook, [change]), reference):
            found.append([change])
    if not found:
        for a, b in itertools.combinations(singles, 2):
            if solves >= MAX_SOLVES:
                break
            if _compatible(a, b):
                solves += 1
                if _staffs(_apply(built.problem, outlook, [a, b]), reference):
                    found.append([a, b])
    scored = [(changes, _experts(outlook, changes)) for changes in found]
    scored.sort(key=lambda r: (len(r[0]), [KIND_ORDER.index(c["kind"]) for c in r[0]], -r[1]))
    return [{"changes": changes, "experts": experts} for changes, experts in scored]


def mission_relaxations_compute(*, mission_id: int, fingerprint: str) -> MissionRelaxations | None:
    """Compute and store the relaxations of the mission for its current inputs (the row of
    ``fingerprint`` when they have not changed since the request, else a row of their own).
    A mission gone or fully staffed since is left alone."""
    outlook = mission_outlooks([mission_id]).get(mission_id)
    if outlook is None:
        MissionRelaxations.objects.filter(mission_id=mission_id, fingerprint=fingerprint).delete()
        return None
    try:
        found = relaxations_of(outlook) if outlook.open else []
        status = RelaxationsStatus.DONE
    except Exception:
        found, status = [], RelaxationsStatus.FAILED
        logger.exception("Relaxations of mission %s failed.", mission_id)
    now = timezone.now()
    row, _created = MissionRelaxations.objects.update_or_create(
        mission_id=mission_id,
        fingerprint=outlook.fingerprint,
        defaults={"status": status, "computed_at": now, "relaxations": found},
        create_defaults={
            "status": status,
            "computed_at": now,
            "relaxations": found,
            "requested_at": now,
        },
    )
    if outlook.fingerprint != fingerprint:
        MissionRelaxations.objects.filter(
            mission_id=mission_id, fingerprint=fingerprint, status=RelaxationsStatus.COMPUTING
        ).delete()
    return row
