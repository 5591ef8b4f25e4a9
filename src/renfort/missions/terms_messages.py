"""What the terms of reference services write for people (``lib.messages``).

Parameters: ``reference``, ``title`` and ``dates`` of the mission (as ``mission_params``),
``org`` the name of an administration.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import PERIOD, TEXT, register

register(
    "terms.ready",
    subject=_("Terms of reference to confirm: mission %(reference)s"),
    body=_(
        "The terms of reference of mission “%(title)s” (%(dates)s) are ready. Please read "
        "them and confirm them for your administration: the mission is confirmed only once "
        "every beneficiary administration has confirmed them."
    ),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
)
register(
    "terms.confirmed_by_all",
    subject=_("Terms of reference confirmed: mission %(reference)s"),
    body=_(
        "Every beneficiary administration has confirmed the terms of reference of mission "
        "“%(title)s” (%(dates)s), the last one %(org)s. The mission can now be confirmed."
    ),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    org=TEXT,
)
