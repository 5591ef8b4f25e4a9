"""Human references that cannot collide: ``R-2026-004`` for requests, ``M-2026-014`` for
missions, numbered per prefix and year of creation from a locked counter row."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from renfort.accounts.models import ReferenceCounter
from renfort.lib.references import format_reference, highest_number


@transaction.atomic
def next_reference(model: type[Model], prefix: str, width: int = 3) -> str:
    """The next ``<prefix>-<year>-<n>`` reference for a new row of ``model``, ``year`` being
    this year (the year of creation).

    The counter row of (prefix, year) is inserted if missing, then locked: simultaneous
    writers wait for each other's commit and draw different numbers (on SQLite, IMMEDIATE
    transactions serialise them already). The number also follows the highest reference
    ``model`` holds, so the first counter of a year starts after the references written before
    counters existed, and a reference written by other means is never drawn again.
    """
    year = timezone.localdate().year
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last = max(counter.last, highest_number(model, prefix, year)) + 1
    counter.save(update_fields=["last"])
    return format_reference(prefix, year, counter.last, width)
