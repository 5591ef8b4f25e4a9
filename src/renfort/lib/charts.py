"""Charts drawn on the server as SVG: bars for counts and amounts, a line for an indicator.

Each function returns ready strings for ``templates/_charts/*.html`` (coordinates are never
localised: a French page would write 52,5). The templates write labels and titles in the
reader's language, with a text table beside each chart for screen readers and print.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


def _n(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: str
    width: str
    label_y: str
    value_x: str


def bar_chart(
    items: Sequence[tuple[str, float | int | Decimal]],
    *,
    width: int = 480,
    bar_height: int = 18,
    gap: int = 8,
    label_width: int = 150,
) -> dict[str, object]:
    """Horizontal bars, one per ``(label, value)``, scaled to the largest value."""
    top = max((float(v) for _label, v in items), default=0.0) or 1.0
    plot = width - label_width - 60
    bars = []
    for i, (label, value) in enumerate(items):
        y = i * (bar_height + gap)
        w = max(float(value), 0.0) / top * plot
        bars.append(
            Bar(
                label=label,
                value=float(value),
                y=_n(y),
                width=_n(w),
                label_y=_n(y + bar_height * 0.72),
                value_x=_n(label_width + w + 4),
            )
        )
    height = max(len(items) * (bar_height + gap) - gap, bar_height)
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "label_width": label_width,
        "label_x": _n(label_width - 6),
        "bar_height": bar_height,
    }


def line_chart(
    points: Sequence[tuple[datetime.date, float | Decimal]],
    *,
    baseline: float | Decimal,
    target: float | Decimal,
    width: int = 480,
    height: int = 180,
) -> dict[str, object]:
    """An indicator over time: its actuals as a line, its baseline and target as levels.

    The value axis spans the baseline, the target and every actual, with a margin, so a
    falling indicator (release time in hours, say) draws its target below its baseline.
    """
    left, right, top_pad, bottom = 52, 14, 10, 30
    values = [float(v) for _d, v in points] + [float(baseline), float(target)]
    low, high = min(values), max(values)
    margin = (high - low) * 0.1 or 1.0
    low, high = low - margin, high + margin
    x0, x1, y0, y1 = left, width - right, height - bottom, top_pad

    def y_of(v: float) -> float:
        return y0 + (float(v) - low) / (high - low) * (y1 - y0)

    dates = [d for d, _v in points]
    first = min(dates) if dates else None
    last = max(dates) if dates else None
    span = max(((last - first).days if first and last else 0), 1)

    def x_of(d: datetime.date) -> float:
        if first is None or first == last:
            return (x0 + x1) / 2
        return x0 + (d - first).days / span * (x1 - x0)

    coords = [(x_of(d), y_of(float(v))) for d, v in sorted(points)]
    return {
        "width": width,
        "height": height,
        "x0": _n(x0),
        "x1": _n(x1),
        "y0": _n(y0),
        "y1": _n(y1),
        "line": " ".join(f"{_n(x)},{_n(y)}" for x, y in coords),
        "dots": [{"x": _n(x), "y": _n(y)} for x, y in coords],
        "baseline_y": _n(y_of(float(baseline))),
        "target_y": _n(y_of(float(target))),
        "first": first,
        "last": last,
        "label_y": _n(height - 8),
    }
