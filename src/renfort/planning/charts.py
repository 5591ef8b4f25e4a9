"""The progress chart of a planner run, drawn server-side as SVG polylines."""

from __future__ import annotations

from typing import Any

from renfort.planning.models import PlannerRun, PlannerRunStatus


def progress_chart(run: PlannerRun, width: int = 480, height: int = 140) -> dict[str, Any]:
    """Polyline points for the best objective and the bound over time (server-rendered SVG)."""
    points = run.progress or []
    limit = max(run.time_limit_s, max((p.get("t", 0) for p in points), default=0), 0.001)
    top = max([p.get("bound") or p.get("primary", 0) for p in points] + [1])
    pad = 4

    def xy(t: float, v: float) -> str:
        x = pad + (width - 2 * pad) * (t / limit)
        y = height - pad - (height - 2 * pad) * (v / top)
        return f"{x:.1f},{y:.1f}"

    primary = " ".join(xy(p["t"], p["primary"]) for p in points)
    bound = " ".join(xy(p["t"], p["bound"]) for p in points if p.get("bound") is not None)
    last = points[-1] if points else None
    elapsed = last["t"] if last else 0.0
    last_xy = xy(last["t"], last["primary"]).split(",") if last else None
    return {
        "width": width,
        "height": height,
        "primary": primary,
        "bound": bound,
        "top": top,
        "last": last,
        "last_xy": last_xy,
        "elapsed": elapsed,
        "limit": run.time_limit_s,
        "percent": 100
        if run.status in (PlannerRunStatus.DONE, PlannerRunStatus.FAILED)
        else min(99, int(100 * elapsed / max(run.time_limit_s, 0.001))),
    }
