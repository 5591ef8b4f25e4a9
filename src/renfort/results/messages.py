"""What the results services write for people (``lib.messages``): notices about a mission's
delivery, reports, evaluations and closing, follow-up actions, the daily reminders, the
delivery plan, and the note a request's history keeps when its mission closes.

Parameters: ``reference``, ``title`` and ``dates`` of the mission (as
``missions.services.common.mission_params``), ``end`` its actual last day, ``expert`` and
``org`` names, ``due`` a follow-up's due day (ISO), ``rating`` a number out of 5; ``note``
someone's own words (a follow-up action as the expert wrote it, what was done).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import DATE, OWN_WORDS, PERIOD, TEXT, TRANSLATED, choice, register
from renfort.roster.models import AccreditationStatus

MISSION = {"reference": TEXT, "title": TEXT, "dates": PERIOD}

# --- a mission's life after delivery ---------------------------------------------------------

register(
    "mission.delivered_report_due",
    subject=_("Mission %(reference)s delivered: your report"),
    body=_(
        "Mission “%(title)s” (%(dates)s) is delivered. Please file your mission report: "
        "activities, findings, recommendations and the follow-up actions you propose."
    ),
    **MISSION,
)
register(
    "mission.delivered_evaluation_due",
    subject=_("Mission %(reference)s delivered: your evaluation"),
    body=_(
        "Mission “%(title)s” (%(dates)s) is delivered. Please evaluate the mission and the work "
        "of each of its experts."
    ),
    **MISSION,
)
register(
    "report.submitted",
    subject=_("Report filed: mission %(reference)s"),
    body=_("%(expert)s filed a report on mission “%(title)s” (%(dates)s)."),
    expert=TEXT,
    **MISSION,
)
register(
    "mission.reported",
    subject=_("Mission %(reference)s: every report is in"),
    body=_(
        "Every expert of mission “%(title)s” (%(dates)s) has filed a report. The mission closes "
        "once a beneficiary administration has evaluated it."
    ),
    **MISSION,
)
register(
    "evaluation.submitted",
    subject=_("Evaluation of mission %(reference)s"),
    body=_("%(org)s rated mission “%(title)s” (%(dates)s) %(rating)s out of 5."),
    org=TEXT,
    rating=TEXT,
    **MISSION,
)
register(
    "evaluation.expert_rated",
    subject=_("Evaluation of %(expert)s, mission %(reference)s"),
    body=_("%(org)s has evaluated the work of %(expert)s on mission “%(title)s” (%(dates)s)."),
    org=TEXT,
    expert=TEXT,
    **MISSION,
)
register(
    "mission.closed",
    subject=_("Mission %(reference)s closed"),
    body=_(
        "Mission “%(title)s” (%(dates)s) is closed: its reports and evaluation are in. Its "
        "follow-up actions go on until they are done."
    ),
    **MISSION,
)
register(
    "request.closed_by_mission",
    body=_("Closed with mission %(mission)s."),
    mission=TEXT,
)

# --- follow-up actions -----------------------------------------------------------------------

register(
    "follow_up.assigned",
    subject=_("Follow-up action for %(org)s: mission %(reference)s"),
    body=_("The report on mission %(reference)s asks %(org)s to act by %(due)s:"),
    org=TEXT,
    reference=TEXT,
    due=DATE,
    note=OWN_WORDS,
)
register(
    "follow_up.done",
    subject=_("Follow-up action done: mission %(reference)s"),
    body=_("%(org)s has done a follow-up action of mission %(reference)s. What was done:"),
    org=TEXT,
    reference=TEXT,
    note=OWN_WORDS,
)

# --- reminders (the daily job, ``results.services.reminders``) -------------------------------

register(
    "reminder.report_due",
    subject=_("Reminder: your report on mission %(reference)s"),
    body=_(
        "Mission “%(title)s” ended on %(end)s and your report is not in yet. Please file it: "
        "the mission cannot be closed without it."
    ),
    reference=TEXT,
    title=TEXT,
    end=DATE,
)
register(
    "reminder.evaluation_due",
    subject=_("Reminder: evaluate mission %(reference)s"),
    body=_(
        "Mission “%(title)s” ended on %(end)s and %(org)s has not evaluated it yet. Please "
        "evaluate the mission and each of its experts."
    ),
    reference=TEXT,
    title=TEXT,
    end=DATE,
    org=TEXT,
)
register(
    "reminder.follow_up_due",
    subject=_("Reminder: follow-up action due on %(due)s"),
    body=_("A follow-up action of mission %(reference)s for %(org)s is due on %(due)s:"),
    reference=TEXT,
    org=TEXT,
    due=DATE,
    note=OWN_WORDS,
)
register(
    "reminder.follow_up_overdue",
    subject=_("Overdue follow-up action: mission %(reference)s"),
    body=_(
        "A follow-up action of mission %(reference)s for %(org)s was due on %(due)s and is not "
        "done yet:"
    ),
    reference=TEXT,
    org=TEXT,
    due=DATE,
    note=OWN_WORDS,
)
register(
    "reminder.accreditation_expiring",
    subject=_("Accreditation expiring: %(expert)s"),
    body=_(
        "The accreditation of %(expert)s in %(topic)s (%(status)s) expires on %(expires)s. "
        "Renew it in time to keep the expert's missions open to them."
    ),
    expert=TEXT,
    topic=TRANSLATED,
    status=choice(AccreditationStatus),
    expires=DATE,
)

# --- the year's delivery plan ----------------------------------------------------------------

register(
    "delivery_plan.published",
    subject=_("Delivery plan %(year)s published"),
    body=_("The secretariat has published the delivery plan of missions for %(year)s."),
    year=TEXT,
)
