"""``renfort bench``: the planner beside greedy first-fit and Timefold on generated problems.

Each run is a child process so that its wall time and peak memory are its own. Every plan,
whoever made it, goes through the plan checker. Figures are printed and written as Markdown
(``bench_report``), between the report file's markers. ``--calendars``, ``--year-caps`` and
``--exclusions`` (all three: ``--real-calendar``) make every problem, the re-plan's included,
with the generator's option of that name.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from renfort.planner import bench_report
from renfort.planner.bench_report import OPTIONS, REPLAN_LIMIT_S, SEED, Results, Run
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


def _child(kind: str, problem_path: str, out_path: str, time_limit: float) -> None:
    """Body of a child process: one solver on one problem, the plan written to a file."""
    doc = json.loads(Path(problem_path).read_text())
    if kind == "planner":
        from renfort.planner.solve import solve

        plan = solve(doc, time_limit_s=time_limit)
    else:
        plan = baseline_plan(kind, doc, time_limit)
    Path(out_path).write_text(json.dumps(plan))


def baseline_plan(kind: str, doc: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """A plan by greedy first-fit (``kind`` "greedy") or the Timefold peer ("timefold"), as
    the benchmark makes it: the same candidate lists as the planner, no time spent on proof."""
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


def without_expert(doc: dict[str, Any], gone: str) -> dict[str, Any]:
    """``doc`` with expert ``gone`` out of the pool, and out of the slots' exclusion lists
    (which may only name experts of the pool)."""
    missions = [
        dict(
            m,
            slots=[
                dict(s, excluded_experts=[e for e in s["excluded_experts"] if e != gone])
                if gone in s.get("excluded_experts", ())
                else s
                for s in m["slots"]
            ],
        )
        for m in doc["missions"]
    ]
    return dict(doc, experts=[e for e in doc["experts"] if e["id"] != gone], missions=missions)


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
    changed = without_expert(doc, gone)
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="renfort bench")
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="comma-separated, from S,M,L,XL (and 800)"
    )
    parser.add_argument("--time-limit", type=float, help="seconds per run (default 10, XL 60)")
    parser.add_argument("--no-timefold", action="store_true", help="skip the Timefold peer")
    parser.add_argument("--no-replan", action="store_true", help="skip the re-plan benchmark")
    parser.add_argument(
        "--replan-only",
        action="store_true",
        help="run only the re-plan benchmark (median of 3) and, with -o, replace only its "
        "target line and table in the report",
    )
    for name, (flag, words) in OPTIONS.items():
        parser.add_argument(flag, dest=name, action="store_true", help=f"problems with {words}")
    parser.add_argument(
        "--real-calendar",
        action="store_true",
        help="all three: " + ", ".join(flag for flag, _ in OPTIONS.values()),
    )
    parser.add_argument(
        "-o",
        "--output",
        help="write the Markdown report here, between its markers "
        f"({bench_report.START} ... {bench_report.END}); the rest of the file is kept",
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        sys.stderr.write(f"renfort bench: unknown size(s) {', '.join(unknown)}; use S,M,L,XL,800\n")
        return 2
    # Checked before the runs: an hour of benchmark is not lost on a file it may not rewrite.
    problem = bench_report.marker_problem(args.output) if args.output else None
    if problem:
        sys.stderr.write(f"renfort bench: {problem}\n")
        return 2
    options = {name: bool(getattr(args, name) or args.real_calendar) for name in OPTIONS}
    use_timefold = not args.no_timefold
    if use_timefold:
        try:
            import timefold.solver  # noqa: F401
        except ImportError:
            sys.stderr.write("renfort bench: timefold is not installed, running without it\n")
            use_timefold = False

    if args.replan_only:
        return _replan_only(args, options)
    lines, results = _compare(sizes, args.time_limit, use_timefold, options)
    replan_lines: list[str] = []
    result: dict[str, Any] | None = None
    if not args.no_replan and "M" in sizes:
        missions, experts, default_limit = SIZES["M"]
        doc = generate(missions, experts, SEED, **options)
        result = _replan(doc, args.time_limit or default_limit)
        replan_lines = _replan_lines(result)
        print("\n".join(replan_lines), flush=True)

    if args.output:
        verdicts = bench_report.verdicts(results, result)
        print("\n".join(verdicts), flush=True)
        generated = bench_report.report(
            lines, replan_lines, verdicts, args.time_limit, use_timefold, options
        )
        bench_report.write_between_markers(args.output, generated)
        print(f"written to {args.output}")
    return 0


def _replan_only(args: argparse.Namespace, options: dict[str, bool]) -> int:
    """The re-plan benchmark alone, three times; the median run is reported."""
    missions, experts, default_limit = SIZES["M"]
    doc = generate(missions, experts, SEED, **options)
    runs = sorted(
        (_replan(doc, args.time_limit or default_limit) for _ in range(3)),
        key=lambda r: float(r["wall_s"]),
    )
    result = runs[1]
    walls = ", ".join(f"{r['wall_s']:.2f}" for r in runs)
    lines = _replan_lines(result)
    print("\n".join(lines), flush=True)
    print(f"re-plan wall s of the three runs: {walls}", flush=True)
    if args.output:
        if not Path(args.output).exists():
            sys.stderr.write(f"renfort bench: {args.output} has no full report to update\n")
            return 2
        bench_report.replace_replan(
            args.output, bench_report.replan_verdict(result), lines, walls, options
        )
        print(f"written to {args.output}")
    return 0


def _replan_lines(result: dict[str, Any]) -> list[str]:
    return [
        "| problem | withdrawn | missions affected | re-plan wall s | assignments changed "
        "| of which outside the affected missions | primary before → after | valid |",
        "|---|---|---|---|---|---|---|---|",
        f"| M plentiful | {result['withdrawn']} | {result['affected']} "
        f"| {result['wall_s']:.2f} | {result['changed_total']} | {result['changed_outside']} "
        f"| {result['primary_before']} → {result['primary_after']} "
        f"| {'yes' if result['valid'] else 'NO'} |",
    ]


def _compare(
    sizes: list[str], time_limit: float | None, use_timefold: bool, options: dict[str, bool]
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
            doc = generate(missions, experts, SEED, scarce=scarce, **options)
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
                json.dump(doc, handle)
                path = handle.name
            try:
                planner = _run("planner", path, doc, limit)
                greedy = _run("greedy", path, doc, limit)
                peer = _run("timefold", path, doc, limit) if use_timefold else None
            finally:
                os.unlink(path)
            row = bench_report.row(f"{name} | {missions:,} × {experts:,}", planner, greedy, peer)
            lines.append(row)
            results[name] = (planner, greedy, peer, limit)
            print(row, flush=True)
    return lines, results


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
