"""The Markdown of ``renfort bench``: the table's rows, the targets met or not, the report,
and writing it between its markers so that hand-written sections of the file are kept."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SEED = 2027
REPLAN_LIMIT_S = 1.5  # the target is a re-plan in under 2 s, reading and writing included

# The part of the report file ``renfort bench -o`` writes; everything outside is kept.
START = "<!-- renfort bench: start -->"
END = "<!-- renfort bench: end -->"
TITLE = "# Planner benchmarks"

# The generator's real-calendar options: command-line flag -> ``generate`` keyword, and how
# the report names it.
OPTIONS: dict[str, tuple[str, str]] = {
    "calendars": (
        "--calendars",
        "host calendars (Saturday-Sunday or Friday-Saturday weekends, public holidays; windowed "
        "durations in working days) and some remote missions",
    ),
    "year_caps": (
        "--year-caps",
        "per-year release caps (the year runs July to June, across 31 December)",
    ),
    "exclusions": ("--exclusions", "slot exclusions (about one slot in five excludes 1-3 experts)"),
}


@dataclass
class Run:
    primary: int | None
    bound: int | None
    status: str
    wall_s: float
    peak_mb: float
    violations: int
    note: str = ""
    solve_s: float | None = None  # the solver's own clock, without process start-up and I/O
    optimal_at_s: float | None = None  # when the primary was proven optimal, if it was


# problem name -> (planner, greedy, Timefold or None, time limit)
Results = dict[str, tuple[Run, Run, Run | None, float]]


def _fmt(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _ratio(a: int | None, b: int | None) -> str:
    return f"{a / b:.3f}" if a is not None and b else "–"


def row(problem: str, planner: Run, greedy: Run, peer: Run | None) -> str:
    """One line of the table: the problem (name and size), then the three solvers' runs."""
    gap = _gap(planner)
    invalid = planner.violations + greedy.violations + (peer.violations if peer else 0)
    valid = "yes" if invalid == 0 else f"NO ({invalid} violations)"
    if planner.status == "failed":
        valid = f"planner failed: {planner.note}"
    return (
        f"| {problem} | {_fmt(planner.primary)} "
        f"| {_fmt(planner.bound)} | {_fmt(gap, 2)}% | {planner.status} "
        f"| {_fmt(greedy.primary)} | {_ratio(planner.primary, greedy.primary)} "
        f"| {_fmt(peer.primary) if peer else 'not run'} "
        f"| {_ratio(planner.primary, peer.primary) if peer else '–'} "
        f"| {planner.wall_s:.1f} | {planner.peak_mb:,.0f} "
        f"| {f'{peer.wall_s:.1f}' if peer else '–'} "
        f"| {f'{peer.peak_mb:,.0f}' if peer else '–'} | {valid} |"
    )


def _gap(run: Run) -> float | None:
    """How far below its proven bound the run's primary is, in percent."""
    if run.primary is None or not run.bound:
        return None
    return 100 * (run.bound - run.primary) / run.bound


def _rows(results: Results, prefix: str) -> list[tuple[str, Run, Run, Run | None, float]]:
    return [(n, *v) for n, v in results.items() if n.startswith(prefix)]


def _verdict(target: str, measured: list[str], met: bool | None) -> str:
    verdict = "not measured" if met is None else ("yes" if met else "**no**")
    return f"| {target} | {'; '.join(measured) or '–'} | {verdict} |"


def verdicts(results: Results, replan: dict[str, Any] | None) -> list[str]:
    """The issue's targets, each with what was measured and whether it was met."""
    return [
        "| target | measured | met |",
        "|---|---|---|",
        *_quality_verdicts(results),
        *_size_verdicts(results),
        replan_verdict(replan),
    ]


