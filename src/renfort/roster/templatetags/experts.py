"""Template filters of the expert pool's pages."""

from __future__ import annotations

import datetime

from django import template

from renfort.roster.models import Accreditation

register = template.Library()


@register.filter
def accreditation_state(accreditation: Accreditation, today: datetime.date) -> str:
    """``current``, ``expired`` or ``future`` on ``today`` (``Accreditation.state_on``): an
    accreditation past its expiry date never shows as current."""
    return accreditation.state_on(today)
