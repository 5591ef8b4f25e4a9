"""Reasons and explanations as data: a stable code and raw parameters, and the planner's
own English sentence for each.

Every reason the planner gives (why a slot found nobody, why a mission's slots cannot be
staffed together, why the pins cannot all hold) and every fit explanation is a ``Reason``,
``{"code": ..., "params": {...}}``, whose parameters are raw values a reader can put into
words in any language: slot, mission and expert ids of the problem, topic codes, levels,
country and language codes, ISO dates, counts and days. ``english`` gives the sentence the
command line shows (the plan's ``reasons``, ``explanation`` and ``errors``).

Parameters, by name (a code takes those its sentence needs, see ``REASON_CODES``):

* ``slot``, ``mission``, ``expert``: ids from the problem; ``missions``, ``experts``: lists.
* ``category``, ``language``: the slot's category, the mission's language (ISO 639-1).
* ``topics``: the slot's topic levels, ``[{"topic", "need"}]``, with ``have`` (the expert's
  level) in a fit or an unfit pin and ``best`` (the best level held by the experts left) in
  ``slot.no_topic_levels``.
* ``dates``: ``{"start", "end", "days"}``: the first and last day the mission may cover (its
  dates, or its window) and its length in days.
* ``funnel``: ``{step: experts left}`` in ``FUNNEL_STEPS`` order, up to the first step that
  leaves nobody; ``count``: the experts left before that step.
* ``countries``: country codes (ISO 3166-1 alpha-2); ``country``: one.
* ``free``: ``[{"slot", "free"}]``: free qualified experts per slot of the mission.
* ``holders``: ``[{"mission", "experts"}]``: missions of the plan holding the experts who
  would qualify; ``more``: how many further missions hold some.
* ``pin``, ``pins``: positions in the problem's ``pinned`` list.
* ``ratings``: ``[{"topic", "rating"}]``: the expert's mean rating by beneficiaries (1.0 to
  5.0) on each rated topic of the slot; ``worked_with``: the mission's beneficiaries (country
  codes) the expert has served before. In a fit, and only when the expert has them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypedDict


class Reason(TypedDict):
    code: str
    params: dict[str, Any]


def reason(code: str, **params: Any) -> Reason:
    assert code in REASON_CODES, code
    return {"code": code, "params": params}


# The checks of a slot's funnel, in order; each keeps the experts who pass it.
FUNNEL_STEPS = (
    "pool",  # every expert of the problem
    "category",
    "language",
    "levels",  # every topic at the level needed
    "not_beneficiary",  # from no beneficiary country
    "allowed",  # not excluded from the slot
    "available",  # no unavailable day on some admissible dates
    "days_left",  # enough released days left
    "free",  # free of the plan's other missions (travel days kept)
)
# The reason a slot gets when a step leaves nobody.
FUNNEL_CODES = {
    "pool": "slot.no_category",
    "category": "slot.no_category",
    "language": "slot.no_language",
    "levels": "slot.no_topic_levels",
    "not_beneficiary": "slot.only_beneficiaries",
    "allowed": "slot.all_excluded",
    "available": "slot.unavailable",
    "days_left": "slot.no_days_left",
    "free": "slot.busy",
}

# --- English ----------------------------------------------------------------------------------


def _requirement(p: Mapping[str, Any]) -> str:
    text = f"{p['category']} speaks {p['language']}"
    if p["topics"]:
        text += " with " + " and ".join(f"{t['topic']} >= {t['need']}" for t in p["topics"])
    return text


def _dates(d: Mapping[str, Any]) -> str:
    span = f"{d['start']}..{d['end']}"
    length = (date.fromisoformat(d["end"]) - date.fromisoformat(d["start"])).days + 1
    return span if length == d["days"] else f"{d['days']} days within {span}"


def _funnel(p: Mapping[str, Any]) -> str:
    """'1500 experts -> 745 technical_operational_expert -> ...', up to the first zero."""
    label = {
        "pool": "experts",
        "category": str(p.get("category", "")),
        "language": f"speak {p.get('language', '')}",
        "levels": "with "
        + " and ".join(f"{t['topic']} >= {t['need']}" for t in p.get("topics", [])),
        "not_beneficiary": "from no beneficiary country",
        "allowed": "not excluded from the slot",
        "available": "available on those dates",
        "days_left": "with enough yearly days left",
        "free": "free of other missions",
    }
    return " -> ".join(
        f"{n} {label[step]}"
        for step, n in p["funnel"].items()
        if step != "levels" or p.get("topics")
    )


def _slot_funnel(code: str) -> Callable[[Mapping[str, Any]], str]:
    what = {"slot.unavailable": "available", "slot.no_days_left": "released"}.get(code, "free")

    def english(p: Mapping[str, Any]) -> str:
        return (
            f"slot {p['slot']}: no {_requirement(p)} and is {what} for {_dates(p['dates'])} "
            f"({_funnel(p)})"
        )

    return english


def _held_by(p: Mapping[str, Any]) -> str:
    text = ", ".join(f"{h['mission']} ({', '.join(h['experts'])})" for h in p["holders"])
    if p["more"]:
        text += f" and {p['more']} more missions"
    return f"slot {p['slot']}: the experts who would qualify are held by {text}"


def _free(p: Mapping[str, Any]) -> str:
    return "free per slot: " + ", ".join(f"{f['slot']}: {f['free']}" for f in p["free"])


def _countries_short(p: Mapping[str, Any]) -> str:
    n = len(p["countries"])
    return (
        f"distinct countries are required but the free qualified experts come from "
        f"{n} countr{'y' if n == 1 else 'ies'} for {p['slots']} slots ({_free(p)})"
    )


def _same_experts(p: Mapping[str, Any]) -> str:
    return (
        f"the same {len(p['experts'])} free expert(s) are the only ones for "
        f"{p['slots']} slots ({_free(p)})"
    )


def _not_together(p: Mapping[str, Any]) -> str:
    return (
        "each slot has free qualified experts, but on no common dates, or not all at once "
        f"without breaking another rule ({_free(p)}); pinning one of them lets the planner "
        "build around it"
    )


def _failure(f: Mapping[str, Any]) -> str:
    match f.get("rule"):
        case "category":
            return f"is not a {f['category']}"
        case "language":
            return f"does not speak {f['language']}"
        case "topic":
            return f"has {f['topic']} {f['have']} < {f['need']}"
        case "beneficiary":
            return f"comes from beneficiary country {f['country']}"
        case "released":
            return f"is released for {f['released']} days < {f['days']}"
        case "released_in_year":
            return f"is released for {f['released']} days in {f['year']} < {f['days']}"
        case "excluded":
            return "is excluded from the slot"
        case _:
            return "is unavailable on every admissible date"


def _pin_unfit(p: Mapping[str, Any]) -> str:
    why = ", ".join(_failure(f) for f in p["failures"])
    return f"pinned[{p['pin']}]: {p['expert']} cannot hold {p['slot']}: {why}"


def _two_slots(p: Mapping[str, Any]) -> str:
    k1, k2 = p["pins"]
    return f"pinned[{k1}] and pinned[{k2}]: {p['expert']} holds two slots of {p['mission']}"


def _overlap(p: Mapping[str, Any]) -> str:
    (k1, k2), (m1, m2) = p["pins"], p["missions"]
    return (
        f"pinned[{k1}] and pinned[{k2}]: {p['expert']} cannot do both {m1} and {m2}: their "
        f"dates overlap or leave fewer than {p['travel_days']} travel day(s) between them"
    )


def _around(p: Mapping[str, Any]) -> str:
    detail = "; ".join(
        f"slot {s['slot']}: no {_requirement(s)} besides the pinned expert(s) ({_funnel(s)})"
        for s in p["slots"]
    )
    return f"{p['mission']} cannot be staffed around its pins: {detail}"


def _fit(p: Mapping[str, Any]) -> str:
    parts = [str(p["category"]).replace("_", " "), f"speaks {p['language']}"]
    parts += [f"{t['topic']} {t['have']} (needs {t['need']})" for t in p["topics"]]
    parts.append(f"from {p['country']}, not a beneficiary")
    if p.get("released_days") is not None:
        parts.append(f"released for {p['released_days']} days")
    if p.get("ratings"):
        rated = [f"{round(float(r['rating']), 1):g}/5 on {r['topic']}" for r in p["ratings"]]
        parts.append(f"rated by beneficiaries {', '.join(rated)}")
    if p.get("worked_with"):
        parts.append(f"has worked with {', '.join(p['worked_with'])} before")
    return "; ".join(parts)


# Every code the planner emits, with its English sentence.
_ENGLISH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # Why one slot of an unstaffed mission found nobody (``reason_codes``): the first check
    # of its funnel that left nobody. Parameters: slot, category, language, topics, dates,
    # funnel, count; also ``best`` in each topic (no_topic_levels), ``countries`` (the
    # beneficiaries: only_beneficiaries), ``days_left`` (the most released days any of the
    # available experts has left: no_days_left).
    **{code: _slot_funnel(code) for code in dict.fromkeys(FUNNEL_CODES.values())},
    # slot, holders, more.
    "slot.held_by": _held_by,
    # Every slot has a free expert on its own, not all at once: countries, slots, free;
    # experts, slots, free; free.
    "mission.countries_short": _countries_short,
    "mission.same_experts": _same_experts,
    "mission.not_together": _not_together,
    # Why the pins cannot all hold (``error_codes``).
    "pins.conflict": lambda p: "the pinned assignments cannot all hold together",
    "pins.not_found": lambda p: (
        "no plan keeping every pin was found within the time limit (not proven impossible)"
    ),
    # pin, expert, slot, failures: [{"rule": category | language | topic | beneficiary |
    # released | released_in_year | excluded | unavailable, and its values: category,
    # language, topic/have/need, country, released/days (and year)}].
    "pin.unfit": _pin_unfit,
    "pins.two_slots": _two_slots,  # pins, expert, mission
    "pins.overlap": _overlap,  # pins, expert, missions, travel_days
    # expert, days, released, and year when it is a calendar year's cap (max_days_by_year)
    "pins.over_released": lambda p: (
        f"{p['expert']} is pinned to {p['days']} mission days"
        + (f" in {p['year']}" if "year" in p else "")
        + f" and released for {p['released']}"
        + (" that year" if "year" in p else "")
    ),
    "pins.same_country": lambda p: (
        f"{p['mission']}: distinct countries are required but two pinned experts share one"
    ),
    # mission, slots: [{"slot", "category", "language", "topics", "funnel"}] of the slots
    # nobody but the pinned experts could fill.
    "pins.around": _around,
    "pins.around_dates": lambda p: (
        f"{p['mission']} cannot be staffed around its pins: its other slots have qualified "
        "experts, but not on the pinned dates or not all at once"
    ),
    "pins.together": lambda p: (
        "each pin holds on its own, but not all together: the pinned missions need the "
        "same experts or days; unpin one of them"
    ),
    # Why an expert fits (``explanation_code``): category, language, topics (with have),
    # country, released_days (null when not capped); ratings and worked_with when the
    # expert's record weighed in.
    "assignment.fit": _fit,
}

REASON_CODES: tuple[str, ...] = tuple(_ENGLISH)


def english(r: Reason | Mapping[str, Any]) -> str:
    """The planner's own English sentence for a reason (as built, or read from a plan)."""
    return _ENGLISH[r["code"]](r["params"])
