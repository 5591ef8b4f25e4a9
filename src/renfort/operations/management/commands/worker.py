"""``renfort worker``: run background tasks, leasing each one (operations/worker.py).

The options are django-tasks' ``db_worker``'s; several workers, on one machine or several,
share the queue in the database (docs/deploy.md, "Task workers").
"""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from renfort.operations.worker import LeasedWorker


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks (planner runs, pool gaps, reminders, digests). Each task is "
        "leased for TASK_LEASE_SECONDS and put back if its worker dies."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
