"""What the results framework's tests share: objectives of each kind of link, seen by some
personas and not by others, and a year of missions for the delivery plan.

The personas (``renfort.testing.make_personas``): secretariat; regional (West & Central
Africa); member (Senegal, the beneficiary); lender (France, which lends the expert); donor
(the donor agency); expert_user (Ana, lent by France); outsider (Kenya, East & Southern
Africa).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.test import Client

from renfort.accounts.models import User
from renfort.agreements.models import Agreement, PartyRole
from renfort.missions.models import Mission, MissionStatus
from renfort.results.models import Indicator, Objective
from renfort.results.services import indicator_actual_record, indicator_create, objective_create
from renfort.testing import PASSWORD, Personas, make_agreement, make_request, persona_mission

PERSONAS = ("secretariat", "regional", "member", "lender", "donor", "expert_user", "outsider")
YEAR = datetime.date.today().year + 1


@dataclass
class World:
    p: Personas
    mission: Mission  # Senegal's, funded by the donor agency
    agreement: Agreement  # the donor agency funds, Senegal benefits
    senegal: Objective  # linked to Senegal's mission
    funded: Objective  # linked to the donor's agreement only
    kenya: Objective  # linked to a request of Kenya
    falling: Indicator  # of ``senegal``: release time 48 → 24 hours, 36 measured


def day(month: int, d: int = 1, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, d)


def make_world(p: Personas) -> World:
    mission = persona_mission(
        p, start=day(3, 2), end=day(3, 6), status=MissionStatus.PLANNED, title="Risk workshop"
    )
    agreement = mission.agreements.get()
    kenya_request = make_request(administrations=[p.admin_c], focal_point=p.outsider)
    senegal = objective_create(title="Faster clearance", level="strategic", missions=[mission])
    funded = objective_create(title="Better controls", level="tactical", agreements=[agreement])
    kenya = objective_create(title="Kenyan AEO", level="operational", requests=[kenya_request])
    falling = indicator_create(
        objective=senegal,
        name="Average release time",
        unit="hours",
        baseline=48,
        target=24,
    )
    for month, value in ((1, 44), (2, 36)):
        indicator_actual_record(
            indicator=falling,
            period_start=day(month),
            period_end=day(month, 28),
            value=value,
            by=p.secretariat,
        )
    return World(p, mission, agreement, senegal, funded, kenya, falling)


def user(w: World, who: str) -> User:
    return getattr(w.p, who)


def signed_in(client: Client, who: User) -> Client:
    assert client.login(username=who.username, password=PASSWORD)
    return client


def beneficiary_agreement(p: Personas) -> Agreement:
    """An agreement where Kenya is the beneficiary and the donor agency funds."""
    return make_agreement(
        parties=[(p.donor_agency, PartyRole.FUNDING), (p.admin_c, PartyRole.BENEFICIARY)]
    )
