"""What the planning app writes for people (``lib.messages``): why a proposal holds its expert,
when a coordinator chose them instead of the planner."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import NESTED, TEXT, register

register(
    "assignment.swapped_in_by",
    body=_("Swapped in by %(who)s."),
    who=TEXT,
    fit=NESTED,  # an ``assignment.fit`` message, when the expert was in the run's problem
)
