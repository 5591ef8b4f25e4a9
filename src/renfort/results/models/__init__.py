"""Results: the framework (objectives, indicators, actuals, the year's delivery plan) and what
follows a mission (its delivery, the experts' reports and follow-up actions, the
beneficiaries' evaluations), plus the record of reminders sent."""

from renfort.results.models.after_mission import (
    Evaluation,
    ExpertRating,
    FollowUpAction,
    FollowUpStatus,
    MissionDelivery,
    MissionReport,
)
from renfort.results.models.framework import (
    DELIVERY_PLAN_TRANSITIONS,
    DeliveryPlan,
    DeliveryPlanStatus,
    Direction,
    Indicator,
    IndicatorActual,
    Objective,
)
from renfort.results.models.reminders import ReminderSent

__all__ = [
    "DELIVERY_PLAN_TRANSITIONS",
    "DeliveryPlan",
    "DeliveryPlanStatus",
    "Direction",
    "Evaluation",
    "ExpertRating",
    "FollowUpAction",
    "FollowUpStatus",
    "Indicator",
    "IndicatorActual",
    "MissionDelivery",
    "MissionReport",
    "Objective",
    "ReminderSent",
]
