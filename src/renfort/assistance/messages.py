"""What the request services write for people (``lib.messages``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renfort.assistance.models import RequestStatus
from renfort.lib.messages import NESTED, OWN_WORDS, TEXT, Param, choice, register

# The request's fields a member may change (``change_services.CHANGEABLE_FIELDS``), named
# in the reader's language.
FIELD_LABELS = {
    "title": _("title"),
    "administrations": _("requesting administrations"),
    "topics": _("topics"),
    "level": _("level"),
    "needs": _("needs"),
    "preferred_period": _("preferred period"),
    "language": _("language"),
    "priority": _("priority"),
}


def _fields(value: Any) -> str:
    return ", ".join(str(FIELD_LABELS.get(str(name), name)) for name in value or ())


# A list of changed fields, shown by their names.
FIELDS = Param(_fields, ["title", "preferred_period"])

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
register("request.changed", body=_("Changed: %(fields)s."), fields=FIELDS)
register(
    "request.changed_by_member",
    subject=_("Request %(reference)s changed by %(administration)s"),
    body=_("%(administration)s changed request “%(title)s”: %(fields)s."),
    reference=TEXT,
    title=TEXT,
    administration=TEXT,
    fields=FIELDS,
)
register(
    "request.withdrawn",
    subject=_("Request %(reference)s withdrawn by %(administration)s"),
    body=_(
        "%(administration)s withdrew request “%(title)s”. It leaves the appraisal queue; "
        "nothing more is needed on it."
    ),
    reference=TEXT,
    title=TEXT,
    administration=TEXT,
    note=OWN_WORDS,
)
