"""``renfort bench``: the planner beside greedy first-fit and Timefold on generated problems.

Each run is a child process so that its wall time and peak memory are its own. Every plan,
whoever made it, goes through the plan checker. Figures are printed and written as Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from renfort.planner.check import check_plan
from renfort.planner.generate import generate

SIZES: dict[str, tuple[int, int, float]] = {
    "S": (100, 300, 10.0),
    "M": (500, 1_500, 10.0),
    "L": (2_000, 5_000, 10.0),
    "XL": (5_000, 20_000, 60.0),
    # Not in the default run: the reference point for Timefold (800 scarce missions).
    "800": (800, 2_400, 60.0),
}
DEFAULT_SIZES = "S,M,L,XL"
SEED = 2027
REPLAN_LIMIT_S = 1.5  # the target is a re-plan in under 2 s, reading and writing included


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


def _child(kind: str, problem_path: str, out_path: str, time_limit: float) -> None:
    """Body of a child process: one solver on one problem, the plan written to a file."""
    doc = json.loads(Path(problem_path).read_text())
    if kind == "planner":
        from renfort.planner.solve import solve

        plan = solve(doc, time_limit_s=time_limit)
    else:
        plan = _baseline_plan(kind, doc, time_limit)
    Path(out_path).write_text(json.dumps(plan))


def _baseline_plan(kind: str, doc: dict[str, Any], time_limit: float) -> dict[str, Any]:
    from renfort.planner import solve as planner
    from renfort.planner.candidates import ExpertArrays, build_candidates
    from renfort.planner.greedy import Board, greedy
    from renfort.planner.parse import parse_problem
    from renfort.planner.result import plan_document

    began = time.perf_counter()
    problem = parse_problem(doc)
    arrays = ExpertArrays.build(problem)
    cands = build_candidates(problem, arrays)
    stats: dict[str, Any] = {"solver": kind}
    if kind == "greedy":
        schedule = greedy(problem, arrays, cands)
        assert schedule is not None
    else:
        from renfort.planner.peer import solve_with_timefold

        # The same candidate lists CP-SAT works with (without the LP's additions).
        hint = greedy(problem, arrays, cands, smart=True)
        must: dict[int, set[int]] = {}
        for m, staff in (hint.experts if hint else {}).items():
            for j, e in staff.items():
                must.setdefault(cands.flat(m, j), set()).add(e)
        allowed, _ = planner._select(problem, cands, must, planner.PAIR_BUDGET)
        schedule, tf_stats = solve_with_timefold(problem, arrays, cands, allowed, time_limit)
        stats.update(tf_stats)
    board = Board(problem, arrays, cands)
    for m, staff in schedule.experts.items():
        board.place(m, schedule.start[m], staff)
    stats["wall_s"] = round(time.perf_counter() - began, 3)
    return plan_document(problem, arrays, cands, schedule, board, "feasible", 0, None, stats)


def _run(kind: str, problem_path: str, doc: dict[str, Any], time_limit: float) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "plan.json")
        code = (
            "import sys; from renfort.planner.bench import _child; "
            "_child(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))"
        )
        began = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", code, kind, problem_path, out, str(time_limit)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        peak = usage.ru_maxrss / 1024
        if status != 0 or not os.path.exists(out):
            last = stderr.strip().splitlines()[-1:] or ["no output"]
            return Run(None, None, "failed", wall, peak, 0, last[0][:120])
        plan = json.loads(Path(out).read_text())
    violations = check_plan(doc, plan)
    objective = plan["objective"]
    bound = objective.get("primary_bound") if kind == "planner" else None
    stats = plan.get("stats", {})
    return Run(
        objective["primary"],
        bound,
        plan["status"],
        wall,
        peak,
        len(violations),
        "",
        stats.get("wall_s"),
        stats.get("optimal_at_s"),
    )


def _replan(doc: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """Plan, withdraw the busiest expert, re-plan with the previous plan."""
    from renfort.planner.solve import solve

    first = solve(doc, time_limit_s=time_limit)
    before = {
        m["id"]: {a["slot"]: a["expert"] for a in m["assignments"]}
        for m in first["missions"]
        if m["staffed"]
    }
    load: dict[str, int] = {}
    for staff in before.values():
        for e in staff.values():
            load[e] = load.get(e, 0) + 1
    gone = max(load, key=lambda e: load[e])
    changed = dict(doc, experts=[e for e in doc["experts"] if e["id"] != gone])
    began = time.perf_counter()
    second = solve(changed, time_limit_s=REPLAN_LIMIT_S, previous=first)
    wall = time.perf_counter() - began
    after = {
        m["id"]: {a["slot"]: a["expert"] for a in m["assignments"]}
        for m in second["missions"]
        if m["staffed"]
    }
    affected = {m for m, staff in before.items() if gone in staff.values()}
    outside = sum(
        1
        for m, staff in before.items()
        if m not in affected
        for slot, e in staff.items()
        if after.get(m, {}).get(slot) != e
    )
    return {
        "withdrawn": gone,
        "affected": len(affected),
        "wall_s": wall,
        "changed_outside": outside,
        "changed_total": second["objective"]["secondary"].get("previous_changed"),
        "primary_before": first["objective"]["primary"],
        "primary_after": second["objective"]["primary"],
        "valid": not check_plan(changed, second),
    }


def _fmt(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _ratio(a: int | None, b: int | None) -> str:
    return f"{a / b:.3f}" if a is not None and b else "–"


# problem name -> (planner, greedy, Timefold or None, time limit)
Results = dict[str, tuple[Run, Run, Run | None, float]]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renfort bench")
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="comma-separated, from S,M,L,XL (and 800)"
    )
    parser.add_argument("--time-limit", type=float, help="seconds per run (default 10, XL 60)")
    parser.add_argument("--no-timefold", action="store_true", help="skip the Timefold peer")
    parser.add_argument("--no-replan", action="store_true", help="skip the re-plan benchmark")
    parser.add_argument("-o", "--output", help="write the Markdown report here")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        sys.stderr.write(f"renfort bench: unknown size(s) {', '.join(unknown)}; use S,M,L,XL,800\n")
        return 2
    use_timefold = not args.no_timefold
    if use_timefold:
        try:
            import timefold.solver  # noqa: F401
        except ImportError:
            sys.stderr.write("renfort bench: timefold is not installed, running without it\n")
            use_timefold = False

    lines, results = _compare(sizes, args.time_limit, use_timefold)
    replan_lines: list[str] = []
    result: dict[str, Any] | None = None
    if not args.no_replan and "M" in sizes:
        missions, experts, default_limit = SIZES["M"]
        result = _replan(generate(missions, experts, SEED), args.time_limit or default_limit)
        replan_lines = [
            "| problem | withdrawn | missions affected | re-plan wall s | assignments changed "
            "| of which outside the affected missions | primary before → after | valid |",
            "|---|---|---|---|---|---|---|---|",
            f"| M plentiful | {result['withdrawn']} | {result['affected']} "
            f"| {result['wall_s']:.2f} | {result['changed_total']} | {result['changed_outside']} "
            f"| {result['primary_before']} → {result['primary_after']} "
            f"| {'yes' if result['valid'] else 'NO'} |",
        ]
        print("\n".join(replan_lines), flush=True)

    if args.output:
        verdicts = _verdicts(results, result)
        print("\n".join(verdicts), flush=True)
        report = _report(lines, replan_lines, verdicts, args.time_limit, use_timefold)
        Path(args.output).write_text(report)
        print(f"written to {args.output}")
    return 0


def _compare(
    sizes: list[str], time_limit: float | None, use_timefold: bool
) -> tuple[list[str], Results]:
    """Each size, plentiful and scarce, by each solver: the table's lines, and the runs."""
    header = (
        "| problem | missions × experts | primary | proven bound | gap | status | greedy "
        "| × greedy | Timefold | × Timefold | wall s | peak MB | Timefold wall s "
        "| Timefold peak MB | valid |"
    )
    lines = [header, "|" + "---|" * 15]
    results: Results = {}
    print(header, flush=True)
    for size in sizes:
        missions, experts, default_limit = SIZES[size]
        limit = time_limit or default_limit
        for scarce in (False, True):
            name = f"{size} {'scarce' if scarce else 'plentiful'}"
            doc = generate(missions, experts, SEED, scarce=scarce)
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
                json.dump(doc, handle)
                path = handle.name
            try:
                planner = _run("planner", path, doc, limit)
                greedy = _run("greedy", path, doc, limit)
                peer = _run("timefold", path, doc, limit) if use_timefold else None
            finally:
                os.unlink(path)
            row = _row(f"{name} | {missions:,} × {experts:,}", planner, greedy, peer)
            lines.append(row)
            results[name] = (planner, greedy, peer, limit)
            print(row, flush=True)
    return lines, results


