"""``renfort plan`` and ``renfort bench``: the planner's command line.

Exit codes: 0 a plan was written (or the plan checks out); 2 the input is unusable (a plan
file with status ``invalid`` and the errors is still written); 1 the plan breaks a hard
constraint (``--check``) or no plan can keep the pins (status ``infeasible``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from renfort.planner.check import check_plan
from renfort.planner.domain import ProgressEvent
from renfort.planner.generate import generate
from renfort.planner.solve import solve

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


class _Usage(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """Reports instead of exiting: ``plan_main`` returns its exit code."""

    def error(self, message: str) -> Any:
        raise _Usage(message)

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        if message:
            sys.stderr.write(message)
        raise _Exit(status)


def _read_json(path: str) -> tuple[Any, str | None]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        return None, f"{path}: cannot read: {exc.strerror or exc}"
    except UnicodeDecodeError:
        return None, f"{path}: not UTF-8 text"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return None, f"{path}: nested too deeply"


def _write_json(doc: Any, path: str | None, stdout: TextIO) -> str | None:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if path is None or path == "-":
        stdout.write(text)
        return None
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"{path}: cannot write: {exc.strerror or exc}"
    return None


def _plan_parser() -> _Parser:
    parser = _Parser(
        prog="renfort plan",
        description="Plan missions: who goes where and when.",
        epilog=(
            "renfort plan PROBLEM.json -o PLAN.json [--time-limit S] [--workers N] "
            "[--previous PLAN.json] | renfort plan --check PROBLEM.json PLAN.json | "
            "renfort plan --generate M E SEED [--scarce] [--calendars] [--year-caps] "
            "[--exclusions] [-o FILE]"
        ),
    )
    parser.add_argument(
        "files", nargs="*", help="PROBLEM.json, or PROBLEM.json PLAN.json with --check"
    )
    parser.add_argument("-o", "--output", help="where to write the plan (default: stdout)")
    parser.add_argument(
        "--time-limit", type=float, help="seconds (default: the problem's, else 10)"
    )
    parser.add_argument("--workers", type=int, help="CP-SAT workers (default: one per core)")
    parser.add_argument("--previous", help="an earlier plan to stay close to")
    parser.add_argument("--check", action="store_true", help="check PLAN.json against PROBLEM.json")
    parser.add_argument(
        "--generate", nargs=3, metavar=("M", "E", "SEED"), help="write a random problem"
    )
    parser.add_argument(
        "--scarce", action="store_true", help="with --generate: more work than experts"
    )
    parser.add_argument(
        "--calendars",
        action="store_true",
        help="with --generate: host calendars (weekends, public holidays), some remote missions",
    )
    parser.add_argument(
        "--year-caps",
        action="store_true",
        help="with --generate: a plan from July to June, experts capped per calendar year",
    )
    parser.add_argument(
        "--exclusions",
        action="store_true",
        help="with --generate: some slots exclude a few experts",
    )
    return parser


def _progress_printer(stream: TextIO) -> Any:
    def show(event: ProgressEvent) -> None:
        bound = "?" if event.bound is None else str(event.bound)
        gap = ""
        if event.bound:
            gap = f"  gap {100 * (event.bound - event.primary) / event.bound:.2f}%"
        stream.write(
            f"\r  best {event.primary}  bound {bound}{gap}  elapsed {event.elapsed_s:.1f} s   "
        )
        stream.flush()

    return show


def plan_main(argv: list[str]) -> int:
    """Entry point of ``renfort plan``; returns the exit code."""
    stdout, stderr = sys.stdout, sys.stderr
    try:
        args = _plan_parser().parse_args(argv)
    except _Exit as done:  # --help
        return done.status
    except _Usage as exc:
        stderr.write(f"renfort plan: {exc}\n")
        _plan_parser().print_usage(stderr)
        return EXIT_INVALID
    if args.generate:
        return _generate(args, stdout, stderr)
    if args.check:
        if len(args.files) != 2:
            stderr.write("renfort plan --check: give PROBLEM.json and PLAN.json\n")
            return EXIT_INVALID
        return _check(args.files[0], args.files[1], stdout, stderr)
    if len(args.files) != 1:
        stderr.write("renfort plan: give one PROBLEM.json (see renfort plan --help)\n")
        return EXIT_INVALID
    if args.time_limit is not None and not args.time_limit > 0:
        stderr.write("renfort plan: --time-limit must be a positive number of seconds\n")
        return EXIT_INVALID
    if args.workers is not None and args.workers < 1:
        stderr.write("renfort plan: --workers must be at least 1\n")
        return EXIT_INVALID
    return _plan(args, stdout, stderr)


def _plan(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    problem, error = _read_json(args.files[0])
    errors = [error] if error else []
    previous = None
    if args.previous:
        previous, error = _read_json(args.previous)
        if error:
            errors.append(error)
    if errors:
        plan: dict[str, Any] = {
            "format": "renfort-plan/1",
            "status": "invalid",
            "objective": {"primary": 0},
            "missions": [],
            "errors": errors,
        }
    else:
        live = _progress_printer(stderr) if stderr.isatty() else None
        plan = solve(
            problem,
            time_limit_s=args.time_limit,
            workers=args.workers,
            previous=previous,
            progress=live,
        )
        if live is not None:
            stderr.write("\n")
    write_error = _write_json(plan, args.output, stdout)
    if write_error:
        stderr.write(f"renfort plan: {write_error}\n")
        return EXIT_INVALID
    status = plan["status"]
    if status == "invalid":
        stderr.write("renfort plan: the problem is invalid:\n")
        for line in plan.get("errors", []):
            stderr.write(f"  {line}\n")
        return EXIT_INVALID
    objective = plan["objective"]
    if status == "infeasible":
        stderr.write("renfort plan: infeasible: " + "; ".join(plan.get("errors", [])) + "\n")
        return EXIT_FAILED
    bound = objective.get("primary_bound")
    unstaffed = sum(1 for m in plan["missions"] if not m["staffed"])
    gap = f" (gap {100 * (bound - objective['primary']) / bound:.2f}%)" if bound else ""
    where = f" -> {args.output}" if args.output and args.output != "-" else ""
    stderr.write(
        f"{status}: primary {objective['primary']} of bound {bound}{gap}, "
        f"{len(plan['missions']) - unstaffed} missions staffed, {unstaffed} not, "
        f"{plan['stats']['wall_s']:.1f} s{where}\n"
    )
    return EXIT_OK


def _check(problem_path: str, plan_path: str, stdout: TextIO, stderr: TextIO) -> int:
    problem, error = _read_json(problem_path)
    if error:
        stderr.write(f"renfort plan --check: {error}\n")
        return EXIT_INVALID
    plan, error = _read_json(plan_path)
    if error:
        stderr.write(f"renfort plan --check: {error}\n")
        return EXIT_INVALID
    violations = check_plan(problem, plan)
    if violations and violations[0].startswith("problem: "):
        stderr.write("renfort plan --check: the problem is invalid:\n")
        for line in violations:
            stderr.write(f"  {line.removeprefix('problem: ')}\n")
        return EXIT_INVALID
    if violations:
        stdout.write(f"{len(violations)} violation(s):\n")
        for line in violations:
            stdout.write(f"  {line}\n")
        return EXIT_FAILED
    stdout.write("ok: the plan keeps every hard constraint\n")
    return EXIT_OK


def _generate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        missions, experts, seed = (int(v) for v in args.generate)
    except ValueError:
        stderr.write("renfort plan --generate: M, E and SEED must be whole numbers\n")
        return EXIT_INVALID
    if missions < 0 or experts < 0:
        stderr.write("renfort plan --generate: M and E must not be negative\n")
        return EXIT_INVALID
    doc = generate(
        missions,
        experts,
        seed,
        scarce=args.scarce,
        calendars=args.calendars,
        year_caps=args.year_caps,
        exclusions=args.exclusions,
    )
    error = _write_json(doc, args.output, stdout)
    if error:
        stderr.write(f"renfort plan --generate: {error}\n")
        return EXIT_INVALID
    return EXIT_OK


def bench_main(argv: list[str]) -> int:
    """Entry point of ``renfort bench``; returns the exit code."""
    from renfort.planner.bench import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(plan_main(sys.argv[1:]))
