"""The relaxations that would staff a mission, as message kinds (``lib.messages``): each kind
of change a code with its parameters, rendered with names in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from renfort.lib.messages import LANGUAGE, TRANSLATED, Param, register

NUMBER = Param(str, 3)


def _weeks(value: Any) -> str:
    n = int(value)
    return ngettext("%(n)s week", "%(n)s weeks", n) % {"n": n}


WEEKS = Param(_weeks, 2)

register(
    "relaxation.topic_level",
    body=_("Slot %(slot)s: ask for %(topic)s at level %(to_level)s instead of %(from_level)s"),
    slot=NUMBER,
    topic=TRANSLATED,
    from_level=NUMBER,
    to_level=NUMBER,
)
register(
    "relaxation.window",
    body=_("Widen the mission's dates or window by %(weeks)s on each side"),
    weeks=WEEKS,
)
register(
    "relaxation.language",
    body=_("Hold the mission in %(language)s"),
    language=LANGUAGE,
)
register(
    "relaxation.same_country",
    body=_("Allow two experts from the same country"),
)