def _quality_verdicts(results: Results) -> list[str]:
    """Every plan valid, never below greedy, ahead of Timefold."""
    everything = list(results.items())
    bad = [
        f"{n}: {r.violations} violations"
        for n, (p, g, t, _) in everything
        for r in (p, g, t)
        if r is not None and (r.violations or r.status == "failed")
    ]
    below = [
        f"{n}: {p.primary} < {g.primary}"
        for n, (p, g, _, _) in everything
        if (p.primary or 0) < (g.primary or 0)
    ]
    peers = [(n, p, t) for n, (p, _, t, _) in everything if t is not None]
    return [
        _verdict(
            "every plan valid",
            bad or [f"{len(everything)} problems checked"],
            not bad if everything else None,
        ),
        _verdict(
            "primary never below greedy's",
            below or ["never below"],
            not below if everything else None,
        ),
        _verdict(
            "ahead of Timefold at every size, equal time limit",
            [f"{n}: {p.primary} vs {t.primary}" for n, p, t in peers],
            all((p.primary or 0) >= (t.primary or 0) for _, p, t in peers) if peers else None,
        ),
    ]


def _size_verdicts(results: Results) -> list[str]:
    """S proven optimal, M and L close to the bound, XL within its time and memory."""
    s_rows = _rows(results, "S ")
    out = [
        _verdict(
            "S proven optimal in 10 s",
            [
                f"{n}: {p.status}, proven at {p.optimal_at_s} s of a {p.solve_s} s run"
                for n, p, *_ in s_rows
            ],
            all(p.status == "optimal" and (p.solve_s or 99) <= 10.5 for _, p, *_ in s_rows)
            if s_rows
            else None,
        )
    ]
    for prefix, limit_pct, label in (
        ("M plentiful", 0.5, "M plentiful within 0.5% of the bound in 10 s"),
        ("L plentiful", 0.5, "L plentiful within 0.5% of the bound in 10 s"),
        ("M scarce", 1.0, "M scarce within 1% of the bound in 10 s"),
    ):
        found = _rows(results, prefix)
        out.append(
            _verdict(
                label,
                [f"gap {_gap(p):.2f}%, {p.solve_s} s" for _, p, *_ in found if _gap(p) is not None],
                all((_gap(p) or 0) <= limit_pct for _, p, *_ in found) if found else None,
            )
        )
    xl = _rows(results, "XL ")
    out.append(
        _verdict(
            "XL: a valid plan within 60 s, under 4 GB, within 1% of the bound",
            [
                f"{n}: gap {_gap(p) or 0:.2f}%, {p.solve_s} s solving ({p.wall_s:.0f} s with "
                f"start-up and I/O), {p.peak_mb:,.0f} MB"
                for n, p, *_ in xl
            ],
            all(
                p.violations == 0
                and (p.solve_s or 99) <= 61
                and p.peak_mb < 4096
                and (_gap(p) or 0) <= 1
                for _, p, *_ in xl
            )
            if xl
            else None,
        )
    )
    return out


def replan_verdict(replan: dict[str, Any] | None) -> str:
    if replan is None:
        return _verdict("re-plan after one withdrawal in under 2 s on M", [], None)
    steady = replan["changed_outside"] == 0 or replan["primary_after"] > replan["primary_before"]
    return _verdict(
        "re-plan after one withdrawal in under 2 s on M, nothing else changed unless that "
        "staffs more",
        [
            f"{replan['wall_s']:.2f} s, {replan['changed_outside']} changed outside the "
            f"{replan['affected']} affected missions"
        ],
        replan["wall_s"] < 2 and steady and replan["valid"],
    )


def problems_sentence(options: dict[str, bool]) -> str:
    """How the problems were made, with the generator options that were on."""
    flags = "".join(f" {OPTIONS[name][0]}" for name, on in options.items() if on)
    on = [OPTIONS[name][1] for name, value in options.items() if value]
    which = (
        "Generator options on: " + "; ".join(on) + "."
        if on
        else "Generator options: none (no host calendars, no per-year caps, no exclusions)."
    )
    return (
        f"Problems: `renfort plan --generate M E {SEED}{flags}` (plentiful) and the same with "
        f"`--scarce`. {which}"
    )


