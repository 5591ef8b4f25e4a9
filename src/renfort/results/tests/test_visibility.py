"""Who reads which evaluation: per-expert ratings go to the expert, the secretariat and the
expert's home administration (and the beneficiary who wrote them); donors and other parties
read averages; another party's mission answers 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renfort.results.models import FollowUpAction
from renfort.results.services import (
    ExpertRatingSpec,
    FollowUpSpec,
    evaluation_submit,
    mission_report_submit,
)
from renfort.results.tests.factories import TODAY, delivered, user_of
from renfort.roster.models import Expert
from renfort.testing import Personas, make_expert, make_member, make_user

pytestmark = pytest.mark.django_db

ANA_COMMENT = "Ana explained the risk engine clearly."
OMAR_COMMENT = "Omar ran the sessions late."
MISSION_COMMENT = "The workshop changed how we profile."


@pytest.fixture
def evaluated(personas: Personas) -> tuple[object, Expert]:
    """A closed mission for Senegal with two experts: Ana (lent by France) and Omar (lent by
    Morocco), each rated by Senegal."""
    morocco = make_member("MA", "MENA", name="Moroccan Customs")
    make_user("member", morocco, username="morocco")
    omar_user = make_user(
        "expert", morocco, username="omar", first_name="Omar", last_name="Idrissi"
    )
    omar = make_expert(
        home_administration=morocco, first_name="Omar", last_name="Idrissi", user=omar_user
    )
    mission = delivered(personas, experts=(personas.expert, omar))
    for expert in (personas.expert, omar):
        mission_report_submit(
            mission=mission, author=expert, by=user_of(expert), activities="Done."
        )
    evaluation_submit(
        mission=mission,
        by=personas.member,
        rating=4,
        comments=MISSION_COMMENT,
        expert_ratings=[
            ExpertRatingSpec(personas.expert, 5, ANA_COMMENT),
            ExpertRatingSpec(omar, 2, OMAR_COMMENT),
        ],
    )
    return mission, omar


def page(client: Client, user, mission) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("results:evaluation_detail", args=[mission.pk]))
    return response.status_code, response.content.decode()


def test_the_secretariat_reads_everything(client: Client, personas: Personas, evaluated):
    mission, _omar = evaluated
    status, html = page(client, personas.secretariat, mission)
    assert status == 200
    assert MISSION_COMMENT in html and ANA_COMMENT in html and OMAR_COMMENT in html


def test_the_beneficiary_reads_what_it_wrote(client: Client, personas: Personas, evaluated):
    mission, _omar = evaluated
    status, html = page(client, personas.member, mission)
    assert status == 200
    assert MISSION_COMMENT in html and ANA_COMMENT in html and OMAR_COMMENT in html


def test_an_expert_reads_their_own_ratings_only(client: Client, personas: Personas, evaluated):
    mission, omar = evaluated
    status, html = page(client, personas.expert_user, mission)
    assert status == 200
    assert ANA_COMMENT in html and OMAR_COMMENT not in html
    status, html = page(client, omar.user, mission)
    assert OMAR_COMMENT in html and ANA_COMMENT not in html


def test_a_home_administration_reads_its_experts_ratings(
    client: Client, personas: Personas, evaluated
):
    mission, _omar = evaluated
    status, html = page(client, personas.lender, mission)  # France lends Ana
    assert status == 200
    assert ANA_COMMENT in html and OMAR_COMMENT not in html
    assert MISSION_COMMENT not in html
    from renfort.accounts.models import User

    status, html = page(client, User.objects.get(username="morocco"), mission)
    assert OMAR_COMMENT in html and ANA_COMMENT not in html


@pytest.mark.parametrize("who", ["donor", "regional"])
def test_donors_read_averages_only(client: Client, personas: Personas, evaluated, who):
    mission, _omar = evaluated
    status, html = page(client, getattr(personas, who), mission)
    assert status == 200
    assert "3.5 out of 5" in html  # the experts' average: (5 + 2) / 2
    assert "4.0 out of 5" in html  # the mission's rating
    for text in (MISSION_COMMENT, ANA_COMMENT, OMAR_COMMENT):
        assert text not in html
    assert "5 / 5" not in html and "2 / 5" not in html


def test_another_party_gets_404(client: Client, personas: Personas, evaluated):
    mission, _omar = evaluated
    status, _html = page(client, personas.outsider, mission)
    assert status == 404
    stranger = make_user("expert", personas.admin_b, username="stranger")
    make_expert(home_administration=personas.admin_b, user=stranger)
    assert page(client, stranger, mission)[0] == 404


def test_the_evaluation_page_keeps_its_query_budget(
    client: Client, personas: Personas, evaluated, django_assert_max_num_queries
):
    mission, _omar = evaluated
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("results:evaluation_detail", args=[mission.pk]))
    assert response.status_code == 200


# --- follow-up actions ------------------------------------------------------------------------


def _actions(p: Personas, n: int = 3) -> list[FollowUpAction]:
    mission = delivered(p)
    later = TODAY.replace(year=TODAY.year + 1)
    mission_report_submit(
        mission=mission,
        author=p.expert,
        by=p.expert_user,
        activities="Done.",
        follow_ups=[FollowUpSpec(f"Senegal action {i}", p.admin_a, later) for i in range(n)]
        + [FollowUpSpec("Secretariat action", p.secretariat_org, later)],
    )
    return list(FollowUpAction.objects.order_by("pk"))


@pytest.mark.parametrize(
    ("who", "status", "sees"),
    [
        ("member", 200, ["Senegal action 0"]),
        ("secretariat", 200, ["Secretariat action"]),
        ("regional", 200, ["Senegal action 0"]),
        ("outsider", 200, []),
        ("donor", 403, None),
        ("expert_user", 403, None),
    ],
)
def test_the_follow_up_list_shows_what_a_party_owns(
    client: Client, personas: Personas, who, status, sees
) -> None:
    _actions(personas)
    client.force_login(getattr(personas, who))
    response = client.get(reverse("results:follow_up_list"))
    assert response.status_code == status
    if sees is None:
        return
    html = response.content.decode()
    for text in ("Senegal action 0", "Secretariat action"):
        assert (text in html) == (text in sees), (who, text)


def test_the_secretariat_lists_everyones_actions(client: Client, personas: Personas) -> None:
    _actions(personas)
    client.force_login(personas.secretariat)
    html = client.get(reverse("results:follow_up_list") + "?owner=all").content.decode()
    assert "Senegal action 0" in html and "Secretariat action" in html


def test_the_follow_up_list_is_paginated_within_its_budget(
    client: Client, personas: Personas, django_assert_max_num_queries
) -> None:
    for _ in range(4):
        _actions(personas, n=9)  # 36 actions for Senegal
    client.force_login(personas.member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("results:follow_up_list"))
    html = response.content.decode()
    assert html.count("Senegal action") == 25
    assert "Page 1 of 2" in html


def test_the_owner_marks_an_action_done_on_its_page(client: Client, personas: Personas) -> None:
    action = _actions(personas, n=1)[0]
    url = reverse("results:follow_up_detail", args=[action.pk])
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "Mine?"}).status_code == 404
    client.force_login(personas.regional)
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "Region says so."}).status_code == 403
    client.force_login(personas.member)
    empty = client.post(url, {"note": ""})
    assert "There is a problem" in empty.content.decode()
    assert client.post(url, {"note": "Adopted."}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_note) == ("done", "Adopted.")
    html = client.get(reverse("results:follow_up_list") + "?show=done").content.decode()
    assert "Senegal action 0" in html
