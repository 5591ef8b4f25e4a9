"""Out: the database as a problem in the planner's exchange format.

``problem_build`` turns chosen missions and the released expert pool into a problem dict in
the planner's exchange format (``renfort/planner/schemas/instance.schema.json``). Slot ids are
``Slot.code``, expert ids ``str(Expert.pk)``, mission ids ``Mission.reference``.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import holidays
from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from renfort.missions.eligibility import bookings_of, exclusions_of, used_days
from renfort.missions.messages import topic_level
from renfort.missions.models import Assignment, Mission, MissionType, Slot, SlotRequirement
from renfort.planner.workdays import Calendar, spans, straddle_allowed
from renfort.planning.records import records_add
from renfort.planning.run_messages import left_out
from renfort.roster.models import Category, Expert, Skill, Topic

FORMAT = "renfort-planning/1"
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")

Period = tuple[datetime.date, datetime.date]
# Why a mission cannot go to the planner: a ``planning.left_out.*`` code and its parameters.
Why = tuple[str, dict[str, Any]]


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def mission_first_day(mission: Mission) -> datetime.date | None:
    return mission.start or mission.window_start


def plannable_missions() -> QuerySet[Mission]:
    """Missions a planner run may include: not yet confirmed (dates and people may still
    change: ``Mission.objects.editable()``) and with at least one slot."""
    # EXISTS, not a join with DISTINCT: the database reads each open mission once.
    return (
        Mission.objects.editable()
        .filter(Exists(Slot.objects.filter(mission=OuterRef("pk"))))
        .order_by("start", "window_start", "reference")
    )


def missions_for_run(
    *,
    missions: Iterable[Mission] = (),
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> list[Mission]:
    """The chosen missions plus every plannable mission whose dates or window meet the period."""
    ids = {m.pk for m in missions}
    if period_start is not None or period_end is not None:
        lo = period_start or datetime.date.min
        hi = period_end or datetime.date.max
        in_period = plannable_missions().filter(
            Q(start__isnull=False, start__lte=hi, end__gte=lo)
            | Q(start__isnull=True, window_start__lte=hi, window_end__gte=lo)
        )
        ids.update(in_period.values_list("pk", flat=True))
    return list(plannable_missions().filter(pk__in=ids))


def missions_with_details(ids: Iterable[int]) -> list[Mission]:
    """The missions with beneficiaries, slots and slot requirements prefetched."""
    return list(
        Mission.objects.filter(pk__in=list(ids))
        .prefetch_related(
            "beneficiaries",
            Prefetch(
                "slots",
                queryset=Slot.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "requirements", queryset=SlotRequirement.objects.select_related("topic")
                    )
                ),
            ),
        )
        .order_by("start", "window_start", "reference")
    )


def experts_with_details(qs: QuerySet[Expert]) -> list[Expert]:
    """The experts with home administration, skills and unavailable periods loaded."""
    return list(
        qs.select_related("home_administration").prefetch_related(
            Prefetch("skills", queryset=Skill.objects.select_related("topic")),
            "unavailable",
        )
    )


def slot_skills(slot: Slot) -> dict[str, int]:
    return {r.topic.code: r.level for r in slot.requirements.all()}


def expert_skills(expert: Expert) -> dict[str, int]:
    return {s.topic.code: s.level for s in expert.skills.all()}


def _letters(text: str) -> str:
    """'Côte d'Ivoire' -> 'cotedivoire': for matching country names written loosely."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.casefold() if c.isalpha())


@functools.cache
def _country_names() -> dict[str, str]:
    """Country name or ISO code (letters only, lower case) -> alpha-2 code, for the countries
    the ``holidays`` package knows."""
    names: dict[str, str] = {}
    for module, (class_name, alpha2, alpha3, *_more) in holidays.registry.COUNTRIES.items():
        for name in (module, class_name, alpha2, alpha3):
            names[_letters(name)] = alpha2
    return names


def host_country(location: str, beneficiaries: Sequence[str]) -> str:
    """Where the mission takes place: the country its location names (an ISO code or an English
    name, alone or as the last part: 'Nairobi, Kenya'), else its first beneficiary country (for
    a regional mission the venue, if the location does not say, is taken to be that one)."""
    parts = [p.strip() for p in re.split(r"[,;/()\-]", location) if p.strip()]
    names = _country_names()
    for part in [location.strip(), *reversed(parts)]:
        if _letters(part) in names:
            return names[_letters(part)]
    return beneficiaries[0]


