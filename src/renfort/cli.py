"""The ``renfort`` command: one entry point for everything a user runs.

``renfort plan`` and ``renfort bench`` run the planner without Django; every other word is a
Django management command (``renfort demo``, ``renfort serve``, ``renfort migrate``,
``renfort worker``, ...).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "plan":
        from renfort.planner.cli import plan_main

        return int(plan_main(args[1:]))
    if args and args[0] == "bench":
        from renfort.planner.cli import bench_main

        return int(bench_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renfort.config.settings")
    from django.core.management import execute_from_command_line

    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    execute_from_command_line(["renfort", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
