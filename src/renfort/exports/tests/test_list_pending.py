"""The planner runs and the audit search as files: the rows of every page, the
secretariat's only (docs/performance.md, "Exports": lists)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from renfort.exports.tests.list_world import fetch, read
from renfort.home import audit_views
from renfort.planning import views as planner_views
from renfort.planning.models import PlannerRun
from renfort.testing import Personas, persona_mission, table_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_runs_file_holds_every_page(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    for _ in range(3):
        PlannerRun.objects.create(created_by=personas.secretariat, mission_count=2)
    monkeypatch.setattr(planner_views, "PAGE_SIZE", 1)
    client.force_login(personas.secretariat)
    keys: list[str] = []
    for number in (1, 2, 3):
        page = client.get(reverse("planner:run_list"), {"page": str(number)}).context["page"]
        keys += [str(run.pk) for run in page.object_list]
    rows = read(fetch(client, personas.secretariat, "planner_runs", fmt, {}), fmt)
    assert [str(row[0]) for row in rows[1:]] == keys and len(keys) == 3
    waiting = read(fetch(client, personas.secretariat, "planner_runs", fmt, {"waiting": "1"}), fmt)
    assert waiting[1:] == [] and waiting[0][-1] == "Open proposals"


def _entries(client: Client, query: dict[str, str]) -> list[Any]:
    found: list[Any] = []
    number = 1
    while number:
        response = client.get(reverse("audit_search"), {**query, "page": str(number)})
        found += response.context["entries"]
        number = response.context["next_page"]
    return found


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_audit_file_holds_every_page(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    mission = persona_mission(personas, title="Title 0")
    for i in range(1, 4):
        mission.title = f"Title {i}"
        mission.save(update_fields=["title"])
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 1)
    client.force_login(personas.secretariat)
    query = {"kind": "missions.mission"}
    entries = _entries(client, query)
    rows = read(fetch(client, personas.secretariat, "audit", fmt, query), fmt)
    expected = [[e.what, c.before, c.after] for e in entries for c in (e.changes or [None]) if c]
    assert len(entries) > 3
    got = [[row[3], row[6], row[7]] for row in rows[1:] if row[5]]
    assert got == expected


@pytest.mark.parametrize("name", ["planner_runs", "audit"])
def test_only_the_secretariat_has_them(client: Client, personas: Personas, name: str) -> None:
    for user in (personas.regional, personas.member, personas.donor, personas.expert_user):
        client.force_login(user)
        before = table_state()
        url = reverse(f"exports:{name}_file", kwargs={"fmt": "csv"})
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        assert table_state() == before
