"""The planner runs (the secretariat's list, ``?waiting=1`` as on the page), as a file."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Role, User
from renfort.exports.lists.base import ListExport, chunked, sheet
from renfort.lib.tabular import Cell, Sheet
from renfort.planning import selectors
from renfort.planning.models import PlannerRun


def run_rows(user: User, query: QueryDict) -> Sheet:
    """The runs list's rows (planning.views.run_list): newest first, with their outcome;
    only those waiting for review, with their open proposals, when ``waiting=1``."""
    waiting = query.get("waiting") == "1"
    runs = selectors.runs_with_outcome()
    open_proposals: dict[int, int] = {}
    if waiting:
        found = selectors.runs_waiting_for_review()
        open_proposals = {run.pk: run.open_proposals for run in found}  # type: ignore[attr-defined]
        runs = runs.filter(pk__in=list(open_proposals))
    headers = [
        _("Run"),
        _("Started"),
        _("By"),
        _("Missions"),
        _("Period start"),
        _("Period end"),
        _("Status"),
        _("Missions staffed"),
        _("Experts proposed"),
        _("Staffed priority"),
        _("Bound"),
        _("Duration (s)"),
    ]
    if waiting:
        headers.append(_("Open proposals"))

    def row(run: PlannerRun) -> list[Cell]:
        cells: list[Cell] = [
            run.pk,
            timezone.localdate(run.created_at),
            str(run.created_by or ""),
            run.mission_count,
            run.period_start,
            run.period_end,
            run.get_status_display(),
            run.staffed_count,
            run.proposal_count,
            run.objective,
            run.objective_bound,
            round(run.duration_s, 1) if run.duration_s is not None else None,
        ]
        return [*cells, open_proposals.get(run.pk, 0)] if waiting else cells

    return sheet(_("Planner runs"), headers, (row(r) for r in chunked(runs)))


PLANNER_RUNS = ListExport(
    name="planner_runs",
    title=_("Planner runs"),
    page="planner:run_list",
    roles=(str(Role.SECRETARIAT_COORDINATOR),),
    sheet=run_rows,
)
