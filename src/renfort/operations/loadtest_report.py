"""The load benchmark's figures: percentiles per page, the runs kept as JSON beside the docs,
and the "Load" section of docs/performance.md written from them."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from renfort.operations.loadtest import Sample
from renfort.operations.loadtest_pages import PAGES

SECTION = "## Load"
# Compared with the demo: the ten-year p95 within this factor of the demo's (issue 12).
GROWTH_LIMIT = 1.5


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` percentile (0–100) by the nearest-rank rule; 0 for no values."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class PageFigures:
    page: str
    kind: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    per_s: float
    kb: float


def figures(samples: list[Sample], seconds: float) -> list[PageFigures]:
    """Per page: how many answered, how many failed (not 200), p50/p95/p99 of the answers'
    times, requests per second over ``seconds``, the mean size of a page."""
    by_page: dict[str, list[Sample]] = {}
    for sample in samples:
        by_page.setdefault(sample.page, []).append(sample)
    out = []
    for name in [n for n in PAGES if n in by_page]:
        rows = by_page[name]
        times = sorted(s.seconds * 1000 for s in rows)
        out.append(
            PageFigures(
                page=name,
                kind=PAGES[name].kind,
                count=len(rows),
                errors=sum(1 for s in rows if s.status != 200),
                p50_ms=round(percentile(times, 50), 1),
                p95_ms=round(percentile(times, 95), 1),
                p99_ms=round(percentile(times, 99), 1),
                per_s=round(len(rows) / seconds, 2) if seconds > 0 else 0.0,
                kb=round(sum(s.size for s in rows) / len(rows) / 1024, 1),
            )
        )
    return out


@dataclass
class RunResult:
    """One run of the benchmark on one data set."""

    label: str
    started: str
    setup: dict[str, Any]
    machine: dict[str, Any]
    data: dict[str, int]
    cpu: dict[str, float]
    open_seconds: float
    open_pages: list[PageFigures]
    closed_pages: list[PageFigures] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.label}.json"
        path.write_text(json.dumps(asdict(self), indent=1, ensure_ascii=False) + "\n")
        return path

    @classmethod
    def load(cls, path: Path) -> RunResult:
        raw = json.loads(path.read_text())
        raw["open_pages"] = [PageFigures(**p) for p in raw["open_pages"]]
        raw["closed_pages"] = [PageFigures(**p) for p in raw.get("closed_pages", [])]
        return cls(**raw)


def runs_in(folder: Path) -> list[RunResult]:
    """The stored runs, the demo first, then by label."""
    runs = [RunResult.load(p) for p in sorted(folder.glob("*.json"))]
    return sorted(runs, key=lambda r: (r.label != "demo", r.label))


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def _triple(f: PageFigures | None) -> str:
    return "–" if f is None else f"{_ms(f.p50_ms)} / {_ms(f.p95_ms)} / {_ms(f.p99_ms)}"


def _verdict(f: PageFigures | None, base: PageFigures | None) -> str:
    if f is None:
        return "–"
    target = PAGES[f.page].target_ms
    problems = []
    if f.p95_ms >= target:
        problems.append(f"p95 ≥ {target}")
    if f.errors:
        problems.append(f"{f.errors} errors")
    if base is not None and base.p95_ms > 0 and f.p95_ms > GROWTH_LIMIT * base.p95_ms:
        problems.append(f"{f.p95_ms / base.p95_ms:.1f}× demo")
    return "met" if not problems else "**not met**: " + ", ".join(problems)


def open_table(runs: list[RunResult]) -> list[str]:
    """Per page: p50/p95/p99 (ms) and requests per second of each run, and the verdict."""
    head = ["page", "kind (p95 target)"]
    for run in runs:
        head += [f"{run.label}: p50 / p95 / p99 ms", f"{run.label}: req/s", f"{run.label}"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    base_run = runs[0] if runs and runs[0].label == "demo" else None
    indexed = [{f.page: f for f in run.open_pages} for run in runs]
    names = [n for n in PAGES if any(n in pages for pages in indexed)]
    for name in names:
        page = PAGES[name]
        cells = [name, f"{page.kind} ({page.target_ms} ms)"]
        for run, pages in zip(runs, indexed, strict=True):
            f = pages.get(name)
            base = None
            if base_run is not None and run is not base_run:
                base = {g.page: g for g in base_run.open_pages}.get(name)
            cells += [_triple(f), "–" if f is None else f"{f.per_s:.2f}", _verdict(f, base)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def closed_table(runs: list[RunResult]) -> list[str]:
    head = ["page"] + [f"{r.label}: req/s (p50 ms)" for r in runs]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    indexed = [{f.page: f for f in run.closed_pages} for run in runs]
    for name in [n for n in PAGES if any(n in pages for pages in indexed)]:
        cells = [name]
        for pages in indexed:
            f = pages.get(name)
            cells.append("–" if f is None else f"{f.per_s:.1f} ({_ms(f.p50_ms)})")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


# Beyond this share of the machine used by other work, a run measures the contention.
DISTURBED_SHARE = 0.25


def other_work(run: RunResult) -> float:
    """The share of the machine that other processes used during the measured window."""
    c = run.cpu
    return max(0.0, c.get("machine", 0) - c.get("generator", 0) - c.get("server", 0))


def disturbed(runs: list[RunResult]) -> list[str]:
    return [
        f"**The {run.label} run was disturbed**: other work used {other_work(run):.0%} of the "
        "machine during its measured window (the server only "
        f"{run.cpu.get('server', 0):.0%}), so its times are mostly waiting for a CPU; the "
        "targets can only be judged on a quiet machine (run it again there)."
        for run in runs
        if other_work(run) > DISTURBED_SHARE
    ]


def run_notes(run: RunResult) -> list[str]:
    s, m, c = run.setup, run.machine, run.cpu
    data = ", ".join(f"{v:,} {k}" for k, v in run.data.items()) or "not counted"
    lines = [
        f"- **{run.label}** ({run.started}): {data}.",
        f"  - {s.get('users')} people, pauses {s.get('pause')} s, warm-up {s.get('warm_up')} s, "
        f"measured {run.open_seconds:.0f} s; closed loop {s.get('closed_clients')} clients × "
        f"{s.get('closed_seconds')} s per page. Server: {s.get('server')}.",
        f"  - Machine: {m.get('cores')} cores ({m.get('cpu')}), load average "
        f"{m.get('load_before')} before, {m.get('load_after')} after.",
        f"  - CPU over the measured window, share of the machine's {m.get('cores')} cores: "
        f"load generator {c.get('generator', 0):.1%}, server and task worker "
        f"{c.get('server', 0):.1%}, whole machine busy {c.get('machine', 0):.1%} (the rest "
        "is other work on the machine).",
    ]
    lines += [f"  - {note}" for note in run.notes]
    return lines


# The decisions where the issue is silent, printed under the figures.
HOW = [
    "- **Running it.** `DATABASE_URL=postgres://… make loadtest LOAD_LABEL=demo` (then "
    "`LOAD_LABEL=ten-years` on the ten-year database) starts gunicorn and a task worker on a "
    "free loopback port, runs, stops them, keeps the run as docs/loadtest/LABEL.json and "
    "writes this section again from every kept run (`renfort loadtest --render` only "
    'rewrites it). A shorter run: `LOAD_ARGS="--warm-up 30 --duration 60"`; against a '
    "server already running on the loopback: `renfort loadtest --url http://127.0.0.1:PORT` "
    "(started with `RENFORT_TRUSTED_PROXIES=1`, or `SECURE_SSL_REDIRECT=false`). Run it on a "
    "quiet machine: a run where other work used more than a quarter of the machine is "
    "flagged as disturbed.",
    "- **People.** 20 simulated people sign in through the sign-in page as the demo logins: "
    "8 of the secretariat (`secretariat`, `admin`), 5 member focal points (`member`, "
    "`lender`), 2 regional coordinators, 2 donors, 3 experts (loadtest_pages.PEOPLE_MIX). "
    "Each walks the main pages of their role in order (a detail page is one of the links its "
    "list showed them, chosen at random), pausing 1–3 s (uniform) after each answer; the "
    "first pause is random so that people do not move in step. Signing in is not measured.",
    "- **Second step.** The secretariat signs in with its demo authenticator code; a code "
    "serves once per 30 s, so people sharing a login with a second step share its session "
    "(the others each have their own).",
    "- **Production paths.** The server is started with DEBUG off and "
    "`RENFORT_TRUSTED_PROXIES=1`; the client sends `X-Forwarded-Proto: https` as the TLS "
    "proxy in front of Renfort does, so secure cookies, HSTS and CSRF origin checks run as "
    "in production. A task worker runs beside gunicorn: pages queue background work (pool "
    "gaps, what it takes to staff a mission) and production runs a worker.",
    "- **Windows.** A request belongs to the measured window when it starts in it; those "
    "started in the warm-up are dropped. Throughput is requests per second over the window. "
    "Percentiles are by the nearest rank. An answer other than 200 counts as an error.",
    "- **Classes.** Analyses (p95 target 500 ms): the planner's run review, pool gaps, the "
    "results pages. Everything else is a list, a detail page or a form (200 ms).",
    "- **Closed loop.** Per page, 4 clients ask with no pause for 10 s after 2 s of warm-up, "
    "with the sessions of the people of a role that has the page.",
    "- **Bounds.** Loopback addresses only (`loopback_origin`); a run lasts at most the "
    "warm-up plus the measure (15 minutes at most) plus the closed loop (120 s a page at "
    "most), and asks at most `--max-requests` pages (50,000 by default); a socket timeout "
    "of 30 s ends a request that hangs.",
    "- **CPU.** The generator's share is its own process's CPU time (`getrusage`) over the "
    "window's wall time × the machine's cores; the server's, that of gunicorn's processes "
    "and the worker (from /proc); the machine's, from /proc/stat.",
]


def render(runs: list[RunResult]) -> str:
    """The whole "Load" section from the stored runs."""
    out = [
        SECTION,
        "",
        "Written by `renfort loadtest` (`make loadtest`; src/renfort/operations/loadtest*.py) "
        "from the runs kept in docs/loadtest/*.json. Targets (issue 12), at 20 people pausing "
        "1–3 s: p95 under 200 ms for every list, detail page and form, under 500 ms for "
        f"analyses; with ten years of data, p95 within {GROWTH_LIMIT}× of the demo's. Times "
        "are from sending the request to the last byte of the page (HTML only: a browser "
        "keeps the static files).",
        "",
        *[line + "\n" for line in disturbed(runs)],
        "### Open loop: 20 people, 1–3 s between requests",
        "",
        *open_table(runs),
        "",
        "### Closed loop: the most each page serves (no target)",
        "",
        *closed_table(runs),
        "",
        "### The runs",
        "",
    ]
    for run in runs:
        out += run_notes(run)
    out += ["", "### How the benchmark runs", "", *HOW]
    return "\n".join(out) + "\n"


def write_section(doc: Path, section: str) -> None:
    """Put ``section`` in place of the document's "Load" section (up to the next second-level
    heading), or at its end; the other sections stay as they are."""
    text = doc.read_text() if doc.exists() else "# Performance\n"
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = "\n".join(lines[end:])
        new = "\n".join(lines[:start]) + ("\n" if start else "") + section
        if tail:
            new += "\n" + tail + "\n"
    doc.write_text(new)
