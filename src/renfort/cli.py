"""The ``renfort`` command: one entry point for everything a user runs.

``renfort plan`` and ``renfort bench`` run the planner without Django; every other word is a
Django management command (``renfort demo``, ``renfort serve``, ``renfort migrate``,
``renfort worker``, ...).
"""

from __future__ import annotations

import os
import sys

# `renfort worker` is the project's own worker (operations: django-tasks' db_worker with
# leases, docs/deploy.md); db_worker stays reachable but takes no lease: use worker.
ALIASES: dict[str, str] = {}
# Development words: DEBUG is on for them unless the environment says otherwise (everything
# else runs with DEBUG off unless DEBUG=true, as production does). `renfort totp` is not one:
# it must refuse where DEBUG was not asked for.
DEVELOPMENT = {"serve", "runserver", "makemigrations", "makemessages", "compilemessages"}
# Words that answer pages or run tasks: each request names its person, each task itself.
SERVERS = {"serve", "runserver", "db_worker", "worker"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "plan":
        from renfort.planner.cli import plan_main

        return int(plan_main(args[1:]))
    if args and args[0] == "bench":
        from renfort.planner.cli import bench_main

        return int(bench_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renfort.config.settings")
    # `renfort serve --production` is production: DEBUG stays as the environment says.
    if args and args[0] in DEVELOPMENT and "--production" not in args:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.exceptions import ImproperlyConfigured

    from renfort.lib.actor import acting_as

    try:
        # What a command changes is recorded as made by it (docs/audit.md); the pages served
        # by `renfort serve` name their signed-in person instead.
        with acting_as(f"command:{args[0]}" if args and args[0] not in SERVERS else ""):
            execute_from_command_line(["renfort", *args])
    except ImproperlyConfigured as exc:  # a missing setting: say which, without a traceback
        print(f"renfort: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
