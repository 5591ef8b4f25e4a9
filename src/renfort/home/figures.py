"""The few figures and charts each role's home page leads with.

Every figure and every bar links to the list it counts, with the list's own filters, so that
the number on the home page is the number of rows that list shows (``tests/test_figures.py``
opens each link and compares). A figure that is not a count of rows (a rate, an amount, days
left) says so with ``count=None`` and links to the page that shows the same number.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renfort.accounts.models import Region, User
from renfort.agreements.models import AgreementStatus
from renfort.agreements.selectors import agreements_visible_to, with_money
from renfort.assistance.models import Request, RequestStatus
from renfort.lib.charts import bar_chart
from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Mission,
    MissionStatus,
    Slot,
)
from renfort.missions.released_days import ReleasedDays
from renfort.missions.selectors import missions_in_period
from renfort.roster.models import Expert


def link(name: str, *args: Any, **params: Any) -> str:
    """The URL of ``name`` with the list filters ``params`` as its query string."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


@dataclass(frozen=True)
class Figure:
    """One number of the home page, the words after it, and the page that shows it.

    ``count``: the number of rows the linked list shows (None for a figure that is not a
    count of rows: a rate, an amount, days left); ``notes``: a line or two more (a rate, the
    budget spent in each currency).
    """

    value: str
    label: str
    url: str
    count: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: float
    url: str
    shown: str = ""  # the value as the table writes it ("" to write ``value``)


@dataclass
class Chart:
    """A bar chart whose title states the finding, with its numbers as a table (each row
    linked to the list it counts) for screen readers, print, and a click."""

    id: str
    title: str
    heading: str  # the column of the values in the table
    row_heading: str  # the column of the labels
    rows: list[ChartRow]
    unit: str = ""
    note: str = ""
    # Each bar counts the rows of the list it links to (not so for shares or days).
    counts: bool = True
    svg: dict[str, object] = field(init=False)

    def __post_init__(self) -> None:
        self.svg = bar_chart([(r.label, r.value) for r in self.rows])


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


def _percent(part: float | Decimal, whole: float | Decimal) -> str:
    return (
        number_format(round(float(part) / float(whole) * 100, 1), decimal_pos=1) if whole else "–"
    )


def _largest(rows: list[ChartRow]) -> ChartRow:
    return max(rows, key=lambda r: r.value)


# --- requests and missions by status or region ---------------------------------------------


def requests_by_status(requests: QuerySet[Request]) -> Chart | None:
    """The requests by status (one query); each bar opens the request list on that status."""
    counts = dict(requests.order_by().values_list("status").annotate(n=Count("id")))
    rows = [
        ChartRow(str(label), counts[value], link("assistance:request_list", status=value))
        for value, label in RequestStatus.choices
        if counts.get(value)
    ]
    if not rows:
        return None
    top, total = _largest(rows), sum(counts.values())
    return Chart(
        id="requests-by-status",
        title=_("Requests by status: the most are “%(status)s”, %(n)s of %(total)s")
        % {"status": top.label, "n": _count(int(top.value)), "total": _count(total)},
        heading=_("Requests"),
        row_heading=_("Status"),
        rows=rows,
    )


def missions_by_status(missions: QuerySet[Mission]) -> Chart | None:
    """The missions by status (one query); each bar opens the plan on that status."""
    counts = dict(missions.order_by().values_list("status").annotate(n=Count("id")))
    rows = [
        ChartRow(str(label), counts[value], link("missions:mission_list", status=value))
        for value, label in MissionStatus.choices
        if counts.get(value)
    ]
    if not rows:
        return None
    top, total = _largest(rows), sum(counts.values())
    return Chart(
        id="missions-by-status",
        row_heading=_("Status"),
        title=_("Missions by status: the most are “%(status)s”, %(n)s of %(total)s")
        % {"status": top.label, "n": _count(int(top.value)), "total": _count(total)},
        heading=_("Missions"),
        rows=rows,
    )


def current_missions(missions: QuerySet[Mission], today: datetime.date) -> QuerySet[Mission]:
    """Missions under way or ahead: the plan filtered "from today" (``missions_in_period``)."""
    return missions_in_period(missions, today, None)


def missions_by_region(missions: QuerySet[Mission], today: datetime.date) -> Chart | None:
    """Missions under way or ahead by region of their beneficiaries (one query); a regional
    mission counts once in each of its regions, as the plan filtered by region shows it."""
    counts = dict(
        current_missions(missions, today)
        .order_by()
        .values_list("beneficiaries__region")
        .annotate(n=Count("id", distinct=True))
    )
    day = today.isoformat()
    rows = [
        ChartRow(
            str(label),
            counts[value],
            link("missions:mission_list", region=value, period_from=day),
        )
        for value, label in Region.choices
        if counts.get(value)
    ]
    if not rows:
        return None
    top = _largest(rows)
    return Chart(
        id="missions-by-region",
        row_heading=_("Region"),
        title=_("Missions under way or ahead by region: the most in %(region)s, %(n)s")
        % {"region": top.label, "n": _count(int(top.value))},
        heading=_("Missions"),
        rows=rows,
        note=_("A regional mission counts once in each region of its beneficiaries."),
    )


