"""The planner stays pure Python: ruff's banned-api rule rejects a Django import in it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLANNER = Path(__file__).resolve().parents[1]


def _ruff() -> str | None:
    local = Path(sys.executable).with_name("ruff")
    return str(local) if local.exists() else shutil.which("ruff")


@pytest.mark.skipif(_ruff() is None, reason="ruff is not installed")
def test_ruff_bans_django_in_the_planner() -> None:
    probe = PLANNER / "probe.py"
    result = subprocess.run(
        [str(_ruff()), "check", "--select", "TID251", "--stdin-filename", str(probe), "-"],
        input="import django\nfrom django.db import models\n",
        capture_output=True,
        text=True,
        cwd=PLANNER,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "`django` is banned" in result.stdout


def test_importing_the_planner_loads_no_django() -> None:
    code = (
        "import sys\n"
        "import renfort.planner.cli, renfort.planner.bench\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
