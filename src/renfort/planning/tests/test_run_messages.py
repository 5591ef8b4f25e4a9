"""What a run stores for people is a code with parameters, read in the reader's language:
the missions left out of the run (and why), and why a run failed. The worker writes them in
nobody's language; the run page reads them in English for one reader, in French for another."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renfort.lib.messages import PERIOD
from renfort.missions.models import Mission
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.services import planner_run_create
from renfort.planning.solving import planner_run_execute
from renfort.roster.models import Category
from renfort.testing import Personas, next_year, persona_mission

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT


def page(client: Client, run: PlannerRun, language: str) -> str:
    with translation.override("en"):
        response = client.get(
            reverse("planner:run_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE=language
        )
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.fixture
def cramped(personas: Personas) -> Mission:
    """Five days asked in a window of two."""
    return persona_mission(
        personas, window=(next_year(5, 1), next_year(5, 2), 5), title="Risk workshop"
    )


def test_the_missions_left_out_read_in_each_readers_language(
    client: Client, personas: Personas, cramped: Mission
) -> None:
    staffable = persona_mission(
        personas, start=next_year(4, 6), end=next_year(4, 10), slots=[(TECH, {"aeo": 2})]
    )
    with translation.override("fr"):  # the worker's language is nobody's: nothing is frozen
        run = planner_run_create(
            by=personas.secretariat, missions=[staffable, cramped], time_limit_s=1
        )
        planner_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.DONE, run.error_text()
    window = [str(cramped.window_start), str(cramped.window_end)]
    assert run.plan["left_out"] == [
        {
            "mission": cramped.reference,
            "code": "planning.left_out.window_short",
            "params": {"window": window, "days": 5},
        }
    ]
    client.force_login(personas.secretariat)
    english = page(client, run, "en")
    link = reverse("missions:mission_detail", args=[cramped.pk])
    with translation.override("en"):
        period = PERIOD.render(window)
    assert "Left out of the run" in english
    assert (
        f'<td><a href="{link}">{cramped.reference}</a> Risk workshop</td><td>its window '
        f"({period}) is shorter than its duration of 5 days</td>"
    ) in english
    french = page(client, run, "fr")
    with translation.override("fr"):
        period = PERIOD.render(window)
    assert "Laissées hors de l’exécution" in french
    assert f"<td>sa fenêtre ({period}) est plus courte que sa durée de 5 jours</td>" in french
    assert "is shorter than" not in french


def test_a_run_left_out_before_codes_still_reads(client: Client, personas: Personas) -> None:
    run = PlannerRun.objects.create(
        created_by=personas.secretariat,
        status=PlannerRunStatus.DONE,
        plan={
            "status": "optimal",
            "objective": {"primary": 0},
            "missions": [],
            "left_out": [{"mission": "M-2020-001", "reason": "its window is in the past"}],
        },
    )
    client.force_login(personas.secretariat)
    assert "M-2020-001</td><td>its window is in the past</td>" in page(client, run, "fr")


def test_why_a_run_failed_reads_in_each_readers_language(
    client: Client, personas: Personas, cramped: Mission
) -> None:
    with translation.override("fr"):
        run = planner_run_create(by=personas.secretariat, missions=[cramped], time_limit_s=1)
        planner_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.FAILED
    assert run.error == "" and run.error_code == "planning.run.nothing_to_plan"
    client.force_login(personas.secretariat)
    assert "No mission can go to the planner: " in page(client, run, "en")
    french = page(client, run, "fr")
    assert "Aucune mission ne peut être confiée au planificateur" in french
    assert "est plus courte que sa durée de 5 jours" in french
    empty = PlannerRun.objects.create(created_by=personas.secretariat)
    planner_run_execute(run_id=empty.pk)
    empty.refresh_from_db()
    assert empty.error_text("en") == "No mission can go to the planner: the run holds no mission."
    assert empty.error_text("fr") == (
        "Aucune mission ne peut être confiée au planificateur\u00a0: l’exécution ne contient "
        "aucune mission."
    )


def test_a_run_failed_before_codes_keeps_its_sentence(client: Client, personas: Personas) -> None:
    run = PlannerRun.objects.create(
        created_by=personas.secretariat, status=PlannerRunStatus.FAILED, error="Old words."
    )
    assert run.error_text("fr") == "Old words."
    client.force_login(personas.secretariat)
    assert "Old words." in page(client, run, "fr")
