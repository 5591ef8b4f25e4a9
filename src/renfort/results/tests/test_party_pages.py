"""What each party's page shows, with demo-like data made through the services: the figures,
the charts (server-rendered SVG with the numbers beside them), who reads per-expert ratings
(the expert, her home administration, the secretariat) and who reads aggregates only (donors,
regions), the year selector, and the pages in French."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.results.figures.access import expert_party
from renfort.results.figures.experts import track_record
from renfort.results.tests.factories import TODAY
from renfort.results.tests.party_world import ANA_COMMENT, BRUNO_COMMENT, World, make_world
from renfort.testing import make_assignment, persona_mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas) -> World:
    return make_world(personas, missions=2)


def page(client: Client, user, name: str, *args: object, language: str = "en") -> str:
    client.force_login(user)
    url = reverse(f"results:{name}", args=list(args))
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_track_record_counts_missions_days_topics_and_her_ratings(
    client: Client, world: World
) -> None:
    p = world.p
    # An upcoming mission counts apart, and a cancelled one not at all.
    upcoming = persona_mission(p, status=MissionStatus.CONFIRMED, title="Upcoming AEO workshop")
    make_assignment(upcoming.slots.get(), p.expert, status=AssignmentStatus.CONFIRMED)
    html = page(client, p.expert_user, "expert_record", p.expert.pk)
    record = track_record(expert_party(p.expert_user, p.expert.pk))
    assert (record.missions.delivered, record.missions.upcoming) == (2, 1)
    assert record.days == 10  # two missions of five days
    assert record.topics.count == 1 and record.topics.top[0][1] == 2
    assert (record.ratings.count, record.ratings.mean) == (2, 5.0)
    assert "Track record: Ana Lima" in html and "French Customs" in html
    assert world.missions[0].reference in html and "Upcoming AEO workshop" in html
    assert ANA_COMMENT in html and BRUNO_COMMENT not in html  # her own ratings only
    assert html.count('<svg role="img"') == 2  # days by year, missions by topic
    assert reverse("results:expert_certificate", args=[p.expert.pk]) in html


def test_the_home_administration_reads_each_experts_ratings(client: Client, world: World) -> None:
    p = world.p
    html = page(client, p.lender, "lending", p.admin_b.pk)
    assert "Contribution of French Customs" in html
    assert ANA_COMMENT in html and BRUNO_COMMENT in html
    assert "Bruno Sousa" in html and reverse("results:expert_record", args=[p.expert.pk]) in html
    # Its experts' track records open to it too, with their comments.
    assert BRUNO_COMMENT in page(client, p.lender, "expert_record", world.bruno.pk)
    # The secretariat reads them as well.
    assert ANA_COMMENT in page(client, p.secretariat, "lending_ratings", p.admin_b.pk)


def test_donors_see_spending_and_aggregates_never_one_experts_rating(
    client: Client, world: World
) -> None:
    p = world.p
    html = page(client, p.donor, "donor", p.donor_agency.pk)
    assert "What Nordic Development Agency funds" in html
    assert world.agreement.reference in html
    # Budget 10,000; two missions of 500 each committed (closed); 400 spent on each.
    assert "10,000.00" in html and "1,000.00" in html and "800.00" in html
    assert "8 %" in html  # 800 of 10,000
    assert ANA_COMMENT not in html and BRUNO_COMMENT not in html
    assert "Ana Lima" not in html and "Bruno Sousa" not in html
    assert "4.5/5" in html  # the mean of the expert ratings: 5, 4, 5, 4
    # The falling indicator (48 → 24 hours, 36 measured) is half way.
    assert "Average release time" in html and "50 %" in html
    # The region reads aggregates only as well.
    region = page(client, p.regional, "region", "WCA")
    assert ANA_COMMENT not in region and "Senegal Customs" in region


def test_the_beneficiary_sees_assistance_follow_ups_and_progress(
    client: Client, world: World
) -> None:
    p = world.p
    html = page(client, p.member, "beneficiary", p.admin_a.pk)
    assert "Assistance received by Senegal Customs" in html
    assert "Publish the risk profiles (Ana Lima)" in html  # an open follow-up action it owns
    actions = html.split('id="follow-ups-title"')[1].split("</section>")[0]
    assert "Publish the risk profiles (Bruno Sousa)" in actions
    assert f'href="{reverse("results:follow_up_list")}"' not in actions  # all four fit here
    assert "Average release time" in html and "50 %" in html
    assert world.missions[1].reference in html
    assert "20" in html  # expert days received: two experts, two missions of five days


def test_long_lists_link_to_their_full_paginated_list(client: Client, personas) -> None:
    world = make_world(personas, missions=11)
    p = world.p
    html = page(client, p.expert_user, "expert_record", p.expert.pk)
    full = reverse("results:expert_missions", args=[p.expert.pk])
    assert full in html and "See all 11 missions" in html
    assert "See all 11 ratings" in html
    latest = html.split('id="ratings-title"')[0]
    assert world.missions[0].reference in latest  # the latest mission first
    assert world.missions[-1].reference not in latest  # the earliest on the full list only
    listed = page(client, p.expert_user, "expert_missions", p.expert.pk)
    assert world.missions[-1].reference in listed and "11 missions" in listed


def test_the_region_lists_its_members_with_their_figures(client: Client, world: World) -> None:
    p = world.p
    html = page(client, p.secretariat, "region", "WCA")
    assert "Results in West &amp; Central Africa" in html
    # The secretariat opens each member's page from here; the regional coordinator cannot.
    assert reverse("results:beneficiary", args=[p.admin_a.pk]) in html
    assert reverse("results:beneficiary", args=[p.admin_a.pk]) not in page(
        client, p.regional, "region", "WCA"
    )


def test_the_year_in_numbers(client: Client, world: World) -> None:
    p = world.p
    this_year = TODAY.year
    html = page(client, p.secretariat, "year")
    assert f"The year {this_year} in numbers" in html
    assert "100 %" in html  # both slots of each mission held by an expert who took part
    assert "French Customs" in html and "Senegal Customs" in html and "Ana Lima" in html
    assert reverse("results:lending", args=[p.admin_b.pk]) in html
    assert html.count('<svg role="img"') == 4
    client.force_login(p.secretariat)
    bad = client.get(reverse("results:year"), {"year": "1999"}).content.decode()
    assert "Year: “1999” is not a year with data" in bad
    assert f'<option value="{this_year}" selected>' in html


def test_pages_in_french(client: Client, world: World) -> None:
    p = world.p
    checks: list[tuple[object, str, list[object], str]] = [
        (p.expert_user, "expert_record", [p.expert.pk], "Parcours\u00a0: Ana Lima"),
        (p.lender, "lending", [p.admin_b.pk], "Contribution de French Customs"),
        (p.donor, "donor", [p.donor_agency.pk], "Ce que finance Nordic Development Agency"),
        (p.member, "beneficiary", [p.admin_a.pk], "Assistance reçue par Senegal Customs"),
        (p.regional, "region", ["WCA"], "Résultats\u00a0: Afrique occidentale et centrale"),
        (p.secretariat, "year", [], "en chiffres"),
    ]
    for user, name, args, text in checks:
        html = page(client, user, name, *args, language="fr")
        assert '<html lang="fr">' in html
        assert text in html, name
        assert "Download these results" not in html, name
