"""A delivered mission moves on by itself: reported once every expert's report is in, closed
once a beneficiary's evaluation is in too (its requests close with it, in
``mission_transition``)."""

from __future__ import annotations

from renfort.accounts.models import User
from renfort.missions.models import Mission, MissionStatus
from renfort.missions.services import mission_transition
from renfort.results.participants import missing_reports
from renfort.results.services.notices import notify_status


def mission_results_advance(*, mission: Mission, by: User | None) -> Mission:
    """Move ``mission`` to reported and closed as far as its reports and evaluations allow,
    through ``mission_transition`` (history, assignments and requests follow). Called inside
    the report and evaluation services, which hold the mission's locks."""
    if (
        mission.status == MissionStatus.DELIVERED
        and mission.reports.exists()
        and not missing_reports(mission)
    ):
        mission = mission_transition(mission=mission, to_status=MissionStatus.REPORTED, by=by)
        notify_status(mission, "mission.reported")
    if mission.status == MissionStatus.REPORTED and mission.evaluations.exists():
        mission = mission_transition(mission=mission, to_status=MissionStatus.CLOSED, by=by)
        notify_status(mission, "mission.closed")
    return mission
