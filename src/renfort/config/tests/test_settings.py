"""The env-driven database settings."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from renfort.config import settings


def test_default_database_is_sqlite_under_var_with_wal_and_immediate(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")
    config = settings.database_config()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "renfort.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renfort")
    config = settings.database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["HOST"], config["PORT"]) == (
        "renfort",
        "postgres",
        "127.0.0.1",
        5432,
    )


def test_sqlite_url_gets_wal_and_immediate_too(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    config = settings.database_config()
    assert config["NAME"] == f"{tmp_path}/other.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_env_flags(monkeypatch):
    monkeypatch.setenv("X_FLAG", "false")
    assert settings.env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert settings.env_list("X_LIST", []) == ["a.example", "b.example"]


SCRIPT = """
import os, sys, threading, django
os.environ["DJANGO_SETTINGS_MODULE"] = "renfort.config.settings"
django.setup()
from django.db import connection, transaction
from django.db import connections
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode")
    print(c.fetchone()[0])
    c.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
    c.execute("DELETE FROM counter"); c.execute("INSERT INTO counter VALUES (0)")
errors = []
def bump():
    try:
        for _ in range(20):
            with transaction.atomic():
                with connections["default"].cursor() as c:
                    c.execute("SELECT n FROM counter"); n = c.fetchone()[0]
                    c.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as exc:  # reported to the test
        errors.append(repr(exc))
    finally:
        connections.close_all()
threads = [threading.Thread(target=bump) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
with connection.cursor() as c:
    c.execute("SELECT n FROM counter"); print(c.fetchone()[0])
print(errors)
"""


def test_sqlite_file_is_wal_and_concurrent_writers_wait(tmp_path: Path):
    """Four threads increment one row in read-then-write transactions: with IMMEDIATE
    transactions none fails with 'database is locked' and no update is lost."""
    env = {
        "RENFORT_VAR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "",
        "DEBUG": "true",
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    journal, total, errors = out.stdout.strip().splitlines()
    assert journal == "wal"
    assert errors == "[]"
    assert total == "80"
    assert (
        sqlite3.connect(tmp_path / "renfort.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
        == "wal"
    )


@pytest.mark.parametrize("word", ["plan", "bench"])
def test_cli_dispatches_planner_words_without_django(word, capsys):
    from renfort.cli import main

    try:
        code: object = main([word, "--help"])
    except SystemExit as exc:  # argparse's --help exits 0
        code = exc.code
    assert code == 0
    assert "usage" in capsys.readouterr().out.lower()
