"""The audit trail's pages: each object's page shows its last changes to those who may open
it; the full history pages like it; only the secretariat searches every change."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from renfort.lib.audit import acting_as
from renfort.missions.models import Mission
from renfort.missions.services import assignment_pin
from renfort.testing import Personas, make_assignment, persona_mission

pytestmark = pytest.mark.django_db
SEARCH = reverse("audit_search")


def _changed_mission(p: Personas, times: int = 1) -> Mission:
    mission = persona_mission(p, title="Before")
    for n in range(times):
        with acting_as(p.secretariat):
            mission.title = f"Title {n}"
            mission.save()
    return mission


def test_a_change_made_on_a_page_names_the_signed_in_person(client, personas: Personas) -> None:
    mission = persona_mission(personas)
    assignment = make_assignment(mission.slots.get(), personas.expert, status="invited")
    client.force_login(personas.secretariat)
    url = reverse("missions:assignment_pin", args=[assignment.pk])
    client.post(url, {"pinned": "1"})
    assignment.refresh_from_db()
    assert assignment.pinned
    last = assignment.field_history.order_by("-history_id").first()
    assert last.history_user == personas.secretariat and last.history_actor == ""


def test_the_mission_page_shows_its_history_to_those_who_may_open_it(
    client, personas: Personas
) -> None:
    mission = _changed_mission(personas)
    url = reverse("missions:mission_detail", args=[mission.pk])
    client.force_login(personas.member)
    page = client.get(url).content.decode()
    assert "Change history" in page and "Title 0" in page and "Before" in page
    assert str(personas.secretariat) in page
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404


def test_the_history_on_a_page_is_bounded(
    client, personas: Personas, django_assert_max_num_queries
) -> None:
    mission = _changed_mission(personas, times=25)
    assignment = make_assignment(mission.slots.get(), personas.expert, status="invited")
    with acting_as(personas.secretariat):
        assignment_pin(assignment=assignment, pinned=True)
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_detail", args=[mission.pk])
    client.get(url)
    with django_assert_max_num_queries(80):
        page = client.get(url).content.decode()
    assert page.count('<li><time datetime="') <= 20 + 40  # status history + 20 changes
    more = reverse("audit_object", args=["missions.mission", mission.pk])
    assert more in page


def test_every_change_page_answers_only_those_who_may_open_the_object(
    client, personas: Personas
) -> None:
    mission = _changed_mission(personas, times=3)
    url = reverse("audit_object", args=["missions.mission", mission.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(personas.member)
    page = client.get(url)
    assert page.status_code == 200 and "Title 2" in page.content.decode()
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("audit_object", args=["accounts.user", 1])).status_code == 404


def test_only_the_secretariat_searches_every_change(client, personas: Personas) -> None:
    _changed_mission(personas)
    assert client.get(SEARCH).status_code == 302
    for user in (personas.member, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.get(SEARCH).status_code == 403
    client.force_login(personas.secretariat)
    assert client.get(SEARCH).status_code == 200


def test_the_search_filters_by_kind_person_period_and_reference(
    client, personas: Personas, django_assert_max_num_queries
) -> None:
    mission = _changed_mission(personas)
    other = persona_mission(personas, title="Other")
    with acting_as("task:planner_run"):
        other.title = "Renamed by the planner"
        other.save()
    client.force_login(personas.secretariat)
    query = {"kind": "missions.mission", "reference": mission.reference}
    with django_assert_max_num_queries(20):
        page = client.get(SEARCH, query).content.decode()
    assert "Title 0" in page and "Renamed by the planner" not in page
    page = client.get(SEARCH, {"who": "planner"}).content.decode()
    assert "Renamed by the planner" in page and "Title 0" not in page
    page = client.get(SEARCH, {"since": "2000-01-01", "until": "2000-01-02"}).content.decode()
    assert "Title 0" not in page


def test_a_search_with_days_in_the_wrong_order_says_which_field(client, personas) -> None:
    client.force_login(personas.secretariat)
    response = client.get(SEARCH, {"since": "2027-05-02", "until": "2027-05-01"})
    assert response.status_code == 200
    assert "To: the last day is before the first day." in response.content.decode()
    response = client.get(SEARCH, {"since": "1900-01-01"})
    assert response.status_code == 200 and response.context["form"].errors["since"]


def test_the_expert_page_names_the_skill_that_changed(client, personas: Personas) -> None:
    from renfort.roster.services import expert_update_profile

    skill = personas.expert.skills.select_related("topic").first()
    assert skill is not None
    levels = {s.topic.code: s.level for s in personas.expert.skills.select_related("topic")}
    levels[skill.topic.code] = 1 if skill.level != 1 else 2
    with acting_as(personas.expert_user):
        expert_update_profile(expert=personas.expert, skills=levels)
    client.force_login(personas.lender)
    url = reverse("roster:expert_detail", args=[personas.expert.pk])
    page = client.get(url).content.decode()
    assert f"Skill {skill.topic}" in page
    assert f"Level: {skill.level} → {levels[skill.topic.code]}" in page
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["request", "agreement", "indicator"])
def test_the_other_pages_show_their_history(client, personas: Personas, page: str) -> None:
    from decimal import Decimal

    from renfort.results.models import Indicator, Objective

    mission = persona_mission(personas)
    obj: Any
    if page == "request":
        obj = mission.requests.get()
        obj.title = "Renamed request"
        url = reverse("assistance:request_detail", args=[obj.pk])
    elif page == "agreement":
        obj = mission.agreements.get()
        obj.title = "Renamed agreement"
        url = reverse("agreements:agreement_detail", args=[obj.pk])
    else:
        objective = Objective.objects.create(title="Faster releases", level="operational")
        obj = Indicator.objects.create(objective=objective, name="Days", baseline=10, target=5)
        obj.target = Decimal(4)
        url = reverse("results:indicator_detail", args=[obj.pk])
    with acting_as(personas.secretariat):
        obj.save()
    client.force_login(personas.secretariat)
    body = client.get(url).content.decode()
    assert "Change history" in body and str(personas.secretariat) in body
