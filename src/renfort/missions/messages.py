"""What the mission services write for people (``lib.messages``): notifications about missions
and assignments, the notes they leave in request and assignment histories, and why an
assignment's expert fits (``Assignment.explanation_code``).

Parameters: ``reference`` and ``title`` of the mission, ``dates`` its period (ISO dates),
``slot`` a slot code, ``expert`` and ``home`` names, ``status`` a status code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import (
    COUNTRY,
    DATE,
    LANGUAGE,
    NESTED,
    OWN_WORDS,
    PERIOD,
    TEXT,
    Param,
    choice,
    register,
)
from renfort.lib.typography import semicolon_join
from renfort.missions.models import AssignmentStatus
from renfort.roster.models import Category

# --- notifications ---------------------------------------------------------------------------

register(
    "assignment.invited",
    subject=_("Invitation: mission %(reference)s"),
    body=_(
        "You are invited to mission “%(title)s” (%(dates)s), slot %(slot)s. Please accept or "
        "decline."
    ),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    slot=TEXT,
)
register(
    "assignment.release_asked",
    subject=_("Release asked: %(expert)s for mission %(reference)s"),
    body=_(
        "%(expert)s is invited to mission “%(title)s” (%(dates)s). Please grant or refuse "
        "their release."
    ),
    expert=TEXT,
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
)
register(
    "assignment.answered",
    subject=_("%(expert)s: %(status)s, mission %(reference)s"),
    body=_("%(expert)s: %(status)s for mission “%(title)s” (%(dates)s), slot %(slot)s."),
    expert=TEXT,
    status=choice(AssignmentStatus),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    slot=TEXT,
    note=OWN_WORDS,
)
register(
    "assignment.withdrawn",
    subject=_("Withdrawn from mission %(reference)s"),
    body=_("You are no longer expected on mission “%(title)s” (%(dates)s)."),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    because=NESTED,
    note=OWN_WORDS,
)
register(
    "release.granted",
    subject=_("Release granted: %(expert)s for mission %(reference)s"),
    body=_("%(home)s grants the release of %(expert)s for mission %(reference)s."),
    expert=TEXT,
    home=TEXT,
    reference=TEXT,
)
register(
    "release.refused",
    subject=_("Release refused: %(expert)s for mission %(reference)s"),
    body=_(
        "%(home)s refuses the release of %(expert)s for mission %(reference)s; the slot is "
        "open again."
    ),
    expert=TEXT,
    home=TEXT,
    reference=TEXT,
    note=OWN_WORDS,
)
register(
    "mission.confirmed",
    subject=_("Mission %(reference)s confirmed"),
    body=_("Mission “%(title)s” (%(dates)s) is confirmed."),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
)
register(
    "mission.cancelled",
    subject=_("Mission %(reference)s cancelled"),
    body=_("Mission “%(title)s” (%(dates)s) is cancelled."),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    note=OWN_WORDS,
)
register(
    "mission.moved",
    subject=_("Mission %(reference)s moved"),
    body=_("Mission “%(title)s” now runs from %(start)s to %(end)s."),
    reference=TEXT,
    title=TEXT,
    start=DATE,
    end=DATE,
)

register(
    "assignment.expert_withdrew",
    subject=_("%(expert)s withdraws from mission %(reference)s"),
    body=_(
        "%(expert)s no longer takes part in mission “%(title)s” (%(dates)s), slot %(slot)s; "
        "the slot is open again."
    ),
    expert=TEXT,
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    slot=TEXT,
    note=OWN_WORDS,
)


# --- what changed in a mission (``mission_edit``) ----------------------------------------------

# The fields ``mission_edit`` changes, as a ``CHANGES`` item names them.
CHANGED_FIELDS = {
    "title": _("title"),
    "location": _("location"),
    "language": _("language"),
    "window": _("window"),
    "duration_days": _("duration"),
}


def change(field: str, old: Any, new: Any) -> dict[str, Any]:
    """One stored item of a ``CHANGES`` parameter: the field and its raw values (a language
    code, ``[first, last]`` ISO dates for a window, a number of days, text)."""
    return {"field": field, "old": old, "new": new}


def _changed_value(field: str, value: Any) -> str:
    if value in (None, "", []):
        return "–"
    if field == "language":
        return LANGUAGE.render(value)
    if field == "window":
        return PERIOD.render(value)
    if field == "duration_days":
        return ngettext("%(days)d day", "%(days)d days", int(value)) % {"days": int(value)}
    return gettext("“%(text)s”") % {"text": value}


def _changes(value: Any) -> str:
    return semicolon_join(
        gettext("%(field)s: %(old)s → %(new)s")
        % {
            "field": str(CHANGED_FIELDS.get(item["field"], item["field"])),
            "old": _changed_value(item["field"], item.get("old")),
            "new": _changed_value(item["field"], item.get("new")),
        }
        for item in value or ()
    )


# A list of ``change`` items, shown as "language: English → French; title: “A” → “B”".
CHANGES = Param(_changes, [change("language", "en", "fr"), change("title", "Old", "New")])

register(
    "mission.details_changed",
    subject=_("Mission %(reference)s changed"),
    body=_("Mission “%(title)s” (%(dates)s) changed: %(changes)s."),
    reference=TEXT,
    title=TEXT,
    dates=PERIOD,
    changes=CHANGES,
)
register(
    "mission.postponed",
    subject=_("Mission %(reference)s postponed"),
    body=_("Mission “%(title)s” is postponed: it now runs %(new)s instead of %(old)s."),
    reference=TEXT,
    title=TEXT,
    old=PERIOD,
    new=PERIOD,
    note=OWN_WORDS,
)

# --- history notes (``mission`` is the mission's reference) ----------------------------------

register("mission.edited", body=_("Changed: %(changes)s."), changes=CHANGES)
register(
    "mission.postponed_from",
    body=_("Postponed from %(old)s to %(new)s."),
    old=PERIOD,
    new=PERIOD,
)
register(
    "mission.unstaffed_by_postponing",
    body=_("Mission %(mission)s is postponed and lost experts: staff it again, then confirm it."),
    mission=TEXT,
)
register(
    "assignment.unfit_after_postponing",
    body=_("Mission %(mission)s is postponed to %(dates)s, when this expert cannot take part."),
    mission=TEXT,
    dates=PERIOD,
)

register("request.planned_in_mission", body=_("Planned in mission %(mission)s."), mission=TEXT)
register("request.unplanned", body=_("Mission %(mission)s no longer plans it."), mission=TEXT)
register("request.delivered_by_mission", body=_("Delivered by mission %(mission)s."), mission=TEXT)
register(
    "mission.dates_confirmed_by_beneficiary",
    body=_("Dates of mission %(mission)s confirmed by the beneficiary administration."),
    mission=TEXT,
)
register("assignment.release_refused", body=_("Release refused by %(home)s."), home=TEXT)
register("assignment.replaced_by", body=_("Replaced by %(expert)s."), expert=TEXT)
register("assignment.mission_confirmed", body=_("Mission %(mission)s is confirmed."), mission=TEXT)
register("assignment.mission_delivered", body=_("Mission %(mission)s is delivered."), mission=TEXT)
register("assignment.mission_cancelled", body=_("Mission %(mission)s is cancelled."), mission=TEXT)

# --- why an assignment's expert fits (``Assignment.explanation_code``) ----------------------


def topic_level(code: str, name: str, have: int, need: int) -> dict[str, Any]:
    """One stored item of a ``TOPIC_LEVELS`` parameter: the topic's code and its name as
    seeded (English, translated when read), the expert's level and the slot's."""
    return {"topic": code, "name": name, "have": have, "need": need}


def _topic_levels(value: Any) -> str:
    if not value:
        return gettext("no topic level required")
    return ", ".join(
        gettext("%(topic)s %(have)s (needs %(need)s)")
        % {**item, "topic": gettext(str(item.get("name") or item["topic"]))}
        for item in value
    )


# A list of ``topic_level`` items, shown as "Risk management 3 (needs 2), …".
TOPIC_LEVELS = Param(_topic_levels, [topic_level("risk_management", "Risk management", 3, 2)])

register(
    "assignment.offered_by_member",
    body=_("Offered by %(org)s through the Experts' Requirement Matrix."),
    org=TEXT,
)
register(
    "assignment.fit",
    body=_("%(category)s; speaks %(language)s; %(skills)s; from %(country)s"),
    category=choice(Category),
    language=LANGUAGE,
    skills=TOPIC_LEVELS,
    country=COUNTRY,
)
# The member focal point answered a mission invitation for an expert of its administration who
# has no login (``missions.services.on_behalf``).
register(
    "assignment.answered_on_behalf",
    body=_("Answered by %(by)s (%(org)s) on behalf of %(expert)s."),
    by=TEXT,
    org=TEXT,
    expert=TEXT,
)
