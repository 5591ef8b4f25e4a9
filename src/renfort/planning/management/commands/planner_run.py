"""``renfort planner_run``: plan missions from the command line, as the planner page does."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.accounts.models import Role, User
from renfort.lib.dates import parse_date
from renfort.missions.models import Mission
from renfort.planning.problem import plannable_missions
from renfort.planning.services import planner_run_create
from renfort.planning.solving import planner_run_execute
from renfort.planning.tasks import planner_run_task


def _date(value: str | None, option: str) -> datetime.date | None:
    # Read in ``handle`` rather than by argparse: a CommandError raised while parsing the
    # arguments escapes as a traceback, one raised by ``handle`` is printed as a message.
    day, problem = parse_date(value, option)
    if problem:
        raise CommandError(problem)
    return day


class Command(BaseCommand):
    help = (
        "Record a planner run over missions (references), a period, or every plannable mission, "
        "and solve it now (or queue it for the worker with --queue)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("missions", nargs="*", help="Mission references (default: all).")
        parser.add_argument("--from", dest="period_start", help="Period start (YYYY-MM-DD).")
        parser.add_argument("--to", dest="period_end", help="Period end (YYYY-MM-DD).")
        parser.add_argument("--time-limit", type=float, default=None, help="Seconds.")
        parser.add_argument(
            "--user", default=None, help="Secretariat coordinator's username (default: the first)."
        )
        parser.add_argument("--queue", action="store_true", help="Queue for `renfort worker`.")

    def handle(self, *args: Any, **options: Any) -> None:
        period_start = _date(options["period_start"], "--from")
        period_end = _date(options["period_end"], "--to")
        users = User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True)
        if options["user"]:
            users = users.filter(username=options["user"])
        user = users.order_by("pk").first()
        if user is None:
            raise CommandError("No active secretariat coordinator to run the planner as.")
        refs = options["missions"]
        missions = list(Mission.objects.filter(reference__in=refs))
        unknown = sorted(set(refs) - {m.reference for m in missions})
        if unknown:
            raise CommandError(f"Unknown mission reference(s): {', '.join(unknown)}")
        if not refs and not period_start and not period_end:
            missions = list(plannable_missions())
        try:
            run = planner_run_create(
                by=user,
                missions=missions,
                period_start=period_start,
                period_end=period_end,
                time_limit_s=options["time_limit"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["queue"]:
            planner_run_task.enqueue(run.pk)
            self.stdout.write(f"Planner run {run.pk} queued ({run.missions.count()} missions).")
            return
        # Nobody waits on a page here: the tie-breaks get the planner's own stall rule.
        done = planner_run_execute(run_id=run.pk, waiting=False)
        assert done is not None
        staffed = sum(1 for m in done.plan.get("missions", []) if m.get("staffed"))
        total = len(done.problem.get("missions", []))
        self.stdout.write(
            f"Planner run {done.pk}: {done.status}; {staffed} of {total} missions staffed"
            + (f"; {done.error_text()}" if done.error_text() else "")
        )