def host_calendar(country: str, first: datetime.date, last: datetime.date) -> dict[str, Any] | None:
    """The host's calendar in exchange format, from the ``holidays`` package: its weekend as
    ISO weekdays (1 = Monday .. 7 = Sunday) and its public holidays from ``first`` to ``last``;
    None for a country the package does not know (every day then counts)."""
    try:
        known = holidays.country_holidays(country, years=range(first.year, last.year + 1))
    except NotImplementedError:
        return None
    calendar: dict[str, Any] = {"weekend": sorted(day + 1 for day in known.weekend)}
    days = sorted(day for day in known if first <= day <= last)
    if days:
        calendar["holidays"] = [_iso(day) for day in days]
    return calendar


def _add_calendar(
    entry: dict[str, Any], host: str, first: datetime.date, last: datetime.date
) -> Calendar | None:
    """Give the entry its host's calendar, when known."""
    calendar = host_calendar(host, first, last)
    if calendar is None:
        return None
    entry["calendar"] = calendar
    return Calendar.from_doc(calendar)


def _fits_working_days(
    calendar: Calendar, first: datetime.date, last: datetime.date, duration: int, straddle: bool
) -> bool:
    """Whether some start from ``first`` holds ``duration`` working days by ``last`` (without
    straddling a weekend where the mission may not), as the planner reads the calendar."""
    return any(spans(calendar, first, last, duration, straddle))


def _straddle(mission: Mission) -> bool | None:
    """``Mission.straddle_weekend`` as the planner reads it: ticked, a short mission may
    straddle a weekend; unticked, the planner's default (only beyond five working days)."""
    return True if mission.straddle_weekend else None


def _mission_entry(mission: Mission) -> tuple[dict[str, Any] | None, Why]:
    """The mission in exchange format, or None and why it cannot go to the planner."""
    slots = list(mission.slots.all())
    if not slots:
        return None, ("planning.left_out.no_slot", {})
    countries = sorted(
        {b.country.upper() for b in mission.beneficiaries.all() if COUNTRY.match(b.country.upper())}
    )
    if not countries:
        return None, ("planning.left_out.no_country", {})
    if not LANGUAGE.match(mission.language.lower()):
        return None, ("planning.left_out.no_language", {"language": mission.language})
    entry: dict[str, Any] = {
        "id": mission.reference,
        "beneficiaries": countries,
        "language": mission.language.lower(),
        "level": mission.level,
        "priority": mission.priority,
        "distinct_countries": mission.distinct_countries,
    }
    if mission.type == MissionType.REMOTE:
        entry["remote"] = True
    host = host_country(mission.location, countries)
    if mission.start is not None and mission.end is not None:
        entry["start"], entry["end"] = _iso(mission.start), _iso(mission.end)
        # Fixed dates are taken as given: the calendar (and a straddle) changes nothing.
        _add_calendar(entry, host, mission.start, mission.end)
    elif mission.window_start is not None and mission.window_end is not None:
        why = _window_entry(entry, mission, host)
        if why is not None:
            return None, why
    else:
        return None, ("planning.left_out.no_dates", {})
    entry["slots"] = [
        {"id": s.code, "category": s.category, "skills": slot_skills(s)} for s in slots
    ]
    return entry, ("", {})


def _window_entry(entry: dict[str, Any], mission: Mission, host: str) -> Why | None:
    """Give the entry its window, duration and host calendar; or why the window cannot hold
    the mission (from its first day, or from today: the planner never picks a past day)."""
    assert mission.window_start is not None and mission.window_end is not None
    duration = mission.duration_days or 0
    window = [_iso(mission.window_start), _iso(mission.window_end)]
    if (mission.window_end - mission.window_start).days + 1 < duration:
        return "planning.left_out.window_short", {"window": window, "days": duration}
    window_start = max(mission.window_start, timezone.localdate())
    if (mission.window_end - window_start).days + 1 < duration:
        return "planning.left_out.window_past", {"window": window, "days": duration}
    entry["window"] = [_iso(window_start), _iso(mission.window_end)]
    entry["duration_days"] = duration
    # With the host's calendar, duration_days counts working days (docs/rules.md).
    calendar = _add_calendar(entry, host, mission.window_start, mission.window_end)
    if calendar is None:
        return None
    straddle = straddle_allowed(duration, _straddle(mission))
    entry["straddle_weekend"] = straddle
    working = {"window": window, "days": duration, "country": host}
    if not _fits_working_days(
        calendar, mission.window_start, mission.window_end, duration, straddle
    ):
        return "planning.left_out.window_short_working", working
    if not _fits_working_days(calendar, window_start, mission.window_end, duration, straddle):
        return "planning.left_out.window_past_working", working
    return None


