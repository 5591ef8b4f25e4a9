"""What the demo builder writes for people beyond the workflows (``lib.messages``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import TEXT, choice, register
from renfort.missions.models import MissionStatus

register(
    "demo.welcome",
    subject=_("Welcome to the Renfort demo"),
    body=_(
        "This is demonstration data: every workflow is under way. Explore freely; "
        "`renfort demo --reset` rebuilds it."
    ),
)
register(
    "demo.funded_mission",
    subject=_("Funded mission %(reference)s: %(status)s"),
    body=_("“%(title)s”, a mission your agreement funds, is now %(status)s."),
    reference=TEXT,
    title=TEXT,
    status=choice(MissionStatus),
)
register(
    "demo.request_in_region",
    subject=_("New request in your region: %(reference)s"),
    body=_("“%(title)s” waits for appraisal; the secretariat may ask for your opinion."),
    reference=TEXT,
    title=TEXT,
)
