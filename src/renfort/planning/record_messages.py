"""Why the planner proposed an expert, when the expert's record weighed in (``lib.messages``):
``assignment.fit_record`` is ``assignment.fit`` followed by what beneficiaries rated the
expert on the slot's topics and which of the mission's beneficiaries the expert has worked
with before (docs/planner.md, "Evaluations and continuity").

The planner gives the record as ``ratings`` ``[{"topic", "rating"}]`` and ``worked_with``
(country codes) in its ``assignment.fit`` parameters; ``fit_record`` stores them with the
topics' seeded names and the beneficiary administrations' names, never ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renfort.lib.countries import country_name
from renfort.lib.messages import COUNTRY, LANGUAGE, Param, choice, register
from renfort.missions.messages import TOPIC_LEVELS
from renfort.roster.models import Category


def _rating(item: Mapping[str, Any]) -> str:
    return gettext("%(rating)s/5 on %(topic)s") % {
        "rating": formats.number_format(float(item["rating"]), 1),
        "topic": gettext(str(item.get("name") or item["topic"])),
    }


def _record(value: Mapping[str, Any]) -> str:
    """What of the record is there: 'rated by beneficiaries 4.5/5 on Post-clearance audit;
    has worked with Kenya Revenue Authority before'."""
    parts = []
    if value.get("ratings"):
        ratings = ", ".join(_rating(item) for item in value["ratings"])
        parts.append(gettext("rated by beneficiaries %(ratings)s") % {"ratings": ratings})
    if value.get("worked_with"):
        names = ", ".join(
            str(b.get("name") or country_name(str(b["country"]))) for b in value["worked_with"]
        )
        parts.append(gettext("has worked with %(beneficiaries)s before") % {"beneficiaries": names})
    if len(parts) == 2:
        return gettext("%(ratings)s; %(worked_with)s") % {
            "ratings": parts[0],
            "worked_with": parts[1],
        }
    return "".join(parts)


# ``{"ratings": [{"topic", "name", "rating"}], "worked_with": [{"country", "name"}]}``
RECORD = Param(
    _record,
    {
        "ratings": [
            {"topic": "post_clearance_audit", "name": "Post-clearance audit", "rating": 4.5}
        ],
        "worked_with": [{"country": "KE", "name": "Kenya Revenue Authority"}],
    },
)

register(
    "assignment.fit_record",
    body=_("%(category)s; speaks %(language)s; %(skills)s; from %(country)s; %(record)s"),
    category=choice(Category),
    language=LANGUAGE,
    skills=TOPIC_LEVELS,
    country=COUNTRY,
    record=RECORD,
)


def fit_record(
    fit: dict[str, Any],
    planner: Mapping[str, Any],
    topics: Mapping[str, str],
    beneficiaries: Mapping[str, str],
) -> tuple[str, dict[str, Any]]:
    """The message of a planner's ``assignment.fit`` (``planner``: its parameters; ``fit``:
    those of the ``assignment.fit`` message): that message, or ``assignment.fit_record`` when
    the expert's record weighed in. ``topics``: code → seeded name; ``beneficiaries``:
    country code → the beneficiary administration's name."""
    ratings = [
        {
            "topic": str(r["topic"]),
            "name": topics.get(str(r["topic"]), str(r["topic"])),
            "rating": float(r["rating"]),
        }
        for r in planner.get("ratings") or []
    ]
    worked = [
        {"country": str(c), "name": beneficiaries.get(str(c), "")}
        for c in planner.get("worked_with") or []
    ]
    if not ratings and not worked:
        return "assignment.fit", fit
    return "assignment.fit_record", {**fit, "record": {"ratings": ratings, "worked_with": worked}}