def run_years(entries: Iterable[Mapping[str, Any]]) -> range:
    """The calendar years the run touches: from its missions' earliest possible day (a fixed
    first day, or a window's first) to their latest (a last day, or a window's last)."""
    firsts = [m.get("start") or m["window"][0] for m in entries]
    lasts = [m.get("end") or m["window"][1] for m in entries]
    if not firsts:
        return range(0)
    first = datetime.date.fromisoformat(min(firsts))
    last = datetime.date.fromisoformat(max(lasts))
    return range(first.year, last.year + 1)


@dataclass
class BuiltProblem:
    problem: dict[str, Any]
    missions: list[Mission]
    # Missions that cannot go to the planner: {"mission": reference, "code", "params"}
    # (``run_messages.left_out``), rendered in the reader's language when read.
    left_out: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Commitments:
    """What experts already do outside the problem: blocked periods, and released days used
    per calendar year."""

    busy: dict[int, list[Period]] = field(default_factory=lambda: defaultdict(list))
    used: dict[int, Counter[int]] = field(default_factory=dict)


def _pins(
    kept_ids: set[int],
    slot_codes: set[str],
    extra_pins: Iterable[tuple[str, str]],
    excluded: Mapping[str, set[str]],
) -> dict[str, str]:
    """Slot code → expert id: every held slot of these missions (its open assignment), then the
    coordinator's pins, but those of an expert excluded from the slot since."""
    holding = (
        Assignment.objects.open()
        .filter(slot__mission_id__in=kept_ids)
        .select_related("slot__mission")
        .order_by("slot__mission__reference", "slot__position")
    )
    pins: dict[str, str] = {a.slot.code: str(a.expert_id) for a in holding}
    for slot_code, expert_id in extra_pins:
        if slot_code in slot_codes and str(expert_id) not in excluded.get(slot_code, set()):
            pins.setdefault(slot_code, str(expert_id))
    return pins


def _excluded(missions: Sequence[Mission]) -> dict[str, set[str]]:
    """Slot code → ids of the experts never to place there (``eligibility.exclusions_of``:
    declined or withdrawn from the mission, release refused for it, excluded by hand)."""
    exclusions = exclusions_of(m.pk for m in missions)
    return {
        slot.code: {str(e) for e in exclusions.of(slot.pk, mission.pk)}
        for mission in missions
        for slot in mission.slots.all()
    }


def _commitments(experts: Sequence[Expert], kept_ids: set[int], travel: int) -> _Commitments:
    """The experts' bookings outside this problem, as the availability rule reads them
    (``eligibility.bookings_of``): each blocks its mission's days widened by the travel days on
    either side (so the planner keeps the rule's gap), and uses released days in each
    calendar year its days fall in (``eligibility.used_days``, as the rule counts them)."""
    found = _Commitments()
    pad = datetime.timedelta(days=travel)
    outside = bookings_of([e.pk for e in experts], exclude_missions=kept_ids)
    for expert_id, bookings in outside.items():
        for booking in bookings:
            if booking.start is not None and booking.end is not None:
                found.busy[expert_id].append((booking.start - pad, booking.end + pad))
        found.used[expert_id] = used_days(bookings)
    return found


def _expert_entry(
    expert: Expert, pinned: bool, commitments: _Commitments, years: range
) -> dict[str, Any] | None:
    """The expert in exchange format, or None when the planner could not use them. Released
    days: for each year of the run, ``released_days_per_year`` less the days their bookings
    outside the run already take that year."""
    country = (expert.home_administration.country or "").upper()
    country = country if COUNTRY.match(country) else ""
    categories = [c for c in expert.categories if c in Category.values]
    languages = sorted({str(x).lower() for x in expert.languages if LANGUAGE.match(str(x).lower())})
    if not country or not categories or not languages:
        if not pinned:
            return None
        # A pinned expert must be known to the planner; keep them with what we have.
        country = country or "ZZ"
        categories = categories or [Category.TECHNICAL_OPERATIONAL_EXPERT.value]
        languages = languages or ["en"]
    periods = [(u.start, u.end) for u in expert.unavailable.all()]
    periods += commitments.busy.get(expert.pk, [])
    used = commitments.used.get(expert.pk, Counter())
    return {
        "id": str(expert.pk),
        "country": country,
        "categories": categories,
        "languages": languages,
        "skills": expert_skills(expert),
        "unavailable": [[_iso(a), _iso(b)] for a, b in sorted(periods)],
        "max_days_by_year": {
            str(year): max(0, expert.released_days_per_year - used.get(year, 0)) for year in years
        },
    }


