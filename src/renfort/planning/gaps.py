"""Pool gap analysis: the unstaffed missions of the latest finished run, read as the expert
profiles the pool lacks, and the administrations whose experts come close."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from renfort.accounts.models import Organisation, Role, User
from renfort.missions.eligibility import (
    ExpertFacts,
    Miss,
    Needs,
    from_beneficiary,
    needs_of,
    pool_misses,
    profile_misses,
)
from renfort.missions.models import Mission, Slot
from renfort.missions.selectors import missions_visible_to
from renfort.planning.models import PlannerRun
from renfort.planning.problem import (
    experts_with_details,
    mission_first_day,
    missions_with_details,
    slot_skills,
)
from renfort.planning.selectors import latest_finished_run
from renfort.roster.models import Category, Expert


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
    # The profile without beneficiaries (near matches), and each mission's needs with them.
    needs: Needs | None = None
    mission_needs: list[Needs] = field(default_factory=list)

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


@dataclass
class _Experts:
    """Every active expert, what the rules read about each, and who is in the pool."""

    everyone: list[Expert]
    facts: dict[int, ExpertFacts]
    in_pool: set[int]

    @classmethod
    def load(cls) -> _Experts:
        everyone = experts_with_details(Expert.objects.filter(active=True))
        facts = {e.pk: ExpertFacts.of(e) for e in everyone}
        return cls(
            everyone=everyone,
            facts=facts,
            in_pool={
                pk
                for pk, f in facts.items()
                if not pool_misses(active=f.active, release_status=f.release_status)
            },
        )


def _distance(misses: list[Miss]) -> int:
    """How far an expert is from a profile (``profile_misses`` without beneficiaries): one per
    missing category or language, one per topic one level short, two per topic further short
    (so that such an expert is never near)."""
    total = 0
    for miss in misses:
        if miss.code == "topic_level":
            total += 1 if miss.values["level"] - (miss.values["has"] or 0) == 1 else 2
        else:
            total += 1
    return total


def _unstaffed_missions(user: User, run: PlannerRun) -> tuple[list[Mission], set[int]]:
    """The run's unstaffed missions the user's role covers, and the ids of those they may see."""
    unstaffed = [e["id"] for e in run.plan.get("missions", []) if not e.get("staffed")]
    qs = Mission.objects.filter(reference__in=unstaffed)
    if getattr(user, "role", "") == Role.REGIONAL_COORDINATOR:
        qs = qs.filter(pk__in=missions_visible_to(user).values("pk"))
    missions = missions_with_details(qs.values_list("pk", flat=True))
    visible = set(
        missions_visible_to(user)
        .filter(pk__in=[m.pk for m in missions])
        .values_list("pk", flat=True)
    )
    return missions, visible


def _bottlenecks(mission: Mission, experts: _Experts) -> list[tuple[Slot, Needs]]:
    """The slots no pool expert qualifies for (the pool and profile rules), else the slot
    with the fewest qualified."""
    counted = []
    for slot in mission.slots.all():
        needs = needs_of(slot)
        n = sum(1 for pk in experts.in_pool if not profile_misses(experts.facts[pk], needs))
        counted.append((n, slot, needs))
    if not counted:
        return []
    empty = [c for c in counted if c[0] == 0]
    return [(slot, needs) for _n, slot, needs in empty or [min(counted, key=lambda c: c[0])]]


def _profiles(
    missions: list[Mission], visible: set[int], experts: _Experts
) -> dict[tuple[Any, ...], Gap]:
    """The bottleneck profiles of the missions, each with the missions it would staff."""
    gaps: dict[tuple[Any, ...], Gap] = {}
    for mission in missions:
        first = mission_first_day(mission)
        month = first.strftime("%Y-%m") if first else ""
        language = mission.language.lower()
        for slot, needs in _bottlenecks(mission, experts):
            reqs = slot_skills(slot)
            key = (slot.category, tuple(sorted(reqs.items())), language, month)
            gap = gaps.get(key)
            if gap is None:
                gap = gaps[key] = Gap(slot.category, key[1], language, month)
                gap.topic_names = {r.topic.code: str(r.topic) for r in slot.requirements.all()}
                gap.needs = replace(
                    needs, beneficiaries=frozenset(), beneficiary_countries=frozenset()
                )
            if mission.reference not in gap.missions:
                gap.missions.append(mission.reference)
                gap.mission_needs.append(needs)
                if mission.pk in visible:
                    gap.visible.append(mission)
    return gaps


def _near_matches(gap: Gap, experts: _Experts, near_limit: int) -> list[tuple[Organisation, int]]:
    """Home administrations with the most experts one criterion short (or not released)."""
    assert gap.needs is not None
    per_org: Counter[int] = Counter()
    orgs: dict[int, Organisation] = {}
    for e in experts.everyone:
        facts = experts.facts[e.pk]
        if all(from_beneficiary(facts, needs) for needs in gap.mission_needs):
            continue  # could staff none of these missions: it would help itself
        misses = _distance(profile_misses(facts, gap.needs))
        if misses == 1 or (misses == 0 and e.pk not in experts.in_pool):
            per_org[e.home_administration_id] += 1
            orgs[e.home_administration_id] = e.home_administration
    ranked = sorted(per_org.items(), key=lambda x: (-x[1], orgs[x[0]].name))
    return [(orgs[o], n) for o, n in ranked[:near_limit]]


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
    missions, visible = _unstaffed_missions(user, run)
    experts = _Experts.load()
    gaps = _profiles(missions, visible, experts)
    for gap in gaps.values():
        gap.near = _near_matches(gap, experts, near_limit)
    ranked = sorted(
        gaps.values(), key=lambda g: (-g.mission_count, g.month, g.category, g.requirements)
    )
    return run, ranked
