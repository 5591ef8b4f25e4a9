"""One home for the assignment rules: every list of experts that the application offers for a
slot is the set of experts the assignment check (``rules.assignment_problems``) accepts, up to
rules a list leaves out on purpose, each named below with why.

The pool is built to break every rule at least once (the ``test_the_pool_breaks_every_rule``
guard keeps it so): category, topic levels, language, beneficiary by administration and by
country, inactive, refused release, unavailable periods, other missions within the travel
days, yearly released days, a year boundary, an undated window, cancelled missions and
declined assignments that hold nothing, the mission's own crew, and exclusions of each kind
(declined, withdrawn, release refused for the mission, excluded by hand).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import OrganisationKind, Region
from renfort.calendars import layout
from renfort.missions.candidates import candidates, expert_pool
from renfort.missions.eligibility import (
    ExclusionKind,
    ExpertFacts,
    crew_of,
    exclusions_of,
    needs_of,
    pool_misses,
    profile_misses,
    qualified_experts,
)
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
    Slot,
    SlotExclusion,
)
from renfort.missions.rules import assignment_problem_list
from renfort.planner.candidates import ExpertArrays, build_candidates
from renfort.planner.validate import load_problem
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.problem import problem_build
from renfort.planning.selectors import swap_candidates
from renfort.roster.models import Category, Expert, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    make_organisation,
    persona_mission,
)

pytestmark = pytest.mark.django_db

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT
TRAINER = Category.SPECIALIZED_TRAINER
Y = datetime.date.today().year + 1
D = datetime.date

POOL_AND_PROFILE = frozenset(
    {"expert_active", "expert_release", "category", "topic_level", "language", "beneficiary"}
)
AVAILABILITY = frozenset({"unavailable", "overlap", "released_days"})
CREW = frozenset({"slot_taken", "same_mission", "distinct_countries"})
EXCLUDED = frozenset({"excluded"})


@dataclass
class World:
    p: Personas
    march: Mission  # 2-6 March, planned, for Senegal: technical, risk management 2
    regional: Mission  # May, planned, distinct countries required, slot 1 held (France)
    new_year: Mission  # 29 Dec - 2 Jan, scheduled: released days in two years
    training: Mission  # June, draft, in English for Kenya: trainer, valuation 3 and AEO 2
    held: Assignment  # the regional mission's first slot

    @property
    def missions(self) -> list[Mission]:
        return [self.march, self.regional, self.new_year, self.training]

    def slots(self) -> list[Slot]:
        return [s for m in self.missions for s in m.slots.order_by("position")]


def _booked(p: Personas, expert: Expert, start: D, end: D, **kwargs: Any) -> Assignment:
    """``expert`` on another mission (confirmed unless said otherwise)."""
    status = kwargs.pop("assignment_status", AssignmentStatus.CONFIRMED)
    mission = persona_mission(
        p, start=start, end=end, status=kwargs.pop("status", MissionStatus.CONFIRMED), **kwargs
    )
    return make_assignment(mission.slots.get(), expert, status=status)


def _experts(p: Personas) -> None:
    """Experts around the March mission, each breaking (or just keeping) one rule."""
    fr, de = p.admin_b, make_member("DE", Region.EUROPE, languages=("de",))
    # Not the beneficiary administration, but of its country.
    senegal_other = make_organisation(
        name="Senegal Regional Office", kind=OrganisationKind.REGIONAL_OFFICE, country="SN"
    )
    x = make_expert
    x(home_administration=de, first_name="Ok")
    x(home_administration=fr, first_name="Pending", release_status=ReleaseStatus.PENDING)
    x(home_administration=fr, first_name="Refused", release_status=ReleaseStatus.REFUSED)
    x(home_administration=fr, first_name="Inactive", active=False)
    x(home_administration=fr, first_name="Trainer", categories=(TRAINER,))
    x(home_administration=de, first_name="Low", skills={"risk_management": 1})
    x(home_administration=de, first_name="None", skills={})
    x(home_administration=de, first_name="Spanish", languages=("es",))
    x(home_administration=p.admin_a, first_name="Senegal")
    x(home_administration=senegal_other, first_name="Port")
    x(home_administration=fr, first_name="Away", unavailable=[(D(Y, 3, 6), D(Y, 3, 10))])
    x(home_administration=fr, first_name="Back", unavailable=[(D(Y, 2, 20), D(Y, 3, 1))])
    busy = x(home_administration=fr, first_name="Busy")
    _booked(p, busy, D(Y, 3, 5), D(Y, 3, 9))
    tight = x(home_administration=fr, first_name="Tight")
    _booked(p, tight, D(Y, 2, 25), D(Y, 3, 1))  # ends the day before: no travel day
    travelled = x(home_administration=de, first_name="Travelled")
    _booked(p, travelled, D(Y, 2, 20), D(Y, 2, 28))  # one free day between
    cancelled = x(home_administration=de, first_name="Cancelled")
    _booked(p, cancelled, D(Y, 3, 2), D(Y, 3, 6), status=MissionStatus.CANCELLED)
    declined = x(home_administration=de, first_name="Declined")
    _booked(p, declined, D(Y, 3, 2), D(Y, 3, 6), assignment_status=AssignmentStatus.DECLINED)
    capped = x(home_administration=de, first_name="Capped", released_days_per_year=8)
    _booked(p, capped, D(Y, 9, 7), D(Y, 9, 11))  # 5 of 8 days used
    windowed = x(home_administration=de, first_name="Window", released_days_per_year=7)
    mission = persona_mission(p, window=(D(Y, 10, 1), D(Y, 11, 30), 3), status="planned")
    make_assignment(mission.slots.get(), windowed)  # 3 days counted in Y
    # Across New Year: 3 days in Y and 2 in Y + 1 for the new-year mission.
    late = x(home_administration=de, first_name="Late", released_days_per_year=5)
    _booked(p, late, D(Y + 1, 1, 10), D(Y + 1, 1, 13))  # 4 days in Y + 1
    early = x(home_administration=de, first_name="Early", released_days_per_year=5)
    _booked(p, early, D(Y, 11, 2), D(Y, 11, 4))  # 3 days in Y
    x(
        home_administration=de,
        first_name="Teacher",
        categories=(TRAINER,),
        languages=("en",),
        skills={"valuation": 3, "aeo": 2},
    )
    x(
        home_administration=fr,
        first_name="Apprentice",
        categories=(TRAINER,),
        languages=("en",),
        skills={"valuation": 2, "aeo": 2},
    )


@pytest.fixture
def world(personas: Personas) -> World:
    p = personas
    _experts(p)
    march = persona_mission(
        p,
        start=D(Y, 3, 2),
        end=D(Y, 3, 6),
        status=MissionStatus.PLANNED,
        slots=[(TECH, {"risk_management": 2})],
    )
    regional = persona_mission(
        p,
        start=D(Y, 5, 4),
        end=D(Y, 5, 8),
        status=MissionStatus.PLANNED,
        distinct_countries="required",
        slots=[(TECH, {}), (TECH, {})],
    )
    holder = make_expert(home_administration=p.admin_b, first_name="Holder")
    held = make_assignment(regional.slots.get(position=1), holder, status="invited")
    new_year = persona_mission(
        p, start=D(Y, 12, 29), end=D(Y + 1, 1, 2), status=MissionStatus.SCHEDULED
    )
    training = persona_mission(
        p,
        start=D(Y, 6, 1),
        end=D(Y, 6, 3),
        language="en",
        beneficiaries=[p.admin_c],
        slots=[(TRAINER, {"valuation": 3, "aeo": 2})],
    )
    _excluded_experts(p, march, regional, training)
    return World(p, march, regional, new_year, training, held)


def _excluded_experts(p: Personas, march: Mission, regional: Mission, training: Mission) -> None:
    """Experts who would fit a slot but are excluded from it, one of each kind."""
    de = make_member("DE", Region.EUROPE, languages=("de",))
    x = make_expert
    refusing = x(home_administration=de, first_name="Refusing")
    make_assignment(march.slots.get(), refusing, status=AssignmentStatus.DECLINED)
    kept = x(home_administration=de, first_name="Kept")
    SlotExclusion.objects.create(slot=march.slots.get(), expert=kept, by=p.secretariat)
    gone = x(home_administration=de, first_name="Gone")
    make_assignment(regional.slots.get(position=2), gone, status=AssignmentStatus.WITHDRAWN)
    unreleased = x(
        home_administration=de,
        first_name="Unreleased",
        categories=(TRAINER,),
        languages=("en",),
        skills={"valuation": 3, "aeo": 2},
    )
    make_assignment(
        training.slots.get(),
        unreleased,
        status=AssignmentStatus.WITHDRAWN,
        release_status=ReleaseStatus.REFUSED,
    )


def codes(slot: Slot, expert: Expert, **kwargs: Any) -> set[str]:
    return {p.code for p in assignment_problem_list(slot=slot, expert=expert, **kwargs)}


def accepted(slot: Slot, *, ignoring: frozenset[str] = frozenset(), **kwargs: Any) -> set[int]:
    """The experts the assignment check accepts for ``slot``, ``ignoring`` some rules."""
    return {e.pk for e in Expert.objects.all() if codes(slot, e, **kwargs) <= ignoring}


def suggested(form: Any) -> set[int]:
    """The experts a form suggests (every rule accepts them; a page lists the best few of
    them first), as ids."""
    return set(form.suggested)


def test_the_pool_breaks_every_rule(world: World) -> None:
    """A guard: the comparisons below are only worth what the pool exercises."""
    broken = {
        code
        for slot in world.slots()
        for expert in Expert.objects.all()
        for code in codes(slot, expert)
    }
    assert broken >= POOL_AND_PROFILE | AVAILABILITY | CREW | EXCLUDED
    found = exclusions_of(m.pk for m in world.missions)
    kinds = {x.kind for s in world.slots() for x in found.of(s.pk, s.mission_id).values()}
    assert kinds == set(ExclusionKind)
    late, early = Expert.objects.get(first_name="Late"), Expert.objects.get(first_name="Early")
    problems = assignment_problem_list(slot=world.new_year.slots.get(), expert=late)
    assert [p.code for p in problems] == ["released_days"]
    assert f"in {Y + 1}: 4 are already assigned" in problems[0].message
    problems = assignment_problem_list(slot=world.new_year.slots.get(), expert=early)
    assert f"in {Y}: 3 are already assigned" in problems[0].message
    assert len(accepted(world.march.slots.get())) >= 5


def test_mission_page_offers_first_exactly_whom_the_check_accepts(
    client: Client, world: World
) -> None:
    """Assign form (free slot) and swap form (held slot): nothing left out. The swap form
    does not offer the expert it replaces (``assignment_swap`` refuses them) and checks the
    others as the swap does, with the replaced assignment left out."""
    client.force_login(world.p.secretariat)
    for mission in world.missions:
        response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
        for view in response.context["slots"]:
            if view.assign_form is not None:
                assert suggested(view.assign_form) == accepted(view.slot), view.slot.code
            else:
                current = view.current
                expected = accepted(view.slot, exclude=current) - {current.expert_id}
                assert suggested(view.swap_form) == expected, view.slot.code


def test_matrix_offers_first_exactly_whom_the_check_accepts(client: Client, world: World) -> None:
    """A lending administration offers its own experts (a scope, not a rule) for open slots."""
    client.force_login(world.p.lender)
    response = client.get(reverse("missions:matrix"))
    own = set(
        Expert.objects.filter(home_administration=world.p.admin_b).values_list("pk", flat=True)
    )
    rows = {row.slot.pk: row for row in response.context["rows"]}
    for slot in world.slots():
        if slot.pk == world.held.slot_id:
            assert slot.pk not in rows  # held: not an open slot
            continue
        assert suggested(rows[slot.pk].form) == accepted(slot) & own, slot.code


def test_list_function_agrees_for_every_slot_and_exclusion(world: World) -> None:
    """``candidates`` itself, over the whole pool, with and without the held assignment."""
    pool = expert_pool()
    for slot in world.slots():
        mission = slot.mission
        crew = crew_of([mission.pk])[mission.pk]
        experts_of_category, fitting = candidates(
            slot,
            pool,
            beneficiaries=mission.beneficiaries.all(),
            crew=crew,
            excluded=exclusions_of([mission.pk]),
        )
        assert fitting == accepted(slot), slot.code
        # An excluded expert is not offered at all, not even among the others.
        excluded = exclusions_of([mission.pk]).of(slot.pk, mission.pk)
        assert not {e.pk for e in experts_of_category} & set(excluded), slot.code
    slot = world.held.slot
    _all, fitting = candidates(
        slot,
        pool,
        beneficiaries=slot.mission.beneficiaries.all(),
        crew=crew_of([slot.mission_id])[slot.mission_id],
        excluded=exclusions_of([slot.mission_id]),
        exclude=world.held,
    )
    assert fitting == accepted(slot, exclude=world.held) - {world.held.expert_id}


def test_the_profile_rule_in_sql_is_the_profile_rule(world: World) -> None:
    """``qualified_experts`` (SQL) = ``pool_misses`` + ``profile_misses`` (Python) = the
    assignment check read for those rules only."""
    experts = list(Expert.objects.select_related("home_administration"))
    for slot in world.slots():
        needs = needs_of(slot)
        python = {
            e.pk
            for e in experts
            if not pool_misses(active=e.active, release_status=e.release_status)
            and not profile_misses(ExpertFacts.of(e), needs)
        }
        sql = set(qualified_experts(needs).values_list("pk", flat=True))
        assert sql == python == accepted(slot, ignoring=AVAILABILITY | CREW | EXCLUDED), slot.code


def test_planner_review_swap_list_is_the_pool_and_profile_rules(world: World) -> None:
    """The swap list of a plan leaves out on purpose availability and the mission's crew:
    the coordinator picks, and ``proposal_swap`` checks those at the plan's dates against
    the plan's other proposals, which only the plan holds (and names the broken rule). It
    does not offer the expert proposed now."""
    for slot in world.slots():
        current = world.p.expert
        run = PlannerRun.objects.create(
            status=PlannerRunStatus.DONE,
            plan={
                "missions": [
                    {
                        "id": slot.mission.reference,
                        "assignments": [{"slot": slot.code, "expert": str(current.pk)}],
                    }
                ]
            },
        )
        offered = {e.pk for e in swap_candidates(run=run, slot_code=slot.code)}
        expected = accepted(slot, ignoring=AVAILABILITY | CREW) - {current.pk}
        assert offered == expected, slot.code


def test_planner_problem_lets_each_slot_take_exactly_whom_the_check_accepts(
    world: World,
) -> None:
    """The planner decides from the problem the builder writes (pool, busy periods with the
    travel days, released days left in each year, exclusions); its own hard filters must
    then accept the same experts. Left out on purpose: the mission's crew (slot taken, one
    slot per expert, countries) is the planner's own constraint over the whole plan, and held
    slots are pins. The new-year mission counts its days in each of its two years, as the
    rule does (``max_days_by_year``)."""
    for mission in world.missions:
        built = problem_build(missions=[mission])
        problem = load_problem(built.problem)
        assert not isinstance(problem, list), problem
        found = build_candidates(problem, ExpertArrays.build(problem))
        for position, slot in enumerate(mission.slots.order_by("position")):
            index = found.flat(problem.mission_index[mission.reference], position)
            eligible = {int(problem.experts[i].id) for i in found.experts[index]}
            assert eligible == accepted(slot, ignoring=CREW), slot.code


def test_calendar_conflicts_are_the_overlap_rule(world: World) -> None:
    """A conflict mark on the timeline is a pair the overlap rule would refuse."""
    rows = {
        m.id: layout.MissionRow(m.id, m.reference, m.title, m.status, m.start, m.end)
        for m in Mission.objects.exclude(start=None)
    }
    pairs = [(world.march, "Busy"), (world.march, "Tight"), (world.march, "Travelled")]
    for mission, name in pairs:
        expert = Expert.objects.get(first_name=name)
        (booking,) = Assignment.objects.filter(expert=expert)
        probe = layout.AssignmentRow(0, mission.pk, expert.pk, name, "proposed")
        other = layout.AssignmentRow(
            booking.pk, booking.slot.mission_id, expert.pk, name, booking.status
        )
        marked = layout.conflicting_assignments([probe, other], rows, travel_days=1)
        refused = "overlap" in codes(mission.slots.get(), expert)
        assert bool(marked) == refused, name
