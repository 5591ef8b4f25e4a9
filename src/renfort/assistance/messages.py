"""What the request services write for people (``lib.messages``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.assistance.models import RequestStatus
from renfort.lib.messages import NESTED, OWN_WORDS, TEXT, choice, register

register(
    "request.status_changed",
    subject=_("Request %(reference)s: %(status)s"),
    body=_("Your request “%(title)s” is now %(status)s."),
    reference=TEXT,
    title=TEXT,
    status=choice(RequestStatus),
    because=NESTED,
    note=OWN_WORDS,
)
