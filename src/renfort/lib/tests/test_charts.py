"""Server-side charts: bars scaled to the largest value, a falling indicator's progress."""

from __future__ import annotations

import datetime

from renfort.lib.charts import bar_chart, line_chart


def test_bars_scale_to_the_largest_value_and_keep_their_order() -> None:
    chart = bar_chart([("Africa", 10), ("Europe", 5), ("Empty", 0)], width=460, label_width=100)
    bars = chart["bars"]
    assert isinstance(bars, list)
    assert [b.label for b in bars] == ["Africa", "Europe", "Empty"]
    assert float(bars[0].width) == 300.0 and float(bars[1].width) == 150.0
    assert float(bars[2].width) == 0.0


def test_no_bars_draws_an_empty_chart() -> None:
    assert bar_chart([])["bars"] == []


def test_a_falling_indicator_draws_its_target_below_its_baseline() -> None:
    chart = line_chart(
        [(datetime.date(2026, 1, 1), 40), (datetime.date(2026, 7, 1), 30)],
        baseline=48,
        target=24,
    )
    # SVG y grows downwards: the target (24) is drawn lower on the page than the baseline.
    assert float(str(chart["target_y"])) > float(str(chart["baseline_y"]))
    assert str(chart["line"]).count(",") == 2
