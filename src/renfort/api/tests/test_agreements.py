"""Agreements through the API: the same scoping as the pages (another party's agreement: 404),
the money by budget line, the missions funded a page at a time (one the reader may not open
keeps only its amount), and the secretariat's actual costs through the page's service, its
refusals as 422 problems naming the field, nothing written."""

from __future__ import annotations

import datetime

import pytest

from renfort.agreements.models import (
    ActualCost,
    AgreementStatus,
    BudgetLine,
    MissionFunding,
    PartyRole,
)
from renfort.api.problems import MEDIA_TYPE
from renfort.api.testing import api_client
from renfort.missions.models import MissionStatus
from renfort.testing import Personas, make_agreement, make_mission, persona_mission, table_state

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/agreements/"


@pytest.fixture
def world(personas: Personas):
    """An active agreement of the donor and Senegal, with a line funding a delivered mission
    of Senegal and a mission of Kenya (which Senegal's viewers may not open)."""
    today = datetime.date.today()
    agreement = make_agreement(
        parties=[
            (personas.donor_agency, PartyRole.FUNDING),
            (personas.admin_a, PartyRole.BENEFICIARY),
        ],
        start=today - datetime.timedelta(days=200),
        end=today + datetime.timedelta(days=200),
        title="Senegal programme",
    )
    agreement.status = AgreementStatus.ACTIVE
    agreement.save(update_fields=["status"])
    line = BudgetLine.objects.create(agreement=agreement, name="Experts", amount=5000)
    start = today - datetime.timedelta(days=40)
    delivered = persona_mission(
        personas,
        status=MissionStatus.DELIVERED,
        start=start,
        end=start + datetime.timedelta(days=4),
    )
    kenya = make_mission(beneficiaries=[personas.admin_c], status=MissionStatus.PLANNED)
    for mission, amount in ((delivered, 2000), (kenya, 1000)):
        MissionFunding.objects.create(
            agreement=agreement, mission=mission, budget_line=line, amount=amount
        )
    other = make_agreement(
        parties=[(personas.admin_c, PartyRole.BENEFICIARY)], title="Kenya programme"
    )
    return {"agreement": agreement, "line": line, "mission": delivered, "other": other}


def _cost(world, **changes):
    body = {
        "mission": world["mission"].reference,
        "budget_line": world["line"].pk,
        "description": "Daily allowances",
        "paid_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
        "paid_amount": "1200.00",
        "paid_currency": "EUR",
    }
    body.update(changes)
    return body


def _record(client, agreement, body):
    return client.post(f"{AGREEMENTS}{agreement.pk}/costs/", body, content_type="application/json")


def test_a_party_lists_and_reads_its_agreement_with_its_money(personas: Personas, world):
    client = api_client(personas.member)
    listed = client.get(AGREEMENTS, {"q": "programme"}).json()
    assert [a["title"] for a in listed["results"]] == ["Senegal programme"]
    body = client.get(f"{AGREEMENTS}{world['agreement'].pk}/").json()
    assert body["status"] == "active"
    assert {(p["organisation"], p["role"]) for p in body["parties"]} == {
        ("Senegal Customs", "beneficiary"),
        (personas.donor_agency.name, "funding"),
    }
    [line] = body["lines"]
    assert (line["name"], line["budget"], line["allocated"], line["available"]) == (
        "Experts",
        "5000.00",
        "3000.00",
        "2000.00",
    )


def test_the_missions_funded_hide_those_the_reader_may_not_open(personas: Personas, world):
    rows = api_client(personas.member).get(f"{AGREEMENTS}{world['agreement'].pk}/missions/")
    shown = {(r["reference"], r["amount"]) for r in rows.json()["results"]}
    assert shown == {(world["mission"].reference, "2000.00"), (None, "1000.00")}
    everything = api_client(personas.secretariat).get(
        f"{AGREEMENTS}{world['agreement'].pk}/missions/", {"page_size": 1, "page": 2}
    )
    assert everything.json()["count"] == 2 and len(everything.json()["results"]) == 1


def test_another_partys_agreement_is_not_found(personas: Personas, world):
    response = api_client(personas.member).get(f"{AGREEMENTS}{world['other'].pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == MEDIA_TYPE
    listed = api_client(personas.member).get(AGREEMENTS).json()
    assert world["other"].pk not in {a["id"] for a in listed["results"]}


def test_an_expert_follows_no_agreement(personas: Personas, world):
    assert api_client(personas.expert_user).get(AGREEMENTS).status_code == 403


def test_the_secretariat_records_an_actual_cost(personas: Personas, world):
    response = _record(api_client(personas.secretariat), world["agreement"], _cost(world))
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1200.00"
    cost = ActualCost.objects.get()
    assert (cost.mission, cost.recorded_by) == (world["mission"], personas.secretariat)
    money = api_client(personas.member).get(f"{AGREEMENTS}{world['agreement'].pk}/").json()
    assert money["spent"] == "1200.00"


@pytest.mark.parametrize("who", ["member", "donor", "regional"])
def test_only_the_secretariat_records_a_cost(personas: Personas, world, who):
    before = table_state()
    response = _record(api_client(getattr(personas, who)), world["agreement"], _cost(world))
    assert response.status_code == 403
    assert table_state() == before


def test_a_cost_on_another_partys_agreement_is_not_found(personas: Personas, world):
    before = table_state()
    response = _record(api_client(personas.outsider), world["agreement"], _cost(world))
    assert response.status_code == 404
    assert table_state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"paid_amount": "99999.00"}, "paid_amount"),  # more than the line holds
        ({"mission": "M-NONE"}, "mission"),
        ({"budget_line": 999999}, "budget_line"),
        ({"description": " "}, "description"),
        ({"paid_currency": "USD"}, "exchange_rate"),
        ({"paid_on": "2999-01-01"}, "paid_on"),
        ({"paid_currency": "E"}, "paid_currency"),  # the schema's own check
    ],
)
def test_a_broken_rule_names_its_field_and_writes_nothing(
    personas: Personas, world, changes, field
):
    before = table_state()
    response = _record(
        api_client(personas.secretariat), world["agreement"], _cost(world, **changes)
    )
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert table_state() == before


def test_lists_are_paged_and_filtered(personas: Personas, world):
    client = api_client(personas.secretariat)
    page = client.get(AGREEMENTS, {"page_size": "1", "status": "active"}).json()
    assert (page["count"], len(page["results"])) == (1, 1)
    bad = client.get(AGREEMENTS, {"page_size": 1000})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "page_size"


def test_the_list_reads_in_a_fixed_number_of_queries(
    personas: Personas, world, django_assert_max_num_queries
):
    for n in range(5):
        make_agreement(parties=[(personas.donor_agency, PartyRole.FUNDING)], title=f"More {n}")
    client = api_client(personas.secretariat)
    # The token and its rate take 13 of them (api.auth); the page its own few, whatever its size.
    with django_assert_max_num_queries(17):
        page = client.get(AGREEMENTS).json()
    assert page["count"] == 8  # with the one behind persona_mission


def test_a_nul_character_is_refused_by_name(personas: Personas, world):
    client = api_client(personas.secretariat)
    response = client.get(AGREEMENTS, {"q": "a\x00b"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "q"
    before = table_state()
    response = _record(client, world["agreement"], _cost(world, description="Travel\x00"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "description"
    assert table_state() == before
