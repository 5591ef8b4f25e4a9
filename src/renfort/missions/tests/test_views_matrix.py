"""The Experts' Requirement Matrix: open slots, and lending administrations offering experts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.accounts.models import Region
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    MissionStatus,
    SlotOffer,
)
from renfort.roster.models import Category, Unavailability
from renfort.testing import (
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
MATRIX = "missions:matrix"


def _kenya_mission(personas, **kwargs):
    return make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
        **kwargs,
    )


def test_matrix_asks_anonymous_to_sign_in(client):
    response = client.get(reverse(MATRIX))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["donor", "expert_user"])
def test_matrix_refuses_other_roles(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse(MATRIX)).status_code == 403


def test_matrix_lists_only_open_slots_of_missions_being_staffed(client, personas):
    open_mission = persona_mission(
        personas,
        status=MissionStatus.PLANNED,
        slots=[
            (Category.SPECIALIZED_TRAINER, {"aeo": 3}),
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
        ],
    )
    filled, still_open = open_mission.slots.order_by("position")
    make_assignment(filled, personas.expert, status=AssignmentStatus.INVITED)
    confirmed = persona_mission(personas, status=MissionStatus.CONFIRMED)
    client.force_login(personas.secretariat)
    response = client.get(reverse(MATRIX))
    assert response.status_code == 200
    body = response.content.decode()
    assert still_open.code in body
    assert filled.code not in body
    assert confirmed.slots.get().code not in body
    assert "Risk management" in body or "risk management" in body
    assert "Senegal Customs" in body
    # The secretariat staffs from the mission's page.
    assert reverse("missions:mission_detail", args=[open_mission.pk]) in body


def test_matrix_filters_by_category_topic_language_region_and_period(client, personas):
    senegal = persona_mission(
        personas,
        language="fr",
        start=next_year(3, 2),
        slots=[(Category.SPECIALIZED_TRAINER, {"aeo": 3})],
    )
    kenya = _kenya_mission(
        personas,
        language="en",
        start=next_year(9, 1),
        slots=[(Category.MODERNIZATION_ADVISER, {"valuation": 2})],
    )
    client.force_login(personas.secretariat)
    a, b = senegal.slots.get().code, kenya.slots.get().code

    def codes(params):
        body = client.get(reverse(MATRIX), params).content.decode()
        return {c for c in (a, b) if c in body}

    assert codes({"category": Category.SPECIALIZED_TRAINER}) == {a}
    assert codes({"topic": "valuation"}) == {b}
    assert codes({"language": "en"}) == {b}
    assert codes({"region": Region.WEST_CENTRAL_AFRICA}) == {a}
    assert codes({"period_from": next_year(8, 1), "period_to": next_year(12, 1)}) == {b}
    assert codes({}) == {a, b}


def test_matrix_shows_regional_coordinator_its_region_read_only(client, personas):
    senegal = persona_mission(personas)
    kenya = _kenya_mission(personas)
    client.force_login(personas.regional)
    body = client.get(reverse(MATRIX)).content.decode()
    assert senegal.slots.get().code in body
    assert kenya.slots.get().code not in body
    assert "Offer an expert" not in body


def test_matrix_htmx_request_gets_only_the_table(client, personas):
    persona_mission(personas)
    client.force_login(personas.lender)
    response = client.get(reverse(MATRIX), {"language": "fr"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="matrix-table"' in body and "<html" not in body


@pytest.mark.parametrize("htmx", [False, True])
def test_matrix_names_an_out_of_range_period_and_ignores_it(client, personas, htmx):
    slot = persona_mission(personas).slots.get()
    client.force_login(personas.lender)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(reverse(MATRIX), {"period_to": "0001-01-01"}, **headers)
    assert response.status_code == 200
    body = response.content.decode()
    # With htmx only the table is swapped in: the message comes with it.
    assert "To: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31)." in body
    assert slot.code in body


def test_lender_offers_its_expert_and_the_secretariat_assigns_in_one_click(client, personas):
    mission = persona_mission(personas)
    slot = mission.slots.get()
    client.force_login(personas.lender)
    body = client.get(reverse(MATRIX)).content.decode()
    assert "Offer an expert" in body and "Ana Lima" in body
    response = client.post(  # in French: the offer must not store the lender's language
        reverse("missions:matrix_offer", args=[slot.pk]),
        {"expert": personas.expert.pk},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    offer = SlotOffer.objects.get(slot=slot)
    assert (offer.expert, offer.organisation, offer.by) == (
        personas.expert,
        personas.admin_b,
        personas.lender,
    )
    assert not Assignment.objects.exists()  # an offer, not yet an assignment
    # The slot stays open and shows who offered whom.
    body = client.get(reverse(MATRIX)).content.decode()
    assert f'id="open-slot-{slot.pk}"' in body and "Ana Lima, by" in body
    # The same offer twice is refused, naming the field.
    before = table_state()
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]), {"expert": personas.expert.pk}
    )
    assert "is already offered for slot" in response.content.decode()
    assert table_state() == before
    # The secretariat sees it on the matrix and on the mission's page, and assigns it.
    client.force_login(personas.secretariat)
    body = client.get(reverse(MATRIX)).content.decode()
    assert reverse("missions:matrix_assign", args=[offer.pk]) in body and "Assign Ana Lima" in body
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert reverse("missions:matrix_assign", args=[offer.pk]) in body
    response = client.post(reverse("missions:matrix_assign", args=[offer.pk]))
    assert response.status_code == 302
    assignment = Assignment.objects.get(slot=slot)
    assert assignment.expert == personas.expert
    assert assignment.status == AssignmentStatus.PROPOSED
    assert assignment.source == AssignmentSource.MANUAL
    assert assignment.explanation == ""  # a code, no sentence
    assert assignment.explanation_code == "assignment.offered_by_member"
    assert assignment.explanation_params == {"org": "French Customs"}
    offer.refresh_from_db()
    assert offer.assignment == assignment
    # The slot is no longer open; the offer is taken (assigning it again answers 404).
    client.force_login(personas.lender)
    body = client.get(reverse(MATRIX)).content.decode()
    assert f'id="open-slot-{slot.pk}"' not in body
    client.force_login(personas.secretariat)
    assert client.post(reverse("missions:matrix_assign", args=[offer.pk])).status_code == 404
    url = reverse("missions:mission_detail", args=[mission.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ana Lima" in body and "Proposed" in body
    assert "Offered by French Customs through the Experts&#x27; Requirement Matrix." in body
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Proposé par French Customs via la matrice des besoins en experts." in body


def test_a_windowed_mission_without_dates_takes_offers(client, personas):
    """The matrix used to refuse every slot of a mission without dates ("has no dates yet"):
    the expert must be free somewhere in the window instead."""
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    slot = mission.slots.get()
    client.force_login(personas.lender)
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]), {"expert": personas.expert.pk}
    )
    assert response.status_code == 302, response.content.decode()
    client.force_login(personas.secretariat)
    offer = SlotOffer.objects.get(slot=slot)
    assert client.post(reverse("missions:matrix_assign", args=[offer.pk])).status_code == 302
    assignment = Assignment.objects.get(slot=slot)
    assert assignment.status == AssignmentStatus.PROPOSED
    assert (assignment.busy_from, assignment.busy_to) == (None, None)


def test_assigning_an_offer_that_breaks_a_rule_now_says_which(client, personas):
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    slot = mission.slots.get()
    client.force_login(personas.lender)
    client.post(reverse("missions:matrix_offer", args=[slot.pk]), {"expert": personas.expert.pk})
    offer = SlotOffer.objects.get(slot=slot)
    # Meanwhile the expert became unavailable over the whole window.
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(4, 20), end=next_year(7, 10), reason="Leave"
    )
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(reverse("missions:matrix_assign", args=[offer.pk]), follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Ana Lima cannot be assigned to slot" in shown and "has no 5 free days" in shown
    assert table_state() == before
    offer.refresh_from_db()
    assert offer.assignment is None


@pytest.mark.parametrize("persona", ["regional", "member", "lender", "donor", "expert_user"])
def test_only_the_secretariat_assigns_an_offer(client, personas, persona):
    slot = persona_mission(personas).slots.get()
    offer = SlotOffer.objects.create(
        slot=slot, expert=personas.expert, organisation=personas.admin_b, by=personas.lender
    )
    client.force_login(getattr(personas, persona))
    url = reverse("missions:matrix_assign", args=[offer.pk])
    assert client.post(url).status_code == 403
    assert not Assignment.objects.exists()


def test_assigning_an_offer_asks_anonymous_to_sign_in_and_refuses_get(client, personas):
    slot = persona_mission(personas).slots.get()
    offer = SlotOffer.objects.create(
        slot=slot, expert=personas.expert, organisation=personas.admin_b, by=personas.lender
    )
    url = reverse("missions:matrix_assign", args=[offer.pk])
    response = client.post(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(personas.secretariat)
    assert client.get(url).status_code == 405
    assert client.post(reverse("missions:matrix_assign", args=[999999])).status_code == 404


def test_a_member_sees_only_its_own_offers(client, personas):
    slot = persona_mission(personas).slots.get()
    other = make_expert(home_administration=make_member("DE", Region.EUROPE), first_name="Jan")
    SlotOffer.objects.create(
        slot=slot, expert=other, organisation=other.home_administration, by=None
    )
    client.force_login(personas.lender)
    body = client.get(reverse(MATRIX)).content.decode()
    assert f'id="open-slot-{slot.pk}"' in body and str(other) not in body


def test_offer_by_htmx_replaces_the_row(client, personas):
    slot = persona_mission(personas).slots.get()
    client.force_login(personas.lender)
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]),
        {"expert": personas.expert.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="open-slot-{slot.pk}"' in body and "offered" in body
    assert SlotOffer.objects.filter(slot=slot).exists()


def test_offer_breaking_a_rule_names_it_next_to_the_field(client, personas):
    slot = persona_mission(personas, language="ar").slots.get()
    client.force_login(personas.lender)
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]), {"expert": personas.expert.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"id_offer{slot.pk}_expert_errors" in body
    assert "does not speak ar" in body
    assert not Assignment.objects.exists() and not SlotOffer.objects.exists()


def test_offer_by_htmx_with_a_broken_rule_returns_the_row_with_the_error(client, personas):
    slot = persona_mission(personas, language="ar").slots.get()
    client.force_login(personas.lender)
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]),
        {"expert": personas.expert.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body and "does not speak ar" in body


def test_offer_of_another_administrations_expert_is_refused(client, personas):
    slot = persona_mission(personas).slots.get()
    client.force_login(personas.outsider)
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]), {"expert": personas.expert.pk}
    )
    assert response.status_code == 200
    assert f"id_offer{slot.pk}_expert_errors" in response.content.decode()
    assert not Assignment.objects.exists() and not SlotOffer.objects.exists()


def test_offer_for_a_filled_slot_answers_404(client, personas):
    slot = persona_mission(personas).slots.get()
    make_assignment(slot, make_expert(), status=AssignmentStatus.PROPOSED)
    client.force_login(personas.lender)
    response = client.post(
        reverse("missions:matrix_offer", args=[slot.pk]), {"expert": personas.expert.pk}
    )
    assert response.status_code == 404


def test_offer_page_works_without_javascript(client, personas):
    slot = persona_mission(personas).slots.get()
    client.force_login(personas.lender)
    response = client.get(reverse("missions:matrix_offer", args=[slot.pk]))
    assert response.status_code == 200
    assert "Ana Lima" in response.content.decode()


def test_offer_is_refused_to_anonymous_and_other_roles(client, personas):
    slot = persona_mission(personas).slots.get()
    url = reverse("missions:matrix_offer", args=[slot.pk])
    assert client.post(url, {"expert": personas.expert.pk}).status_code == 302
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url, {"expert": personas.expert.pk}).status_code == 403
    assert not Assignment.objects.exists() and not SlotOffer.objects.exists()


def test_member_without_experts_is_told_so(client, personas):
    persona_mission(personas)
    client.force_login(personas.member)  # Senegal lends no expert in the personas
    body = client.get(reverse(MATRIX)).content.decode()
    assert "no active expert" in body


@pytest.mark.parametrize("persona", ["secretariat", "lender"])
def test_matrix_queries_stay_bounded(client, personas, django_assert_max_num_queries, persona):
    for _ in range(20):
        persona_mission(
            personas,
            status=MissionStatus.PLANNED,
            slots=[
                (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2, "aeo": 1}),
                (Category.SPECIALIZED_TRAINER, {"aeo": 2}),
            ],
        )
    for _ in range(10):
        make_expert(home_administration=personas.admin_b)
    client.force_login(getattr(personas, persona))
    # 12, and for a lender five more whatever the rows: what the rules read to suggest their
    # experts (unavailable periods, other missions, the missions' active assignments, and
    # their exclusions: the assignments' history and the coordinators' exclusions).
    with django_assert_max_num_queries(17):
        response = client.get(reverse(MATRIX))
    assert response.status_code == 200
    assert response.content.decode().count('id="open-slot-') == 40


def test_user_without_role_gets_403(client, personas):
    client.force_login(make_user("", personas.admin_b, username="norole"))
    assert client.get(reverse(MATRIX)).status_code == 403
