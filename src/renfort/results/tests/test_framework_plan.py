"""The year's delivery plan: its content read from the year's missions (by region, level and
topic, with their objectives), drafted, approved and published by the secretariat through its
page, read by the members once published (page and PDF), and the queries it costs."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renfort.accounts.models import Notification
from renfort.missions.models import MissionStatus
from renfort.results.delivery_plan_contents import plan_counts
from renfort.results.models import DeliveryPlan, DeliveryPlanStatus
from renfort.results.services import delivery_plan_create, delivery_plan_transition
from renfort.results.tests.framework_world import PERSONAS, YEAR, World, day, make_world, user
from renfort.roster.models import Category
from renfort.testing import Personas, make_mission, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas) -> World:
    w = make_world(personas)
    p = personas
    regional = make_mission(
        requests=[
            make_request(administrations=[p.admin_a], focal_point=p.member),
            make_request(administrations=[p.admin_c], focal_point=p.outsider),
        ],
        window=(day(5), day(6, 30), 5),
        level="tactical",
        title="Regional AEO seminar",
        reference=f"M-{YEAR}-101",
        slots=((Category.MODERNIZATION_ADVISER, {"aeo": 3}),),
    )
    w.kenya.missions.add(regional)
    make_mission(beneficiaries=[p.admin_c], start=day(4), status=MissionStatus.CANCELLED)
    make_mission(beneficiaries=[p.admin_c], start=day(4, year=YEAR + 1), title="Next year")
    return w


def _as(client: Client, who) -> Client:
    client.force_login(who)
    return client


def _plan_url(name: str = "delivery_plan_detail") -> str:
    return reverse(f"results:{name}", args=[YEAR])


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _published(w: World) -> DeliveryPlan:
    plan = delivery_plan_create(year=YEAR, by=w.p.secretariat)
    delivery_plan_transition(plan=plan, to_status=DeliveryPlanStatus.APPROVED, by=w.p.secretariat)
    return delivery_plan_transition(
        plan=plan, to_status=DeliveryPlanStatus.PUBLISHED, by=w.p.secretariat
    )


def test_the_plan_counts_the_years_missions_by_region_level_and_topic(world: World) -> None:
    counts = plan_counts(YEAR)
    regions = {g.code: g.missions for g in counts.by_region}
    levels = {g.code: g.missions for g in counts.by_level}
    topics = {g.code: g.missions for g in counts.by_topic}
    # The cancelled mission and next year's are left out; the regional one counts in both
    # regions of its beneficiaries.
    assert (counts.missions, counts.beneficiaries, counts.with_objectives) == (2, 2, 2)
    assert (regions["WCA"], regions["ESA"], regions["EUR"]) == (2, 1, 0)
    assert levels == {"strategic": 0, "tactical": 1, "operational": 1}
    assert topics == {"risk_management": 1, "aeo": 1}
    assert counts.topics == 2 and counts.other_topics == 0


def test_the_secretariat_drafts_approves_and_publishes_the_plan(
    client: Client, world: World, django_capture_on_commit_callbacks
) -> None:
    c = _as(client, world.p.secretariat)
    page = c.get(_plan_url()).content.decode()
    assert f"Draft the plan of {YEAR}" in page and "Not drafted" in page
    assert c.post(_plan_url("delivery_plan_draft")).status_code == 302
    page = c.get(_plan_url()).content.decode()
    assert "Approve the plan" in page
    # Only the secretariat reads a draft.
    assert _as(Client(), world.p.member).get(_plan_url()).status_code == 404
    c.post(_plan_url("delivery_plan_status"), {"to_status": "approved"})
    assert DeliveryPlan.objects.get(year=YEAR).status == DeliveryPlanStatus.APPROVED
    confirm = c.get(_plan_url("delivery_plan_publish")).content.decode()
    assert (
        "A published plan cannot be withdrawn" in confirm and "The plan lists 2 missions" in confirm
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(_plan_url("delivery_plan_publish"))
    assert response.status_code == 302
    plan = DeliveryPlan.objects.get(year=YEAR)
    assert plan.status == DeliveryPlanStatus.PUBLISHED and plan.published_at is not None
    told = set(
        Notification.objects.filter(code="delivery_plan.published").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"member", "lender", "outsider"} <= told


def test_refused_transitions_change_nothing(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    c.post(_plan_url("delivery_plan_draft"))
    # A draft is not published; an unknown status is not taken; a second draft is refused.
    response = c.post(_plan_url("delivery_plan_publish"), follow=True)
    assert "cannot go from Draft to Published" in response.content.decode()
    response = c.post(_plan_url("delivery_plan_status"), {"to_status": "published"}, follow=True)
    assert "Status: choose approve or back to draft." in response.content.decode()
    response = c.post(_plan_url("delivery_plan_draft"), follow=True)
    assert f"the delivery plan of {YEAR} exists already" in response.content.decode()
    assert DeliveryPlan.objects.get(year=YEAR).status == DeliveryPlanStatus.DRAFT
    assert DeliveryPlan.objects.count() == 1
    assert c.get(reverse("results:delivery_plan_detail", args=[1999])).status_code == 404
    assert c.post(reverse("results:delivery_plan_draft", args=[2101])).status_code == 404
    assert not DeliveryPlan.objects.filter(year=2101).exists()


def test_once_published_every_role_but_experts_reads_the_plan(client: Client, world: World) -> None:
    _published(world)
    for who in PERSONAS:
        c = _as(client, user(world, who))
        expected = 403 if who == "expert_user" else 200
        assert c.get(_plan_url()).status_code == expected, who
        assert c.get(_plan_url("delivery_plan_file")).status_code == expected, who
        listing = c.get(reverse("results:delivery_plan_list"))
        assert listing.status_code == expected, who
        if expected == 200:
            assert [p.year for p in listing.context["page"].object_list] == [YEAR]
    # Another year, not published: 404 to a member, the page (with "draft it") to the secretariat.
    assert (
        _as(client, world.p.member)
        .get(reverse("results:delivery_plan_detail", args=[YEAR + 1]))
        .status_code
        == 404
    )
    assert (
        _as(client, world.p.secretariat)
        .get(reverse("results:delivery_plan_detail", args=[YEAR + 1]))
        .status_code
        == 200
    )


def test_the_published_plan_links_only_what_the_reader_may_open(
    client: Client, world: World
) -> None:
    _published(world)
    response = _as(client, world.p.donor).get(_plan_url())
    rows = {m.reference: m for m in response.context["rows"]}
    regional = rows[f"M-{YEAR}-101"]
    assert [o.title for o in regional.result_objectives.all()] == ["Kenyan AEO"]
    # The donor funds Senegal's mission only, and reads the objectives of its agreement and of
    # the missions it funds: every mission of the plan is listed, only what it may open is linked.
    assert response.context["openable_missions"] == {world.mission.pk}
    assert response.context["openable_objectives"] == {world.senegal.pk}
    body = response.content.decode()
    assert reverse("missions:mission_detail", args=[world.mission.pk]) in body
    assert reverse("missions:mission_detail", args=[regional.pk]) not in body
    assert reverse("results:objective_detail", args=[world.kenya.pk]) not in body
    assert "Kenyan AEO" in body and "Faster clearance" in body
    assert "window, dates to be set" in body
    # Senegal, a beneficiary of both, opens both missions and their objectives.
    response = _as(client, world.p.member).get(_plan_url())
    assert response.context["openable_missions"] == {m.pk for m in rows.values()}
    assert response.context["openable_objectives"] == {world.senegal.pk, world.kenya.pk}


def test_the_plan_filters_by_region_level_and_topic(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)

    def refs(**query: str) -> list[str]:
        return [m.reference for m in c.get(_plan_url(), query).context["rows"]]

    assert refs() == [world.mission.reference, f"M-{YEAR}-101"]
    assert refs(region="ESA") == [f"M-{YEAR}-101"]
    assert refs(level="operational") == [world.mission.reference]
    assert refs(topic="aeo") == [f"M-{YEAR}-101"]
    assert refs(region="EUR") == []


def test_the_pdf_names_the_year_and_its_missions(client: Client, world: World) -> None:
    _published(world)
    response = _as(client, world.p.donor).get(_plan_url("delivery_plan_file"))
    assert response["Content-Type"] == "application/pdf"
    assert f"delivery-plan-{YEAR}-en.pdf" in response["Content-Disposition"]
    text = " ".join(_pdf_text(response.content).split())
    assert f"Delivery plan {YEAR}" in text
    assert world.mission.reference in text and f"M-{YEAR}-101" in text
    assert "Faster clearance" in text and "West & Central Africa" in text
    french = _as(client, world.p.donor).get(
        _plan_url("delivery_plan_file"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert f"Plan de réalisation {YEAR}" in _pdf_text(french.content)


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_plan_costs_the_same_queries_with_more_missions(client: Client, world: World) -> None:
    _published(world)
    c = _as(client, world.p.member)
    small = (_count(c, _plan_url()), _count(c, _plan_url("delivery_plan_file")))
    for n in range(30):
        mission = make_mission(
            beneficiaries=[world.p.admin_a],
            start=day(1 + n % 12, 10),
            slots=((Category.SPECIALIZED_TRAINER, {"aeo": 2, "risk_management": 2}),),
        )
        world.senegal.missions.add(mission)
    assert (_count(c, _plan_url()), _count(c, _plan_url("delivery_plan_file"))) == small
    assert max(small) <= 25, small
    page = c.get(_plan_url())
    assert len(page.context["rows"]) == 25 and page.context["counts"].missions == 32
