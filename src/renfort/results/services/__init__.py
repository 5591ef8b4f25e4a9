"""Writes about results, one module an entity: the framework (objectives, indicators, actuals,
the delivery plan), a mission's delivery, reports and their follow-up actions, evaluations,
and the daily reminders.

Every service validates before it writes and refuses with a ``ValidationError`` keyed by the
argument it names; a refused call writes nothing (each runs in one transaction).
"""

from renfort.results.services.delivery import mission_deliver
from renfort.results.services.delivery_plans import delivery_plan_create, delivery_plan_transition
from renfort.results.services.evaluations import ExpertRatingSpec, evaluation_submit
from renfort.results.services.follow_ups import follow_up_done
from renfort.results.services.framework import (
    indicator_actual_record,
    indicator_create,
    indicator_update,
    may_record_actuals,
    objective_create,
    objective_update,
)
from renfort.results.services.progress import mission_results_advance
from renfort.results.services.reminders import reminders_send
from renfort.results.services.reports import FollowUpSpec, mission_report_submit

__all__ = [
    "ExpertRatingSpec",
    "FollowUpSpec",
    "delivery_plan_create",
    "delivery_plan_transition",
    "evaluation_submit",
    "follow_up_done",
    "indicator_actual_record",
    "indicator_create",
    "indicator_update",
    "may_record_actuals",
    "mission_deliver",
    "mission_report_submit",
    "mission_results_advance",
    "objective_create",
    "objective_update",
    "reminders_send",
]
