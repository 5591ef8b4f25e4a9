"""``renfort plan``: exit codes, files written, and no traceback for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renfort.planner.cli import plan_main
from renfort.planner.tests.factories import expert, mission, problem


def write(path: Path, doc: object) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


def test_plan_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "p.json", problem([expert("E1")], [mission("M1")]))
    out = tmp_path / "plan.json"
    assert plan_main([src, "-o", str(out), "--time-limit", "1"]) == 0
    plan = json.loads(out.read_text())
    assert plan["status"] == "optimal"
    assert "optimal: primary 1 of bound 1" in capsys.readouterr().err
    assert plan_main(["--check", src, str(out)]) == 0
    assert "ok" in capsys.readouterr().out


def test_check_reports_violations_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "p.json", problem([expert("E1", languages=["fr"])], [mission("M1")]))
    bad = {
        "status": "feasible",
        "objective": {"primary": 1},
        "missions": [
            {
                "id": "M1",
                "staffed": True,
                "start": "2027-03-01",
                "end": "2027-03-05",
                "assignments": [{"slot": "M1-1", "expert": "E1"}],
            }
        ],
    }
    assert plan_main(["--check", src, write(tmp_path / "plan.json", bad)]) == 1
    assert "E1 does not speak en" in capsys.readouterr().out


def test_invalid_problem_writes_an_invalid_plan_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = problem([expert("E1")], [mission("M1", end="2027-02-30")])
    out = tmp_path / "plan.json"
    assert plan_main([write(tmp_path / "p.json", doc), "-o", str(out)]) == 2
    plan = json.loads(out.read_text())
    assert plan["status"] == "invalid"
    assert "missions[0].end: '2027-02-30' is not a calendar date" in plan["errors"][0]
    assert "missions[0].end" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
        (b"\xff\xfe", "not UTF-8 text"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_unreadable_problem_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    src = tmp_path / "p.json"
    if isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content)
    out = tmp_path / "plan.json"
    assert plan_main([str(src), "-o", str(out)]) == 2
    assert message in json.loads(out.read_text())["errors"][0]
    assert message in capsys.readouterr().err


def test_missing_file_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_main([str(tmp_path / "nope.json"), "-o", str(tmp_path / "o.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert plan_main(["a.json", "--time-limit", "soon"]) == 2
    assert "invalid float value" in capsys.readouterr().err
    assert plan_main(["a.json", "--time-limit", "0"]) == 2
    assert plan_main(["--check", "only-one.json"]) == 2
    assert plan_main([]) == 2
    assert plan_main(["--generate", "x", "1", "2"]) == 2
    assert plan_main(["--help"]) == 0
    assert "renfort plan --check PROBLEM.json PLAN.json" in capsys.readouterr().out


def test_generate_is_deterministic_and_valid(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert plan_main(["--generate", "20", "50", "3", "--scarce", "-o", str(a)]) == 0
    assert plan_main(["--generate", "20", "50", "3", "--scarce", "-o", str(b)]) == 0
    assert a.read_text() == b.read_text()
    out = tmp_path / "plan.json"
    assert plan_main([str(a), "-o", str(out), "--time-limit", "1", "--workers", "1"]) == 0
    assert plan_main(["--check", str(a), str(out)]) == 0


def test_previous_plan_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "p.json", problem([expert("E1"), expert("E2", "FR")], [mission("M1")]))
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    assert plan_main([src, "-o", str(first), "--time-limit", "1"]) == 0
    args = [src, "-o", str(second), "--time-limit", "1", "--previous", str(first)]
    assert plan_main(args) == 0
    assert json.loads(second.read_text())["objective"]["secondary"]["previous_changed"] == 0
    assert plan_main([src, "--previous", str(tmp_path / "gone.json")]) == 2
    assert "gone.json: cannot read" in capsys.readouterr().err


def test_infeasible_pins_exit_1(tmp_path: Path) -> None:
    doc = problem(
        [expert("E1")],
        [mission("M1"), mission("M2")],
        pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
    )
    out = tmp_path / "plan.json"
    assert plan_main([write(tmp_path / "p.json", doc), "-o", str(out), "--time-limit", "1"]) == 1
    assert json.loads(out.read_text())["status"] == "infeasible"


def test_generate_with_the_real_calendar_options(tmp_path: Path) -> None:
    """--calendars, --year-caps and --exclusions each add their fields, as ``renfort bench``
    names them in its report."""
    out = tmp_path / "p.json"
    argv = ["--generate", "30", "60", "5", "--calendars", "--year-caps", "--exclusions"]
    assert plan_main([*argv, "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert all("calendar" in m for m in doc["missions"])
    assert any("max_days_by_year" in e for e in doc["experts"])
    assert any("excluded_experts" in s for m in doc["missions"] for s in m["slots"])
    plain = tmp_path / "plain.json"
    assert plan_main(["--generate", "30", "60", "5", "-o", str(plain)]) == 0
    assert "max_days_by_year" not in plain.read_text()
