"""What a planner run stores for people (``lib.messages``): why a mission was left out of the
run, and why the run failed. Both are written by the worker, whose language is nobody's, and
read on the run's page by whoever opens it: stored as a code and parameters, rendered then.

A left-out mission is stored in the run's plan as ``{"mission": reference, "code", "params"}``
(``left_out``); rows written before codes keep ``{"mission", "reason"}``, shown as they are.
A failure is ``PlannerRun.error_code`` and ``error_params`` (``PlannerRun.error`` holds the
sentence of older runs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import COUNTRY, PERIOD, TEXT, Param, check, register, render


def _days(value: Any) -> str:
    n = int(value)
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def _working_days(value: Any) -> str:
    n = int(value)
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}


def left_out_reason(item: Mapping[str, Any]) -> str:
    """Why a mission was left out of a run, in the active language."""
    if item.get("code"):
        return str(render(str(item["code"]), item.get("params") or {}))
    return str(item.get("reason", ""))


def _left_out(value: Any) -> str:
    return "; ".join(
        gettext("%(mission)s: %(reason)s")
        % {"mission": item["mission"], "reason": left_out_reason(item)}
        for item in value
    )


DAYS = Param(_days, 5)
WORKING_DAYS = Param(_working_days, 5)
# ``[{"mission", "code", "params"}]``: the missions left out of a run, each with why.
LEFT_OUT = Param(
    _left_out, [{"mission": "M-2027-004", "code": "planning.left_out.no_slot", "params": {}}]
)
# Technical words from the planner or a service (field paths of the exchange format): shown
# as they are, after the sentence.
DETAIL = Param(str, "missions[0].window: ends 2027-02-01 before it starts 2027-03-01", True)

# --- why a mission is left out of the run (``problem.problem_build``, ``solving``) ---------

register("planning.left_out.no_slot", body=_("it has no expert slot"))
register("planning.left_out.no_country", body=_("no beneficiary administration has a country"))
register(
    "planning.left_out.no_language",
    body=_("its language (%(language)s) is not a two-letter ISO 639-1 code"),
    language=TEXT,
)
register("planning.left_out.no_dates", body=_("it has neither dates nor a window"))
register(
    "planning.left_out.window_short",
    body=_("its window (%(window)s) is shorter than its duration of %(days)s"),
    window=PERIOD,
    days=DAYS,
)
register(
    "planning.left_out.window_short_working",
    body=_(
        "its window (%(window)s) does not hold its %(days)s (calendar of %(country)s: weekends "
        "and public holidays do not count, and a mission of five working days or fewer does "
        "not straddle a weekend unless its planning options allow it)"
    ),
    window=PERIOD,
    days=WORKING_DAYS,
    country=COUNTRY,
)
register(
    "planning.left_out.window_past",
    body=_("too little of its window (%(window)s) is left from today to hold its %(days)s"),
    window=PERIOD,
    days=DAYS,
)
register(
    "planning.left_out.window_past_working",
    body=_(
        "too little of its window (%(window)s) is left from today to hold its %(days)s "
        "(calendar of %(country)s)"
    ),
    window=PERIOD,
    days=WORKING_DAYS,
    country=COUNTRY,
)
register(
    "planning.left_out.not_plannable",
    body=_("it is no longer plannable (confirmed or no slot)"),
)


def left_out(reference: str, code: str, **params: Any) -> dict[str, Any]:
    """One left-out mission as the run stores it (the code and parameters checked)."""
    check(code, params)
    return {"mission": reference, "code": code, "params": params}


# --- why a run failed (``PlannerRun.error_code``) ------------------------------------------

register(
    "planning.run.nothing_to_plan",
    body=_("No mission can go to the planner: %(reasons)s"),
    reasons=LEFT_OUT,
)
register(
    "planning.run.empty", body=_("No mission can go to the planner: the run holds no mission.")
)
register(
    "planning.run.build_failed",
    body=_(
        "The problem could not be built (%(kind)s). Try again; if it fails again, the server "
        "log has the details."
    ),
    kind=TEXT,
)
register("planning.run.build_refused", body=_("The problem could not be built."), detail=DETAIL)
register(
    "planning.run.solve_failed",
    body=_("The planner stopped with an error (%(kind)s). Try again or shorten the run."),
    kind=TEXT,
)
register(
    "planning.run.infeasible",
    body=_("The pinned assignments cannot all hold; unpin some of them and run again."),
    detail=DETAIL,
)
register("planning.run.refused", body=_("The planner refused the problem."), detail=DETAIL)
