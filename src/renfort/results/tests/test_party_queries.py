"""Query budgets: each party's page, its full lists and its files cost the same number of
queries with one delivered mission as with five (the figures are aggregated in the database;
long lists are capped or paginated), and stay under a fixed budget."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renfort.results.tests.party_world import World, deliver_one, make_world
from renfort.testing import Personas

pytestmark = pytest.mark.django_db
BUDGET = 35

Target = tuple[str, str, Callable[[Personas], list[object]]]
TARGETS: list[Target] = [
    ("expert_user", "expert_record", lambda p: [p.expert.pk]),
    ("expert_user", "expert_missions", lambda p: [p.expert.pk]),
    ("expert_user", "expert_ratings", lambda p: [p.expert.pk]),
    ("lender", "lending", lambda p: [p.admin_b.pk]),
    ("lender", "lending_missions", lambda p: [p.admin_b.pk]),
    ("donor", "donor", lambda p: [p.donor_agency.pk]),
    ("donor", "donor_indicators", lambda p: [p.donor_agency.pk]),
    ("member", "beneficiary", lambda p: [p.admin_a.pk]),
    ("regional", "region", lambda p: ["WCA"]),
    ("secretariat", "year", lambda p: []),
    ("expert_user", "expert_record_file", lambda p: [p.expert.pk, "csv"]),
    ("expert_user", "expert_certificate", lambda p: [p.expert.pk]),
    ("lender", "lending_file", lambda p: [p.admin_b.pk, "xlsx"]),
    ("donor", "donor_file", lambda p: [p.donor_agency.pk, "pdf"]),
    ("member", "beneficiary_file", lambda p: [p.admin_a.pk, "csv"]),
    ("regional", "region_file", lambda p: ["WCA", "csv"]),
    ("secretariat", "year_file", lambda p: ["csv"]),
]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_no_page_grows_with_the_data(client: Client, personas: Personas) -> None:
    world: World = make_world(personas, missions=1)
    p = world.p
    urls = {}
    for who, name, args in TARGETS:
        client.force_login(getattr(p, who))
        urls[name] = (who, reverse(f"results:{name}", args=args(p)))
    before = {}
    for name, (who, url) in urls.items():
        client.force_login(getattr(p, who))
        before[name] = _count(client, url)
    for n in range(1, 5):
        deliver_one(world, n)
    after = {}
    for name, (who, url) in urls.items():
        client.force_login(getattr(p, who))
        after[name] = _count(client, url)
    assert after == before
    assert max(after.values()) <= BUDGET, after
