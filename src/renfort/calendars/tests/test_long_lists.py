"""The timeline caps its period and pages its rows: it weighs the same (queries and HTML)
whatever the size of the pool and the years of history (docs/ui.md, "Long lists")."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from renfort.calendars.views import TIMELINE_ROWS
from renfort.missions.models import AssignmentStatus
from renfort.missions.tests.growth import assert_same_weight, history, pool, weigh
from renfort.roster.models import Category
from renfort.testing import Personas, make_assignment, make_mission, next_year

pytestmark = pytest.mark.django_db

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT
PERIOD = {"period_from": next_year(3, 1).isoformat(), "period_to": next_year(5, 31).isoformat()}


def _staffed(p: Personas, n: int, prefix: str) -> None:
    """Missions of three slots in the period, each slot held by a new expert."""
    experts = pool(p.admin_b, n, prefix=prefix)
    for i in range(0, n, 3):
        mission = make_mission(
            beneficiaries=[p.admin_c],
            start=next_year(3, 2) + datetime.timedelta(days=i),
            slots=[(TECH, {"risk_management": 2})] * 3,
        )
        for slot, expert in zip(
            mission.slots.order_by("position"), experts[i : i + 3], strict=False
        ):
            make_assignment(slot, expert, status=AssignmentStatus.ACCEPTED)


@pytest.mark.parametrize("group", ["expert", "member"])
def test_the_timeline_weighs_one_page_of_rows_whatever_the_pool_and_history(
    client, personas, group
):
    client.force_login(personas.secretariat)
    url = reverse("calendars:timeline")
    params = {**PERIOD, "group": group}
    _staffed(personas, TIMELINE_ROWS + 2, "Aa")
    history(personas.admin_c, list(personas.admin_b.experts.all()[:10]))
    before = weigh(client, url, params)
    _staffed(personas, TIMELINE_ROWS + 2, "Ab")
    history(personas.admin_c, list(personas.admin_b.experts.all()[:40]), years=6)
    after = weigh(client, url, params)
    if group == "expert":
        assert_same_weight(before, after)
        response = client.get(url, params)
        assert len(response.context["page"].object_list) == TIMELINE_ROWS
        assert "Page 1 of 3" in response.content.decode()
    else:
        # By member: one row per beneficiary; only the missions of the period add to it.
        assert after.queries <= before.queries


def test_the_timeline_shows_at_most_six_months(client, personas):
    client.force_login(personas.secretariat)
    response = client.get(
        reverse("calendars:timeline"),
        {"period_from": next_year(1, 1).isoformat(), "period_to": next_year(12, 31).isoformat()},
        follow=True,
    )
    timeline = response.context["timeline"]
    assert (timeline.start, timeline.end) == (next_year(1, 1), next_year(6, 30))
    assert "The timeline shows at most six months at a time." in response.content.decode()
