"""The ``result`` elements of an IATI activity: its objectives, their indicators, baselines,
targets and actuals (docs/iati.md, "Results")."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from lxml import etree

from renfort.assistance.models import Level
from renfort.exports import iati_codes as codes
from renfort.results.models import Direction, Indicator, Objective


def results_of(
    objectives: Iterable[Objective], fallback_start: datetime.date | None
) -> list[etree._Element]:
    """One ``result`` per objective that has indicators (IATI wants one indicator at least)."""
    out = []
    for objective in sorted(objectives, key=lambda o: (o.level, o.title, o.pk)):
        indicators = sorted(objective.indicators.all(), key=lambda i: (i.name, i.pk))
        if not indicators:
            continue
        result = etree.Element(
            "result",
            type=codes.RESULT_TYPE[Level(objective.level)],
            attrib={"aggregation-status": "0"},
        )
        _text(result, "title", objective.title)
        if objective.description:
            _text(result, "description", objective.description)
        for indicator in indicators:
            result.append(_indicator(indicator, fallback_start))
        out.append(result)
    return out


def _text(parent: etree._Element, tag: str, text: str) -> None:
    node = etree.SubElement(parent, tag)
    etree.SubElement(node, "narrative").text = text


def _number(value: object) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _indicator(indicator: Indicator, fallback_start: datetime.date | None) -> etree._Element:
    ascending = indicator.direction != Direction.LOWER
    node = etree.Element(
        "indicator",
        measure=codes.MEASURE_UNIT,
        ascending="1" if ascending else "0",
        attrib={"aggregation-status": "0"},
    )
    title = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
    _text(node, "title", title)
    actuals = sorted(indicator.actuals.all(), key=lambda a: a.period_start)
    baseline_date = indicator.baseline_date or (actuals[0].period_start if actuals else None)
    baseline_date = baseline_date or fallback_start
    if baseline_date is not None:
        etree.SubElement(
            node,
            "baseline",
            year=str(baseline_date.year),
            attrib={"iso-date": baseline_date.isoformat(), "value": _number(indicator.baseline)},
        )
    for actual in actuals:
        period = etree.SubElement(node, "period")
        etree.SubElement(
            period, "period-start", attrib={"iso-date": actual.period_start.isoformat()}
        )
        etree.SubElement(period, "period-end", attrib={"iso-date": actual.period_end.isoformat()})
        etree.SubElement(period, "target", value=_number(indicator.target))
        etree.SubElement(period, "actual", value=_number(actual.value))
    if (
        not actuals
        and indicator.target_date
        and baseline_date
        and indicator.target_date >= baseline_date
    ):
        period = etree.SubElement(node, "period")
        etree.SubElement(period, "period-start", attrib={"iso-date": baseline_date.isoformat()})
        etree.SubElement(
            period, "period-end", attrib={"iso-date": indicator.target_date.isoformat()}
        )
        etree.SubElement(period, "target", value=_number(indicator.target))
    return node
