"""Who reads and writes the results framework, rule by rule and up the ladder for every page:
anonymous → sign in, a role that may not → 403, another party's objective → 404, allowed →
the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import Region
from renfort.agreements.models import PartyRole
from renfort.results.framework_selectors import objectives_visible_to
from renfort.results.models import IndicatorActual
from renfort.results.services import indicator_create, may_record_actuals, objective_create
from renfort.results.tests.framework_world import PERSONAS, YEAR, World, make_world, user
from renfort.testing import Personas, make_agreement, make_regional_office, make_user

pytestmark = pytest.mark.django_db

# Who reads each objective of the world (everyone else who reads objectives gets 404;
# the expert is refused by role, 403).
READERS = {
    # Linked to Senegal's mission, which the donor's agreement funds.
    "senegal": {"secretariat", "regional", "member", "donor"},
    "funded": {"secretariat", "regional", "member", "donor"},
    "kenya": {"secretariat", "outsider"},
}


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def _get(client: Client, who, url: str, method: str = "get", data=None):
    client.force_login(who)
    return getattr(client, method)(url, data or {})


# --- the selector, rule by rule ---------------------------------------------------------------


def test_each_role_reads_the_objectives_linked_to_its_work(world: World) -> None:
    for who in PERSONAS:
        seen = {o.title for o in objectives_visible_to(user(world, who))}
        expected = {
            getattr(world, name).title for name, readers in READERS.items() if who in readers
        }
        assert seen == expected, who


def test_a_member_reads_through_its_requests_missions_received_and_agreements(
    world: World,
) -> None:
    p = world.p
    by_request = objective_create(
        title="By request", level="tactical", requests=list(world.mission.requests.all())
    )
    # France is a party (funding) to an agreement: its objectives are France's to read.
    french = make_agreement(
        parties=[(p.admin_b, PartyRole.FUNDING), (p.admin_c, PartyRole.BENEFICIARY)]
    )
    by_party = objective_create(title="By party", level="tactical", agreements=[french])
    member = {o.title for o in objectives_visible_to(p.member)}
    lender = {o.title for o in objectives_visible_to(p.lender)}
    outsider = {o.title for o in objectives_visible_to(p.outsider)}
    assert "By request" in member and "By party" not in member
    assert "By party" in lender and "By request" not in lender
    assert "By party" in outsider  # Kenya, the beneficiary party
    assert by_request.pk and by_party.pk


def test_a_regional_coordinator_reads_its_region_members_objectives(world: World) -> None:
    p = world.p
    nowhere = make_user("regional", make_regional_office(""), username="nowhere")
    assert not objectives_visible_to(nowhere).exists()
    east = make_user("regional", make_regional_office(Region.EAST_SOUTHERN_AFRICA), username="east")
    assert set(objectives_visible_to(east)) == {world.kenya}
    assert world.kenya not in objectives_visible_to(p.regional)


def test_an_inactive_user_or_an_expert_reads_nothing(world: World) -> None:
    p = world.p
    p.member.is_active = False
    assert not objectives_visible_to(p.member).exists()
    assert not objectives_visible_to(p.expert_user).exists()


def test_who_records_values_follows_the_service(world: World) -> None:
    p = world.p
    allowed = {
        w for w in PERSONAS if may_record_actuals(objective=world.senegal, by=user(world, w))
    }
    assert allowed == {"secretariat", "member"}
    # A beneficiary party of a linked agreement records; a funding party reads but does not.
    assert may_record_actuals(objective=world.funded, by=p.member)
    assert not may_record_actuals(objective=world.funded, by=p.donor)


# --- the pages, up the ladder -----------------------------------------------------------------


def _pages(w: World) -> dict[str, str]:
    return {
        "objective_list": reverse("results:objective_list"),
        "objective_detail": reverse("results:objective_detail", args=[w.senegal.pk]),
        "indicator_detail": reverse("results:indicator_detail", args=[w.falling.pk]),
        "objective_create": reverse("results:objective_create"),
        "objective_edit": reverse("results:objective_edit", args=[w.senegal.pk]),
        "indicator_create": reverse("results:indicator_create", args=[w.senegal.pk]),
        "indicator_edit": reverse("results:indicator_edit", args=[w.falling.pk]),
        "delivery_plan_list": reverse("results:delivery_plan_list"),
        "delivery_plan_detail": reverse("results:delivery_plan_detail", args=[YEAR]),
        "delivery_plan_file": reverse("results:delivery_plan_file", args=[YEAR]),
        "delivery_plan_publish": reverse("results:delivery_plan_publish", args=[YEAR]),
    }


def test_anonymous_visitors_sign_in_first(client: Client, world: World) -> None:
    posts = {
        "actual_record": reverse("results:actual_record", args=[world.falling.pk]),
        "delivery_plan_draft": reverse("results:delivery_plan_draft", args=[YEAR]),
        "delivery_plan_status": reverse("results:delivery_plan_status", args=[YEAR]),
    }
    for url in [*_pages(world).values(), *posts.values()]:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("accounts:login"))


# (page, who gets 200; experts always get 403; everyone else 404 or 403 as listed)
LADDER = {
    "objective_list": ({"secretariat", "regional", "member", "lender", "donor", "outsider"}, set()),
    "objective_detail": (READERS["senegal"], {"lender", "outsider"}),
    "indicator_detail": (READERS["senegal"], {"lender", "outsider"}),
    "objective_create": ({"secretariat"}, set()),
    "objective_edit": ({"secretariat"}, set()),
    "indicator_create": ({"secretariat"}, set()),
    "indicator_edit": ({"secretariat"}, set()),
    "delivery_plan_list": (
        {"secretariat", "regional", "member", "lender", "donor", "outsider"},
        set(),
    ),
    # Before publication (no plan yet): the secretariat reads the year's content; others 404.
    "delivery_plan_detail": (
        {"secretariat"},
        {"regional", "member", "lender", "donor", "outsider"},
    ),
    "delivery_plan_file": ({"secretariat"}, {"regional", "member", "lender", "donor", "outsider"}),
    # Publishing a plan not drafted yet: 404 for the secretariat, 403 for the others.
    "delivery_plan_publish": (set(), {"secretariat"}),
}


@pytest.mark.parametrize("page", sorted(LADDER))
def test_each_page_up_the_ladder(client: Client, world: World, page: str) -> None:
    url = _pages(world)[page]
    allowed, hidden = LADDER[page]
    for who in PERSONAS:
        status = _get(client, user(world, who), url).status_code
        expected = 200 if who in allowed else 404 if who in hidden else 403
        assert status == expected, (page, who, status)


def test_another_partys_objective_and_indicator_answer_404(client: Client, world: World) -> None:
    kenyan = indicator_create(objective=world.kenya, name="AEOs", baseline=3, target=10)
    for url in (
        reverse("results:objective_detail", args=[world.kenya.pk]),
        reverse("results:indicator_detail", args=[kenyan.pk]),
    ):
        assert _get(client, world.p.member, url).status_code == 404
        assert _get(client, world.p.outsider, url).status_code == 200
        assert _get(client, world.p.secretariat, url).status_code == 200


def test_recording_a_value_up_the_ladder(client: Client, world: World) -> None:
    url = reverse("results:actual_record", args=[world.falling.pk])
    data = {"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31", "value": "30"}
    expected = {
        "secretariat": 302,
        "member": 302,
        "regional": 403,
        "donor": 403,
        "expert_user": 403,
        "lender": 404,
        "outsider": 404,
    }
    for who, status in expected.items():
        before = IndicatorActual.objects.count()
        response = _get(client, user(world, who), url, "post", data)
        assert response.status_code == status, (who, response.status_code)
        if status != 302:
            assert IndicatorActual.objects.count() == before, who
    assert IndicatorActual.objects.filter(indicator=world.falling).count() == 3


def test_a_reader_who_may_not_record_sees_no_form_and_is_refused(
    client: Client, world: World
) -> None:
    p = world.p
    french = make_agreement(
        parties=[(p.admin_b, PartyRole.FUNDING), (p.admin_c, PartyRole.BENEFICIARY)]
    )
    objective = objective_create(title="Funded by France", level="tactical", agreements=[french])
    indicator = indicator_create(objective=objective, name="Seizures", baseline=5, target=9)
    page = _get(client, p.lender, reverse("results:indicator_detail", args=[indicator.pk]))
    assert page.status_code == 200 and b"Record the value" not in page.content
    response = _get(
        client,
        p.lender,
        reverse("results:actual_record", args=[indicator.pk]),
        "post",
        {"period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-01-31", "value": "6"},
    )
    assert response.status_code == 403
    assert not IndicatorActual.objects.filter(indicator=indicator).exists()
    # Kenya, the beneficiary party, sees the form.
    page = _get(client, p.outsider, reverse("results:indicator_detail", args=[indicator.pk]))
    assert b"Record the value" in page.content


def test_secretariat_writes_are_refused_to_other_roles(client: Client, world: World) -> None:
    before = (world.senegal.title, world.falling.name)
    for who in ("member", "regional", "donor"):
        for name, args, data in (
            ("objective_create", [], {"title": "X", "level": "strategic"}),
            ("objective_edit", [world.senegal.pk], {"title": "X", "level": "strategic"}),
            ("indicator_edit", [world.falling.pk], {"name": "X"}),
            ("delivery_plan_draft", [YEAR], {}),
            ("delivery_plan_status", [YEAR], {"to_status": "approved"}),
        ):
            response = _get(
                client, user(world, who), reverse(f"results:{name}", args=args), "post", data
            )
            assert response.status_code == 403, (who, name)
    world.senegal.refresh_from_db()
    world.falling.refresh_from_db()
    assert (world.senegal.title, world.falling.name) == before


def test_the_menu_links_to_objectives_and_plans_except_for_experts(
    client: Client, world: World
) -> None:
    for who in PERSONAS:
        page = _get(client, user(world, who), reverse("home")).content.decode()
        shown = reverse("results:objective_list") in page
        assert shown == (who != "expert_user"), who
        assert (reverse("results:delivery_plan_list") in page) == shown, who
