"""Tasks for the workers' tests (test_workers.py): each run appends two lines to a file."""

from __future__ import annotations

import os
import time

from django_tasks import task


def _line(path: str, text: str) -> None:
    # One write with O_APPEND: lines of two processes never interleave.
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"{text} {os.getpid()} {time.time():.3f}\n")


@task()
def record_run(log: str, number: int, seconds: float = 0.0) -> int:
    """Note the start and the end of this run, with the worker's pid, around a pause."""
    _line(log, f"start {number}")
    time.sleep(seconds)
    _line(log, f"end {number}")
    return number
