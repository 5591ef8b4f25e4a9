"""An indicator as the framework pages show it: its progress in words and in percent, its line
chart (baseline and target as levels, the actuals as a line) and its latest actuals.

Progress is ``Indicator.progress()``: (latest actual − baseline) / (target − baseline), the
same formula for an indicator that falls (a release time) as for one that rises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from renfort.lib.charts import line_chart
from renfort.results.models import Indicator, IndicatorActual
from renfort.results.party_reports.base import period

# Periods drawn on a chart, and actuals listed under an indicator on its objective's page.
ACTUALS_DRAWN = 12
ACTUALS_LISTED = 6


def amount(value: Decimal, unit: str = "") -> str:
    """A value as people read it in the active language (1,250.5 / 1 250,5), with its unit."""
    number = str(floatformat(value, "-2g"))
    return f"{number} {unit}".strip()


def percent(progress: Decimal | None) -> str:
    if progress is None:
        return "–"
    return _("%(percent)s %%") % {"percent": floatformat(progress * 100, "-1g")}


def progress_words(indicator: Indicator, latest: IndicatorActual | None) -> str:
    """Where the indicator stands, in a sentence: "Halfway: 36 hours measured for 1–31 Mar
    2027, from a baseline of 48 hours towards a target of 24 hours (50 % of the way)."""
    if latest is None:
        return _("Not measured yet: no value has been recorded for this indicator.")
    progress = indicator.progress()
    unit = indicator.unit
    params = {
        "value": amount(latest.value, unit),
        "period": period(latest.period_start, latest.period_end),
        "baseline": amount(indicator.baseline, unit),
        "target": amount(indicator.target, unit),
        "percent": percent(progress),
    }
    if progress is None:  # the target equals the baseline (old rows): nothing to measure
        return _("%(value)s measured for %(period)s.") % params
    if progress >= 1:
        state = _("Target reached")
    elif progress > 0:
        state = _("On the way")
    elif progress == 0:
        state = _("No change yet")
    else:
        state = _("Moving away from the target")
    return _(
        "%(state)s: %(value)s measured for %(period)s, from a baseline of %(baseline)s "
        "towards a target of %(target)s (%(percent)s of the way)."
    ) % {"state": state, **params}


@dataclass(frozen=True)
class IndicatorCard:
    indicator: Indicator
    latest: IndicatorActual | None
    progress: Decimal | None
    words: str
    chart: dict[str, object]
    recent: list[IndicatorActual] = field(default_factory=list)  # latest first
    count: int = 0  # actuals in all

    @property
    def html_id(self) -> str:
        return f"indicator-{self.indicator.pk}"

    @property
    def percent(self) -> str:
        return percent(self.progress)

    @property
    def more(self) -> int:
        return self.count - len(self.recent)


def with_actuals(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """``indicators`` with their actuals (and who recorded them) prefetched: two queries."""
    return indicators.prefetch_related(
        Prefetch(
            "actuals",
            queryset=IndicatorActual.objects.select_related("recorded_by").order_by("period_start"),
        )
    )


def card(indicator: Indicator, listed: int = ACTUALS_LISTED) -> IndicatorCard:
    """The card of an indicator fetched through ``with_actuals`` (no further query)."""
    actuals = list(indicator.actuals.all())
    latest = indicator.latest_actual()
    drawn = actuals[-ACTUALS_DRAWN:]
    return IndicatorCard(
        indicator=indicator,
        latest=latest,
        progress=indicator.progress(),
        words=progress_words(indicator, latest),
        chart=line_chart(
            [(a.period_start, a.value) for a in drawn],
            baseline=indicator.baseline,
            target=indicator.target,
        ),
        recent=list(reversed(actuals[-listed:])) if listed else [],
        count=len(actuals),
    )
