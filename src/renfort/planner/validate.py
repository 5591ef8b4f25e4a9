"""Input checking: every problem in a planning file, in words that name the field.

``problem_errors`` never raises, whatever it is given; ``load_problem`` turns a document it
accepts into a ``Problem`` (``parse.parse_problem``, re-exported here with ``parse_previous``).
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from renfort.planner.domain import Problem
from renfort.planner.parse import iso_date, window_spans
from renfort.planner.parse import parse_previous as parse_previous
from renfort.planner.parse import parse_problem as parse_problem

# More than ten years of mission dates in one plan is almost surely a typo (2207 for 2027).
MAX_SPAN_DAYS = 3660

_PATTERN_WORDS = {
    "^[A-Z]{2}$": "a two-letter country code in capitals (ISO 3166-1 alpha-2)",
    "^[a-z]{2}$": "a two-letter language code in lower case (ISO 639-1)",
    "^[1-9][0-9]{3}$": "a four-digit year",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """One of the package's exchange-format schemas: ``instance`` or ``solution``."""
    text = resources.files("renfort.planner.schemas").joinpath(f"{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())


# Validating a problem of 1,500 experts and 500 missions against the schema takes about half a
# second, most of it in the experts and missions arrays; a re-plan sends the same items again.
# So the instance is checked in two parts: the document with those arrays' items accepted as
# they are (``_skeleton``), and each item against its own schema, remembered by its canonical
# JSON text once valid. Any invalid part sends the whole document through the full validator,
# so the messages are exactly those of a plain validation.
_ITEM_ARRAYS = ("experts", "missions")
_VALID_ITEMS_MAX = 50_000
_valid_items: OrderedDict[tuple[str, str], None] = OrderedDict()
_valid_items_lock = threading.Lock()


@cache
def _skeleton() -> Draft202012Validator:
    shell = copy.deepcopy(schema("instance"))
    for name in _ITEM_ARRAYS:
        shell["properties"][name]["items"] = True
    return Draft202012Validator(shell, format_checker=jsonschema.FormatChecker())


@cache
def _item_validator(name: str) -> Draft202012Validator:
    root = schema("instance")
    item = dict(root["properties"][name]["items"], **{"$defs": root["$defs"]})
    return Draft202012Validator(item, format_checker=jsonschema.FormatChecker())


def _item_valid(name: str, item: object) -> bool:
    try:
        key = (name, json.dumps(item, sort_keys=True, allow_nan=False))
    except (TypeError, ValueError):
        return False
    with _valid_items_lock:
        if key in _valid_items:
            _valid_items.move_to_end(key)
            return True
    if not _item_validator(name).is_valid(item):
        return False
    with _valid_items_lock:
        _valid_items[key] = None
        while len(_valid_items) > _VALID_ITEMS_MAX:
            _valid_items.popitem(last=False)
    return True


def _schema_valid_fast(doc: dict[str, Any]) -> bool:
    """True when ``doc`` is valid against the instance schema (checked in parts, see above);
    False means "not shown valid here", and the caller runs the full validator."""
    if not _skeleton().is_valid(doc):
        return False
    for name in _ITEM_ARRAYS:
        items = doc.get(name)
        if not isinstance(items, list):
            return False
        if not all(_item_valid(name, item) for item in items):
            return False
    return True


def field_path(parts: Iterable[str | int]) -> str:
    """``['missions', 3, 'window']`` -> ``missions[3].window``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _mission_shape_message(path: str, mission: Mapping[str, Any]) -> str:
    fixed = [k for k in ("start", "end") if k in mission]
    flexible = [k for k in ("window", "duration_days") if k in mission]
    if fixed and flexible:
        return (
            f"{path}: give either start and end (fixed dates) or window and duration_days "
            f"(the planner picks the dates), not both ({', '.join(fixed + flexible)} given)"
        )
    if fixed:
        missing = [k for k in ("start", "end") if k not in mission]
        return f"{path}: fixed dates need both start and end ({missing[0]} is missing)"
    if flexible:
        missing = [k for k in ("window", "duration_days") if k not in mission]
        return f"{path}: a mission with a window needs duration_days too ({missing[0]} is missing)"
    return f"{path}: give the dates, either start and end, or window and duration_days"


def _schema_message(error: ValidationError) -> str:
    path = field_path(error.absolute_path)
    value: Any = error.instance
    kind = error.validator
    rule: Any = error.schema if isinstance(error.schema, dict) else {}
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"{path}: missing required field '{missing}'"
    if kind == "additionalProperties":
        allowed = set(rule.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed) if isinstance(value, dict) else []
        return f"{path}: unknown field{'s' if len(extra) > 1 else ''} " + ", ".join(
            f"'{k}'" for k in extra
        )
    if kind == "type":
        return f"{path}: expected {error.validator_value}, got {_json_type(value)}"
    if kind == "format":
        return f"{path}: {value!r} is not a calendar date (YYYY-MM-DD)"
    if kind == "pattern":
        words = _PATTERN_WORDS.get(
            str(error.validator_value), f"the pattern {error.validator_value}"
        )
        return f"{path}: {value!r} is not {words}"
    if kind == "enum":
        options = ", ".join(str(o) for o in rule.get("enum", []))
        return f"{path}: {value!r} is not one of {options}"
    if kind == "const":
        return f"{path}: must be {error.validator_value!r}, got {value!r}"
    if kind == "minItems":
        if path.endswith(".slots"):
            return f"{path}: a mission needs at least one slot"
        if error.validator_value == 2:
            return f"{path}: a period is [first day, last day]"
        return f"{path}: needs at least {error.validator_value} item(s)"
    if kind == "maxItems" and path.endswith(".weekend"):
        return f"{path}: a week needs at least one working day"
    if kind == "maxItems":
        return f"{path}: a period is [first day, last day], got {len(value)} items"
    if kind == "uniqueItems":
        return f"{path}: lists the same value twice"
    if kind == "minLength":
        return f"{path}: must not be empty"
    if kind in ("minimum", "maximum") and re.search(r"\.weekend\[\d+\]$", path):
        return f"{path}: {value!r} is not an ISO weekday (1 = Monday .. 7 = Sunday)"
    if kind in ("minimum", "exclusiveMinimum"):
        strict = "greater than" if kind == "exclusiveMinimum" else "at least"
        return f"{path}: {value!r} must be {strict} {error.validator_value}"
    if kind == "maximum":
        return f"{path}: {value!r} must be at most {error.validator_value}"
    if kind == "oneOf" and isinstance(value, dict) and "slots" in rule.get("properties", {}):
        return _mission_shape_message(path, value)
    return f"{path}: {error.message}"


def _period_errors(path: str, period: list[str]) -> tuple[list[str], tuple[date, date] | None]:
    first, last = iso_date(period[0]), iso_date(period[1])
    if first is None or last is None:
        return [], None  # the schema's format check has said so already
    if last < first:
        return [f"{path}: ends {last} before it starts {first}"], None
    return [], (first, last)


def _semantic_errors(doc: Mapping[str, Any]) -> list[str]:
    errors, expert_at = _expert_errors(doc["experts"])
    mission_errors, slot_at, starts = _mission_errors(doc["missions"])
    errors += mission_errors
    errors += _pin_errors(doc, expert_at, slot_at, starts)
    return errors


def _expert_errors(experts: list[Any]) -> tuple[list[str], dict[str, int]]:
    """Duplicate ids, reversed unavailable periods, ratings on topics the expert does not
    hold; where each expert id is."""
    errors: list[str] = []
    expert_at: dict[str, int] = {}
    for i, expert in enumerate(experts):
        if expert["id"] in expert_at:
            errors.append(
                f"experts[{i}].id: duplicate expert id {expert['id']!r} "
                f"(also experts[{expert_at[expert['id']]}])"
            )
        else:
            expert_at[expert["id"]] = i
        for j, period in enumerate(expert.get("unavailable", [])):
            errors.extend(_period_errors(f"experts[{i}].unavailable[{j}]", period)[0])
        skills = expert.get("skills", {})
        for topic in expert.get("ratings", {}):
            if topic not in skills:
                errors.append(
                    f"experts[{i}].ratings.{topic}: {topic!r} is not one of the expert's skills "
                    "(a rating counts only on a topic the expert holds)"
                )
    return errors, expert_at


def _mission_errors(
    missions: list[Any],
) -> tuple[list[str], dict[str, tuple[int, int]], dict[int, tuple[date, date]]]:
    """Duplicate mission and slot ids, unusable dates, dates spread too wide; where each slot
    id is, and each mission's earliest and latest start (missions with usable dates only)."""
    errors: list[str] = []
    mission_at: dict[str, int] = {}
    slot_at: dict[str, tuple[int, int]] = {}
    first_days: list[date] = []
    last_days: list[date] = []
    starts: dict[int, tuple[date, date]] = {}  # mission -> (earliest start, latest start)
    for i, mission in enumerate(missions):
        path = f"missions[{i}]"
        if mission["id"] in mission_at:
            errors.append(
                f"{path}.id: duplicate mission id {mission['id']!r} "
                f"(also missions[{mission_at[mission['id']]}])"
            )
        else:
            mission_at[mission["id"]] = i
        for j, slot in enumerate(mission["slots"]):
            if slot["id"] in slot_at:
                mi, sj = slot_at[slot["id"]]
                errors.append(
                    f"{path}.slots[{j}].id: duplicate slot id {slot['id']!r} "
                    f"(also missions[{mi}].slots[{sj}]); slot ids are unique across the problem"
                )
            else:
                slot_at[slot["id"]] = (i, j)
        date_errors, dates = _mission_dates(path, mission)
        errors.extend(date_errors)
        if dates is not None:
            first_days.append(dates[0])
            last_days.append(dates[1])
            starts[i] = dates[2]

    if first_days and (max(last_days) - min(first_days)).days + 1 > MAX_SPAN_DAYS:
        errors.append(
            f"missions: dates run from {min(first_days)} to {max(last_days)}; one problem may "
            f"span at most {MAX_SPAN_DAYS} days"
        )
    return errors, slot_at, starts


def _mission_dates(
    path: str, mission: Mapping[str, Any]
) -> tuple[list[str], tuple[date, date, tuple[date, date]] | None]:
    """What is wrong with a mission's dates; else its first and last day and its earliest and
    latest start."""
    if "window" in mission:
        period_errors, period = _period_errors(f"{path}.window", mission["window"])
        if period is None:
            return period_errors, None
        length = (period[1] - period[0]).days + 1
        duration = mission["duration_days"]
        if duration > length:
            return [
                f"{path}.window: {period[0]}..{period[1]} is {length} day"
                f"{'s' if length > 1 else ''}, shorter than duration_days {duration}"
            ], None
        return [], (period[0], period[1], (period[0], period[1] - timedelta(days=duration - 1)))
    start, end = iso_date(mission["start"]), iso_date(mission["end"])
    if start is None or end is None:
        return [], None
    if end < start:
        return [f"{path}.end: {end} is before start {start}"], None
    return [], (start, end, (start, start))


def _pin_errors(
    doc: Mapping[str, Any],
    expert_at: Mapping[str, int],
    slot_at: Mapping[str, tuple[int, int]],
    starts: Mapping[int, tuple[date, date]],
) -> list[str]:
    """Pins naming unknown experts or slots, a slot pinned twice, starts that cannot be."""
    errors: list[str] = []
    pinned_slot: dict[str, int] = {}
    pinned_start: dict[int, tuple[date, int]] = {}
    for k, pin in enumerate(doc.get("pinned", [])):
        path = f"pinned[{k}]"
        if pin["expert"] not in expert_at:
            errors.append(f"{path}.expert: no expert {pin['expert']!r} in experts")
        if pin["slot"] not in slot_at:
            errors.append(f"{path}.slot: no slot {pin['slot']!r} in any mission")
            continue
        if pin["slot"] in pinned_slot:
            errors.append(
                f"{path}.slot: slot {pin['slot']!r} is already pinned by pinned"
                f"[{pinned_slot[pin['slot']]}]"
            )
        pinned_slot[pin["slot"]] = k
        if "start" not in pin:
            continue
        start = iso_date(pin["start"])
        mi = slot_at[pin["slot"]][0]
        if start is None or mi not in starts:
            continue
        mission = doc["missions"][mi]
        earliest, latest = starts[mi]
        if not earliest <= start <= latest:
            if earliest == latest and "start" in mission:
                errors.append(
                    f"{path}.start: {start} differs from mission {mission['id']!r}'s fixed "
                    f"start {earliest}"
                )
            else:
                errors.append(
                    f"{path}.start: mission {mission['id']!r} lasts "
                    f"{mission['duration_days']} days and must start between {earliest} and "
                    f"{latest} to fit its window"
                )
        elif mi in pinned_start and pinned_start[mi][0] != start:
            errors.append(
                f"{path}.start: {start} differs from pinned[{pinned_start[mi][1]}]"
                f".start {pinned_start[mi][0]} for the same mission {mission['id']!r}"
            )
        else:
            pinned_start[mi] = (start, k)
    return errors


def _exclusion_errors(doc: Mapping[str, Any]) -> list[str]:
    """Excluded experts must exist, and no pin may place one in the slot that excludes them."""
    errors: list[str] = []
    experts = {expert["id"] for expert in doc["experts"]}
    excluded_at: dict[str, tuple[str, set[str]]] = {}  # slot id -> (field, excluded ids)
    for i, mission in enumerate(doc["missions"]):
        for j, slot in enumerate(mission["slots"]):
            path = f"missions[{i}].slots[{j}].excluded_experts"
            for k, eid in enumerate(slot.get("excluded_experts", ())):
                if eid not in experts:
                    errors.append(f"{path}[{k}]: no expert {eid!r} in experts")
            if slot.get("excluded_experts"):
                excluded_at.setdefault(slot["id"], (path, set(slot["excluded_experts"])))
    for k, pin in enumerate(doc.get("pinned", [])):
        path, excluded = excluded_at.get(pin["slot"], ("", set()))
        if pin["expert"] in excluded:
            errors.append(
                f"pinned[{k}].expert: {pin['expert']!r} is excluded from slot {pin['slot']!r} "
                f"({path})"
            )
    return errors


def _no_start_message(path: str, mission: Mapping[str, Any]) -> str | None:
    """Why a windowed mission with a calendar has no start, or None when it has one."""
    found = window_spans(mission)
    if found is None or any(found[2]):
        return None
    calendar, straddle, _ = found
    duration = int(mission["duration_days"])
    first, last = mission["window"]
    text = f"{path}.window: {first}..{last} holds no {duration} working day"
    text += f"{'s' if duration > 1 else ''} from a working day ({calendar.describe()})"
    if not straddle:
        text += " without straddling a weekend; widen the window or set straddle_weekend"
    return text


def _pinned_start_message(k: int, mission: Mapping[str, Any], start: date) -> str | None:
    """Why a pinned start inside the window is not a start the mission's calendar allows."""
    found = window_spans(mission)
    if found is None:
        return None
    calendar, straddle, by_day = found
    offset = (start - date.fromisoformat(mission["window"][0])).days
    if not 0 <= offset < len(by_day) or by_day[offset]:
        return None
    head = f"pinned[{k}].start: mission {mission['id']!r} may not start {start}"
    if calendar.is_weekend(start):
        return f"{head}, a weekend day of its calendar ({calendar.describe()})"
    if start in calendar.holidays:
        return f"{head}, a public holiday"
    if not straddle:
        return f"{head}: it would straddle a weekend (straddle_weekend is not allowed)"
    return f"{head}: its {mission['duration_days']} working days would end after its window"


def _calendar_errors(doc: Mapping[str, Any]) -> list[str]:
    """Host calendars: a windowed mission must have a start; pinned starts must be allowed."""
    errors: list[str] = []
    for i, mission in enumerate(doc["missions"]):
        path = f"missions[{i}]"
        if "straddle_weekend" in mission and "calendar" not in mission:
            errors.append(
                f"{path}.straddle_weekend: needs a calendar (without one every day is a "
                "working day and there is no weekend)"
            )
        if "window" in mission and _usable_window(mission):
            message = _no_start_message(path, mission)
            if message:
                errors.append(message)
    slot_mission = {s["id"]: m for m in doc["missions"] for s in m["slots"]}
    for k, pin in enumerate(doc.get("pinned", [])):
        mission = slot_mission.get(pin["slot"])
        start = iso_date(pin.get("start", ""))
        if mission is None or start is None or "window" not in mission:
            continue
        if _usable_window(mission) and _in_window(mission, start):
            message = _pinned_start_message(k, mission, start)
            if message:
                errors.append(message)
    return errors


def _usable_window(mission: Mapping[str, Any]) -> bool:
    """A window the other checks accept: real dates, in order, long enough in calendar days."""
    first, last = (iso_date(d) for d in mission["window"])
    if first is None or last is None:
        return False
    return (last - first).days + 1 >= int(mission["duration_days"])


def _in_window(mission: Mapping[str, Any], start: date) -> bool:
    """Inside the calendar-day range the window check of the pins already accepts."""
    first = date.fromisoformat(mission["window"][0])
    last = date.fromisoformat(mission["window"][1])
    return first <= start <= last - timedelta(days=int(mission["duration_days"]) - 1)


def problem_errors(doc: object) -> list[str]:
    """Every reason ``doc`` is not a usable planning problem; empty when it is."""
    if not isinstance(doc, dict):
        return [f"(document): expected a JSON object, got {_json_type(doc)}"]
    if _schema_valid_fast(doc):
        return _semantic_errors(doc) + _exclusion_errors(doc) + _calendar_errors(doc)
    errors = sorted(
        _validator("instance").iter_errors(doc),
        key=lambda e: (list(map(str, e.absolute_path)), str(e.validator)),
    )
    messages = list(dict.fromkeys(_schema_message(e) for e in errors))
    if messages:
        return messages
    return _semantic_errors(doc) + _exclusion_errors(doc) + _calendar_errors(doc)


def load_problem(doc: object) -> Problem | list[str]:
    """A ``Problem``, or the list of everything wrong with ``doc``."""
    errors = problem_errors(doc)
    if errors:
        return errors
    assert isinstance(doc, dict)
    return parse_problem(doc)