def report(
    lines: list[str],
    replan: list[str],
    verdict_lines: list[str],
    limit: float | None,
    timefold: bool,
    options: dict[str, bool],
) -> str:
    """The generated part of the report (what lies between the markers)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cores = os.cpu_count()
    limits = f"{limit:g} s for every size" if limit else "10 s (XL: 60 s)"
    parts = [
        f"Measured {stamp} by `renfort bench` on {platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}. Time limit {limits}; each run in its own "
        "process (wall time includes reading the problem and writing the plan; peak MB is "
        f"the process's peak resident memory). {problems_sentence(options)} Every plan went "
        "through `renfort plan --check`.",
        "",
        "Columns: *primary* is the sum of the priorities of staffed missions; *proven bound* "
        "an upper bound proven by the LP relaxation over every filtered pair (or by CP-SAT "
        "when no candidate list was cut); *gap* = (bound − primary) / bound; *greedy* the "
        "first-fit baseline (most important mission first, earliest dates, first free "
        "qualified expert); *Timefold* the Timefold 1.24.0b0 peer given the same candidate "
        "lists and time limit"
        + ("" if timefold else " (not run)")
        + "; × columns are the planner's primary over theirs.",
        "",
        *lines,
        "",
        "## Targets",
        "",
        *verdict_lines,
    ]
    if replan:
        parts += [
            "",
            f"## Re-planning after a withdrawal (M, time limit {REPLAN_LIMIT_S:g} s)",
            "",
            *replan,
        ]
    return "\n".join(parts)


def replace_replan(
    path: str, verdict_line: str, table: list[str], walls: str, options: dict[str, bool]
) -> None:
    """Replace the re-plan target line and the re-plan table of an existing report (a
    ``--replan-only`` run), keeping the rest of the generated part as it was measured."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    block, after = rest.split(END, 1)
    head = block.split("\n## Re-planning after a withdrawal", 1)[0].rstrip("\n")
    kept = [
        verdict_line if line.startswith("| re-plan after one withdrawal") else line
        for line in head.split("\n")
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    flags = "".join(f" {OPTIONS[name][0]}" for name, on in options.items() if on)
    section = [
        "",
        f"## Re-planning after a withdrawal (M, time limit {REPLAN_LIMIT_S:g} s)",
        "",
        f"Re-measured {stamp} by `renfort bench --replan-only{flags}` on {platform.machine()}, "
        f"{os.cpu_count()} cores: three runs, re-plan wall s {walls}; the median run is shown. "
        "The rest of the report above is from the full run stamped at its top.",
        "",
        *table,
    ]
    new_block = "\n".join(kept + section)
    file.write_text(f"{before}{START}{new_block}\n\n{END}{after}", encoding="utf-8")


def marker_problem(path: str) -> str | None:
    """Why the report cannot go into ``path`` (markers missing, doubled or out of order), or
    None when it can (the file has one start marker before one end marker, or no file yet)."""
    file = Path(path)
    if not file.exists():
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot read: {exc}"
    starts, ends = text.count(START), text.count(END)
    if starts == 1 and ends == 1 and text.index(START) < text.index(END):
        return None
    return (
        f"{path}: the generated part must lie between one line `{START}` and one line `{END}` "
        f"after it (found {starts} start and {ends} end marker(s)); add them around the part "
        "to replace, or write to a new file"
    )


def write_between_markers(path: str, generated: str) -> None:
    """Put ``generated`` between the file's markers, keeping everything outside them; a new
    file gets the title and the markers."""
    file = Path(path)
    block = f"{START}\n\n{generated.strip()}\n\n{END}"
    if not file.exists():
        file.write_text(f"{TITLE}\n\n{block}\n", encoding="utf-8")
        return
    text = file.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    file.write_text(before + block + after, encoding="utf-8")
