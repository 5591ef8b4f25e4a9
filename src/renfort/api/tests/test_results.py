"""Results through the API: objectives, indicators and their values scoped as the framework
pages (another party's: 404; experts: 403); a value recorded through the page's service by
those the page lets record (others 403), its refusals as 422 naming the field, nothing
written; reports and evaluations as their pages show them."""

from __future__ import annotations

import datetime

import pytest

from renfort.api.problems import MEDIA_TYPE
from renfort.api.testing import api_client
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.results.models import (
    Evaluation,
    ExpertRating,
    Indicator,
    IndicatorActual,
    MissionReport,
    Objective,
)
from renfort.testing import Personas, make_assignment, persona_mission, table_state

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/results/"


@pytest.fixture
def world(personas: Personas):
    """Senegal's delivered mission (France's expert took part), an objective linked to it with
    one indicator, the expert's report and Senegal's evaluation; and Kenya's objective."""
    today = datetime.date.today()
    start = today - datetime.timedelta(days=40)
    mission = persona_mission(
        personas,
        status=MissionStatus.REPORTED,
        start=start,
        end=start + datetime.timedelta(days=4),
    )
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.COMPLETED)
    objective = Objective.objects.create(title="Faster clearance", level="operational")
    objective.missions.set([mission])
    indicator = Indicator.objects.create(
        objective=objective,
        name="Release time",
        unit="hours",
        direction="lower",
        baseline=48,
        target=24,
        baseline_date=today.replace(month=1, day=1),
        target_date=today + datetime.timedelta(days=300),
    )
    report = MissionReport.objects.create(
        mission=mission,
        author=personas.expert,
        filed_by=personas.expert_user,
        activities="Trained officers.",
    )
    evaluation = Evaluation.objects.create(
        mission=mission,
        organisation=personas.admin_a,
        by=personas.member,
        rating=4,
        comments="Good",
    )
    ExpertRating.objects.create(evaluation=evaluation, expert=personas.expert, rating=5)
    kenya = Objective.objects.create(title="Kenya objective", level="strategic")
    return {
        "mission": mission,
        "objective": objective,
        "indicator": indicator,
        "report": report,
        "kenya": kenya,
    }


def _value(client, indicator, **changes):
    body = {"period_start": "2026-01-01", "period_end": "2026-03-31", "value": "36", "note": ""}
    body.update(changes)
    url = f"{RESULTS}indicators/{indicator.pk}/actuals/"
    return client.post(url, body, content_type="application/json")


def test_a_member_reads_its_objectives_and_indicators(personas: Personas, world):
    client = api_client(personas.member)
    listed = client.get(f"{RESULTS}objectives/").json()
    assert [o["title"] for o in listed["results"]] == ["Faster clearance"]
    assert listed["results"][0]["indicator_count"] == 1
    indicators = client.get(f"{RESULTS}indicators/", {"objective": world["objective"].pk}).json()
    [shown] = indicators["results"]
    assert (shown["baseline"], shown["target"], shown["latest"]) == ("48.00", "24.00", None)


@pytest.mark.parametrize("who", ["outsider", "lender"])
def test_another_partys_objective_is_not_found(personas: Personas, world, who):
    client = api_client(getattr(personas, who))
    for url in (
        f"{RESULTS}objectives/{world['objective'].pk}/",
        f"{RESULTS}indicators/{world['indicator'].pk}/",
        f"{RESULTS}indicators/{world['indicator'].pk}/actuals/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == MEDIA_TYPE


def test_an_expert_reads_no_framework(personas: Personas, world):
    assert api_client(personas.expert_user).get(f"{RESULTS}objectives/").status_code == 403


def test_a_focal_point_it_serves_records_a_value(personas: Personas, world):
    client = api_client(personas.member)
    response = _value(client, world["indicator"])
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "36.00"
    detail = client.get(f"{RESULTS}indicators/{world['indicator'].pk}/").json()
    assert (detail["latest"]["value"], detail["progress"]) == ("36.00", 0.5)
    # The same period again corrects it.
    assert _value(client, world["indicator"], value="30").status_code == 201
    assert IndicatorActual.objects.get().value == 30
    values = client.get(f"{RESULTS}indicators/{world['indicator'].pk}/actuals/").json()
    assert values["count"] == 1


@pytest.mark.parametrize(("who", "status"), [("donor", 403), ("regional", 403), ("outsider", 404)])
def test_others_record_no_value(personas: Personas, world, who, status):
    before = table_state()
    response = _value(api_client(getattr(personas, who)), world["indicator"])
    assert response.status_code == status
    assert table_state() == before
    assert not IndicatorActual.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": "2025-12-01"}, "period_end"),
        ({"period_start": "1900-01-01"}, "period_start"),
        ({"value": "abc"}, "value"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_a_broken_rule_names_its_field_and_writes_nothing(
    personas: Personas, world, changes, field
):
    response = _value(api_client(personas.secretariat), world["indicator"], **changes)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not IndicatorActual.objects.exists()


def test_reports_as_their_pages_show_them(personas: Personas, world):
    report = world["report"]
    for user in (personas.member, personas.donor, personas.expert_user):
        client = api_client(user)
        assert client.get(f"{RESULTS}reports/{report.pk}/").json()["activities"] == (
            "Trained officers."
        )
        assert client.get(f"{RESULTS}reports/").json()["count"] == 1
    assert api_client(personas.outsider).get(f"{RESULTS}reports/{report.pk}/").status_code == 404
    assert api_client(personas.outsider).get(f"{RESULTS}reports/").json()["count"] == 0


def test_evaluations_as_far_as_they_concern_the_reader(personas: Personas, world):
    url = f"{RESULTS}missions/{world['mission'].pk}/evaluations/"
    member = api_client(personas.member).get(url).json()
    assert (member["count"], member["rating"]) == (1, 4.0)
    assert member["evaluations"][0]["comments"] == "Good"
    assert member["evaluations"][0]["ratings"][0]["rating"] == 5
    donor = api_client(personas.donor).get(url).json()
    assert (donor["rating"], donor["evaluations"]) == (4.0, [])  # averages only
    assert api_client(personas.outsider).get(url).status_code == 404


def test_lists_are_paged(personas: Personas, world):
    Objective.objects.create(title="Another", level="strategic")
    page = api_client(personas.secretariat).get(f"{RESULTS}objectives/", {"page_size": 1})
    assert (page.json()["count"], len(page.json()["results"])) == (3, 1)
    bad = api_client(personas.secretariat).get(f"{RESULTS}objectives/", {"page": 0})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "page"


def test_lists_read_in_a_fixed_number_of_queries(
    personas: Personas, world, django_assert_max_num_queries
):
    for n in range(5):
        objective = Objective.objects.create(title=f"More {n}", level="tactical")
        Indicator.objects.create(
            objective=objective,
            name=f"Indicator {n}",
            baseline=0,
            target=10,
            baseline_date=datetime.date(2026, 1, 1),
            target_date=datetime.date(2027, 1, 1),
        )
    client = api_client(personas.secretariat)
    # The token and its rate take 13 of them (api.auth); each page its own few.
    for url in ("objectives/", "indicators/", "reports/"):
        with django_assert_max_num_queries(17):
            assert client.get(f"{RESULTS}{url}").status_code == 200


@pytest.mark.parametrize("field", ["q", "agreement", "member"])
def test_a_nul_character_is_refused_by_name(personas: Personas, world, field):
    response = api_client(personas.secretariat).get(f"{RESULTS}objectives/", {field: "a\x00b"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
