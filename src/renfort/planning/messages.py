"""What the planning app writes for people (``lib.messages``): why a proposal holds its expert,
when a coordinator chose them instead of the planner, and the planner's own reasons.

The planner gives every reason as data (``renfort.planner.explain_codes``: a code and raw
parameters: slot, mission and expert ids, topic codes, country and language codes, ISO dates,
counts). Each planner code is registered here as ``planner.<code>`` (its fit explanation as
``assignment.fit``), and ``planner_message`` turns the planner's parameters into the kind's,
putting names where the planner has ids (``PlanNames``: the expert's name, a slot's position
in its mission, a topic's seeded name), so that the sentence is rendered in the reader's
language when it is read.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renfort.lib.countries import country_name
from renfort.lib.languages import language_name
from renfort.lib.messages import DATE, LANGUAGE, NESTED, TEXT, Param, choice, register
from renfort.lib.typography import semicolon_join
from renfort.missions.messages import topic_level
from renfort.planning.record_messages import fit_record
from renfort.roster.models import Category

register(
    "assignment.swapped_in_by",
    body=_("Swapped in by %(who)s."),
    who=TEXT,
    fit=NESTED,  # an ``assignment.fit`` message, when the expert was in the run's problem
)

# --- how the planner's parameters are shown -----------------------------------------------


def _date(value: str) -> str:
    return DATE.render(value)


def _dates(value: Mapping[str, Any]) -> str:
    """The mission's dates ("from 4 May to 8 May"), or its window and length."""
    start, end = _date(value["start"]), _date(value["end"])
    if value.get("fixed"):
        return gettext("from %(start)s to %(end)s") % {"start": start, "end": end}
    return gettext("for %(days)s days between %(start)s and %(end)s") % {
        "days": value["days"],
        "start": start,
        "end": end,
    }


def _topic_name(item: Mapping[str, Any]) -> str:
    return gettext(str(item.get("name") or item["topic"]))


def _topic_needs(value: Any) -> str:
    """Topic levels a slot needs, with the best level the experts left hold where known
    ("Post-clearance audit at level 3 or more (none of them is above level 2)")."""
    parts = []
    for item in value:
        values = {"topic": _topic_name(item), "need": item["need"], "best": item.get("best")}
        if item.get("best") is None:
            parts.append(gettext("%(topic)s at level %(need)s or more") % values)
        elif not item["best"]:
            parts.append(
                gettext("%(topic)s at level %(need)s or more (none of them has this topic)")
                % values
            )
        else:
            parts.append(
                gettext(
                    "%(topic)s at level %(need)s or more (none of them is above level %(best)s)"
                )
                % values
            )
    return ", ".join(parts) or gettext("no topic level required")


def _countries(value: Any) -> str:
    return ", ".join(sorted(country_name(str(c)) for c in value))


def _holders(value: Mapping[str, Any]) -> str:
    text = semicolon_join(
        gettext("mission %(mission)s (%(experts)s)")
        % {"mission": h["mission"], "experts": ", ".join(h["experts"])}
        for h in value["items"]
    )
    if value.get("more"):
        text += gettext(" and %(n)s more missions") % {"n": value["more"]}
    return text


def _free(value: Any) -> str:
    return ", ".join(gettext("%(free)s free for slot %(slot)s") % item for item in value)


def _failure(item: Mapping[str, Any]) -> str:
    """One rule a pinned expert breaks for their slot."""
    rule = item.get("rule")
    values = dict(item)
    if rule == "category":
        values["category"] = choice(Category).render(item["category"])
        return gettext("is not in the category “%(category)s”") % values
    if rule == "language":
        return gettext("does not speak %(language)s") % {
            "language": language_name(item["language"])
        }
    if rule == "topic":
        values["topic"] = _topic_name(item)
        return gettext("has %(topic)s at level %(have)s, %(need)s needed") % values
    if rule == "beneficiary":
        values["country"] = country_name(item["country"])
        return gettext("comes from a beneficiary country (%(country)s)") % values
    if rule == "released":
        return gettext("is released for %(released)s days, the mission takes %(days)s") % values
    if rule == "released_in_year":
        return (
            gettext("is released for %(released)s days in %(year)s, the mission takes %(days)s")
            % values
        )
    if rule == "excluded":
        return gettext("is excluded from this slot")
    return gettext("is unavailable on every date the mission may take")


