"""A run starts at once: the POST records what was asked and queues it; the worker builds the
problem, and a build that fails is the run's error, in words. The progress chart spans the
time the run actually took, with its axes named."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from renfort.lib.messages import PERIOD
from renfort.missions.models import Mission
from renfort.planning.charts import progress_chart
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.services import planner_run_create, planner_run_rerun
from renfort.planning.solving import planner_run_execute
from renfort.roster.models import Category
from renfort.testing import Personas, next_year, persona_mission

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mission(personas: Personas) -> Mission:
    """A mission the persona expert can staff."""
    return persona_mission(
        personas,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
    )


def detail(run: PlannerRun) -> str:
    return reverse("planner:run_detail", args=[run.pk])


def in_french(client: Client, url: str) -> str:
    """The progress partial read in French (the language the request set does not outlive it)."""
    with translation.override("en"):
        response = client.get(url, headers={"HX-Request": "true"}, HTTP_ACCEPT_LANGUAGE="fr")
    return response.content.decode()


def test_the_post_records_the_run_and_queues_it_without_building(
    client: Client, personas: Personas, mission: Mission, django_assert_max_num_queries
) -> None:
    client.force_login(personas.secretariat)
    with override_settings(TASKS=DB_TASKS), django_assert_max_num_queries(13):
        response = client.post(
            reverse("planner:run_create"), {"missions": [mission.pk], "time_limit_s": "1"}
        )
    run = PlannerRun.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(run)
    assert run.status == PlannerRunStatus.QUEUED
    assert run.problem == {} and run.progress == []  # nothing built in the request
    assert list(run.missions.all()) == [mission] and run.time_limit_s == 1
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("planner_run_task") and queued.args_kwargs["args"] == [run.pk]
    page = client.get(detail(run)).content.decode()
    assert "Waiting for the worker" in page and "1 mission chosen." in page

    planner_run_execute(run_id=run.pk)  # what the worker's task does
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.DONE, run.error
    assert [m["id"] for m in run.problem["missions"]] == [mission.reference]
    assert run.plan["stats"]["build_s"] >= 0
    assert planner_run_execute(run_id=run.pk) == run  # a second call finds it taken


def test_with_the_immediate_backend_the_run_is_built_and_solved(
    client: Client, personas: Personas, mission: Mission
) -> None:
    client.force_login(personas.secretariat)
    client.post(reverse("planner:run_create"), {"missions": [mission.pk], "time_limit_s": "1"})
    run = PlannerRun.objects.get()
    assert run.status == PlannerRunStatus.DONE, run.error
    assert run.plan["left_out"] == [] and run.plan["missions"][0]["staffed"]


def test_the_page_says_the_problem_is_being_built(client: Client, personas: Personas) -> None:
    run = PlannerRun.objects.create(
        created_by=personas.secretariat, status=PlannerRunStatus.RUNNING
    )
    assert run.building
    client.force_login(personas.secretariat)
    partial = client.get(detail(run), headers={"HX-Request": "true"}).content.decode()
    assert "Building the problem" in partial and 'hx-trigger="every 1s"' in partial
    assert "Construction du problème" in in_french(client, detail(run))


def test_a_build_error_becomes_the_runs_error_in_words(client: Client, personas: Personas) -> None:
    cramped = persona_mission(personas, window=(next_year(5, 1), next_year(5, 2), 5))
    client.force_login(personas.secretariat)
    response = client.post(
        reverse("planner:run_create"), {"missions": [cramped.pk], "time_limit_s": "1"}
    )
    run = PlannerRun.objects.get()
    assert response["Location"] == detail(run)  # the POST itself is not refused
    assert run.status == PlannerRunStatus.FAILED and run.finished_at is not None
    assert run.error_code == "planning.run.nothing_to_plan"
    window = PERIOD.render([str(cramped.window_start), str(cramped.window_end)])
    assert run.error_text() == (
        f"No mission can go to the planner: {cramped.reference}: its window ({window}) is "
        "shorter than its duration of 5 days"
    )
    page = client.get(detail(run)).content.decode()
    assert "is shorter than its duration of 5 days" in page and "Run the planner again" in page
    with translation.override("en"):
        french = client.get(detail(run), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "est plus courte que sa durée de 5 jours" in french


def test_a_mission_no_longer_plannable_when_the_worker_builds_is_left_out_by_name(
    personas: Personas, mission: Mission
) -> None:
    other = persona_mission(personas, start=next_year(8, 3), end=next_year(8, 5))
    run = planner_run_create(by=personas.secretariat, missions=[mission, other], time_limit_s=1)
    other.slots.all().delete()  # between the POST and the worker
    planner_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.DONE, run.error
    assert [m["id"] for m in run.problem["missions"]] == [mission.reference]
    assert run.plan["left_out"] == [
        {"mission": other.reference, "code": "planning.left_out.not_plannable", "params": {}}
    ]


def test_trying_again_a_run_never_built_keeps_its_pins(
    personas: Personas, mission: Mission
) -> None:
    slot = mission.slots.get()
    pin = (slot.code, str(personas.expert.pk))
    stuck = planner_run_create(
        by=personas.secretariat, missions=[mission], time_limit_s=1, extra_pins=[pin]
    )
    again = planner_run_rerun(run=stuck, by=personas.secretariat)
    assert again.status == PlannerRunStatus.DONE, again.error
    assert {"slot": pin[0], "expert": pin[1]} in again.problem["pinned"]


def _finished_run(personas: Personas) -> PlannerRun:
    """A run the planner finished in 0.12 s of its 10."""
    return PlannerRun.objects.create(
        created_by=personas.secretariat,
        status=PlannerRunStatus.DONE,
        time_limit_s=10,
        progress=[{"t": 0.05, "primary": 3, "bound": 5}, {"t": 0.1, "primary": 4, "bound": 4}],
        plan={"status": "optimal", "missions": [], "stats": {"wall_s": 0.12}},
    )


def test_the_chart_spans_the_time_the_run_took(personas: Personas) -> None:
    chart = progress_chart(_finished_run(personas))
    assert chart["span"] == 0.12 and chart["elapsed"] == 0.12
    assert [t["value"] for t in chart["x_ticks"]] == [0.0, 0.06, 0.12]
    right = chart["x_ticks"][-1]["x"]
    # Both lines reach the right end of the time axis, not a hundredth of a 10 s box.
    assert chart["primary"].split()[-1].split(",")[0] == right
    assert chart["bound"].split()[-1].split(",")[0] == right
    assert chart["axes"].split()[-1].split(",")[0] == right
    assert [t["value"] for t in chart["y_ticks"]] == [0, 2, 5]


def test_the_chart_while_running_spans_the_time_so_far(personas: Personas) -> None:
    run = PlannerRun.objects.create(
        created_by=personas.secretariat,
        status=PlannerRunStatus.RUNNING,
        time_limit_s=10,
        problem={"missions": [{"id": "M"}]},
        problem_mission_count=1,  # as the worker stores it with the problem
        progress=[{"t": 0.5, "primary": 2, "bound": 9}, {"t": 2.0, "primary": 7, "bound": 8}],
    )
    chart = progress_chart(run)
    assert chart["span"] == 2.0 and chart["percent"] == 20 and not run.building


def test_the_chart_names_its_axes_in_english_and_french(client: Client, personas: Personas) -> None:
    run = _finished_run(personas)
    run.status = PlannerRunStatus.RUNNING  # the progress partial alone
    run.save()
    client.force_login(personas.secretariat)
    english = client.get(detail(run), headers={"HX-Request": "true"}).content.decode()
    assert "Time (s)" in english and "Primary objective" in english
    assert ">0.12</text>" in english and "0.12 s of 10 s" in english
    html = in_french(client, detail(run))
    assert "Temps (s)" in html and "Objectif principal" in html
    assert ">0,12</text>" in html
    assert 'points="52.0,' in html  # coordinates are never localized
