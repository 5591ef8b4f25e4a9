"""Every agreement route, up the ladder: anonymous (sign in), wrong role (403), another party
(404), allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from renfort.agreements.services import agreement_fund_mission
from renfort.agreements.tests.factories import funded_agreement
from renfort.testing import Personas, persona_mission

pytestmark = pytest.mark.django_db
READERS = ("secretariat", "regional", "member", "donor")
OTHERS = ("outsider", "lender")  # Kenya, France: no party to the Senegal agreement


@dataclass
class World:
    agreement: int
    line: int
    funding: int
    mission: int


@pytest.fixture
def world(personas: Personas) -> World:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    funding = agreement_fund_mission(
        agreement=agreement, mission=mission, amount=100, budget_line=experts
    )
    return World(agreement.pk, experts.pk, funding.pk, mission.pk)


Route = tuple[str, str, Callable[[World], list[int]]]
# (name, method, args): pages everyone with an agreement role reads (404 to other parties).
READ: list[Route] = [
    ("agreements:agreement_detail", "get", lambda w: [w.agreement]),
    ("agreements:mission_funding", "get", lambda w: [w.mission]),
]
# Pages of all agreement roles with nothing to hide (the list, the rate table).
OPEN: list[Route] = [
    ("agreements:agreement_list", "get", lambda w: []),
    ("agreements:rate_list", "get", lambda w: []),
]
# The secretariat's pages and actions.
SECRETARIAT: list[Route] = [
    ("agreements:agreement_create", "get", lambda w: []),
    ("agreements:agreement_edit", "get", lambda w: [w.agreement]),
    ("agreements:agreement_transition", "post", lambda w: [w.agreement]),
    ("agreements:budget_line_add", "post", lambda w: [w.agreement]),
    ("agreements:budget_line_edit", "get", lambda w: [w.agreement, w.line]),
    ("agreements:budget_line_remove", "post", lambda w: [w.agreement, w.line]),
    ("agreements:funding_add", "post", lambda w: [w.agreement]),
    ("agreements:funding_edit", "get", lambda w: [w.agreement, w.funding]),
    ("agreements:funding_remove", "post", lambda w: [w.agreement, w.funding]),
    ("agreements:actual_cost_add", "post", lambda w: [w.agreement]),
    ("agreements:document_upload", "post", lambda w: [w.agreement]),
    ("agreements:mission_estimate", "post", lambda w: [w.mission]),
    ("agreements:rate_list", "post", lambda w: []),
]
ALL = READ + OPEN + SECRETARIAT


def _ids(routes: list[Route]) -> list[str]:
    return [f"{method} {name}" for name, method, _args in routes]


def _call(client, route: Route, world: World):
    name, method, args = route
    return getattr(client, method)(reverse(name, args=args(world)))


@pytest.mark.parametrize("route", ALL, ids=_ids(ALL))
def test_anonymous_is_sent_to_sign_in(client, world: World, route: Route) -> None:
    response = _call(client, route, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("route", ALL, ids=_ids(ALL))
def test_experts_get_403(client, personas: Personas, world: World, route: Route) -> None:
    client.force_login(personas.expert_user)
    assert _call(client, route, world).status_code == 403


@pytest.mark.parametrize("persona", ("regional", "member", "donor"))
@pytest.mark.parametrize("route", SECRETARIAT, ids=_ids(SECRETARIAT))
def test_the_secretariats_actions_are_403_to_other_roles(
    client, personas: Personas, world: World, route: Route, persona: str
) -> None:
    client.force_login(getattr(personas, persona))
    assert _call(client, route, world).status_code == 403


@pytest.mark.parametrize("persona", OTHERS)
@pytest.mark.parametrize("route", READ, ids=_ids(READ))
def test_other_parties_get_404(
    client, personas: Personas, world: World, route: Route, persona: str
) -> None:
    client.force_login(getattr(personas, persona))
    assert _call(client, route, world).status_code == 404


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("route", READ + OPEN, ids=_ids(READ + OPEN))
def test_parties_read(client, personas: Personas, world: World, route: Route, persona) -> None:
    client.force_login(getattr(personas, persona))
    assert _call(client, route, world).status_code == 200


@pytest.mark.parametrize(
    "route",
    [r for r in SECRETARIAT if r[1] == "get"],
    ids=_ids([r for r in SECRETARIAT if r[1] == "get"]),
)
def test_the_secretariat_opens_its_pages(
    client, personas: Personas, world: World, route: Route
) -> None:
    client.force_login(personas.secretariat)
    assert _call(client, route, world).status_code == 200


def test_objects_of_another_agreement_are_404(client, personas: Personas, world: World) -> None:
    other, (line, _venues) = funded_agreement(personas)
    client.force_login(personas.secretariat)
    for url in (
        reverse("agreements:budget_line_edit", args=[other.pk, world.line]),
        reverse("agreements:funding_edit", args=[other.pk, world.funding]),
        reverse("agreements:budget_line_edit", args=[world.agreement, line.pk]),
    ):
        assert client.get(url).status_code == 404, url