def _failures(value: Any) -> str:
    return semicolon_join(_failure(item) for item in value)


# ``{"start", "end", "days", "fixed"}``: ISO dates of the mission (fixed) or of its window.
DATES = Param(_dates, {"start": "2027-05-03", "end": "2027-05-28", "days": 5, "fixed": False})
# ``[{"topic", "name", "need", "best"?}]``: a slot's topic levels (``best``: the best held).
TOPIC_NEEDS = Param(
    _topic_needs, [{"topic": "risk_management", "name": "Risk management", "need": 3, "best": 2}]
)
# ISO 3166-1 alpha-2 codes, shown as the countries' names.
COUNTRIES = Param(_countries, ["BE", "SN"])
# ``{"items": [{"mission", "experts": [names]}], "more"}``
HOLDERS = Param(
    _holders, {"items": [{"mission": "M-2027-004", "experts": ["Anna Berg"]}], "more": 2}
)
# ``[{"slot": position, "free": count}]``
FREE = Param(_free, [{"slot": 1, "free": 2}, {"slot": 2, "free": 0}])
# ``[{"rule", ...}]``: the rules a pinned expert breaks for their slot.
FAILURES = Param(
    _failures,
    [
        {"rule": "language", "language": "pt"},
        {
            "rule": "topic",
            "topic": "risk_management",
            "name": "Risk management",
            "have": 1,
            "need": 3,
        },
    ],
)

# --- the planner's reasons (``reason_codes`` of an unstaffed mission) ----------------------

# Parameters several kinds share (typed ``Any`` so that they unpack into ``register``).
_SLOT: dict[str, Any] = {"slot": TEXT, "mission": TEXT}  # the slot's position, its mission
_FUNNEL: dict[str, Any] = {
    **_SLOT,
    "count": TEXT,
    "category": choice(Category),
    "language": LANGUAGE,
    "topics": TOPIC_NEEDS,
    "dates": DATES,
}

register(
    "planner.slot.no_category",
    body=_(
        "Slot %(slot)s of mission %(mission)s: no expert of the pool (%(count)s) is in the "
        "category “%(category)s”."
    ),
    **_FUNNEL,
)
register(
    "planner.slot.no_language",
    body=_(
        "Slot %(slot)s of mission %(mission)s: no expert in the category “%(category)s” "
        "(%(count)s in the pool) speaks %(language)s."
    ),
    **_FUNNEL,
)
register(
    "planner.slot.no_topic_levels",
    body=_(
        "Slot %(slot)s of mission %(mission)s: no expert in the category “%(category)s” who "
        "speaks %(language)s (%(count)s in the pool) has the levels needed: %(topics)s."
    ),
    **_FUNNEL,
)
register(
    "planner.slot.only_beneficiaries",
    body=_(
        "Slot %(slot)s of mission %(mission)s: every expert with the category, language and "
        "levels needed (%(count)s) comes from a beneficiary country (%(countries)s)."
    ),
    countries=COUNTRIES,
    **_FUNNEL,
)
register(
    "planner.slot.all_excluded",
    body=_(
        "Slot %(slot)s of mission %(mission)s: every qualified expert (%(count)s) is excluded "
        "from this slot."
    ),
    **_FUNNEL,
)
register(
    "planner.slot.unavailable",
    body=_(
        "Slot %(slot)s of mission %(mission)s: no qualified expert (%(count)s in the pool) is "
        "available %(dates)s."
    ),
    **_FUNNEL,
)
register(
    "planner.slot.no_days_left",
    body=_(
        "Slot %(slot)s of mission %(mission)s: no qualified expert available %(dates)s "
        "(%(count)s) has %(days)s released days left (the most any of them has left is "
        "%(days_left)s)."
    ),
    days=TEXT,
    days_left=TEXT,
    **_FUNNEL,
)
register(
    "planner.slot.busy",
    body=_(
        "Slot %(slot)s of mission %(mission)s: every qualified expert available %(dates)s "
        "(%(count)s) is taken by another mission of the plan then (travel days included)."
    ),
    **_FUNNEL,
)
register(
    "planner.slot.held_by",
    body=_(
        "Slot %(slot)s of mission %(mission)s: the experts who would qualify are held by "
        "%(holders)s."
    ),
    holders=HOLDERS,
    **_SLOT,
)
register(
    "planner.mission.countries_short",
    body=_(
        "Experts from different countries are required, but the free qualified experts come "
        "only from %(countries)s, for %(slots)s slots (%(free)s)."
    ),
    countries=COUNTRIES,
    slots=TEXT,
    free=FREE,
)
register(
    "planner.mission.same_experts",
    body=_("These %(slots)s slots have no free qualified expert but %(experts)s (%(free)s)."),
    experts=TEXT,
    slots=TEXT,
    free=FREE,
)
register(
    "planner.mission.not_together",
    body=_(
        "Each slot has free qualified experts (%(free)s), but not on common dates, or not all at "
        "once without breaking another rule; pinning one of them lets the planner build around "
        "it."
    ),
    free=FREE,
)

