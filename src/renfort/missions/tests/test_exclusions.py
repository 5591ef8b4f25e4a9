"""Experts excluded from a slot: by the mission's history (declined, withdrawn, release refused)
or by a coordinator (``SlotExclusion``). The assignment check refuses them, the forms stop
offering them, and the mission page shows and removes a coordinator's exclusion."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renfort.lib.limits import SHORT_TEXT
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
    SlotExclusion,
)
from renfort.missions.rules import assignment_problem_list
from renfort.missions.services import (
    assignment_create,
    assignment_swap,
    assignment_transition,
    slot_exclusion_add,
    slot_exclusion_remove,
)
from renfort.roster.models import Category, Expert, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    persona_mission,
    refuses,
)

pytestmark = pytest.mark.django_db

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT


def two_slots(p: Personas) -> Mission:
    return persona_mission(p, slots=[(TECH, {}), (TECH, {})], status=MissionStatus.PLANNED)


def german(first_name: str) -> Expert:
    return make_expert(
        home_administration=make_member("DE", "EUR", languages=("de",)), first_name=first_name
    )


# --- the rule --------------------------------------------------------------------------------


def test_an_expert_excluded_by_hand_is_refused_naming_expert_and_slot(personas: Personas) -> None:
    p = personas
    mission = two_slots(p)
    first, second = mission.slots.order_by("position")
    SlotExclusion.objects.create(slot=first, expert=p.expert, by=p.secretariat, reason="Audit")
    refuses(
        assignment_create,
        text=f"Expert Ana Lima is excluded from slot {first.code} by {p.secretariat} (Audit)",
        slot=first,
        expert=p.expert,
    )
    # One slot only: the other takes them.
    assert assignment_create(slot=second, expert=p.expert).is_active


@pytest.mark.parametrize(
    ("status", "release", "says"),
    [
        (AssignmentStatus.DECLINED, ReleaseStatus.PENDING, "Expert Ana Lima declined slot"),
        (AssignmentStatus.WITHDRAWN, ReleaseStatus.PENDING, "Expert Ana Lima was withdrawn from"),
        (AssignmentStatus.WITHDRAWN, ReleaseStatus.REFUSED, "French Customs refused to release"),
    ],
)
def test_the_missions_history_excludes_from_every_slot(
    personas: Personas, status: str, release: str, says: str
) -> None:
    p = personas
    mission = two_slots(p)
    first, second = mission.slots.order_by("position")
    make_assignment(first, p.expert, status=status, release_status=release)
    for slot in (first, second):
        error = refuses(assignment_create, text=says, slot=slot, expert=p.expert)
        assert f"they are not placed in this mission again (slot {slot.code})" in error.messages[0]
        problems = assignment_problem_list(slot=slot, expert=p.expert)
        assert [x.code for x in problems] == ["excluded"]
    # Other missions are not concerned.
    assert assignment_create(slot=persona_mission(p).slots.get(), expert=p.expert).is_active


def test_a_swap_back_to_a_withdrawn_expert_is_refused(personas: Personas) -> None:
    p = personas
    slot = persona_mission(p, status=MissionStatus.PLANNED).slots.get()
    other = german("Otto")
    first = assignment_create(slot=slot, expert=p.expert)
    second = assignment_swap(assignment=first, expert=other, by=p.secretariat)
    refuses(
        assignment_swap,
        text=f"Expert Ana Lima was withdrawn from slot {slot.code}",
        assignment=second,
        expert=p.expert,
        by=p.secretariat,
    )


def test_an_expert_brought_back_before_keeps_their_assignment(personas: Personas) -> None:
    """History excludes nobody who holds an active assignment on the mission now (brought
    back before the rule existed): re-checking their assignment passes."""
    p = personas
    slot = persona_mission(p, status=MissionStatus.PLANNED).slots.get()
    make_assignment(slot, p.expert, status=AssignmentStatus.DECLINED)
    held = make_assignment(slot, p.expert, status=AssignmentStatus.PROPOSED)
    invited = assignment_transition(
        assignment=held, to_status=AssignmentStatus.INVITED, by=p.secretariat
    )
    assert invited.status == AssignmentStatus.INVITED


# --- the services ----------------------------------------------------------------------------


def test_exclusion_add_and_remove(personas: Personas) -> None:
    p = personas
    slot = persona_mission(p, status=MissionStatus.PLANNED).slots.get()
    exclusion = slot_exclusion_add(slot=slot, expert=p.expert, by=p.secretariat, reason=" Audit ")
    assert (exclusion.by, exclusion.reason) == (p.secretariat, "Audit")
    assert [x.code for x in assignment_problem_list(slot=slot, expert=p.expert)] == ["excluded"]
    slot_exclusion_remove(exclusion=exclusion, by=p.secretariat)
    assert not SlotExclusion.objects.exists()
    assert assignment_problem_list(slot=slot, expert=p.expert) == []


def test_exclusion_add_refusals(personas: Personas) -> None:
    p = personas
    mission = persona_mission(p, status=MissionStatus.PLANNED)
    slot = mission.slots.get()
    refuses(
        slot_exclusion_add,
        text="Only a secretariat coordinator excludes experts",
        slot=slot,
        expert=p.expert,
        by=p.member,
    )
    refuses(
        slot_exclusion_add,
        text="Reason: 2001 characters, at most 2000.",
        field="reason",
        slot=slot,
        expert=p.expert,
        by=p.secretariat,
        reason="x" * (SHORT_TEXT + 1),
    )
    held = make_assignment(slot, p.expert, status=AssignmentStatus.INVITED)
    refuses(
        slot_exclusion_add,
        text=f"Expert Ana Lima holds slot {slot.code}; withdraw or swap that assignment",
        field="expert",
        slot=slot,
        expert=p.expert,
        by=p.secretariat,
    )
    Assignment.objects.filter(pk=held.pk).delete()
    slot_exclusion_add(slot=slot, expert=p.expert, by=p.secretariat)
    refuses(
        slot_exclusion_add,
        text=f"Expert Ana Lima is already excluded from slot {slot.code}.",
        field="expert",
        slot=slot,
        expert=p.expert,
        by=p.secretariat,
    )
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.DELIVERED)
    refuses(
        slot_exclusion_add,
        text=f"Mission {mission.reference} is Delivered: its slots take no more experts.",
        slot=slot,
        expert=german("Otto"),
        by=p.secretariat,
    )


def test_exclusion_remove_is_for_the_secretariat(personas: Personas) -> None:
    p = personas
    slot = persona_mission(p).slots.get()
    exclusion = SlotExclusion.objects.create(slot=slot, expert=p.expert, by=p.secretariat)
    refuses(
        slot_exclusion_remove,
        text="Only a secretariat coordinator",
        exclusion=exclusion,
        by=p.lender,
    )


# --- the mission page ------------------------------------------------------------------------


def offered(response, slot_pk: int, form: str = "assign_form") -> set[int]:
    """Every expert a slot's form offers (all groups), as ids."""
    view = next(v for v in response.context["slots"] if v.slot.pk == slot_pk)
    choices = getattr(view, form).fields["expert"].choices
    ids: set[int] = set()
    for value, label in choices:
        if isinstance(label, list | tuple):
            ids |= {int(v) for v, _ in label}
        elif value:
            ids.add(int(value))
    return ids


