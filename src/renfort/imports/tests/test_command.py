"""``renfort import``: the same check and import as the page; errors printed with their line
and column; a non-zero exit code when nothing was imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renfort.imports.models import ImportJob
from renfort.imports.tests.helpers import EXPERT_HEADERS, csv_file, expert_row
from renfort.roster.models import Expert
from renfort.testing import Personas, table_state

pytestmark = pytest.mark.django_db


def test_the_command_imports_and_records_the_job(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "experts.csv"
    path.write_bytes(csv_file(EXPERT_HEADERS, [expert_row()]))
    before = table_state()
    call_command("import", "experts", str(path), "--dry-run", "--organisation", "SN")
    assert "Dry run, nothing written: 1 created" in capsys.readouterr().out
    assert table_state() == before
    call_command("import", "experts", str(path), "--as", "secretariat")
    assert "1 created" in capsys.readouterr().out
    assert Expert.objects.filter(home_administration=personas.admin_a).count() == 1
    assert ImportJob.objects.latest("pk").uploaded_by == personas.secretariat
    call_command("import", "experts", str(path), "--as", "member")
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_the_command_prints_every_error_and_fails(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "experts.csv"
    rows = [expert_row(), expert_row(code="KE", email="k@example.org"), expert_row(email="")]
    path.write_bytes(csv_file(EXPERT_HEADERS, rows))
    before = table_state()
    with pytest.raises(CommandError) as failed:
        call_command("import", "experts", str(path), "--as", "member")
    assert failed.value.returncode == 1
    err = capsys.readouterr().err
    assert "experts.csv: line 3, column home_administration: home_administration: you may" in err
    assert "line 4, column email" in err
    assert table_state() == before


def test_the_command_refuses_what_the_user_may_not_import(
    personas: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "orgs.xls"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="may not import organisations"):
        call_command("import", "organisations", str(path), "--as", "member")
    with pytest.raises(CommandError, match="old Excel file"):
        call_command("import", "organisations", str(path), "--as", "secretariat")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import", "experts", str(tmp_path / "missing.csv"), "--as", "member")
