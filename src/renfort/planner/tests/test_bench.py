"""``renfort bench``: the generator's real-calendar options reach every problem, and the
report goes between its markers, keeping what people wrote around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from renfort.planner.bench import main
from renfort.planner.bench_report import END, START, TITLE, problems_sentence

BEFORE = "# Planner benchmarks\n\nWritten by hand before the figures.\n\n"
AFTER = "\n\n## Notes on this run\n\nWritten by hand after the figures.\n"


def test_a_small_run_with_every_option_keeps_the_hand_written_sections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "benchmarks.md"
    report.write_text(f"{BEFORE}{START}\nlast run's figures\n{END}{AFTER}", encoding="utf-8")
    argv = ["--sizes", "S", "--no-timefold", "--real-calendar", "--time-limit", "1"]
    assert main([*argv, "-o", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith(BEFORE + START) and text.endswith(END + AFTER)
    assert "last run's figures" not in text
    assert "`renfort plan --generate M E 2027 --calendars --year-caps --exclusions`" in text
    assert "Generator options on: host calendars" in text
    assert "per-year release caps" in text and "slot exclusions" in text
    for name in ("S plentiful", "S scarce"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {name} |"))
        assert row.endswith("| yes |"), row
    assert "| every plan valid | 2 problems checked | yes |" in text
    assert text.count(START) == 1 and text.count(END) == 1
    capsys.readouterr()


def test_the_header_says_when_no_option_was_on() -> None:
    sentence = problems_sentence({"calendars": False, "year_caps": False, "exclusions": False})
    assert "`renfort plan --generate M E 2027` (plentiful)" in sentence
    assert "Generator options: none" in sentence
    one = problems_sentence({"calendars": False, "year_caps": True, "exclusions": False})
    assert "2027 --year-caps`" in one and "host calendars" not in one


@pytest.mark.parametrize(
    "text",
    [
        "# Planner benchmarks\n\nNo markers at all.\n",
        f"{START}\n{START}\n{END}\n",
        f"{END}\n{START}\n",
        f"{START}\nno end\n",
    ],
)
def test_a_file_without_a_pair_of_markers_is_refused_before_any_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    report = tmp_path / "benchmarks.md"
    report.write_text(text, encoding="utf-8")
    assert main(["--sizes", "S", "--no-timefold", "-o", str(report)]) == 2
    assert report.read_text(encoding="utf-8") == text
    err = capsys.readouterr().err
    assert START in err and END in err and "benchmarks.md" in err


def test_a_new_file_gets_the_title_and_the_markers(tmp_path: Path) -> None:
    from renfort.planner.bench_report import write_between_markers

    report = tmp_path / "new.md"
    write_between_markers(str(report), "figures")
    write_between_markers(str(report), "newer figures")
    assert report.read_text(encoding="utf-8") == f"{TITLE}\n\n{START}\n\nnewer figures\n\n{END}\n"


def test_a_replan_only_run_replaces_just_its_target_line_and_table(tmp_path: Path) -> None:
    from renfort.planner.bench_report import replace_replan

    old_target = "| re-plan after one withdrawal in under 2 s on M | 2.05 s | **no** |"
    block = (
        f"{START}\n\nMeasured earlier.\n\n| size row | kept |\n\n## Targets\n\n"
        f"| every plan valid | 8 | yes |\n{old_target}\n\n"
        "## Re-planning after a withdrawal (M, time limit 1.5 s)\n\n| old table |\n\n"
        f"{END}"
    )
    report = tmp_path / "benchmarks.md"
    report.write_text(f"{BEFORE}{block}{AFTER}", encoding="utf-8")
    new_target = "| re-plan after one withdrawal in under 2 s on M | 1.40 s | yes |"
    options = {"calendars": True, "year_caps": True, "exclusions": True}
    replace_replan(str(report), new_target, ["| new table |"], "1.38, 1.40, 1.52", options)
    text = report.read_text(encoding="utf-8")
    assert text.startswith(BEFORE + START) and text.endswith(END + AFTER)
    assert "| size row | kept |" in text and "| every plan valid | 8 | yes |" in text
    assert new_target in text and old_target not in text
    assert "| new table |" in text and "| old table |" not in text
    assert "--replan-only --calendars --year-caps --exclusions" in text
    assert "1.38, 1.40, 1.52" in text
    assert text.count(START) == 1 and text.count(END) == 1
    assert text.count("## Re-planning after a withdrawal") == 1


def test_the_withdrawn_expert_leaves_the_exclusion_lists_too() -> None:
    """The re-plan benchmark withdraws the busiest expert; an exclusion naming her would
    otherwise make the changed problem invalid (seen: one run in three)."""
    from renfort.planner.bench import without_expert
    from renfort.planner.tests.factories import expert, mission, problem, slot
    from renfort.planner.validate import problem_errors

    excluded = slot("M1-1", excluded_experts=["E2"])
    doc = problem([expert("E1"), expert("E2")], [mission("M1", slots=[excluded])])
    assert problem_errors(doc) == []
    changed = without_expert(doc, "E2")
    assert [e["id"] for e in changed["experts"]] == ["E1"]
    assert changed["missions"][0]["slots"][0]["excluded_experts"] == []
    assert problem_errors(changed) == []
    assert doc["missions"][0]["slots"][0]["excluded_experts"] == ["E2"]
