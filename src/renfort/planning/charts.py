"""The progress chart of a planner run, drawn server-side as SVG polylines.

The time axis spans the run as long as it actually took (a run done in 0.1 s fills the chart,
it is not a dot at the left of a 10-second box); the value axis runs from 0 to the highest
objective or bound. The template writes the axis titles, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from renfort.planning.models import PlannerRun, PlannerRunStatus

# Room around the plot for the tick labels and the axis titles.
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 10, 40


def run_elapsed(run: PlannerRun) -> float:
    """Seconds the planner has spent on the run so far: its own clock once it has finished
    (``stats.wall_s``), else the time of the latest progress point."""
    last = max((float(p.get("t", 0)) for p in run.progress or []), default=0.0)
    stats = run.plan.get("stats") if isinstance(run.plan, Mapping) else None
    wall = stats.get("wall_s") if isinstance(stats, Mapping) else None
    return max(last, float(wall or 0))


def _decimals(span: float) -> int:
    return 2 if span < 1 else 1 if span < 10 else 0


def _steps(points: Sequence[Mapping[str, Any]], key: str, end: float) -> list[tuple[float, float]]:
    """A best-so-far value as steps: it holds until the next point, and to the end."""
    steps: list[tuple[float, float]] = []
    for p in points:
        if p.get(key) is None:
            continue
        t, v = float(p["t"]), float(p[key])
        if steps:
            steps.append((t, steps[-1][1]))
        steps.append((t, v))
    if steps:
        steps.append((max(end, steps[-1][0]), steps[-1][1]))
    return steps


def _n(value: float) -> str:
    """An SVG coordinate: never localized (a French page would write 52,5)."""
    return f"{value:.1f}"


def progress_chart(run: PlannerRun, width: int = 480, height: int = 180) -> dict[str, Any]:
    """Polyline points for the best objective and the bound over time, with the axes and their
    ticks (server-rendered SVG; every coordinate is a ready string)."""
    points = [p for p in run.progress or [] if p.get("primary") is not None]
    elapsed = run_elapsed(run)
    span = max(elapsed, 0.001)
    top = max([max(p.get("bound") or 0, p["primary"]) for p in points] + [1])
    x0, x1, y0, y1 = LEFT, width - RIGHT, height - BOTTOM, TOP
    ym = (y0 + y1) / 2

    def x(t: float) -> float:
        return x0 + (x1 - x0) * min(t / span, 1.0)

    def y(v: float) -> float:
        return y0 - (y0 - y1) * (v / top)

    def line(steps: list[tuple[float, float]]) -> str:
        return " ".join(f"{_n(x(t))},{_n(y(v))}" for t, v in steps)

    primary = _steps(points, "primary", elapsed)
    last = points[-1] if points else None
    return {
        "width": width,
        "height": height,
        "axes": f"{_n(x0)},{_n(y1)} {_n(x0)},{_n(y0)} {_n(x1)},{_n(y0)}",
        "primary": line(primary),
        "bound": line(_steps(points, "bound", elapsed)),
        "top": top,
        "last": last,
        "last_xy": [_n(x(primary[-1][0])), _n(y(primary[-1][1]))] if primary else None,
        "elapsed": elapsed,
        "span": span,
        "x_ticks": [
            {"x": _n(x(t)), "y0": _n(y0), "y1": _n(y0 + 4), "label_y": _n(y0 + 16), "value": t}
            for t in (0.0, span / 2, span)
        ],
        "x_decimals": _decimals(span),
        "x_title": {"x": _n((x0 + x1) / 2), "y": _n(height - 4)},
        "y_ticks": [
            {"y": _n(y(v)), "x0": _n(x0 - 4), "x1": _n(x0), "label_x": _n(x0 - 7), "value": v}
            for v in sorted({0, top // 2, top})
        ],
        "y_title": {"x": _n(12), "y": _n(ym), "rotate": f"rotate(-90 {_n(12)} {_n(ym)})"},
        "limit": run.time_limit_s,
        "percent": 100
        if run.status in (PlannerRunStatus.DONE, PlannerRunStatus.FAILED)
        else min(99, int(100 * elapsed / max(run.time_limit_s, 0.001))),
    }
