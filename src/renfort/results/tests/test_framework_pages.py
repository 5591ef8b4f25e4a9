"""The objectives and indicators pages: the list and its filters, the secretariat's forms (links
by reference, the error summary, nothing written on a refusal), an indicator's progress in
words, percent and chart (a falling one draws its target below its baseline), recording a
value, French, and the queries each page costs."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renfort.results.models import Indicator, IndicatorActual, Objective
from renfort.results.services import indicator_actual_record, indicator_create, objective_create
from renfort.results.tests.framework_world import YEAR, World, day, make_world
from renfort.testing import Personas, make_agreement, persona_mission, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def _as(client: Client, who) -> Client:
    client.force_login(who)
    return client


def _titles(response) -> list[str]:
    return [o.title for o in response.context["page"].object_list]


# --- the list ---------------------------------------------------------------------------------


def test_the_list_puts_strategic_first_and_filters(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    url = reverse("results:objective_list")
    assert _titles(c.get(url)) == ["Faster clearance", "Better controls", "Kenyan AEO"]
    assert _titles(c.get(url, {"level": "tactical"})) == ["Better controls"]
    assert _titles(c.get(url, {"q": "aeo"})) == ["Kenyan AEO"]
    assert _titles(c.get(url, {"agreement": world.agreement.reference})) == ["Better controls"]
    # Senegal: its mission, and the agreement where it is the beneficiary party.
    assert _titles(c.get(url, {"member": "SN"})) == ["Faster clearance", "Better controls"]
    assert _titles(c.get(url, {"member": "kenya"})) == ["Kenyan AEO"]
    empty = c.get(url, {"member": "Atlantis"})
    assert _titles(empty) == [] and b"No objective matches" in empty.content
    row = c.get(url).context["page"].object_list[0]
    assert (row.indicator_count, row.mission_count, row.request_count) == (1, 1, 0)


def test_a_member_lists_only_its_objectives_and_the_filters_stay_inside(
    client: Client, world: World
) -> None:
    c = _as(client, world.p.member)
    url = reverse("results:objective_list")
    assert _titles(c.get(url)) == ["Faster clearance", "Better controls"]
    assert _titles(c.get(url, {"member": "KE"})) == []
    assert b"Create an objective" not in c.get(url).content


def test_the_list_answers_htmx_with_its_table(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    response = c.get(
        reverse("results:objective_list"), {"level": "strategic"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="objective-table">') and "Faster clearance" in body


def test_the_list_paginates_and_its_queries_do_not_grow(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    url = reverse("results:objective_list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(30):
        objective_create(title=f"Objective {n:02}", level="operational", missions=[world.mission])
    assert queries() == few
    response = c.get(url, {"page": 2})
    assert len(response.context["page"].object_list) == 8  # 33 objectives, 25 a page
    assert few <= 12


# --- the secretariat's forms ------------------------------------------------------------------


def test_creating_an_objective_links_work_by_reference(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    other = persona_mission(world.p)
    request = world.mission.requests.get()
    response = c.post(
        reverse("results:objective_create"),
        {
            "title": "Paperless clearance",
            "level": "strategic",
            "description": "All declarations lodged electronically.",
            "missions": f"{world.mission.reference.lower()}, {other.reference}\n{other.reference}",
            "requests": request.reference,
            "agreements": world.agreement.reference,
        },
    )
    objective = Objective.objects.get(title="Paperless clearance")
    assert response.status_code == 302
    assert response["Location"] == reverse("results:objective_detail", args=[objective.pk])
    assert set(objective.missions.all()) == {world.mission, other}
    assert list(objective.requests.all()) == [request]
    assert list(objective.agreements.all()) == [world.agreement]


def test_an_unknown_reference_is_named_and_nothing_is_written(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    before = row_counts()
    response = c.post(
        reverse("results:objective_create"),
        {
            "title": "Paperless",
            "level": "strategic",
            "missions": f"{world.mission.reference} M-2099-999 M-2099-998",
            "agreements": "AG-0000-000",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body  # the error summary, linking to each field
    assert 'href="#id_missions"' in body and 'href="#id_agreements"' in body
    assert "Missions: M-2099-999, M-2099-998 are not references of a mission." in body
    assert "Agreements: AG-0000-000 is not the reference of an agreement." in body
    assert "Paperless" in body  # the input is kept
    assert row_counts() == before and Objective.objects.count() == 3


def test_too_many_references_and_a_missing_level_are_refused(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    many = " ".join(f"M-2027-{n:03}" for n in range(51))
    response = c.post(reverse("results:objective_create"), {"title": "T", "missions": many})
    body = response.content.decode()
    assert "Missions: 51 references, at most 50." in body
    assert "Level: this field is required." in body
    assert 'href="#id_level_0"' in body
    assert Objective.objects.count() == 3


def test_editing_an_objective_shows_and_replaces_its_links(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    url = reverse("results:objective_edit", args=[world.senegal.pk])
    form = c.get(url).context["form"]
    assert form.initial["missions"] == world.mission.reference
    response = c.post(
        url,
        {
            "title": "Faster clearance at borders",
            "level": "tactical",
            "agreements": world.agreement.reference,
        },
    )
    assert response.status_code == 302
    world.senegal.refresh_from_db()
    assert world.senegal.title == "Faster clearance at borders"
    assert not world.senegal.missions.exists()
    assert list(world.senegal.agreements.all()) == [world.agreement]


def test_an_indicator_on_the_wrong_side_is_refused_beside_its_field(
    client: Client, world: World
) -> None:
    c = _as(client, world.p.secretariat)
    before = row_counts()
    response = c.post(
        reverse("results:indicator_create", args=[world.senegal.pk]),
        {"name": "Declarations", "direction": "higher", "baseline": "100", "target": "80"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Target: 80 is below the baseline 100, but higher is better" in body
    assert 'href="#id_target"' in body
    assert row_counts() == before


def test_adding_and_changing_an_indicator(client: Client, world: World) -> None:
    c = _as(client, world.p.secretariat)
    response = c.post(
        reverse("results:indicator_create", args=[world.senegal.pk]),
        {
            "name": "AEOs",
            "unit": "operators",
            "direction": "higher",
            "baseline": "10",
            "target": "30",
            "baseline_date": f"{YEAR}-01-01",
            "target_date": f"{YEAR + 2}-12-31",
        },
    )
    indicator = Indicator.objects.get(name="AEOs")
    assert response["Location"] == reverse("results:indicator_detail", args=[indicator.pk])
    url = reverse("results:indicator_edit", args=[indicator.pk])
    assert c.get(url).context["form"].initial["target"] == indicator.target
    c.post(url, {"name": "AEOs", "direction": "higher", "baseline": "10", "target": "40"})
    indicator.refresh_from_db()
    assert str(indicator.target) == "40.00" and indicator.unit == ""


# --- progress, chart, values -------------------------------------------------------------------


def _chart_levels(card) -> tuple[float, float]:
    return float(card.chart["baseline_y"]), float(card.chart["target_y"])


def test_a_falling_indicator_draws_its_target_below_its_baseline(
    client: Client, world: World
) -> None:
    rising = indicator_create(objective=world.senegal, name="AEOs", baseline=10, target=30)
    indicator_actual_record(
        indicator=rising, period_start=day(1), period_end=day(1, 28), value=25, by=world.p.member
    )
    response = _as(client, world.p.member).get(
        reverse("results:objective_detail", args=[world.senegal.pk])
    )
    cards = {c.indicator.name: c for c in response.context["cards"]}
    falling, up = cards["Average release time"], cards["AEOs"]
    # SVG y grows downwards: a level drawn lower has a larger y.
    baseline_y, target_y = _chart_levels(falling)
    assert target_y > baseline_y
    baseline_y, target_y = _chart_levels(up)
    assert target_y < baseline_y
    # 48 → 24 hours, 36 measured: halfway; 10 → 30, 25 measured: 75 %.
    assert falling.percent == "50 %" and up.percent == "75 %"
    body = response.content.decode()
    assert "On the way: 36 hours measured for 1–28 Feb" in body
    assert "from a baseline of 48 hours towards a target of 24 hours (50 % of the way)" in body
    assert 'class="chart-target"' in body and "Average release time: 50 % of the way" in body
    assert "Record a value" in body  # Senegal serves this objective


def test_the_words_follow_the_progress(world: World) -> None:
    from renfort.results.indicator_cards import card, with_actuals

    def words(value: int) -> str:
        indicator_actual_record(
            indicator=world.falling,
            period_start=day(6),
            period_end=day(6, 30),
            value=value,
            by=world.p.secretariat,
        )
        return card(with_actuals(Indicator.objects.filter(pk=world.falling.pk)).get()).words

    assert words(20).startswith("Target reached")
    assert words(48).startswith("No change yet")
    assert words(60).startswith("Moving away from the target")
    assert "(-50 % of the way)" in words(60)
    empty = indicator_create(objective=world.senegal, name="New", baseline=1, target=2)
    assert card(with_actuals(Indicator.objects.filter(pk=empty.pk)).get()).words.startswith(
        "Not measured yet"
    )


def test_recording_a_value_then_correcting_it(client: Client, world: World) -> None:
    c = _as(client, world.p.member)
    url = reverse("results:actual_record", args=[world.falling.pk])
    data = {"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31", "value": "30.5"}
    response = c.post(url, data)
    assert response["Location"] == reverse("results:indicator_detail", args=[world.falling.pk])
    c.post(url, {**data, "value": "29", "note": "Corrected by the statistics unit."})
    actual = IndicatorActual.objects.get(indicator=world.falling, period_start=day(3))
    assert (str(actual.value), actual.recorded_by) == ("29.00", world.p.member)
    page = c.get(reverse("results:indicator_detail", args=[world.falling.pk]))
    body = page.content.decode()
    assert "Corrected by the statistics unit." in body and "Record the value" in body
    assert page.context["page"].object_list[0].value == actual.value


def test_a_refused_value_comes_back_on_the_form(client: Client, world: World) -> None:
    c = _as(client, world.p.member)
    before = row_counts()
    response = c.post(
        reverse("results:actual_record", args=[world.falling.pk]),
        {"period_start": f"{YEAR}-03-31", "period_end": f"{YEAR}-03-01", "value": "many"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Value: enter a number." in body
    assert row_counts() == before
    response = c.post(
        reverse("results:actual_record", args=[world.falling.pk]),
        {"period_start": f"{YEAR}-03-31", "period_end": f"{YEAR}-03-01", "value": "3"},
    )
    assert "Period: the end" in response.content.decode()
    assert row_counts() == before


def test_the_pages_read_in_french(client: Client, world: World) -> None:
    c = _as(client, world.p.member)
    c.cookies["django_language"] = "fr"
    objective = c.get(
        reverse("results:objective_detail", args=[world.senegal.pk]),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "Indicateurs" in objective and "En bonne voie" in objective
    assert "du chemin" in objective and "Enregistrer une valeur" in objective
    listing = c.get(reverse("results:objective_list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Objectifs" in listing.content.decode()


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_objective_and_indicator_pages_cost_the_same_with_more_data(
    client: Client, world: World
) -> None:
    c = _as(client, world.p.member)
    objective_url = reverse("results:objective_detail", args=[world.senegal.pk])
    indicator_url = reverse("results:indicator_detail", args=[world.falling.pk])
    small = (_count(c, objective_url), _count(c, indicator_url))
    for n in range(6):
        extra = indicator_create(objective=world.senegal, name=f"Extra {n}", baseline=0, target=9)
        for month in range(1, 13):
            indicator_actual_record(
                indicator=extra,
                period_start=day(month),
                period_end=day(month, 28),
                value=month,
                by=world.p.member,
            )
            indicator_actual_record(
                indicator=world.falling,
                period_start=day(month, 1, YEAR + 1 + n),
                period_end=day(month, 28, YEAR + 1 + n),
                value=40,
                by=world.p.member,
            )
        world.senegal.missions.add(persona_mission(world.p))
        world.senegal.agreements.add(make_agreement(parties=[(world.p.admin_a, "beneficiary")]))
    assert (_count(c, objective_url), _count(c, indicator_url)) == small
    assert max(small) <= 25, small


def test_the_objective_page_caps_its_links(client: Client, world: World) -> None:
    for _n in range(27):
        world.senegal.missions.add(persona_mission(world.p))
    body = _as(client, world.p.secretariat).get(
        reverse("results:objective_detail", args=[world.senegal.pk])
    )
    links = body.context["links"]["missions"]
    assert (len(links.shown), links.visible, links.more) == (25, 28, 3)
    assert re.search(r"and 3 more", body.content.decode())


def test_a_french_reader_writes_decimals_with_a_comma(client: Client, world: World) -> None:
    c = _as(client, world.p.member)
    url = reverse("results:actual_record", args=[world.falling.pk])
    data = {"period_start": f"{YEAR}-04-01", "period_end": f"{YEAR}-04-30", "value": "30,5"}
    assert c.post(url, data, HTTP_ACCEPT_LANGUAGE="fr").status_code == 302
    assert str(IndicatorActual.objects.get(period_start=day(4)).value) == "30.50"
    # In English a comma is not a decimal point: refused, never read as 305.
    response = c.post(url, {**data, "value": "29,5"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Value: enter a number." in response.content.decode()
    assert str(IndicatorActual.objects.get(period_start=day(4)).value) == "30.50"
