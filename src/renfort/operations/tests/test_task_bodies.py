"""Every task body is safe to run twice (docs/deploy.md, "Task workers"): a worker killed after
the work was committed and before the result was leaves a task that runs again.

``SAFE_TWICE`` lists every task of the project with the test that runs it twice; a new task
fails ``test_every_task_is_reviewed`` until it is added here with its test.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django_tasks.base import Task

import renfort
from renfort.missions.models import Mission
from renfort.planning.models import PlannerRun, PlannerRunStatus, PoolGapSnapshot
from renfort.planning.services import planner_run_create
from renfort.planning.solving import planner_run_execute
from renfort.planning.tasks import pool_gaps_refresh_task
from renfort.roster.models import Category
from renfort.testing import Personas, next_year, persona_mission

SAFE_TWICE = {
    "renfort.imports.tasks.import_check_task": (
        "imports/tests/test_services.py::test_the_task_bodies_are_safe_to_run_twice"
    ),
    "renfort.imports.tasks.import_apply_task": (
        "imports/tests/test_services.py::test_the_task_bodies_are_safe_to_run_twice"
    ),
    "renfort.planning.tasks.planner_run_task": "test_a_run_whose_worker_died_is_solved_again",
    "renfort.planning.tasks.pool_gaps_refresh_task": "test_pool_gaps_twice_keep_one_snapshot",
    "renfort.planning.tasks.mission_relaxations_task": (
        "planning/tests/test_relaxations.py: one row per mission and fingerprint (update_or_create)"
    ),
    "renfort.results.tasks.reminders_daily_task": (
        "results/tests/test_reminders.py: each reminder once (a second send the same day: {})"
    ),
    "renfort.exports.tasks.export_build_task": (
        "exports.building.export_build: a finished export is left as it is, a RUNNING one "
        "is built again (its file saved under a new name)"
    ),
    "renfort.accounts.tasks.digests_daily_task": (
        "accounts/tests/test_digest.py: each person once a day (a second send: 0)"
    ),
}


def _project_tasks() -> set[str]:
    found = set()
    for module in pkgutil.walk_packages(renfort.__path__, "renfort."):
        if not module.name.endswith(".tasks") or ".tests." in module.name:
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Task) and value.module_path.startswith(module.name):
                found.add(value.module_path)
    return found


def test_every_task_is_reviewed() -> None:
    assert _project_tasks() == set(SAFE_TWICE)


@pytest.fixture
def mission(personas: Personas) -> Mission:
    return persona_mission(
        personas,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
    )


def test_a_run_whose_worker_died_is_solved_again(personas: Personas, mission: Mission) -> None:
    run = planner_run_create(by=personas.secretariat, missions=[mission], time_limit_s=1)
    # The first attempt's worker claimed the run and was killed: the run stays RUNNING.
    PlannerRun.objects.filter(pk=run.pk).update(status=PlannerRunStatus.RUNNING)
    untouched = planner_run_execute(run_id=run.pk)  # a first attempt does not take over
    assert untouched is not None and untouched.status == PlannerRunStatus.RUNNING
    done = planner_run_execute(run_id=run.pk, resume=True)  # the task's second attempt
    assert done is not None
    assert done.status == PlannerRunStatus.DONE, done.error
    plan = done.plan
    # A third attempt (the second worker died after committing) leaves the finished run alone.
    again = planner_run_execute(run_id=run.pk, resume=True)
    assert again is not None and again.status == PlannerRunStatus.DONE and again.plan == plan


def test_pool_gaps_twice_keep_one_snapshot(personas: Personas, mission: Mission) -> None:
    pool_gaps_refresh_task.call()
    first = PoolGapSnapshot.objects.get()
    pool_gaps_refresh_task.call()
    assert list(PoolGapSnapshot.objects.all()) == [first]
