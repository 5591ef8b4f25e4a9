"""What the privacy services write for people (``lib.messages``). An erasure request is named
by its number, never by the expert's name: the notification must not outlive the erasure
with the name in it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import OWN_WORDS, TEXT, register

register(
    "privacy.erasure_asked",
    subject=_("Erasure of personal data asked (request %(number)s)"),
    body=_(
        "An erasure of an expert's personal data is asked (request %(number)s). Please "
        "approve or refuse it."
    ),
    number=TEXT,
)
register(
    "privacy.erasure_approved",
    subject=_("Erasure approved (request %(number)s)"),
    body=_("The expert's personal data is erased (request %(number)s)."),
    number=TEXT,
)
register(
    "privacy.erasure_refused",
    subject=_("Erasure refused (request %(number)s)"),
    body=_("The secretariat refuses the erasure asked in request %(number)s."),
    number=TEXT,
    note=OWN_WORDS,
)
