"""Whether the browser journeys can run here: skip saying why, or fail under CI=true."""

from __future__ import annotations

import datetime
import importlib.util
import os
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NoReturn

import pytest
from django.db import connection


def _missing(reason: str) -> NoReturn:
    """Skip the browser tests, or fail them under CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests are mandatory)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """Debian's Chromium, or the browser RENFORT_CHROMIUM names."""
    chosen = os.environ.get("RENFORT_CHROMIUM")
    if chosen:
        return chosen
    path = "/usr/bin/chromium"
    return path if os.path.exists(path) else (shutil.which("chromium") or path)


@cache
def axe_source() -> str:
    """axe-core's script, as pinned by the project (the axe-playwright-python wheel ships it)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        _missing("axe-core is not installed (pip install -e '.[test]': axe-playwright-python)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "axe.min.js").read_text(encoding="utf-8")


def check_preconditions() -> None:
    """Skip (or fail under CI=true) before any work when the journeys cannot run here."""
    if connection.vendor != "sqlite":
        pytest.skip("The browser journeys run once, on SQLite (DATABASE_URL= ...).")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if not os.path.exists(executable):
        _missing(
            f"Chromium is not at {executable} (as root: apt-get install -y chromium; "
            "or set RENFORT_CHROMIUM)"
        )
    axe_source()


@dataclass
class Demo:
    """The live server over the demo, and what the journeys need to know of it."""

    url: str
    windows: list[tuple[datetime.date, datetime.date]]
    used: int = 0

    def next_window(self) -> tuple[datetime.date, datetime.date]:
        """A month in which the demo expert is free, a different one for each journey."""
        window = self.windows[self.used % len(self.windows)]
        self.used += 1
        return window
