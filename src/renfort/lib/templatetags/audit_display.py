"""``{% field_history obj %}``: the last changes of an object and its parts, field by field
(lib/audit_trail.py), with a link to all of them. Put it only on pages that already checked
that the reader may see ``obj``: the history shows what the page shows, and who changed it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django import template
from django.db import models
from django.urls import reverse

from renfort.lib.audit_trail import object_history, targets_of

register = template.Library()

SHOWN = 20


@register.inclusion_tag("includes/field_history.html")
def field_history(
    obj: models.Model, only: Mapping[str, Collection[int]] | None = None
) -> dict[str, Any]:
    """``only``: the parts' ids the page shows its reader (lib/audit_trail.targets_of)."""
    entries = object_history(targets_of(obj, only), limit=SHOWN + 1)
    return {
        "entries": entries[:SHOWN],
        "more_url": reverse("audit_object", args=[obj._meta.label_lower, obj.pk])
        if len(entries) > SHOWN
        else "",
    }