def _row(problem: str, planner: Run, greedy: Run, peer: Run | None) -> str:
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


def _verdicts(results: Results, replan: dict[str, Any] | None) -> list[str]:
    """The issue's targets, each with what was measured and whether it was met."""
    return [
        "| target | measured | met |",
        "|---|---|---|",
        *_quality_verdicts(results),
        *_size_verdicts(results),
        _replan_verdict(replan),
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


def _replan_verdict(replan: dict[str, Any] | None) -> str:
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


def _report(
    lines: list[str], replan: list[str], verdicts: list[str], limit: float | None, timefold: bool
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cores = os.cpu_count()
    limits = f"{limit:g} s for every size" if limit else "10 s (XL: 60 s)"
    parts = [
        "# Planner benchmarks",
        "",
        f"Measured {stamp} by `renfort bench` on {platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}. Time limit {limits}; each run in its own "
        "process (wall time includes reading the problem and writing the plan; peak MB is "
        f"the process's peak resident memory). Problems: `renfort plan --generate M E {SEED}` "
        "(plentiful) and the same with `--scarce`. Every plan went through `renfort plan "
        "--check`.",
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
        *verdicts,
        "",
    ]
    if replan:
        parts += [
            f"## Re-planning after a withdrawal (M, time limit {REPLAN_LIMIT_S:g} s)",
            "",
            *replan,
            "",
        ]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