def current_missions_figure(
    missions: QuerySet[Mission], today: datetime.date, *, label: Callable[[int], str]
) -> Figure:
    """How many missions are under way or ahead, and how many of their expert places are held
    (an active assignment, as the plan counts them; cancelled missions aside): two queries."""
    current = current_missions(missions, today)
    count = current.count()
    held = Assignment.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES)
    slots = (
        Slot.objects.filter(mission__in=current.exclude(status=MissionStatus.CANCELLED))
        .order_by()
        .aggregate(total=Count("id"), held=Count("id", filter=Exists(held)))
    )
    total, staffed = slots["total"] or 0, slots["held"] or 0
    note = (
        _("%(rate)s%% of their expert places held: %(held)s of %(total)s")
        % {"rate": _percent(staffed, total), "held": _count(staffed), "total": _count(total)}
        if total
        else _("No expert place defined yet.")
    )
    return Figure(
        value=_count(count),
        label=label(count),
        url=link("missions:mission_list", period_from=today.isoformat()),
        count=count,
        notes=(note,),
    )


# --- agreements and budget use ---------------------------------------------------------------


@dataclass(frozen=True)
class BudgetUse:
    currency: str
    budget: Decimal
    committed: Decimal
    spent: Decimal


def active_agreements(user: User) -> list[Any]:
    return list(
        with_money(agreements_visible_to(user).filter(status=AgreementStatus.ACTIVE))
        .order_by("-budget", "reference")
        .only("pk", "reference", "title", "budget", "currency")
    )


def _budget_use(agreements: Iterable[Any]) -> list[BudgetUse]:
    totals: dict[str, list[Decimal]] = {}
    for a in agreements:
        t = totals.setdefault(a.currency, [Decimal(0), Decimal(0), Decimal(0)])
        t[0] += a.budget
        t[1] += a.committed
        t[2] += a.spent
    return [BudgetUse(c, *totals[c]) for c in sorted(totals)]


def agreements_figure(agreements: list[Any]) -> Figure:
    """The active agreements (the agreement list on "Active") and their budget use, per
    currency: what is spent of the budget."""
    uses = _budget_use(agreements)
    notes = tuple(
        _("%(currency)s: %(spent)s%% of %(budget)s spent")
        % {
            "currency": u.currency,
            "spent": _percent(u.spent, u.budget),
            "budget": number_format(u.budget, decimal_pos=0, force_grouping=True),
        }
        for u in uses
    )
    return Figure(
        value=_count(len(agreements)),
        label=ngettext("active agreement", "active agreements", len(agreements)),
        url=link("agreements:agreement_list", status=AgreementStatus.ACTIVE),
        count=len(agreements),
        notes=notes,
    )


SPENT_SHOWN = 8  # agreements in the budget chart, the largest budgets first


def budget_chart(agreements: list[Any]) -> Chart | None:
    """The share of each active agreement's budget spent (the largest budgets); each bar
    opens the agreement."""
    rows = [
        ChartRow(
            f"{a.reference} {a.title}",
            round(float(a.spent) / float(a.budget) * 100, 1) if a.budget else 0.0,
            reverse("agreements:agreement_detail", args=[a.pk]),
            shown=_percent(a.spent, a.budget),
        )
        for a in agreements[:SPENT_SHOWN]
    ]
    if not rows:
        return None
    top = _largest(rows)
    return Chart(
        id="budget-spent",
        row_heading=_("Agreement"),
        title=_("Budget spent by active agreement: %(agreement)s has used the most, %(share)s%%")
        % {"agreement": top.label, "share": top.shown},
        heading=_("Share of the budget spent"),
        rows=rows,
        unit="%",
        counts=False,
    )


# --- the expert ----------------------------------------------------------------------------


def released_figure(expert: Expert, years: list[ReleasedDays]) -> Figure:
    this = years[0]
    return Figure(
        value=_count(this.left),
        label=ngettext("released day left in %(year)d", "released days left in %(year)d", this.left)
        % {"year": this.year},
        url=reverse("roster:expert_detail", args=[expert.pk]),
        notes=(
            _("%(used)s used of the %(released)s your administration releases")
            % {"used": _count(this.used), "released": _count(this.released)},
        ),
    )


def released_chart(expert: Expert, years: list[ReleasedDays]) -> Chart:
    url = reverse("roster:expert_detail", args=[expert.pk])
    rows: list[ChartRow] = []
    for y in years:
        rows.append(ChartRow(_("%(year)d: used") % {"year": y.year}, y.used, url))
        rows.append(ChartRow(_("%(year)d: left") % {"year": y.year}, y.left, url))
    this = years[0]
    return Chart(
        id="released-days",
        row_heading=_("Year"),
        title=_("Your released days: %(left)s of %(released)s left in %(year)d")
        % {"left": _count(this.left), "released": _count(this.released), "year": this.year},
        heading=_("Days"),
        rows=rows,
        counts=False,
        note=_(
            "Used: the days of the missions you are proposed for, invited to, have accepted, "
            "are confirmed for or have completed."
        ),
    )


def counted(items: Mapping[str, Any]) -> dict[str, Any]:
    """The page's figures and charts, as the template reads them (drops empty charts)."""
    return {
        "figures": [f for f in items.get("figures", []) if f is not None],
        "charts": [c for c in items.get("charts", []) if c is not None],
    }