def problem_build(
    *,
    missions: Iterable[Mission],
    extra_pins: Iterable[tuple[str, str]] = (),
    time_limit_s: float | None = None,
    travel_days: int | None = None,
) -> BuiltProblem:
    """The planning problem for these missions and the released pool.

    - Pins: every assignment that holds a slot of these missions (proposed, invited, accepted,
      confirmed), plus ``extra_pins`` (slot code, expert id) the coordinator pinned in a review
      (but an expert excluded from the slot since).
    - Experts: the pool, plus any pinned expert outside it (the planner must know them).
    - Unavailability: the expert's unavailable periods, and the dates of their missions outside
      this problem, widened by the travel days on each side.
    - ``max_days_by_year``: for each calendar year the run touches, released days per year
      minus the days of active assignments outside this problem in that year.
    - ``excluded_experts`` on each slot: the experts never to place there
      (``eligibility.exclusions_of``) that the problem knows, but the one pinned to it.
    - ``ratings`` and ``worked_with`` of each expert: their record (``records.records_add``).
    """
    travel = settings.PLANNER_TRAVEL_DAYS if travel_days is None else travel_days
    limit = settings.PLANNER_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    chosen = missions_with_details(m.pk for m in missions)

    entries: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    kept: list[Mission] = []
    for mission in chosen:
        entry, (code, params) = _mission_entry(mission)
        if entry is None:
            skipped.append(left_out(mission.reference, code, **params))
        else:
            entries.append(entry)
            kept.append(mission)
    kept_ids = {m.pk for m in kept}
    excluded = _excluded(kept)
    pins = _pins(kept_ids, set(excluded), extra_pins, excluded)

    pinned_ids = {int(e) for e in pins.values()}
    experts = experts_with_details(
        Expert.objects.filter(Q(pk__in=Expert.objects.in_pool()) | Q(pk__in=pinned_ids))
    )
    commitments = _commitments(experts, kept_ids, travel)
    years = run_years(entries)
    pinned = set(pins.values())
    expert_entries = [
        e
        for e in (_expert_entry(x, str(x.pk) in pinned, commitments, years) for x in experts)
        if e is not None
    ]
    records_add(expert_entries, entries)  # ratings and worked_with: tie-breaks only
    known = {e["id"] for e in expert_entries}
    for entry in entries:
        for slot in entry["slots"]:
            out = (excluded[slot["id"]] & known) - {pins.get(slot["id"])}
            if out:
                slot["excluded_experts"] = sorted(out, key=int)

    problem: dict[str, Any] = {
        "format": FORMAT,
        "settings": {"travel_days": travel, "time_limit_s": limit, "seed": 0},
        "experts": expert_entries,
        "missions": entries,
        "pinned": [{"slot": s, "expert": e} for s, e in sorted(pins.items())],
    }
    return BuiltProblem(problem=problem, missions=kept, left_out=skipped)


def topic_names() -> dict[str, str]:
    """Topic code → name as stored (seeded in English, translated when a message is read)."""
    return dict(Topic.objects.values_list("code", "name"))


def fit_explanation(
    problem: Mapping[str, Any],
    mission_id: str,
    slot_id: str,
    expert_id: str,
    names: Mapping[str, str],
) -> dict[str, Any] | None:
    """Why the expert fits the slot, from the problem's own data: the parameters of an
    ``assignment.fit`` message (``names``: ``topic_names()``), or None when the problem does
    not hold the mission or the expert."""
    mission = next((m for m in problem["missions"] if m["id"] == mission_id), None)
    expert = next((e for e in problem["experts"] if e["id"] == expert_id), None)
    if mission is None or expert is None:
        return None
    slot: dict[str, Any] = next((s for s in mission["slots"] if s["id"] == slot_id), {})
    have = expert.get("skills", {})
    return {
        "category": str(slot.get("category", "")),
        "language": mission["language"],
        "skills": [
            topic_level(topic, names.get(topic, topic), have.get(topic, 0), need)
            for topic, need in sorted(slot.get("skills", {}).items())
        ],
        "country": expert["country"],
    }
