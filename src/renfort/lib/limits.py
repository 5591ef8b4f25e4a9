"""Bounds on the text people type: the lengths every form, service and database table share.

Each text column (``CharField``, ``EmailField``, ``TextField``) states its ``max_length`` and
carries a check constraint ``LENGTH(column) <= max_length`` (``length_checks``): SQLite
enforces no length at all and PostgreSQL none on ``text``, so the constraint is what makes both
databases refuse an over-long value in the same way. Forms use the same ``max_length``;
services refuse first, naming the field (``length_errors``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Descriptions, needs, objectives, report sections: about a page.
LONG_TEXT = 4000
# Reasons, notes, comments: a paragraph.
SHORT_TEXT = 2000


def length_checks(**limits: int) -> list[models.BaseConstraint]:
    """One constraint per column, ``<app>_<model>_<field>_length``: LENGTH(field) <= limit.

    Pass each field's own ``max_length`` (``test_text_limits`` checks that they agree).
    """
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit),
            name=f"%(app_label)s_%(class)s_{field}_length",
        )
        for field, limit in limits.items()
    ]


def length_errors(model: type[models.Model], **values: str) -> dict[str, str]:
    """A message for each value longer than its field of ``model`` allows, keyed by field.

    The message names the field by its verbose name: "Needs: 4012 characters, at most 4000."
    """
    errors: dict[str, str] = {}
    for name, value in values.items():
        field: Any = model._meta.get_field(name)
        limit = field.max_length
        if limit is not None and value is not None and len(value) > limit:
            errors[name] = _("%(field)s: %(length)d characters, at most %(limit)d.") % {
                "field": capfirst(str(field.verbose_name)),
                "length": len(value),
                "limit": limit,
            }
    return errors
