"""What the consultation services write for people (``lib.messages``).

Parameters: ``reference`` and ``title`` of the request, ``region`` a WCO region code,
``opinion`` an ``Opinion`` code, ``question`` and ``comment`` people's own words.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Region
from renfort.assistance.models import Opinion
from renfort.lib.messages import OWN_WORDS, TEXT, choice, register

register(
    "consultation.asked",
    subject=_("Your opinion is asked: request %(reference)s"),
    body=_(
        "The secretariat asks for your opinion, as coordinator of %(region)s, on request "
        "“%(title)s” before deciding on it. Please answer on the request's page."
    ),
    reference=TEXT,
    title=TEXT,
    region=choice(Region),
    question=OWN_WORDS,
)
register(
    "consultation.answered",
    subject=_("Opinion of %(region)s on request %(reference)s: %(opinion)s"),
    body=_("The coordinator of %(region)s answers on request “%(title)s”: %(opinion)s."),
    reference=TEXT,
    title=TEXT,
    region=choice(Region),
    opinion=choice(Opinion),
    comment=OWN_WORDS,
)
