"""Realistic random planning problems, the same for the same seed.

Missions run over one year. Most have fixed dates; about two in five have a window a few
weeks long. Experts come from administrations of every region, speak English and often
French or Spanish, hold a few topics at levels 1-4 and are released 20-60 days a year.
``scarce`` problems ask for more and harder slots from experts released for fewer days, so
that the work outstrips the pool. ``year_caps`` moves the year to July-June and gives experts
per-year caps (``max_days_by_year``); ``exclusions`` has slots exclude a few experts. Both are
off by default, so a seed makes the same problem as before they existed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from renfort.planner.domain import CATEGORIES
from renfort.planner.workdays import Calendar, spans, straddle_allowed

COUNTRIES = (  # noqa: SIM905 - a block of codes reads better than 88 quoted strings
    "FR BE CH CA LU MA TN SN CI CM DZ MG BF ML NE BJ TG GA CD RW "
    "GB IE US AU NZ ZA NG KE GH UG TZ ZM ZW BW NA MU JM TT BB "
    "ES MX AR CL CO PE EC UY PY BO DO GT CR PA "
    "DE NL SE FI NO DK AT PL CZ HU RO PT IT GR "
    "JP KR CN IN ID MY TH VN PH SG AE SA EG JO OM QA KZ RU BR AO MZ"
).split()
LANGUAGES = (("en", 0.85), ("fr", 0.4), ("es", 0.25), ("ar", 0.1), ("pt", 0.08), ("ru", 0.06))
MISSION_LANGUAGES = (("en", 50), ("fr", 25), ("es", 13), ("ar", 6), ("pt", 4), ("ru", 2))
TOPICS = (  # noqa: SIM905
    "customs_valuation tariff_classification rules_of_origin risk_management "
    "post_clearance_audit aeo_programmes coordinated_border_management trade_facilitation "
    "ipr_enforcement enforcement_and_compliance revenue_collection data_analytics "
    "customs_laboratories hs_convention kyoto_convention single_window integrity "
    "strategic_planning human_resources project_management cites_environment "
    "e_commerce transit_regimes time_release_study"
).split()
CATEGORY_WEIGHTS = (25, 45, 30)
LEVELS = ("strategic", "tactical", "operational")


def _pick_languages(rng: random.Random) -> list[str]:
    chosen = [code for code, share in LANGUAGES if rng.random() < share]
    return chosen or ["en"]


def _expert(rng: random.Random, n: int, scarce: bool) -> dict[str, Any]:
    categories = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS, k=1)
    if rng.random() < 0.2:
        categories.append(rng.choice(CATEGORIES))
    skills = {
        topic: rng.choices((1, 2, 3, 4), weights=(15, 40, 30, 15))[0]
        for topic in rng.sample(TOPICS, rng.randint(3, 7))
    }
    expert: dict[str, Any] = {
        "id": f"E{n:05d}",
        "country": rng.choice(COUNTRIES),
        "categories": sorted(set(categories)),
        "languages": _pick_languages(rng),
        "skills": skills,
        "max_days": rng.randint(8, 25) if scarce else rng.randint(20, 60),
    }
    unavailable = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        first = date(2027, 1, 1) + timedelta(days=rng.randint(0, 360))
        unavailable.append(
            [first.isoformat(), (first + timedelta(days=rng.randint(3, 21))).isoformat()]
        )
    if unavailable:
        expert["unavailable"] = unavailable
    return expert


def _mission(rng: random.Random, n: int, scarce: bool) -> dict[str, Any]:
    regional = rng.random() < 0.2
    beneficiaries = rng.sample(COUNTRIES, rng.randint(2, 5) if regional else 1)
    language = rng.choices([c for c, _ in MISSION_LANGUAGES], [w for _, w in MISSION_LANGUAGES])[0]
    duration = rng.choice((3, 4, 5, 5, 5, 8, 10, 12))
    slots_n = rng.choices((1, 2, 3), weights=(35, 45, 20) if scarce else (50, 40, 10))[0]
    slots = []
    for k in range(slots_n):
        topics = rng.sample(TOPICS, rng.choice((1, 1, 2)))
        low, high = (2, 4) if scarce else (1, 3)
        slots.append(
            {
                "id": f"M{n:05d}-{k + 1}",
                "category": rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0],
                "skills": {t: rng.randint(low, high) for t in topics},
            }
        )
    mission: dict[str, Any] = {
        "id": f"M{n:05d}",
        "beneficiaries": beneficiaries,
        "language": language,
        "level": rng.choice(LEVELS),
        "priority": rng.choices((1, 2, 3, 4, 5), weights=(25, 30, 25, 12, 8))[0],
        "distinct_countries": rng.choices(("preferred", "required", "none"), (70, 15, 15))[0],
        "slots": slots,
    }
    first = date(2027, 1, 4) + timedelta(days=rng.randint(0, 340))
    if rng.random() < 0.4:
        slack = rng.choice((7, 14, 21, 28))
        mission["window"] = [
            first.isoformat(),
            (first + timedelta(days=duration - 1 + slack)).isoformat(),
        ]
        mission["duration_days"] = duration
    else:
        mission["start"] = first.isoformat()
        mission["end"] = (first + timedelta(days=duration - 1)).isoformat()
    return mission


def _shifted(value: str, days: int) -> str:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat()


def _add_year_caps(doc: dict[str, Any], rng: random.Random, scarce: bool) -> None:
    """Move every date half a year back, so the plan runs from July to June across
    31 December, and cap most experts per calendar year, the first year often nearly used up
    (a plan made in the second half of a year)."""
    back = -183
    for mission in doc["missions"]:
        for key in ("start", "end"):
            if key in mission:
                mission[key] = _shifted(mission[key], back)
        if "window" in mission:
            mission["window"] = [_shifted(d, back) for d in mission["window"]]
    for expert in doc["experts"]:
        periods = [[_shifted(d, back) for d in p] for p in expert.pop("unavailable", [])]
        if periods:
            expert["unavailable"] = periods
        if rng.random() < 0.7:
            high = 12 if scarce else 30
            caps = {"2026": rng.randint(0, high // 2), "2027": rng.randint(high // 3, high)}
            if rng.random() < 0.2:
                del caps[rng.choice(("2026", "2027"))]
            expert["max_days_by_year"] = caps


def _add_exclusions(doc: dict[str, Any], rng: random.Random) -> None:
    """About one slot in five excludes one to three experts of the pool."""
    ids = [expert["id"] for expert in doc["experts"]]
    for mission in doc["missions"]:
        for slot in mission["slots"]:
            if ids and rng.random() < 0.2:
                slot["excluded_experts"] = sorted(rng.sample(ids, min(len(ids), rng.randint(1, 3))))


# Hosts whose weekend is Friday-Saturday (ISO weekdays 5, 6); the others rest Saturday-Sunday.
FRIDAY_SATURDAY = frozenset({"DZ", "EG", "JO", "OM", "QA", "SA"})


def _host_calendar(seed: int, country: str, first: date, last: date) -> dict[str, Any]:
    """The host's weekend and made-up public holidays (New Year's Day and seven more days a
    year, the same for every mission of one host), those from ``first`` to ``last``."""
    holidays: list[str] = []
    for year in range(first.year, last.year + 1):
        rng = random.Random(f"{seed}-holidays-{country}-{year}")
        days = {date(year, 1, 1)} | {
            date(year, 1, 1) + timedelta(days=rng.randint(1, 364)) for _ in range(7)
        }
        holidays += [d.isoformat() for d in sorted(days) if first <= d <= last]
    weekend = [5, 6] if country in FRIDAY_SATURDAY else [6, 7]
    return {"weekend": weekend, "holidays": holidays} if holidays else {"weekend": weekend}


def _add_calendars(doc: dict[str, Any], seed: int) -> None:
    """Give every mission its host's calendar (the first beneficiary's) and make about one in
    ten remote. A windowed mission's duration then counts working days: its window is widened
    a week at a time until some start holds them (without straddling a weekend where it may
    not)."""
    rng = random.Random(f"{seed}-calendars")
    for mission in doc["missions"]:
        if rng.random() < 0.1:
            mission["remote"] = True
        host = mission["beneficiaries"][0]
        period = mission.get("window") or (mission["start"], mission["end"])
        first, last = (date.fromisoformat(d) for d in period)
        if "window" in mission:
            duration = mission["duration_days"]
            straddle = straddle_allowed(duration, None)
            for _ in range(52):
                calendar = Calendar.from_doc(_host_calendar(seed, host, first, last))
                if any(spans(calendar, first, last, duration, straddle)):
                    break
                last += timedelta(days=7)
            mission["window"][1] = last.isoformat()
        mission["calendar"] = _host_calendar(seed, host, first, last)


def generate(
    missions: int,
    experts: int,
    seed: int,
    *,
    scarce: bool = False,
    year_caps: bool = False,
    exclusions: bool = False,
    calendars: bool = False,
) -> dict[str, Any]:
    """A ``renfort-planning/1`` problem with ``missions`` missions and ``experts`` experts.

    ``year_caps``: dates from July to June and per-year caps; ``exclusions``: slots that
    exclude experts; ``calendars``: host calendars and remote missions (``_add_calendars``).
    Each draws from its own random stream, so turning one on changes nothing else.
    """
    rng = random.Random(seed)
    doc: dict[str, Any] = {
        "format": "renfort-planning/1",
        "settings": {"travel_days": 1, "time_limit_s": 10, "seed": seed},
        "experts": [_expert(rng, n + 1, scarce) for n in range(experts)],
        "missions": [_mission(rng, n + 1, scarce) for n in range(missions)],
    }
    if year_caps:
        _add_year_caps(doc, random.Random(f"{seed}-year-caps"), scarce)
    if exclusions:
        _add_exclusions(doc, random.Random(f"{seed}-exclusions"))
    if calendars:
        _add_calendars(doc, seed)
    return doc