# --- why the pinned assignments cannot all hold (``error_codes`` of an infeasible plan) -------

register("planner.pins.conflict", body=_("The pinned assignments cannot all hold together."))
register(
    "planner.pins.not_found",
    body=_(
        "No plan keeping every pinned assignment was found within the time limit (it is not "
        "proven impossible)."
    ),
)
register(
    "planner.pin.unfit",
    body=_("%(expert)s cannot hold slot %(slot)s of mission %(mission)s: %(failures)s."),
    expert=TEXT,
    failures=FAILURES,
    **_SLOT,
)
register(
    "planner.pins.two_slots",
    body=_("%(expert)s is pinned to two slots of mission %(mission)s."),
    expert=TEXT,
    mission=TEXT,
)
register(
    "planner.pins.overlap",
    body=_(
        "%(expert)s cannot do both mission %(first)s and mission %(second)s: their dates "
        "overlap or leave fewer than %(travel_days)s travel day(s) between them."
    ),
    expert=TEXT,
    first=TEXT,
    second=TEXT,
    travel_days=TEXT,
)
register(
    "planner.pins.over_released",
    body=_("%(expert)s is pinned to %(days)s mission days and released for %(released)s."),
    expert=TEXT,
    days=TEXT,
    released=TEXT,
)
register(  # ``pins.over_released`` within one calendar year (a ``year`` parameter)
    "planner.pins.over_released_in_year",
    body=_(
        "%(expert)s is pinned to %(days)s mission days in %(year)s and released for "
        "%(released)s that year."
    ),
    expert=TEXT,
    days=TEXT,
    released=TEXT,
    year=TEXT,
)
register(
    "planner.pins.same_country",
    body=_(
        "Mission %(mission)s: experts from different countries are required, but two pinned "
        "experts come from the same country."
    ),
    mission=TEXT,
)
register(
    "planner.pins.around",
    body=_(
        "Mission %(mission)s cannot be staffed around its pinned assignments: no qualified "
        "expert other than the pinned ones is free for slot(s) %(slots)s."
    ),
    mission=TEXT,
    slots=TEXT,
)
register(
    "planner.pins.around_dates",
    body=_(
        "Mission %(mission)s cannot be staffed around its pinned assignments: its other slots "
        "have qualified experts, but not on the pinned dates or not all at once."
    ),
    mission=TEXT,
)
register(
    "planner.pins.together",
    body=_(
        "Each pinned assignment holds on its own, but not all together: the pinned missions "
        "need the same experts or days; unpin one of them."
    ),
)

# --- from the planner's parameters to the message's ----------------------------------------


