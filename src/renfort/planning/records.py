"""The experts' record, for the planner's tie-breaks: what beneficiaries thought of their work
on each topic, and which beneficiaries they have served (docs/planner.md, "Evaluations and
continuity").

``records_add`` gives the experts of a problem their ``ratings`` and ``worked_with`` in one
aggregate query each, whatever the size of the pool; ``beneficiary_names`` names, for a
stored plan, the beneficiaries the planner's ``worked_with`` gives as country codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Avg, F

from renfort.accounts.models import Organisation
from renfort.missions.models import (
    DONE_MISSION_STATUSES,
    TAKING_PART_ASSIGNMENT_STATUSES,
    Assignment,
)
from renfort.results.models import ExpertRating


def ratings_by_expert(expert_ids: Iterable[int]) -> dict[int, dict[str, float]]:
    """Expert → topic code → the mean of the ratings beneficiaries gave the expert on the
    missions where the slot the expert held (accepted, confirmed or completed) asked for that
    topic; averaged in the database."""
    rows = (
        ExpertRating.objects.filter(
            expert_id__in=list(expert_ids),
            evaluation__mission__slots__assignments__expert_id=F("expert_id"),
            evaluation__mission__slots__assignments__status__in=list(
                TAKING_PART_ASSIGNMENT_STATUSES
            ),
        )
        .values("expert_id", topic=F("evaluation__mission__slots__requirements__topic__code"))
        .annotate(mean=Avg("rating"))
        .order_by()
    )
    found: dict[int, dict[str, float]] = defaultdict(dict)
    for row in rows:
        if row["topic"] is not None:  # a slot that asked for no topic
            found[row["expert_id"]][row["topic"]] = round(float(row["mean"]), 2)
    return found


def served_by_expert(expert_ids: Iterable[int]) -> dict[int, set[str]]:
    """Expert → country codes of the beneficiaries of the delivered (or reported, or closed)
    missions the expert took part in."""
    rows = (
        Assignment.objects.filter(
            expert_id__in=list(expert_ids),
            status__in=list(TAKING_PART_ASSIGNMENT_STATUSES),
            slot__mission__status__in=list(DONE_MISSION_STATUSES),
        )
        .values_list("expert_id", "slot__mission__beneficiaries__country")
        .distinct()
        .order_by()
    )
    found: dict[int, set[str]] = defaultdict(set)
    for expert_id, country in rows:
        if country:
            found[expert_id].add(country.upper())
    return found


def records_add(experts: Sequence[dict[str, Any]], missions: Iterable[Mapping[str, Any]]) -> None:
    """Give each expert entry of a problem its record: ``ratings`` on the topics the expert
    holds (the planner counts no other), ``worked_with`` among the beneficiaries of the
    problem's missions (no other can count). Entries with no record stay as they were."""
    beneficiaries = {c for m in missions for c in m["beneficiaries"]}
    ids = [int(e["id"]) for e in experts]
    ratings = ratings_by_expert(ids)
    served = served_by_expert(ids) if beneficiaries else {}
    for entry in experts:
        pk = int(entry["id"])
        skills = entry.get("skills", {})
        rated = {t: r for t, r in sorted(ratings.get(pk, {}).items()) if t in skills}
        if rated:
            entry["ratings"] = rated
        known = sorted(served.get(pk, set()) & beneficiaries)
        if known:
            entry["worked_with"] = known


def beneficiary_names(problem: Mapping[str, Any]) -> dict[str, str]:
    """Country code → name of the beneficiary administrations of the problem's missions (the
    planner names beneficiaries by country), in one query."""
    references = [m["id"] for m in problem.get("missions", [])]
    if not references:
        return {}
    rows = (
        Organisation.objects.filter(missions_received__reference__in=references)
        .values_list("country", "name")
        .distinct()
        .order_by("name")
    )
    names: dict[str, list[str]] = defaultdict(list)
    for country, name in rows:
        if country:
            names[country.upper()].append(name)
    return {country: " / ".join(found) for country, found in names.items()}
