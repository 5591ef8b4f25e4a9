"""Statuses change only in their transition services (docs/architecture.md, "Writes").

A static check over the Django apps: every statement that writes a ``status`` or
``release_status`` (an attribute assignment, or ``.update(status=...)``) must sit in one of the
functions below, each of which checks the transition and writes the history row. A new place
that writes a status fails this test until it goes through its service instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import renfort

ROOT = Path(renfort.__file__).parent
STATUS_FIELDS = {"status", "release_status"}
ALLOWED = {
    ("imports/jobs.py", "job_status_write"),
    ("assistance/services.py", "request_transition"),
    ("missions/services/mission_status.py", "mission_transition"),
    ("missions/services/common.py", "assignment_status_write"),
    ("missions/services/assignments.py", "assignment_transition"),
    ("missions/services/releases.py", "assignment_release_decide"),
    ("roster/services.py", "expert_release_set"),
    ("agreements/services/agreements.py", "agreement_transition"),
    # A planner run's own machine (queued, running, done, failed), written by its worker.
    ("planning/solving.py", "planner_run_execute"),
    ("planning/solving.py", "plan_apply"),
    # The relaxations' computation mark (computing, done, failed), claimed again when lost.
    ("planning/relaxation_requests.py", "relaxations_request"),
    # The year's delivery plan (draft, approved, published) and a follow-up action (open, done).
    ("results/services/delivery_plans.py", "delivery_plan_transition"),
    ("results/services/follow_ups.py", "follow_up_done"),
    # An erasure request (asked, approved, refused): its decision.
    ("privacy/services.py", "erasure_decide"),
    # An export's own machine (queued, running, done, failed), written by its task.
    ("exports/building.py", "export_build"),
    ("exports/building.py", "_finish"),
    # django-tasks' own task rows: a task whose worker's lease ran out goes back to the queue
    # (or fails after TASK_MAX_ATTEMPTS), docs/deploy.md.
    ("operations/leases.py", "leases_expired_put_back"),
}


def status_writes(path: Path) -> set[tuple[str, str]]:
    """(module, enclosing function) of every status write in ``path``."""
    rel = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            targets = child.targets if isinstance(child, ast.Assign) else []
            for target in targets:
                for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(t, ast.Attribute) and t.attr in STATUS_FIELDS:
                        found.add((rel, name))
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "update"
                and any(k.arg in STATUS_FIELDS for k in child.keywords)
            ):
                found.add((rel, name))
            visit(child, name)

    visit(tree, "<module>")
    return found


def all_status_writes() -> set[tuple[str, str]]:
    writes: set[tuple[str, str]] = set()
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & {"tests", "migrations", "planner", "demo"} or path.name == "testing.py":
            continue
        writes |= status_writes(path)
    return writes


def test_statuses_are_written_only_by_their_transition_services():
    assert all_status_writes() - ALLOWED == set()


def test_the_check_sees_a_bulk_update_and_an_assignment(tmp_path, monkeypatch):
    import sys

    module = tmp_path / "m.py"
    module.write_text(
        "def sneaky(qs, a):\n    qs.update(status='x')\n\ndef other(a):\n    a.status = 'y'\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert status_writes(module) == {("m.py", "sneaky"), ("m.py", "other")}