@dataclass(frozen=True)
class PlanNames:
    """Names for the planner's ids, read from the database by whoever renders a plan."""

    experts: Mapping[str, str] = field(default_factory=dict)  # expert id → person's name
    slots: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # id → position, mission
    topics: Mapping[str, str] = field(default_factory=dict)  # topic code → seeded name
    beneficiaries: Mapping[str, str] = field(default_factory=dict)  # country → administration

    def expert(self, expert_id: Any) -> str:
        return self.experts.get(str(expert_id)) or gettext("an expert no longer in the pool")

    def slot(self, slot_id: Any) -> tuple[Any, str]:
        """The slot's position and its mission's reference (read from the slot code
        ``<reference>-<position>`` when the database no longer has it)."""
        if str(slot_id) in self.slots:
            return self.slots[str(slot_id)]
        reference, _, position = str(slot_id).rpartition("-")
        return position, reference

    def topic(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {**item, "name": self.topics.get(str(item.get("topic")), item.get("topic"))}


def expert_ids(params: Any) -> set[str]:
    """Every expert id the planner's parameters name (to read their names in one query)."""
    if isinstance(params, Mapping):
        found = {str(params["expert"])} if "expert" in params else set()
        found |= {str(e) for e in params.get("experts") or () if not isinstance(e, Mapping)}
        for value in params.values():
            if isinstance(value, list | Mapping):
                found |= expert_ids(value)
        return found
    if isinstance(params, list):
        return set().union(*(expert_ids(v) for v in params)) if params else set()
    return set()


def topic_codes(params: Any) -> set[str]:
    """Every topic code the planner's parameters name."""
    if isinstance(params, Mapping):
        found = {str(params["topic"])} if "topic" in params else set()
        for value in params.values():
            if isinstance(value, list | Mapping):
                found |= topic_codes(value)
        return found
    if isinstance(params, list):
        return set().union(*(topic_codes(v) for v in params)) if params else set()
    return set()


def _slot_params(p: Mapping[str, Any], names: PlanNames) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "slot" in p:
        out["slot"], out["mission"] = names.slot(p["slot"])
    if "dates" in p:
        d = p["dates"]
        out["days"] = d.get("days")
        out["dates"] = {**d, "fixed": _span(d) == d.get("days")}
    if "topics" in p:
        out["topics"] = [names.topic(t) for t in p["topics"]]
    return out


def _span(dates: Mapping[str, Any]) -> int | None:
    try:
        first = datetime.date.fromisoformat(str(dates["start"]))
        return (datetime.date.fromisoformat(str(dates["end"])) - first).days + 1
    except (KeyError, ValueError):
        return None


def _names_params(p: Mapping[str, Any], names: PlanNames) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "expert" in p:
        out["expert"] = names.expert(p["expert"])
    if isinstance(p.get("experts"), list):
        out["experts"] = ", ".join(sorted(names.expert(e) for e in p["experts"]))
    if "missions" in p:
        out["first"], out["second"] = [*p["missions"], "", ""][:2]
    if "holders" in p:
        items = [
            {"mission": h["mission"], "experts": sorted(names.expert(e) for e in h["experts"])}
            for h in p["holders"]
        ]
        out["holders"] = {"items": items, "more": p.get("more", 0)}
    if "free" in p:
        out["free"] = [{"slot": names.slot(f["slot"])[0], "free": f["free"]} for f in p["free"]]
    if isinstance(p.get("slots"), list):
        out["slots"] = ", ".join(str(names.slot(s["slot"])[0]) for s in p["slots"])
    if "failures" in p:
        out["failures"] = [names.topic(f) if "topic" in f else f for f in p["failures"]]
    return out


_DROPPED = {"funnel", "pin", "pins", "more"}


def _fit(p: Mapping[str, Any], names: PlanNames) -> dict[str, Any]:
    return {
        "category": p.get("category", ""),
        "language": p.get("language", ""),
        "skills": [
            topic_level(t["topic"], names.topic(t)["name"], t.get("have", 0), t["need"])
            for t in p.get("topics", [])
        ],
        "country": p.get("country", ""),
    }


def message_code(planner_code: str) -> str:
    """The message kind a planner code is rendered with."""
    return planner_code if planner_code == "assignment.fit" else f"planner.{planner_code}"


def planner_message(reason: Mapping[str, Any], names: PlanNames) -> tuple[str, dict[str, Any]]:
    """A planner reason (``{"code", "params"}``) as a message: its kind and parameters, with
    names in place of the planner's ids."""
    code, params = str(reason.get("code", "")), dict(reason.get("params") or {})
    if code == "assignment.fit":  # with the expert's record when it weighed in
        return fit_record(_fit(params, names), params, names.topics, names.beneficiaries)
    out = {k: v for k, v in params.items() if k not in _DROPPED}
    out.update(_slot_params(params, names))
    out.update(_names_params(params, names))
    out.pop("missions", None)
    if code == "pins.over_released" and params.get("year") is not None:
        return "planner.pins.over_released_in_year", out
    return message_code(code), out
