"""The indexes of the missions tables, found by explaining the main list queries on PostgreSQL
with ten years of data (config/tests/test_query_plans.py; docs/performance.md, "Indexes").
Each model's ``Meta`` inherits its class here (``models.py`` keeps within its size limit)."""

from __future__ import annotations

from django.db import models


class MissionIndexes:
    # The list's order, and the missions meeting a period (calendars): most missions ended
    # long ago, so "ends after the period starts" is the selective bound.
    indexes = [
        models.Index(fields=["start", "window_start", "reference"], name="mission_list_order"),
        models.Index(fields=["end"], name="mission_end"),
        # The open missions (home pages, the planner's choice of missions): few among years
        # of closed ones.
        models.Index(fields=["status"], name="mission_status"),
    ]


class AssignmentIndexes:
    # Who is busy in a period (calendars, the planner): the same bound as missions' end.
    indexes = [models.Index(fields=["busy_to"], name="assignment_busy_to")]
