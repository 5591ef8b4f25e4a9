"""Who may open each party's results, up the ladder for every page, list and file: anonymous
→ sign in, another role → 403, another party → 404, the party itself and the secretariat →
the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import Region, Role
from renfort.results.tests.party_world import make_world
from renfort.testing import Personas, make_donor, make_expert, make_user

pytestmark = pytest.mark.django_db

# The personas: secretariat, regional (West & Central Africa), member (Senegal, the
# beneficiary), lender (France, which lends the expert), donor (the donor agency),
# expert_user (Ana, lent by France), outsider (Kenya).
PERSONAS = ("secretariat", "regional", "member", "lender", "donor", "expert_user", "outsider")
Key = Callable[[Personas], object]

# (route names, the party's key, who sees it, who gets 404; everyone else gets 403)
LADDERS: list[tuple[tuple[str, ...], Key, set[str], set[str]]] = [
    (
        ("expert_record", "expert_missions", "expert_ratings", "expert_certificate"),
        lambda p: p.expert.pk,
        {"secretariat", "expert_user", "lender"},
        {"member", "outsider"},
    ),
    (
        ("lending", "lending_missions", "lending_ratings"),
        lambda p: p.admin_b.pk,
        {"secretariat", "lender"},
        {"member", "outsider"},
    ),
    (
        ("donor", "donor_missions", "donor_indicators"),
        lambda p: p.donor_agency.pk,
        {"secretariat", "donor"},
        {"member", "lender", "outsider"},
    ),
    (
        ("beneficiary", "beneficiary_missions", "beneficiary_indicators"),
        lambda p: p.admin_a.pk,
        {"secretariat", "member"},
        {"lender", "outsider"},
    ),
    (
        ("region", "region_missions", "region_indicators"),
        lambda p: Region.WEST_CENTRAL_AFRICA.value,
        {"secretariat", "regional"},
        set(),
    ),
]
# Each file view follows the ladder of its page.
FILES: list[tuple[str, int]] = [
    ("expert_record_file", 0),
    ("lending_file", 1),
    ("donor_file", 2),
    ("beneficiary_file", 3),
    ("region_file", 4),
]


def _expected(who: str, allowed: set[str], hidden: set[str]) -> int:
    if who in allowed:
        return 200
    return 404 if who in hidden else 403


PAGES = [
    (name, key, who, _expected(who, allowed, hidden))
    for names, key, allowed, hidden in LADDERS
    for name in names
    for who in PERSONAS
]


@pytest.fixture
def world(personas: Personas):
    return make_world(personas)


def test_anonymous_visitors_sign_in_first(client: Client, world) -> None:
    p = world.p
    urls = [reverse(f"results:{names[0]}", args=[key(p)]) for names, key, _a, _h in LADDERS]
    urls += [reverse(f"results:{name}", args=[LADDERS[i][1](p), "csv"]) for name, i in FILES]
    urls += [reverse("results:party_home"), reverse("results:year")]
    urls.append(reverse("results:year_file", args=["pdf"]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize(
    ("name", "key", "who", "status"), PAGES, ids=[f"{n}-{w}" for n, _k, w, _s in PAGES]
)
def test_each_page_up_the_ladder(
    client: Client, world, name: str, key: Key, who: str, status: int
) -> None:
    p = world.p
    client.force_login(getattr(p, who))
    response = client.get(reverse(f"results:{name}", args=[key(p)]))
    assert response.status_code == status


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
@pytest.mark.parametrize(("name", "ladder"), FILES, ids=[n for n, _i in FILES])
def test_each_file_up_the_ladder(client: Client, world, name: str, ladder: int, fmt: str) -> None:
    p = world.p
    _names, key, allowed, hidden = LADDERS[ladder]
    for who in PERSONAS:
        client.force_login(getattr(p, who))
        response = client.get(reverse(f"results:{name}", args=[key(p), fmt]))
        assert response.status_code == _expected(who, allowed, hidden), (who, name, fmt)


def test_the_year_is_for_the_secretariat(client: Client, world) -> None:
    p = world.p
    for who in PERSONAS:
        client.force_login(getattr(p, who))
        for url in (reverse("results:year"), reverse("results:year_file", args=["csv"])):
            expected = 200 if who == "secretariat" else 403
            assert client.get(url).status_code == expected, (who, url)


def test_another_expert_or_donor_or_region_is_another_party(client: Client, world) -> None:
    p = world.p
    client.force_login(p.expert_user)
    assert client.get(reverse("results:expert_record", args=[world.bruno.pk])).status_code == 404
    other_donor = make_user(Role.DONOR_FOCAL_POINT, make_donor(name="Other Fund"))
    client.force_login(other_donor)
    assert client.get(reverse("results:donor", args=[p.donor_agency.pk])).status_code == 404
    assert (
        client.get(reverse("results:donor_file", args=[p.donor_agency.pk, "csv"])).status_code
        == 404
    )
    client.force_login(p.regional)
    assert client.get(reverse("results:region", args=["ESA"])).status_code == 404
    assert client.get(reverse("results:region_file", args=["ESA", "pdf"])).status_code == 404
    # An expert of another administration: its focal point does not read her record.
    kenyan = make_expert(home_administration=p.admin_c, first_name="Wanjiru", last_name="W")
    client.force_login(p.lender)
    assert client.get(reverse("results:expert_record", args=[kenyan.pk])).status_code == 404
    client.force_login(p.outsider)
    assert client.get(reverse("results:expert_record", args=[kenyan.pk])).status_code == 200


def test_the_secretariat_opens_any_party_of_the_right_kind(client: Client, world) -> None:
    p = world.p
    client.force_login(p.secretariat)
    for url in (
        reverse("results:expert_record", args=[world.bruno.pk]),
        reverse("results:lending", args=[p.admin_c.pk]),
        reverse("results:beneficiary", args=[p.admin_c.pk]),
        reverse("results:donor", args=[p.admin_a.pk]),  # a member may fund work too
        reverse("results:region", args=["EUR"]),
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("results:lending", args=[p.donor_agency.pk]),  # not a member administration
        reverse("results:beneficiary", args=[p.secretariat_org.pk]),
        reverse("results:donor", args=[p.regional_office.pk]),
        reverse("results:region", args=["XX"]),
        reverse("results:expert_record", args=[999_999]),
        reverse("results:lending_file", args=[p.admin_b.pk, "docx"]),
        reverse("results:year_file", args=["html"]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_member_reads_its_own_donor_page(client: Client, world) -> None:
    """A member administration that funds work (or not yet) reads what it funds."""
    p = world.p
    client.force_login(p.member)
    response = client.get(reverse("results:donor", args=[p.admin_a.pk]))
    assert response.status_code == 200
    assert "funds no agreement yet" in response.content.decode()


def test_the_results_link_leads_each_role_to_its_page(client: Client, world) -> None:
    p = world.p
    home = reverse("results:party_home")
    expected = {
        "expert_user": "Track record: Ana Lima",
        "donor": "What Nordic Development Agency funds",
        "regional": "Results in West &amp; Central Africa",
    }
    for who, title in expected.items():
        client.force_login(getattr(p, who))
        response = client.get(home)
        assert response.status_code == 200 and title in response.content.decode(), who
    client.force_login(p.member)
    html = client.get(home).content.decode()
    assert reverse("results:beneficiary", args=[p.admin_a.pk]) in html
    assert reverse("results:lending", args=[p.admin_a.pk]) in html
    assert reverse("results:donor", args=[p.admin_a.pk]) not in html  # funds nothing
    client.force_login(p.secretariat)
    html = client.get(home).content.decode()
    assert reverse("results:year") in html and reverse("results:region", args=["ESA"]) in html
    # The menu links to it, for every role.
    assert f'href="{home}"' in client.get(reverse("home")).content.decode()


def test_pages_answer_get_only(client: Client, world) -> None:
    client.force_login(world.p.secretariat)
    assert client.post(reverse("results:year")).status_code == 405