def test_the_mission_page_excludes_and_lets_back_in(client: Client, personas: Personas) -> None:
    p = personas
    mission = persona_mission(p, status=MissionStatus.PLANNED)
    slot = mission.slots.get()
    otto = german("Otto")
    client.force_login(p.secretariat)
    page = reverse("missions:mission_detail", args=[mission.pk])
    response = client.get(page)
    assert offered(response, slot.pk) >= {p.expert.pk, otto.pk}
    assert offered(response, slot.pk, "exclude_form") >= {p.expert.pk, otto.pk}
    assert reverse("missions:slot_exclusion_add", args=[slot.pk]) in response.content.decode()

    response = client.post(
        reverse("missions:slot_exclusion_add", args=[slot.pk]),
        {"expert": otto.pk, "reason": "Conflict of interest"},
    )
    assert response.status_code == 302 and response["Location"] == page
    exclusion = SlotExclusion.objects.get()
    assert (exclusion.expert, exclusion.by) == (otto, p.secretariat)

    response = client.get(page)
    html = response.content.decode()
    assert "Excluded experts" in html and "Conflict of interest" in html
    assert reverse("missions:slot_exclusion_remove", args=[exclusion.pk]) in html
    # Neither the assign form nor the exclude form offers them any more.
    assert otto.pk not in offered(response, slot.pk) | offered(response, slot.pk, "exclude_form")
    # Posting them anyway is refused next to the field.
    response = client.post(
        reverse("missions:assignment_create", args=[slot.pk]), {"expert": otto.pk}
    )
    assert response.status_code == 200
    assert f'id="id_assign{slot.pk}_expert_errors"' in response.content.decode()
    assert not Assignment.objects.exists()

    response = client.post(reverse("missions:slot_exclusion_remove", args=[exclusion.pk]))
    assert response.status_code == 302 and not SlotExclusion.objects.exists()
    assert otto.pk in offered(client.get(page), slot.pk)


def test_a_refused_exclusion_is_named_on_the_page(client: Client, personas: Personas) -> None:
    p = personas
    mission = persona_mission(p, status=MissionStatus.PLANNED)
    slot = mission.slots.get()
    client.force_login(p.secretariat)
    response = client.post(
        reverse("missions:slot_exclusion_add", args=[slot.pk]),
        {"expert": p.expert.pk, "reason": "x" * (SHORT_TEXT + 1)},
    )
    assert response.status_code == 200
    assert f'id="id_exclude{slot.pk}_reason_errors"' in response.content.decode()
    assert not SlotExclusion.objects.exists()


def test_the_page_names_whom_the_history_keeps_out(client: Client, personas: Personas) -> None:
    p = personas
    mission = persona_mission(p, status=MissionStatus.PLANNED)
    slot = mission.slots.get()
    make_assignment(slot, p.expert, status=AssignmentStatus.DECLINED)
    client.force_login(p.secretariat)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    html = response.content.decode()
    assert "Not placed in this mission again" in html and "declined slot 1" in html
    assert p.expert.pk not in offered(response, slot.pk)


def test_exclusions_are_for_the_secretariat_eyes_only(client: Client, personas: Personas) -> None:
    p = personas
    mission = persona_mission(p, status=MissionStatus.PLANNED)
    slot = mission.slots.get()
    SlotExclusion.objects.create(slot=slot, expert=p.expert, by=p.secretariat, reason="Private")
    client.force_login(p.member)
    html = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Private" not in html and "Exclude an expert" not in html
    client.force_login(p.outsider)
    assert client.get(reverse("missions:mission_detail", args=[mission.pk])).status_code == 404
