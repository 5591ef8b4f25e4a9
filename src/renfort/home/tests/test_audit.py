"""The field history (lib/audit.py, docs/audit.md): one row per change naming who made it,
none for a status change, tasks and commands named; withdrawn unavailable periods block
nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import models

from renfort.accounts.models import User
from renfort.agreements.models import Agreement, AgreementParty, BudgetLine, PartyRole
from renfort.agreements.services.budget import budget_line_update
from renfort.assistance.models import Request, RequestStatus
from renfort.assistance.services import request_transition
from renfort.lib.audit import BASELINE, acting_as, current_actor, history_user
from renfort.lib.audit_trail import audited_models, object_history, targets_of
from renfort.missions.models import Assignment, Mission, MissionStatus, ReleaseStatus, Slot
from renfort.missions.rules import assignment_problems
from renfort.missions.services import (
    assignment_pin,
    assignment_release_decide,
    mission_set_dates,
    unavailability_add,
    unavailability_remove,
)
from renfort.planning.problem import problem_build
from renfort.results.models import Indicator, IndicatorActual, Objective
from renfort.results.services.framework import indicator_update
from renfort.roster.models import Expert, Skill, Unavailability
from renfort.roster.services import expert_release_set, expert_update_profile
from renfort.testing import (
    Personas,
    make_agreement,
    make_assignment,
    make_request,
    next_year,
    persona_mission,
)

pytestmark = pytest.mark.django_db


def rows(obj: models.Model) -> list[Any]:
    """The shown history rows of ``obj``, oldest first."""
    history = type(obj).field_history.model  # type: ignore[attr-defined]
    return list(
        history.objects.filter(id=obj.pk)
        .exclude(history_change_reason=BASELINE)
        .order_by("history_date", "history_id")
    )


def _request(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    req = make_request(administrations=[p.admin_a], focal_point=p.member)

    def change() -> None:
        req.title, req.priority = "Renamed", 5
        req.save()

    return req, change


def _mission_dates(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    mission = persona_mission(p, start=next_year(3, 2))
    return mission, lambda: mission_set_dates(
        mission=mission, start=next_year(4, 6), end=next_year(4, 10), by=p.secretariat
    )


def _slot(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    slot = persona_mission(p).slots.get()

    def change() -> None:
        slot.position = 7
        slot.save()

    return slot, change


def _release_decision(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    assignment = make_assignment(persona_mission(p).slots.get(), p.expert, status="invited")
    return assignment, lambda: assignment_release_decide(
        assignment=assignment, granted=True, by=p.lender
    )


def _pin(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    assignment = make_assignment(persona_mission(p).slots.get(), p.expert, status="invited")
    return assignment, lambda: assignment_pin(assignment=assignment, pinned=True)


def _pool_release(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    return p.expert, lambda: expert_release_set(
        expert=p.expert, status=ReleaseStatus.REFUSED, by=p.lender
    )


def _profile(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    return p.expert, lambda: expert_update_profile(expert=p.expert, email="new@example.org")


def _skill(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    skill = p.expert.skills.select_related("topic").first()
    assert skill is not None
    levels = {s.topic.code: s.level for s in p.expert.skills.select_related("topic")}
    levels[skill.topic.code] = 1 if skill.level != 1 else 2
    return skill, lambda: expert_update_profile(expert=p.expert, skills=levels)


def _unavailability(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    period = Unavailability.objects.create(
        expert=p.expert, start=next_year(8, 1), end=next_year(8, 5)
    )
    return period, lambda: unavailability_remove(unavailability=period, by=p.expert_user)


def _budget_line(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    agreement = make_agreement(parties=[(p.donor_agency, PartyRole.FUNDING)], budget=5000)
    line = BudgetLine.objects.create(agreement=agreement, name="Travel", amount=Decimal(100))
    return line, lambda: budget_line_update(line=line, name="Travel", amount=200, by=p.secretariat)


def _agreement(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    agreement = make_agreement(parties=[(p.donor_agency, PartyRole.FUNDING)])

    def change() -> None:
        agreement.budget = Decimal(12345)
        agreement.save()

    return agreement, change


def _indicator(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    objective = Objective.objects.create(title="Faster releases", level="operational")
    indicator = Indicator.objects.create(
        objective=objective, name="Days to release", baseline=10, target=5, direction="lower"
    )
    return indicator, lambda: indicator_update(
        indicator=indicator, name="Days to release", baseline=12, target=5, direction="lower"
    )


def _user(p: Personas) -> tuple[models.Model, Callable[[], object]]:
    def change() -> None:
        p.donor.first_name = "Renamed"
        p.donor.save()

    return p.donor, change


CHANGES = {
    "request": _request,
    "mission dates": _mission_dates,
    "slot": _slot,
    "release decision": _release_decision,
    "pin": _pin,
    "pool release": _pool_release,
    "expert profile": _profile,
    "skill": _skill,
    "unavailability withdrawn": _unavailability,
    "budget line": _budget_line,
    "agreement": _agreement,
    "indicator": _indicator,
    "user": _user,
}


# Who makes each change (the person a page's request names: HistoryRequestMiddleware).
BY = {
    "release decision": "lender",
    "pool release": "lender",
    "unavailability withdrawn": "expert_user",
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_a_change_writes_one_history_row_naming_the_person(personas: Personas, case: str) -> None:
    obj, change = CHANGES[case](personas)
    by = getattr(personas, BY.get(case, "secretariat"))
    before = len(rows(obj))
    with acting_as(by):
        change()
    after = rows(obj)
    assert len(after) == before + 1
    assert after[-1].history_user == by
    assert after[-1].history_type == "~"
    entries = object_history([(type(obj), {"id": obj.pk})], limit=5)
    assert entries[0].changes, "the entry names the changed field"
    assert entries[0].who == str(by)


def test_every_audited_model_is_covered() -> None:
    labels = {m._meta.label_lower for m in audited_models()}
    expected = {
        m._meta.label_lower
        for m in (
            *(Request, Mission, Slot, Assignment, Expert, Skill, Unavailability),
            *(Agreement, AgreementParty, BudgetLine, Objective, Indicator, IndicatorActual, User),
        )
    }
    assert expected <= labels


def test_a_status_change_writes_no_field_history(personas: Personas) -> None:
    req = make_request(
        administrations=[personas.admin_a], focal_point=personas.member, status="submitted"
    )
    before = len(rows(req))
    request_transition(
        request=req, to_status=RequestStatus.UNDER_APPRAISAL, by=personas.secretariat
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.UNDER_APPRAISAL
    assert len(rows(req)) == before
    # A save naming every field but changing only the status writes none either.
    req.status = RequestStatus.ACCEPTED
    req.save()
    assert len(rows(req)) == before


def test_a_save_that_changes_nothing_writes_nothing(personas: Personas) -> None:
    mission = persona_mission(personas)
    before = len(rows(mission))
    mission.save()
    mission.status = MissionStatus.PLANNED
    mission.save(update_fields=["status"])
    assert len(rows(mission)) == before


def test_a_task_or_command_names_itself(personas: Personas) -> None:
    mission = persona_mission(personas)
    with acting_as("task:refresh_pool_gaps"):
        mission.title = "Changed by a task"
        mission.save()
    last = rows(mission)[-1]
    assert last.history_user is None and last.history_actor == "task:refresh_pool_gaps"
    assert object_history(targets_of(mission), limit=1)[0].who == "Task refresh_pool_gaps"


def test_a_row_created_without_history_gets_a_baseline_with_the_previous_value(
    personas: Personas,
) -> None:
    mission = persona_mission(personas, title="Before")
    Mission.field_history.model.objects.filter(id=mission.pk).delete()  # as bulk_create leaves it
    with acting_as(personas.secretariat):
        mission.title = "After"
        mission.save()
    entry = object_history([(Mission, {"id": mission.pk})], limit=5)
    assert len(entry) == 1
    assert [(c.name, c.before, c.after) for c in entry[0].changes] == [("Title", "Before", "After")]


def test_choices_and_references_are_shown_by_their_names(personas: Personas) -> None:
    assignment = make_assignment(
        persona_mission(personas).slots.get(), personas.expert, status="invited"
    )
    with acting_as(personas.lender):
        assignment_release_decide(assignment=assignment, granted=True, by=personas.lender)
    entry = object_history(targets_of(assignment.slot.mission), limit=5)[0]
    change = next(c for c in entry.changes if c.name == "Release by home administration")
    assert (change.before, change.after) == ("Pending", "Granted")
    assert entry.who == str(personas.lender)


def test_the_mission_history_shows_its_slots_and_assignments(personas: Personas) -> None:
    mission = persona_mission(personas)
    assignment = make_assignment(mission.slots.get(), personas.expert, status="invited")
    with acting_as(personas.secretariat):
        assignment_pin(assignment=assignment, pinned=True)
    entries = object_history(targets_of(mission), limit=20)
    assert any(e.model_label == "missions.assignment" and e.changes for e in entries)


def test_a_withdrawn_period_blocks_nothing(personas: Personas) -> None:
    start = next_year(3, 2)
    mission = persona_mission(personas, start=start, end=start + datetime.timedelta(days=4))
    period = unavailability_add(
        expert=personas.expert, start=start, end=start + datetime.timedelta(days=2)
    )
    slot = mission.slots.get()
    assert assignment_problems(slot=slot, expert=personas.expert) != []
    me = _expert_entry(mission, personas.expert)
    assert [start.isoformat(), (start + datetime.timedelta(days=2)).isoformat()] in me

    unavailability_remove(unavailability=period, by=personas.expert_user)
    assert Unavailability.all_objects.filter(pk=period.pk, withdrawn_at__isnull=False).exists()
    assert assignment_problems(slot=slot, expert=Expert.objects.get(pk=personas.expert.pk)) == []
    assert [start.isoformat(), (start + datetime.timedelta(days=2)).isoformat()] not in (
        _expert_entry(mission, personas.expert)
    )


def _expert_entry(mission: Mission, expert: Expert) -> list[list[str]]:
    problem = problem_build(missions=[mission]).problem
    return next(e for e in problem["experts"] if e["id"] == str(expert.pk))["unavailable"]


def test_an_indicator_value_corrected_keeps_the_previous_one(personas: Personas) -> None:
    objective = Objective.objects.create(title="Faster releases", level="operational")
    indicator = Indicator.objects.create(objective=objective, name="Days", baseline=10, target=5)
    actual = IndicatorActual.objects.create(
        indicator=indicator, period_start=next_year(1, 1), period_end=next_year(3, 31), value=9
    )
    with acting_as(personas.secretariat):
        actual.value = Decimal(8)
        actual.save()
    entry = object_history(targets_of(indicator), limit=5)[0]
    assert [(c.before, c.after) for c in entry.changes] == [("9.00", "8.00")]


def test_agreement_parties_added_by_the_service_are_recorded(personas: Personas) -> None:
    agreement = make_agreement(parties=[(personas.donor_agency, PartyRole.FUNDING)])
    from renfort.agreements.services.agreements import _set_parties

    with acting_as(personas.secretariat):
        _set_parties(
            agreement,
            [(personas.donor_agency, PartyRole.FUNDING), (personas.admin_a, PartyRole.BENEFICIARY)],
        )
    added = AgreementParty.objects.get(agreement=agreement, organisation=personas.admin_a)
    assert [r.history_type for r in rows(added)] == ["+"]
    assert rows(added)[0].history_user == personas.secretariat


def test_a_command_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.core.management

    from renfort.cli import main

    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        django.core.management,
        "execute_from_command_line",
        lambda argv: seen.append((current_actor(), history_user())),
    )
    assert main(["demo", "--small"]) == 0
    assert main(["serve"]) == 0
    assert seen == [("command:demo", None), ("", None)]


def test_a_task_names_itself(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    from renfort.planning import tasks

    seen: list[str] = []
    monkeypatch.setattr(tasks, "pool_gaps_refresh", lambda: seen.append(current_actor()))
    with acting_as(personas.secretariat):
        tasks.pool_gaps_refresh_task.enqueue()  # runs at once in the tests
        assert history_user() == personas.secretariat  # named again after the task
    assert seen == ["task:pool_gaps_refresh"]
