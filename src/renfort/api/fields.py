"""Field types for the API's schemas that are stricter than pydantic's defaults."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    """A date given as ``YYYY-MM-DD`` (or a date): pydantic alone would also take a number
    of seconds since 1970, which no caller means."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and ISO_DATE.match(value)):
        return value
    raise ValueError("give a date as YYYY-MM-DD")


# A calendar day in a query or a body: ``IsoDate | None = None`` for an optional filter.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]

# The largest primary key the databases hold (a 64-bit integer): a larger id in a path or a
# filter is refused (422) before it reaches a query, where SQLite would fail on it.
MAX_ID = 2**63 - 1

# An object's id in a path or a filter: ``pk: ObjectId``; ``organisation: ObjectId | None``.
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
