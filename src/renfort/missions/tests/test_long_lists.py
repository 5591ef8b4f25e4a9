"""Long lists on the mission pages: a mission's page, the plan and the matrix weigh the same
(queries and HTML) whatever the size of the pool and the years of history (docs/ui.md, "Long
lists")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.missions.tests.growth import assert_same_weight, history, pool, weigh
from renfort.roster.models import Category
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    persona_mission,
)

pytestmark = pytest.mark.django_db

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT


def _grow(p: Personas, prefix: str) -> None:
    """A dozen experts who fit, a dozen who do not, and the history of half of them."""
    fitting = pool(p.admin_b, 12, prefix=prefix)
    pool(p.admin_b, 12, prefix=prefix[:-1] + "X", categories=(Category.SPECIALIZED_TRAINER,))
    history(p.admin_c, fitting[:6])


def test_a_mission_page_weighs_the_same_whatever_the_pool_and_history(client, personas):
    mission = persona_mission(personas, slots=[(TECH, {"risk_management": 2})] * 3)
    held = make_expert(home_administration=personas.admin_b, last_name="Heldwell")
    make_assignment(mission.slots.order_by("position")[0], held, status=AssignmentStatus.INVITED)
    url = reverse("missions:mission_detail", args=[mission.pk])
    client.force_login(personas.secretariat)
    _grow(personas, "Pool")
    before = weigh(client, url)
    _grow(personas, "More")
    _grow(personas, "Less")
    after = weigh(client, url)
    assert_same_weight(before, after)
    body = client.get(url).content.decode()
    # The few suggested (those who fit best), then a search of the whole pool by name.
    assert 'name="other__search"' in body
    assert body.count("Pool00") == 0  # "Less…" and "More…" come first by name


def test_a_mission_past_staffing_shows_no_staffing_form_and_loads_no_pool(client, personas):
    open_mission = persona_mission(personas)
    closed = persona_mission(personas, status=MissionStatus.CLOSED)
    for mission in (open_mission, closed):
        make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.COMPLETED)
        make_mission(beneficiaries=[personas.admin_a]).slots.get()  # an open slot elsewhere
    pool(personas.admin_b, 10)
    client.force_login(personas.secretariat)
    open_weight = weigh(client, reverse("missions:mission_detail", args=[open_mission.pk]))
    closed_weight = weigh(client, reverse("missions:mission_detail", args=[closed.pk]))
    body = client.get(reverse("missions:mission_detail", args=[closed.pk])).content.decode()
    slot = closed.slots.get()
    for name in ("slot_exclusion_add", "assignment_create"):
        assert reverse(f"missions:{name}", args=[slot.pk]) not in body
    assert "other__search" not in body and "Swap the expert" not in body
    assert "Ana Lima" in body  # who took part is still shown
    # No pool, no rule data: fewer queries than an open mission's page.
    assert closed_weight.queries < open_weight.queries
    assert closed_weight.size < open_weight.size


def test_an_open_slot_of_a_closed_mission_offers_no_assign_form(client, personas):
    cancelled = persona_mission(personas, status=MissionStatus.CANCELLED)
    client.force_login(personas.secretariat)
    body = client.get(reverse("missions:mission_detail", args=[cancelled.pk])).content.decode()
    assert reverse("missions:assignment_create", args=[cancelled.slots.get().pk]) not in body
    assert "Nobody holds this slot yet." in body


def _missions(p: Personas, n: int) -> None:
    request = make_request(administrations=[p.admin_a], focal_point=p.member)
    for _ in range(n):
        make_mission(requests=[request])


def test_the_plan_weighs_one_page_whatever_the_missions(client, personas):
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_list")
    _missions(personas, 52)
    before = weigh(client, url)
    _missions(personas, 52)
    after = weigh(client, url)
    assert_same_weight(before, after)
    assert "Page 1 of 3" in client.get(url).content.decode()


def _open_slots(p: Personas, n: int) -> None:
    request = make_request(administrations=[p.admin_c])
    for _ in range(n):
        make_mission(requests=[request], beneficiaries=[p.admin_c], language="fr")


def test_the_matrix_weighs_one_page_whatever_the_slots_and_the_members_experts(client, personas):
    client.force_login(personas.member)  # Senegal offers its experts for Kenya's slots
    url = reverse("missions:matrix")
    _open_slots(personas, 52)
    pool(personas.admin_a, 31, prefix="Sene")
    before = weigh(client, url)
    body = client.get(url).content.decode()
    # Above thirty experts of the category, the suggestions and a search by name.
    assert 'name="other__search"' in body
    assert body.count("Sene0030") <= 50
    _open_slots(personas, 52)
    pool(personas.admin_a, 31, prefix="Sana")
    after = weigh(client, url)
    assert_same_weight(before, after)


def test_a_member_offers_an_expert_found_by_name_and_only_its_own(client, personas):
    request = make_request(administrations=[personas.admin_c])
    mission = make_mission(requests=[request], beneficiaries=[personas.admin_c])
    slot = mission.slots.get()
    pool(personas.admin_a, 31, prefix="Sene")
    make_expert(home_administration=personas.admin_b, first_name="Zed", last_name="Foreign")
    client.force_login(personas.member)
    url = reverse("missions:matrix_offer", args=[slot.pk])
    response = client.post(url, {"other__search": "Foreign"})
    assert response.status_code == 200
    assert "nothing matches" in response.content.decode()
    assert not slot.offers.exists()
    response = client.post(url, {"other__search": "Sene0007"})
    assert response.status_code == 302
    assert slot.offers.get().expert.last_name == "Sene0007"


def test_a_page_of_slots_loads_only_the_experts_whose_profile_fits_and_their_recent_bookings(
    personas,
):
    from renfort.missions.candidates import slots_pool

    mission = persona_mission(personas, slots=[(TECH, {"risk_management": 3})])
    fitting = pool(personas.admin_b, 3, prefix="Fit")
    pool(personas.admin_b, 3, prefix="Low", skills={"risk_management": 1})
    pool(personas.admin_b, 3, prefix="Trn", categories=(Category.SPECIALIZED_TRAINER,))
    pool(personas.admin_a, 3, prefix="Ben")  # from the beneficiary
    history(personas.admin_c, fitting)  # earlier years: nothing the rules read
    loaded = slots_pool(list(mission.slots.all()), [personas.admin_a])
    assert {e.last_name for e in loaded.experts} == {e.last_name for e in fitting} | {"Lima"}
    assert not any(loaded.bookings.values())


def test_the_slot_lookup_pages_the_pool_with_those_who_fit_first(
    client, personas, django_assert_max_num_queries
):
    mission = persona_mission(personas, slots=[(TECH, {"risk_management": 3})])
    slot = mission.slots.get()
    pool(personas.admin_b, 25, prefix="Low", skills={"risk_management": 1})
    pool(personas.admin_b, 2, prefix="Zfit")  # they fit, and come last by name
    url = reverse("missions:slot_experts")
    client.force_login(personas.member)
    assert client.get(url, {"slot": slot.pk}).status_code == 403
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(8):
        data = client.get(url, {"slot": slot.pk}).json()
    assert len(data["results"]) == 20 and data["more"]
    first = [r["text"] for r in data["results"][:4]]
    assert first[:3] == [
        "Ana Lima (French Customs) · fits the slot's profile",
        "Zfit Zfit0000 (French Customs) · fits the slot's profile",
        "Zfit Zfit0001 (French Customs) · fits the slot's profile",
    ]
    assert first[3].startswith("Low Low0000") and "fits" not in first[3]
    found = client.get(url, {"slot": slot.pk, "q": "zfit", "page": 1}).json()
    assert [r["text"].split(" (")[0] for r in found["results"]] == [
        "Zfit Zfit0000",
        "Zfit Zfit0001",
    ]
    # Without a slot (or with an unknown one), the pool by name.
    plain = client.get(url, {"slot": "x"}).json()
    assert plain["results"][0]["text"] == "Ana Lima (French Customs)"
    # The mission's page points its pool search there.
    body = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert f"{url}?slot={slot.pk}" in body
