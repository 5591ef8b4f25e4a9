"""Long lists of the pool: the experts, the releases to decide, an expert's missions weigh the
same (queries and HTML) whatever the size of the pool and the years of history (docs/ui.md,
"Long lists")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.missions.models import AssignmentStatus
from renfort.missions.tests.growth import assert_same_weight, history, pool, weigh
from renfort.testing import Personas, make_assignment, make_mission

pytestmark = pytest.mark.django_db


def test_the_expert_list_weighs_one_page_whatever_the_pool(client, personas):
    client.force_login(personas.secretariat)
    url = reverse("roster:expert_list")
    pool(personas.admin_b, 26)  # more than a page (25)
    before = weigh(client, url)
    pool(personas.admin_b, 26, prefix="Pooh")
    after = weigh(client, url)
    assert_same_weight(before, after)
    assert "Page 1 of 3" in client.get(url).content.decode()


def _invited(p: Personas, n: int, prefix: str) -> None:
    """``n`` experts of Senegal invited to Kenya's missions: releases to decide."""
    for expert in pool(p.admin_a, n, prefix=prefix):
        mission = make_mission(beneficiaries=[p.admin_c])
        make_assignment(mission.slots.get(), expert, status=AssignmentStatus.INVITED)


def test_the_releases_weigh_one_page_whatever_the_invitations(client, personas):
    client.force_login(personas.member)  # Senegal lends
    url = reverse("roster:releases")
    _invited(personas, 26, "Rele")  # more than a page (25)
    before = weigh(client, url)
    _invited(personas, 26, "Rela")
    after = weigh(client, url)
    assert_same_weight(before, after)
    assert "Page 1 of 3" in client.get(url).content.decode()


def test_an_experts_missions_weigh_one_page_whatever_the_years(client, personas):
    url = reverse("roster:my_missions")
    # The secretariat's page of the expert: their missions a page at a time too.
    detail = reverse("roster:expert_detail", args=[personas.expert.pk])
    history(personas.admin_c, [personas.expert] * 26, years=4)
    client.force_login(personas.secretariat)
    detail_before = weigh(client, detail)
    client.force_login(personas.expert_user)
    before = weigh(client, url)
    history(personas.admin_c, [personas.expert] * 26, years=8)
    after = weigh(client, url)
    assert_same_weight(before, after)
    assert "Page 1 of 3" in client.get(url).content.decode()
    client.force_login(personas.secretariat)
    assert_same_weight(detail_before, weigh(client, detail))
