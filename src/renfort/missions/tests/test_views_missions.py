"""The plan (mission list), a mission's page and the secretariat's actions on it, through the
real views: anonymous, wrong role, other organisation, allowed; and the workflows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from renfort.accounts.models import Region, Role
from renfort.assistance.models import Level
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
    MissionType,
    Slot,
    SlotExclusion,
)
from renfort.roster.models import Category
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    make_mission,
    make_request,
    make_user,
    next_year,
    persona_mission,
    table_state,
)

pytestmark = pytest.mark.django_db


def _no_role_user(p: Personas):
    return make_user("", p.admin_a, username="norole")


# --- the plan ------------------------------------------------------------------------------


def test_plan_asks_anonymous_to_sign_in(client):
    response = client.get(reverse("missions:mission_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_plan_refuses_user_without_role(client, personas):
    client.force_login(_no_role_user(personas))
    assert client.get(reverse("missions:mission_list")).status_code == 403


def test_plan_shows_secretariat_every_mission_by_status(client, personas):
    dakar = persona_mission(personas, title="Risk management in Dakar")
    kenya = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
        title="AEO in Mombasa",
        status=MissionStatus.PLANNED,
    )
    client.force_login(personas.secretariat)
    response = client.get(reverse("missions:mission_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert dakar.reference in body and kenya.reference in body
    assert "Planned" in body and "Draft" in body
    # Status tab narrows the table.
    response = client.get(reverse("missions:mission_list"), {"status": "planned"})
    body = response.content.decode()
    assert kenya.reference in body and dakar.reference not in body


def test_plan_hides_other_organisations_missions(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.outsider)
    response = client.get(reverse("missions:mission_list"))
    assert response.status_code == 200
    assert mission.reference not in response.content.decode()


def test_plan_scopes_regional_coordinator_to_region(client, personas):
    in_region = persona_mission(personas)
    elsewhere = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
    )
    client.force_login(personas.regional)
    body = client.get(reverse("missions:mission_list")).content.decode()
    assert in_region.reference in body
    assert elsewhere.reference not in body


def test_plan_shows_donor_the_missions_it_funds(client, personas):
    funded = persona_mission(personas)
    unfunded = make_mission(
        beneficiaries=[personas.admin_a],
        requests=[make_request(administrations=[personas.admin_a], focal_point=personas.member)],
    )
    client.force_login(personas.donor)
    body = client.get(reverse("missions:mission_list")).content.decode()
    assert funded.reference in body
    assert unfunded.reference not in body


def test_plan_shows_expert_only_missions_they_are_invited_to(client, personas):
    invited = persona_mission(personas)
    make_assignment(invited.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    proposed = persona_mission(personas)
    make_assignment(proposed.slots.get(), personas.expert, status=AssignmentStatus.PROPOSED)
    client.force_login(personas.expert_user)
    body = client.get(reverse("missions:mission_list")).content.decode()
    assert invited.reference in body
    assert proposed.reference not in body


def test_plan_filters_by_region_topic_level_period_and_type(client, personas):
    senegal = persona_mission(
        personas,
        level=Level.STRATEGIC,
        type=MissionType.DIAGNOSTIC,
        start=next_year(3, 2),
        slots=[(Category.MODERNIZATION_ADVISER, {"aeo": 3})],
    )
    kenya = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c], topics=["valuation"])],
        level=Level.OPERATIONAL,
        start=next_year(9, 1),
        slots=[(Category.SPECIALIZED_TRAINER, {"valuation": 2})],
    )
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_list")

    def refs(params):
        body = client.get(url, params).content.decode()
        return {m.reference for m in (senegal, kenya) if m.reference in body}

    assert refs({"region": Region.WEST_CENTRAL_AFRICA}) == {senegal.reference}
    assert refs({"region": Region.EAST_SOUTHERN_AFRICA}) == {kenya.reference}
    assert refs({"topic": "aeo"}) == {senegal.reference}
    assert refs({"topic": "valuation"}) == {kenya.reference}
    assert refs({"level": Level.OPERATIONAL}) == {kenya.reference}
    assert refs({"type": MissionType.DIAGNOSTIC}) == {senegal.reference}
    assert refs({"period_from": next_year(8, 1), "period_to": next_year(10, 1)}) == {
        kenya.reference
    }
    assert refs({"q": senegal.reference}) == {senegal.reference}


def test_plan_period_filter_matches_windows(client, personas):
    windowed = persona_mission(personas, window=(next_year(6, 1), next_year(6, 30), 5))
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_list")
    body = client.get(url, {"period_from": next_year(6, 20), "period_to": next_year(7, 1)})
    assert windowed.reference in body.content.decode()
    body = client.get(url, {"period_from": next_year(7, 1), "period_to": next_year(7, 31)})
    assert windowed.reference not in body.content.decode()


def test_plan_names_a_bad_filter_next_to_its_field(client, personas):
    client.force_login(personas.secretariat)
    response = client.get(
        reverse("missions:mission_list"),
        {"period_from": next_year(5, 1), "period_to": next_year(4, 1)},
    )
    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_plan_names_an_out_of_range_period_and_ignores_it(client, personas, htmx):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(
        reverse("missions:mission_list"), {"period_from": "9999-12-31"}, **headers
    )
    assert response.status_code == 200
    body = response.content.decode()
    # With htmx only the table is swapped in: the message comes with it.
    assert "From: 9999-12-31 is outside the dates Renfort accepts (2000-01-01 to" in body
    assert mission.reference in body


def test_plan_htmx_request_gets_only_the_table(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    response = client.get(reverse("missions:mission_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert mission.reference in body
    assert 'id="mission-table"' in body
    assert "<html" not in body


def test_plan_paginates(client, personas):
    request = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    for i in range(55):
        make_mission(requests=[request], reference=f"M-P{i:03d}")
    client.force_login(personas.secretariat)
    first = client.get(reverse("missions:mission_list")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("missions:mission_list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


@pytest.mark.parametrize("persona", ["secretariat", "regional", "member", "donor"])
def test_plan_queries_stay_bounded(client, personas, django_assert_max_num_queries, persona):
    for _ in range(30):
        mission = persona_mission(
            personas,
            slots=[
                (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
                (Category.SPECIALIZED_TRAINER, {"aeo": 2}),
            ],
        )
        make_assignment(mission.slots.all()[0], personas.expert, status=AssignmentStatus.INVITED)
    client.force_login(getattr(personas, persona))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("missions:mission_list"), {"topic": "aeo"})
    assert response.status_code == 200
    assert response.content.decode().count("missions/") >= 30


# --- a mission's page ----------------------------------------------------------------------


def test_detail_asks_anonymous_to_sign_in(client, personas):
    mission = persona_mission(personas)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    assert response.status_code == 302


def test_detail_refuses_user_without_role(client, personas):
    mission = persona_mission(personas)
    client.force_login(_no_role_user(personas))
    assert client.get(reverse("missions:mission_detail", args=[mission.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "expert_user"])
def test_detail_answers_404_for_another_partys_mission(client, personas, persona):
    mission = persona_mission(personas)
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("missions:mission_detail", args=[mission.pk])).status_code == 404


def test_detail_shows_member_everything_about_its_mission(client, personas):
    mission = persona_mission(
        personas,
        title="Risk management in Dakar",
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2, "aeo": 1})],
    )
    slot = mission.slots.get()
    make_assignment(slot, personas.expert, status=AssignmentStatus.INVITED)
    client.force_login(personas.member)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    request = mission.requests.get()
    agreement = mission.agreements.get()
    assert request.reference in body
    assert reverse("assistance:request_detail", args=[request.pk]) in body
    assert "Senegal Customs" in body
    assert "Technical and operational expert" in body
    assert "level 2 or more" in body and 'class="requirement"' in body
    assert "Ana Lima" in body and "Invited" in body and "Pending" in body
    assert agreement.reference in body
    # No secretariat actions for a member.
    assert reverse("missions:mission_transition", args=[mission.pk]) not in body


def test_detail_hides_proposals_from_beneficiary_but_not_from_lender(client, personas):
    mission = persona_mission(personas)
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.PROPOSED)
    client.force_login(personas.member)
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Ana Lima" not in body
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Ana Lima" in body and "Proposed" in body


def test_detail_shows_invited_expert_their_mission(client, personas):
    mission = persona_mission(personas)
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    client.force_login(personas.expert_user)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    assert response.status_code == 200


def test_detail_shows_nothing_of_requests_and_agreements_the_viewer_may_not_open(client, personas):
    request = make_request(
        administrations=[personas.admin_a], focal_point=personas.member, title="Hidden request"
    )
    mission = persona_mission(personas, requests=[request])
    agreement = mission.agreements.get()
    agreement.title = "Hidden agreement"
    agreement.save(update_fields=["title"])
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    client.force_login(personas.expert_user)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for hidden in ("Hidden request", request.reference, "Hidden agreement", agreement.reference):
        assert hidden not in body
    assert "A request you may not open" in body and "An agreement you may not open" in body
    # The member opens both: their titles and links are there.
    client.force_login(personas.member)
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Hidden request" in body and "Hidden agreement" in body
    assert reverse("agreements:agreement_detail", args=[agreement.pk]) in body


def test_detail_shows_window_and_secretariat_forms(client, personas):
    mission = persona_mission(personas, window=(next_year(6, 1), next_year(6, 30), 5))
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "5 days between" in body
    for name in ("mission_transition", "mission_set_dates", "slot_add"):
        assert reverse(f"missions:{name}", args=[mission.pk]) in body
    assert reverse("missions:assignment_create", args=[mission.slots.get().pk]) in body


def test_detail_queries_stay_bounded(client, personas, django_assert_max_num_queries):
    mission = persona_mission(
        personas, slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})] * 6
    )
    for slot in list(mission.slots.all())[:3]:
        make_assignment(slot, make_expert(home_administration=personas.admin_b), status="invited")
    for _ in range(20):
        make_expert(home_administration=personas.admin_b)
    client.force_login(personas.secretariat)
    # Three of them, whatever the pool: what the rules read to suggest experts (unavailable
    # periods, other missions) and the slots' exclusions; nine for who could staff each slot
    # and what it would take (planning.outlook.mission_outlooks), whatever the pool.
    # + the slots' offers (matrix); + the field history: two queries for each of the four
    # history tables it reads (mission, slots, requirements, assignments: lib/audit_trail.py).
    with django_assert_max_num_queries(39):
        response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    assert response.status_code == 200


# --- secretariat actions -----------------------------------------------------------------


ACTIONS = [
    ("mission_transition", "mission", {"to_status": "planned"}),
    ("mission_set_dates", "mission", {"start": "2030-01-01", "end": "2030-01-05"}),
    ("mission_set_planning_options", "mission", {"straddle_weekend": "on"}),
    ("slot_add", "mission", {"category": Category.SPECIALIZED_TRAINER, "topic_1": "aeo"}),
    ("slot_remove", "slot", {}),
    ("assignment_create", "slot", {"expert": "1"}),
    ("assignment_swap", "assignment", {"expert": "1"}),
    ("assignment_pin", "assignment", {"pinned": "1"}),
    ("assignment_transition", "assignment", {"to_status": "invited"}),
    ("slot_exclusion_add", "slot", {"expert": "1"}),
    ("slot_exclusion_remove", "exclusion", {}),
]


def _target(personas, kind):
    mission = persona_mission(personas)
    slot = mission.slots.get()
    if kind == "mission":
        return mission
    if kind == "slot":
        return slot
    if kind == "exclusion":
        return SlotExclusion.objects.create(slot=slot, expert=personas.expert)
    return make_assignment(slot, personas.expert)


@pytest.mark.parametrize(("name", "kind", "data"), ACTIONS)
def test_actions_ask_anonymous_to_sign_in(client, personas, name, kind, data):
    obj = _target(personas, kind)
    response = client.post(reverse(f"missions:{name}", args=[obj.pk]), data)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("name", "kind", "data"), ACTIONS)
@pytest.mark.parametrize("persona", ["regional", "member", "donor", "expert_user"])
def test_actions_refuse_other_roles(client, personas, name, kind, data, persona):
    obj = _target(personas, kind)
    client.force_login(getattr(personas, persona))
    assert client.post(reverse(f"missions:{name}", args=[obj.pk]), data).status_code == 403


@pytest.mark.parametrize(("name", "kind", "data"), ACTIONS)
def test_actions_answer_404_for_missing_objects(client, personas, name, kind, data):
    client.force_login(personas.secretariat)
    assert client.post(reverse(f"missions:{name}", args=[999999]), data).status_code == 404


@pytest.mark.parametrize(("name", "kind", "data"), ACTIONS)
def test_actions_refuse_get(client, personas, name, kind, data):
    obj = _target(personas, kind)
    client.force_login(personas.secretariat)
    assert client.get(reverse(f"missions:{name}", args=[obj.pk])).status_code == 405


def test_secretariat_moves_a_mission_through_its_statuses(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_transition", args=[mission.pk])
    response = client.post(url, {"to_status": "planned", "note": "Ready to staff"})
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PLANNED
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Ready to staff" in body  # in the history


def test_transition_not_allowed_is_named_next_to_the_field(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_transition", args=[mission.pk])
    response = client.post(url, {"to_status": "confirmed"})
    assert response.status_code == 200
    assert response.context["transition_form"].errors["to_status"]
    assert "error-summary" in response.content.decode()
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


def test_cancelling_needs_a_reason(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_transition", args=[mission.pk])
    response = client.post(url, {"to_status": "cancelled"})
    assert response.status_code == 200  # the confirmation step, asking the reason
    assert "Reason for cancelling" in response.content.decode()
    response = client.post(url, {"to_status": "cancelled", "confirmed": "yes", "reason": " "})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT
    client.post(url, {"to_status": "cancelled", "confirmed": "yes", "reason": "Budget withdrawn"})
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CANCELLED


def test_secretariat_sets_dates(client, personas):
    mission = persona_mission(personas, window=(next_year(6, 1), next_year(6, 30), 5))
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_set_dates", args=[mission.pk])
    response = client.post(url, {"start": next_year(6, 8), "end": next_year(6, 12)})
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.start, mission.end) == (next_year(6, 8), next_year(6, 12))


def test_dates_in_wrong_order_are_refused_next_to_the_field(client, personas):
    mission = persona_mission(personas)
    before = (mission.start, mission.end)
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_set_dates", args=[mission.pk])
    response = client.post(url, {"start": next_year(6, 8), "end": next_year(6, 1)})
    assert response.status_code == 200
    assert "The last day comes before the first day." in response.content.decode()
    mission.refresh_from_db()
    assert (mission.start, mission.end) == before


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        (
            {"start": "0001-01-01", "end": "2030-01-05"},
            "start",
            "First day: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100",
        ),
        ({"start": "2030-01-01", "end": "9999-12-31"}, "end", "Last day: 9999-12-31 is outside"),
    ],
)
def test_dates_out_of_range_are_refused_next_to_the_field(client, personas, data, field, text):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(reverse("missions:mission_set_dates", args=[mission.pk]), data)
    assert response.status_code == 200
    assert text in " ".join(response.context["dates_form"].errors[field])
    assert table_state() == before


def test_an_over_long_note_is_refused_next_to_the_field(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(
        reverse("missions:mission_transition", args=[mission.pk]),
        {"to_status": "cancelled", "confirmed": "yes", "reason": "n" * 2001},
    )
    assert response.status_code == 400
    assert "The reason is too long" in response.content.decode()
    assert table_state() == before


def test_secretariat_adds_and_removes_a_slot(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("missions:slot_add", args=[mission.pk]),
        {
            "category": Category.SPECIALIZED_TRAINER,
            "topic_1": "aeo",
            "level_1": "3",
            "topic_2": "valuation",
            "level_2": "2",
            "topic_3": "",
        },
    )
    assert response.status_code == 302
    slot = mission.slots.order_by("-position").first()
    assert slot is not None and slot.category == Category.SPECIALIZED_TRAINER
    assert {(r.topic.code, r.level) for r in slot.requirements.all()} == {
        ("aeo", 3),
        ("valuation", 2),
    }
    url = reverse("missions:slot_remove", args=[slot.pk])
    response = client.post(url)
    assert response.status_code == 200  # asked once more first
    assert "Remove the slot" in response.content.decode()
    assert Slot.objects.filter(pk=slot.pk).exists()
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    assert not Slot.objects.filter(pk=slot.pk).exists()


def test_slot_needs_a_topic_named_once(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("missions:slot_add", args=[mission.pk]),
        {"category": Category.SPECIALIZED_TRAINER, "topic_1": "aeo", "topic_2": "aeo"},
    )
    assert response.status_code == 200
    assert "This topic is already required above." in response.content.decode()
    assert mission.slots.count() == 1


def test_manual_assignment_names_the_broken_rule_next_to_the_field(client, personas):
    mission = persona_mission(personas, language="ar")
    slot = mission.slots.get()
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("missions:assignment_create", args=[slot.pk]), {"expert": personas.expert.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"id_assign{slot.pk}_expert_errors" in body
    assert "does not speak ar" in body
    assert not Assignment.objects.filter(slot=slot).exists()


def test_manual_assignment_from_a_beneficiary_is_refused(client, personas):
    mission = persona_mission(personas)
    senegalese = make_expert(home_administration=personas.admin_a)
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("missions:assignment_create", args=[mission.slots.get().pk]),
        {"expert": senegalese.pk},
    )
    assert response.status_code == 200
    assert "a beneficiary of mission" in response.content.decode()
    assert not Assignment.objects.exists()


def test_manual_assignment_to_a_held_slot_says_why_it_is_refused(client, personas):
    """A held slot shows no assign form (a page drawn before the slot was taken still posts
    one): the refusal is said on top of the page."""
    mission = persona_mission(personas)
    slot = mission.slots.get()
    make_assignment(slot, personas.expert, status=AssignmentStatus.INVITED)
    other = make_expert(
        home_administration=make_member("DE", Region.EUROPE), first_name="Jan", last_name="Berg"
    )
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(
        reverse("missions:assignment_create", args=[slot.pk]), {"expert": other.pk}
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    assert f"Slot {slot.code} is already held by {personas.expert}" in shown[0]
    assert "Jan Berg" in shown[0]
    assert f"Slot {slot.code} is already held" in response.content.decode()
    assert table_state() == before


def test_secretariat_assigns_pins_swaps_and_invites(client, personas):
    mission = persona_mission(personas)
    slot = mission.slots.get()
    client.force_login(personas.secretariat)

    response = client.post(
        reverse("missions:assignment_create", args=[slot.pk]),
        {"expert": personas.expert.pk, "pinned": "on"},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(slot=slot)
    assert assignment.expert == personas.expert
    assert assignment.status == AssignmentStatus.PROPOSED
    assert assignment.pinned

    response = client.post(
        reverse("missions:assignment_pin", args=[assignment.pk]), {"pinned": "0"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.pinned

    other = make_expert(
        home_administration=make_member("DE", Region.EUROPE), first_name="Jan", last_name="Berg"
    )
    url = reverse("missions:assignment_swap", args=[assignment.pk])
    response = client.post(url, {"expert": other.pk})
    assert response.status_code == 200  # asked once more first, nothing written yet
    assert "Swap the expert" in response.content.decode()
    assert Assignment.objects.filter(slot=slot).count() == 1
    response = client.post(url, {"expert": other.pk, "confirmed": "yes"})
    assert response.status_code == 302
    current = Assignment.objects.get(slot=slot, status=AssignmentStatus.PROPOSED)
    assert current.expert == other
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN

    response = client.post(
        reverse("missions:assignment_transition", args=[current.pk]), {"to_status": "invited"}
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.status == AssignmentStatus.INVITED

    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Jan Berg" in body and "Earlier assignments" in body


def test_swap_to_an_unfit_expert_names_the_rule_and_keeps_the_assignment(client, personas):
    mission = persona_mission(personas)
    slot = mission.slots.get()
    assignment = make_assignment(slot, personas.expert)
    novice = make_expert(
        home_administration=make_member("DE", Region.EUROPE), skills={"risk_management": 1}
    )
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("missions:assignment_swap", args=[assignment.pk]), {"expert": novice.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"id_swap{assignment.pk}_expert_errors" in body
    assert "needs level 2 or more" in body
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PROPOSED
    assert Assignment.objects.filter(slot=slot).count() == 1


def test_double_booking_is_refused_with_the_overlap_named(client, personas):
    first = persona_mission(personas, start=next_year(3, 2))
    make_assignment(first.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    second = persona_mission(personas, start=next_year(3, 2) + datetime.timedelta(days=5))
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("missions:assignment_create", args=[second.slots.get().pk]),
        {"expert": personas.expert.pk},
    )
    assert response.status_code == 200
    assert "travel day" in response.content.decode()
    assert not Assignment.objects.filter(slot__mission=second).exists()


def test_a_mission_list_row_links_to_its_page(client, personas):
    mission = persona_mission(personas)
    client.force_login(personas.member)
    body = client.get(reverse("missions:mission_list")).content.decode()
    assert reverse("missions:mission_detail", args=[mission.pk]) in body
    assert Mission.objects.count() == 1
    assert personas.member.role == Role.MEMBER_FOCAL_POINT


def test_assign_form_lists_experts_who_fit_the_profile_first(client, personas):
    mission = persona_mission(
        personas, slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 3})]
    )
    novice = make_expert(
        home_administration=make_member("DE", Region.EUROPE),
        first_name="Nora",
        last_name="Novice",
        skills={"risk_management": 1},
    )
    trainer_only = make_expert(
        first_name="Tom",
        last_name="Trainer",
        categories=(Category.SPECIALIZED_TRAINER,),
    )
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    # The suggestions: who meets every rule, with their skills and fit in words.
    listed = body.index("Experts who meet every rule for this slot")
    assert listed < body.index("Ana Lima")
    assert "Risk management 3 (needs 3)" in body
    # Nobody else is listed in full: the others are found by name (the pool search).
    assert str(novice) not in body and str(trainer_only) not in body
    assert 'name="other__search"' in body
    # A suggested expert or one found by name is proposed; the rules decide.
    response = client.post(
        reverse("missions:assignment_create", args=[mission.slots.get().pk]),
        {"other__search": "Novice"},
    )
    assert response.status_code == 200
    assert "needs level 3 or more" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assign_lists_at_most_a_few_suggestions_whatever_the_pool(client, personas):
    mission = persona_mission(personas)
    for i in range(12):
        make_expert(home_administration=personas.admin_b, first_name=f"Fit{i:02d}")
    client.force_login(personas.secretariat)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    (view,) = response.context["slots"]
    assert len(view.suggestions) == 8
    assert len(view.assign_form.suggested) == 13  # every fitting one stays accepted
    body = response.content.decode()
    # The list (a name and its one-click button), the assign select and the exclude select:
    # eight names each at most.
    assert sum(body.count(f"Fit{i:02d}") for i in range(12)) <= 4 * 8


def test_mission_list_searches_reference_title_and_beneficiary(client, personas):
    dakar = persona_mission(personas, title="Risk management in Dakar")
    kenya = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
        title="AEO in Mombasa",
    )
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_list")
    for q, shown, hidden in (
        ("Dakar", dakar, kenya),
        (kenya.reference, kenya, dakar),
        (personas.admin_c.name[:8], kenya, dakar),
    ):
        body = client.get(url, {"q": q}).content.decode()
        assert shown.reference in body and hidden.reference not in body, q


def test_plan_counts_staffed_slots(client, personas):
    mission = persona_mission(
        personas,
        slots=[
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
            (Category.SPECIALIZED_TRAINER, {"aeo": 2}),
        ],
    )
    first, second = mission.slots.order_by("position")
    make_assignment(first, personas.expert, status=AssignmentStatus.INVITED)
    make_assignment(second, make_expert(), status=AssignmentStatus.WITHDRAWN)
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:mission_list")).content.decode()
    assert "1 of 2" in body
    assert "unstaffed-row" in body


def test_dates_outside_the_window_or_breaking_an_assignment_are_refused(client, personas):
    window = (next_year(6, 1), next_year(6, 30), 5)
    mission = persona_mission(personas, window=window)
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_set_dates", args=[mission.pk])
    response = client.post(url, {"start": next_year(7, 1), "end": next_year(7, 5)})
    assert response.status_code == 200
    assert "outside the window" in response.content.decode()

    busy = persona_mission(personas, start=next_year(6, 10), end=next_year(6, 14))
    make_assignment(busy.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    response = client.post(url, {"start": next_year(6, 12), "end": next_year(6, 16)})
    assert response.status_code == 200
    assert busy.reference in response.content.decode()
    mission.refresh_from_db()
    assert mission.start is None
