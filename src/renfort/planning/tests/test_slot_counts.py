"""Counts while a slot is being defined: the add-slot form on the mission's page says at once
how many experts its needs find and how many of those are free, in a fixed number of queries,
in English and French, for the secretariat only; without JavaScript after a refused submit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from renfort.missions.models import Mission, Slot
from renfort.roster.models import Category
from renfort.testing import Personas, make_expert, make_member, next_year, persona_mission

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT


@pytest.fixture
def world(personas: Personas) -> dict[str, Any]:
    """A mission in French for Senegal, 2-6 March next year. Asking risk management 3 of a
    technical expert: the persona expert (France) qualifies and is free; Bea qualifies but is
    away; Carl speaks English only; Dan comes from Senegal, a beneficiary."""
    de = make_member("DE", languages=("de",))
    mission = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    make_expert(
        home_administration=de,
        first_name="Bea",
        unavailable=[(next_year(3, 1), next_year(3, 10))],
    )
    make_expert(home_administration=de, first_name="Carl", languages=("en",))
    make_expert(home_administration=personas.admin_a, first_name="Dan")
    return {"p": personas, "mission": mission}


def counts_url(mission: Mission, level: int = 3, **extra: str) -> str:
    query = {"category": TECH, "topic_1": "risk_management", "level_1": str(level), **extra}
    return (
        reverse("planner:slot_counts", args=[mission.pk])
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


def read(client: Client, url: str, language: str = "en") -> str:
    with translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_counts_follow_the_needs_in_english_and_french(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(world["p"].secretariat)
    mission = world["mission"]
    english = read(client, counts_url(mission))
    assert (
        "With these needs 2 experts of the pool qualify (they speak French and come from no "
        "beneficiary country). 1 of them is free in the mission's dates or window."
    ) in english
    french = read(client, counts_url(mission), "fr")
    assert "Avec ces exigences, 2 experts du vivier ont le profil" in french
    assert "1 d’entre eux est libre aux dates ou dans la fenêtre de la mission." in french
    nobody = read(client, counts_url(mission, level=4))
    assert "With these needs no expert of the pool qualifies" in nobody
    assert "aucun expert du vivier n’a le profil" in read(client, counts_url(mission, 4), "fr")


def test_the_queries_do_not_grow_with_the_pool(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["p"].secretariat)
    url = counts_url(world["mission"], topic_2="aeo", level_2="1")
    with CaptureQueriesContext(connection) as few:
        read(client, url)
    de = make_member("DE", languages=("de",))
    for n in range(12):
        make_expert(home_administration=de, first_name=f"More{n}", skills={"risk_management": 4})
    with CaptureQueriesContext(connection) as many:
        read(client, url)
    assert len(many.captured_queries) == len(few.captured_queries) <= 9


def test_only_the_secretariat_asks(client: Client, world: dict[str, Any]) -> None:
    p, url = world["p"], counts_url(world["mission"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    for user in (p.regional, p.member, p.lender, p.donor, p.expert_user, p.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403, user.username
    client.force_login(p.secretariat)
    assert client.get(url).status_code == 200
    missing = reverse("planner:slot_counts", args=[world["mission"].pk + 1000])
    assert client.get(missing).status_code == 404
    assert client.post(url).status_code == 405


def test_the_form_asks_on_change_and_counts_after_a_refused_submit(
    client: Client, world: dict[str, Any]
) -> None:
    """Without JavaScript: a submit that fails (the same topic twice) draws the page again
    with the form's values kept and the counts for them; no slot is added."""
    mission = world["mission"]
    client.force_login(world["p"].secretariat)
    page = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert f'hx-get="{reverse("planner:slot_counts", args=[mission.pk])}"' in page
    assert 'id="slot-counts"' in page and "With these needs" not in page
    before = list(Slot.objects.filter(mission=mission).values_list("pk", flat=True))
    response = client.post(
        reverse("missions:slot_add", args=[mission.pk]),
        {
            "category": TECH,
            "topic_1": "risk_management",
            "level_1": "3",
            "topic_2": "risk_management",
            "level_2": "2",
        },
    )
    text = " ".join(response.content.decode().split())
    assert "This topic is already required above." in text
    assert "With these needs 2 experts of the pool qualify" in text
    assert list(Slot.objects.filter(mission=mission).values_list("pk", flat=True)) == before
