"""One run of the load benchmark: sign the people in, the open loop (warm-up dropped), the
closed loop page by page, the CPU each side used; the figures as a ``RunResult``."""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from renfort.operations.loadtest import (
    Account,
    Budget,
    LoadTestRefused,
    closed_loop,
    loopback_origin,
    make_walkers,
    run_walkers,
)
from renfort.operations.loadtest_pages import PAGES
from renfort.operations.loadtest_report import RunResult, figures
from renfort.operations.loadtest_server import Clocks, machine

# Hard bounds whatever is asked: a run never lasts longer nor asks more than this.
MAX_PHASE_S = 15 * 60
MAX_REQUESTS = 200_000


@dataclass(frozen=True)
class Plan:
    """What to run: ``accounts`` (one per simulated person), the open loop's warm-up and
    measured seconds and pauses, the closed loop's clients and seconds per page (0: none)."""

    url: str
    accounts: list[Account]
    warm_up: float = 60
    measure: float = 300
    pause: tuple[float, float] = (1.0, 3.0)
    closed_clients: int = 4
    closed_seconds: float = 10
    closed_warm_up: float = 2
    closed_pages: tuple[str, ...] = ()  # none named: every page
    max_requests: int = 50_000
    seed: int = 2027

    def check(self) -> tuple[str, int]:
        host, port = loopback_origin(self.url)
        if not self.accounts:
            raise LoadTestRefused("No simulated people.")
        if not 0 < self.warm_up + self.measure <= MAX_PHASE_S or self.measure <= 0:
            raise LoadTestRefused(f"Warm-up plus measure must be within {MAX_PHASE_S} s.")
        if not 0 <= self.closed_seconds <= 120 or not 0 <= self.closed_clients <= 64:
            raise LoadTestRefused("The closed loop takes up to 64 clients and 120 s a page.")
        if not 0 < self.max_requests <= MAX_REQUESTS:
            raise LoadTestRefused(f"max_requests must be between 1 and {MAX_REQUESTS}.")
        if not 0 <= self.pause[0] <= self.pause[1] <= 60:
            raise LoadTestRefused("Pauses must be between 0 and 60 s, the shorter first.")
        return host, port


def run(
    plan: Plan,
    *,
    label: str,
    server_pids: list[int] | None = None,
    server: str = "",
    data: dict[str, int] | None = None,
    say: Callable[[str], None] | None = None,
) -> RunResult:
    """Run ``plan`` against its server; ``server_pids`` are measured for the server's CPU."""
    host, port = plan.check()
    tell = say or (lambda text: None)
    budget = Budget(plan.max_requests)
    walkers = make_walkers(plan.accounts, host, port, budget, plan.seed)
    tell(f"{len(walkers)} people signed in; warm-up {plan.warm_up:.0f} s.")
    load_before = _load()
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    clocks: list[Clocks] = []

    # The clocks start when the warm-up ends.
    def start_clocks() -> None:
        clocks.append(Clocks(server_pids or []))

    timer = threading.Timer(plan.warm_up, start_clocks)
    timer.daemon = True
    timer.start()
    try:
        samples, seconds = run_walkers(
            walkers, warm_up=plan.warm_up, measure=plan.measure, pause=plan.pause
        )
    finally:
        timer.cancel()
    cpu = clocks[0].shares() if clocks else {}
    load_after = _load()
    tell(f"Open loop: {len(samples)} requests measured in {seconds:.0f} s.")
    closed = []
    if plan.closed_seconds > 0 and plan.closed_clients > 0:
        for page in PAGES.values():
            if plan.closed_pages and page.name not in plan.closed_pages:
                continue
            if budget.stop.is_set():
                break
            page_samples, page_seconds = closed_loop(
                walkers,
                page,
                clients=plan.closed_clients,
                warm_up=plan.closed_warm_up,
                measure=plan.closed_seconds,
            )
            closed += figures(page_samples, page_seconds)
            tell(f"Closed loop: {page.name}.")
    for walker in walkers:
        walker.browser.close()
    notes = []
    if budget.exhausted:
        notes.append(f"Stopped early: the budget of {plan.max_requests} requests ran out.")
    if not server_pids:
        notes.append("The server's CPU was not measured (a server this run did not start).")
    return RunResult(
        label=label,
        started=started,
        setup={
            "users": len(plan.accounts),
            "pause": f"{plan.pause[0]:g}–{plan.pause[1]:g}",
            "warm_up": plan.warm_up,
            "closed_clients": plan.closed_clients,
            "closed_seconds": plan.closed_seconds,
            "server": server or "started separately",
        },
        machine={**machine(), "load_before": load_before, "load_after": load_after},
        data=data or {},
        cpu=cpu,
        open_seconds=round(seconds, 1),
        open_pages=figures(samples, seconds),
        closed_pages=closed,
        notes=notes,
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
