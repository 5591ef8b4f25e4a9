"""Realistic random planning problems, the same for the same seed.

Missions run over one year. Most have fixed dates; about two in five have a window a few
weeks long. Experts come from administrations of every region, speak English and often
French or Spanish, hold a few topics at levels 1-4 and are released 20-60 days a year.
``scarce`` problems ask for more and harder slots from experts released for fewer days, so
that the work outstrips the pool.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from renfort.planner.domain import CATEGORIES

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


def generate(missions: int, experts: int, seed: int, *, scarce: bool = False) -> dict[str, Any]:
    """A ``renfort-planning/1`` problem with ``missions`` missions and ``experts`` experts."""
    rng = random.Random(seed)
    return {
        "format": "renfort-planning/1",
        "settings": {"travel_days": 1, "time_limit_s": 10, "seed": seed},
        "experts": [_expert(rng, n + 1, scarce) for n in range(experts)],
        "missions": [_mission(rng, n + 1, scarce) for n in range(missions)],
    }
