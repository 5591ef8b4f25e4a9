from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _ledger_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Erasures append to a ledger outside the database: never the real one in tests."""
    settings.PRIVACY_ERASURE_LEDGER = tmp_path / "erased-experts.txt"
