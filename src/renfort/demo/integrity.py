"""The whole database against the rules, in bulk: what ``renfort demo --years N`` checks
after building, and its test.

``rule_violations`` puts every active assignment through the rule predicates of
``missions.eligibility`` (``assignment_misses``, over the facts its own loaders build:
``slot_facts``, ``crew_of``, ``exclusions_of``, ``bookings_of``, ``ExpertFacts``), exactly as
``missions.rules.assignment_problem_list`` does for one pair, but a few queries per thousand
missions rather than four per assignment. As in the demo's test, ``mission_status`` is not
held against an assignment of a mission that no longer takes experts (delivered or later):
that rule is about new assignments, not those made in time.

``status_history_mismatches`` checks that each request's, mission's and assignment's status
history is a chain (each step starts where the last ended) that ends at its status.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import models
from django.test.utils import override_settings

from renfort.assistance.models import Request, RequestStatusChange
from renfort.missions.eligibility import (
    ExpertFacts,
    Held,
    assignment_misses,
    bookings_of,
    bookings_outside,
    exclusions_from,
    held_of,
    slot_facts,
    travel_days,
)
from renfort.missions.models import (
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    AssignmentStatusChange,
    Mission,
    MissionStatusChange,
    Slot,
    SlotExclusion,
)
from renfort.missions.rules import slots_with_rule_data, with_rule_data
from renfort.roster.models import Expert

CHUNK = 1000  # missions per round of queries


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def rule_violations() -> Counter[str]:
    """Broken rules over every active assignment, by rule code (empty when none)."""
    with override_settings(DEBUG=False):  # tens of thousands of rows: no query log
        return _rule_violations()


def _rule_violations() -> Counter[str]:
    travel = travel_days()
    held = Assignment.objects.active()
    experts = {e.pk: e for e in with_rule_data(Expert.objects.filter(pk__in=held.values("expert")))}
    facts = {pk: ExpertFacts.of(e) for pk, e in experts.items()}
    unavailable = {pk: list(e.unavailable.all()) for pk, e in experts.items()}
    bookings = bookings_of(list(experts))
    mission_ids = sorted(set(held.values_list("slot__mission_id", flat=True)))
    found: Counter[str] = Counter()
    for ids in _chunks(mission_ids, CHUNK):
        # The missions' assignments, loaded once for their crews (``crew_of``) and their
        # exclusions (``exclusions_of``).
        rows = list(
            Assignment.objects.filter(slot__mission_id__in=ids)
            .select_related("slot__mission", "expert__home_administration")
            .order_by("pk")
        )
        manual = SlotExclusion.objects.filter(slot__mission_id__in=ids).select_related(
            "slot__mission", "by"
        )
        exclusions = exclusions_from(rows, manual)
        active = [a for a in rows if a.is_active]
        crews: dict[int, list[Held]] = defaultdict(list)
        for a in active:
            crews[a.slot.mission_id].append(held_of(a))
        slots = {s.pk: s for s in slots_with_rule_data(Slot.objects.filter(mission_id__in=ids))}
        for a in active:
            slot = slots[a.slot_id]
            mission = slot.mission
            slot_in = slot_facts(
                slot,
                held=[h for h in crews[mission.pk] if h.pk != a.pk],
                excluded=exclusions.of(slot.pk, mission.pk),
            )
            misses = assignment_misses(
                slot_in,
                facts[a.expert_id],
                unavailable=unavailable[a.expert_id],
                bookings=bookings_outside(bookings.get(a.expert_id, []), slot_in, a.pk),
                travel=travel,
            )
            for miss in misses:
                if (
                    miss.code == "mission_status"
                    and mission.status not in STAFFABLE_MISSION_STATUSES
                ):
                    continue
                found[miss.code] += 1
    return found


def status_history_mismatches() -> Counter[str]:
    """Rows whose status history is not a chain ending at their status, by table."""
    found: Counter[str] = Counter()
    tables: list[tuple[type[models.Model], type[models.Model], str]] = [
        (Request, RequestStatusChange, "request"),
        (Mission, MissionStatusChange, "mission"),
        (Assignment, AssignmentStatusChange, "assignment"),
    ]
    for owner, history, name in tables:
        chains: dict[int, list[tuple[str, str]]] = defaultdict(list)
        rows = history._default_manager.order_by(f"{name}_id", "at", "id").values_list(
            f"{name}_id", "from_status", "to_status"
        )
        for pk, from_status, to_status in rows.iterator(chunk_size=5000):
            chains[pk].append((from_status, to_status))
        statuses = owner._default_manager.values_list("pk", "status")
        for pk, status in statuses.iterator(chunk_size=5000):
            chain = chains.get(pk, [])
            previous = ""
            ok = bool(chain)
            for from_status, to_status in chain:
                ok = ok and from_status == previous
                previous = to_status
            if not ok or previous != status:
                found[f"{name}_status_history"] += 1
    return found
