"""What missions cost: the daily allowance rate table the secretariat keeps, and each mission's
cost estimate (expert days × the host country's daily allowance, plus travel per expert)."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.agreements.models import DailyAllowanceRate, MissionCostEstimate
from renfort.agreements.services.common import (
    CENT,
    MAX_AMOUNT,
    MAX_RATE,
    Errors,
    amount_error,
    currency_error,
)
from renfort.lib.countries import country_name
from renfort.missions.locking import lock_mission
from renfort.missions.models import Mission, MissionStatus, MissionType

# CLDR codes that name no country (unknown, the EU, the euro zone, the UN, pseudo-locales...).
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


@cache
def _countries() -> dict[str, str]:
    """Country code, or English name in plain lower-case letters -> ISO 3166-1 alpha-2 code."""
    names: dict[str, str] = {}
    for code, name in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            names[_letters(code)] = code
            names[_letters(name)] = code
    return names


def _letters(text: str) -> str:
    """'Côte d'Ivoire' -> 'cotedivoire'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.casefold() if c.isalpha())


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code."""
    return len(code) == 2 and _countries().get(_letters(code)) == code


def country_codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 country code."""
    return sorted(set(_countries().values()))


def host_country(mission: Mission) -> str:
    """Where the mission takes place, as the planner reads it: the country its location
    names (a code or an English name, alone or last: 'Nairobi, Kenya'), else its first
    beneficiary country in alphabetical order; '' when neither says."""
    parts = [p.strip() for p in re.split(r"[,;/()\-]", mission.location) if p.strip()]
    names = _countries()
    for part in [mission.location.strip(), *reversed(parts)]:
        if _letters(part) in names:
            return names[_letters(part)]
    countries = sorted(
        {c.upper() for c in mission.beneficiaries.values_list("country", flat=True) if c}
    )
    return next((c for c in countries if is_country(c)), "")


@transaction.atomic
def allowance_rate_set(
    *,
    country: str,
    currency: str,
    daily_allowance: Decimal | int | str,
    travel: Decimal | int | str = Decimal("0"),
    illustrative: bool = False,
    by: User | None = None,
) -> DailyAllowanceRate:
    """Set a country's daily allowance and travel cost per expert (one row per country: setting
    it again replaces it). ``illustrative`` marks an example figure, not an official rate."""
    errors = Errors()
    country = (country or "").strip().upper()
    currency = (currency or "").strip().upper()
    if not is_country(country):
        errors.add(
            "country",
            _("Country: %(country)s is not an ISO 3166-1 country code such as KE.")
            % {"country": country or "–"},
        )
    if problem := currency_error(currency, _("Currency")):
        errors.add("currency", problem)
    daily, problem = amount_error(
        daily_allowance, _("Daily allowance"), positive=True, most=MAX_RATE
    )
    if problem:
        errors.add("daily_allowance", problem)
    trip, problem = amount_error(travel, _("Travel per expert"), most=MAX_RATE)
    if problem:
        errors.add("travel", problem)
    errors.raise_if_any()
    assert daily is not None and trip is not None
    # Inserted if missing, then locked: two people setting one country wait for each other.
    DailyAllowanceRate.objects.bulk_create(
        [DailyAllowanceRate(country=country, currency=currency, daily_allowance=daily)],
        ignore_conflicts=True,
    )
    rate = DailyAllowanceRate.objects.select_for_update().get(country=country)
    rate.currency, rate.illustrative, rate.updated_by = currency, illustrative, by
    rate.daily_allowance, rate.travel = daily, trip
    rate.save()
    return rate


def _estimate_problems(mission: Mission, experts: int, country: str) -> list[str]:
    names = {"mission": mission.reference}
    problems = []
    if mission.status == MissionStatus.CANCELLED:
        problems.append(_("Mission %(mission)s is cancelled: it costs nothing.") % names)
    if experts == 0:
        problems.append(
            _("Mission %(mission)s has no expert slot: add one before estimating its cost.") % names
        )
    if mission.days < 1:
        problems.append(
            _("Mission %(mission)s has neither dates nor a duration: nothing to count yet.") % names
        )
    if not country:
        problems.append(
            _(
                "Mission %(mission)s has no host country: give its location, or a beneficiary "
                "with a country."
            )
            % names
        )
    return problems


@transaction.atomic
def mission_cost_estimate(*, mission: Mission, by: User | None = None) -> MissionCostEstimate:
    """Compute and store the mission's cost estimate: one expert per slot, for the mission's
    days (its dates, else its duration), at the host country's daily allowance, plus one
    journey per expert; a remote mission has neither allowance nor travel. Computing again
    replaces the estimate (the figures used are kept with it)."""
    mission = lock_mission(mission.pk)
    experts = mission.slots.count()
    country = host_country(mission)
    if problems := _estimate_problems(mission, experts, country):
        raise ValidationError(problems)
    remote = mission.type == MissionType.REMOTE
    rate = DailyAllowanceRate.objects.filter(country=country).first()
    if rate is None and not remote:
        raise ValidationError(
            _(
                "Mission %(mission)s takes place in %(country)s, which has no daily allowance "
                "in the rate table: add it there first."
            )
            % {"mission": mission.reference, "country": country_name(country)}
        )
    daily = Decimal("0") if remote or rate is None else rate.daily_allowance
    trip = Decimal("0") if remote or rate is None else rate.travel
    days = mission.days
    amount = (experts * days * daily + experts * trip).quantize(CENT, ROUND_HALF_UP)
    if amount > MAX_AMOUNT:
        raise ValidationError(
            _("Mission %(mission)s would cost more than %(max)s: check its rate and days.")
            % {"mission": mission.reference, "max": MAX_AMOUNT}
        )
    estimate, _created = MissionCostEstimate.objects.update_or_create(
        mission=mission,
        defaults={
            "country": country,
            "currency": rate.currency if rate is not None else "EUR",
            "experts": experts,
            "days": days,
            "daily_allowance": daily,
            "travel_per_expert": trip,
            "total": amount,
            "illustrative": bool(rate and rate.illustrative),
            "computed_by": by,
        },
    )
    return estimate
