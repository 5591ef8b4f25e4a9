"""Human references such as ``R-2027-004`` and ``M-2027-014``: their shape, and the highest
one a table holds. Numbers are drawn by ``accounts.references.next_reference``."""

from __future__ import annotations

from django.db.models import Model
from django.db.models.functions import Length


def format_reference(prefix: str, year: int, number: int, width: int = 3) -> str:
    return f"{prefix}-{year}-{number:0{width}d}"


def highest_number(model: type[Model], prefix: str, year: int) -> int:
    """The highest ``n`` of the ``<prefix>-<year>-<n>`` references of ``model`` (field
    ``reference``); 0 when there is none."""
    stem = f"{prefix}-{year}-"
    last = (
        model._default_manager.filter(reference__startswith=stem)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    tail = str(last)[len(stem) :] if last is not None else ""
    return int(tail) if tail.isdigit() else 0
