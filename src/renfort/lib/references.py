"""Human references such as ``R-2027-004`` and ``M-2027-014``."""

from __future__ import annotations

from django.db.models import Model
from django.db.models.functions import Length


def next_reference(model: type[Model], prefix: str, year: int, width: int = 3) -> str:
    """The next free ``<prefix>-<year>-<n>`` reference of ``model`` (field ``reference``).

    Two writers racing for the same number meet the unique constraint on ``reference``;
    services run in a transaction, so the loser's change is refused whole.
    """
    stem = f"{prefix}-{year}-"
    last = (
        model._default_manager.filter(reference__startswith=stem)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = 1
    if last is not None:
        tail = str(last)[len(stem) :]
        number = int(tail) + 1 if tail.isdigit() else 1
    return f"{stem}{number:0{width}d}"
