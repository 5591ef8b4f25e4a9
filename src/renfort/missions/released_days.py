"""An expert's released days by calendar year, as the availability rule counts them: shown on
her page (``roster``), on her home page (``home``) and in the expert page of a focal point."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from renfort.missions.eligibility_data import bookings_of, used_days
from renfort.roster.models import Expert


@dataclass(frozen=True)
class ReleasedDays:
    """A calendar year of the expert's released days: the yearly cap, the days her missions
    hold that year (``missions.eligibility_data.used_days``), and what is left."""

    year: int
    released: int
    used: int

    @property
    def left(self) -> int:
        return max(self.released - self.used, 0)


def released_days(expert: Expert, today: datetime.date) -> list[ReleasedDays]:
    """This year and next (one query)."""
    used = used_days(bookings_of([expert.pk]).get(expert.pk, []))
    return [
        ReleasedDays(year=year, released=expert.released_days_per_year, used=used.get(year, 0))
        for year in (today.year, today.year + 1)
    ]
