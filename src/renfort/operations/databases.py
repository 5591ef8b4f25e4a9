"""The two database engines a backup knows: how to take a consistent snapshot of the live
database, how to put one back, and how to count the rows of every table.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live file into a new
one while the server keeps writing (WAL: the copy sees the last committed state). PostgreSQL:
``pg_dump -Fc`` and ``pg_restore``, the password given to them in ``PGPASSWORD``, never on
their command line. The row counts and migrations of a PostgreSQL backup are read in the very
snapshot ``pg_dump`` dumps (``pg_export_snapshot``), so the manifest describes the dump exactly.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction


class BackupRefused(Exception):
    """A backup or a restore that cannot go on, with a sentence for the operator. Nothing was
    changed when it is raised."""


MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY id"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    """Rows of each table, read with ``cursor`` (any DB-API cursor)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # names read from the catalog
        counts[table] = int(cursor.fetchone()[0])
    return counts


def migrations_applied(cursor: Any, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute(MIGRATIONS_SQL)
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


# --- SQLite ----------------------------------------------------------------------------------

SQLITE_TABLES_SQL = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
)


def sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(SQLITE_TABLES_SQL)
    return [row[0] for row in cursor.fetchall()]


class SQLite:
    engine = "sqlite"
    filename = "database.sqlite3"

    def __init__(self, settings_dict: dict[str, Any]) -> None:
        self.path = str(settings_dict["NAME"])
        self.timeout = float(settings_dict.get("OPTIONS", {}).get("timeout", 20))

    def dump(self, target: Path) -> tuple[dict[str, int], list[str]]:
        """Copy the live database into ``target`` with the online backup API; the counts and
        migrations are read from the copy, so they describe it exactly."""
        if not os.path.exists(self.path):
            raise BackupRefused(f"The database file {self.path} does not exist.")
        source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=self.timeout)
        copy = sqlite3.connect(target)
        try:
            # pages=-1: one step, under one read transaction: a consistent snapshot that a
            # writer (WAL) neither blocks nor restarts.
            source.backup(copy, pages=-1)
            # The copy keeps the WAL mode in its header; a single file is what goes in the
            # archive, so fold it back to a rollback journal.
            copy.execute("PRAGMA journal_mode=DELETE")
            cursor = copy.cursor()
            tables = sqlite_tables(cursor)
            return count_rows(cursor, tables), migrations_applied(cursor, tables)
        finally:
            copy.close()
            source.close()

    def restore(self, dump: Path, tables: list[str]) -> list[str]:
        """Write the dump into the live database file, through SQLite (the backup API), so the
        WAL and the locks stay coherent for any connection that has the file open. The whole
        file is replaced: no table outside the dump survives (returns none dropped)."""
        connection.close()
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(self.path, timeout=self.timeout)
        try:
            source.backup(target, pages=-1)
        finally:
            target.close()
            source.close()
        return []

    def counts(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            return count_rows(cursor, sqlite_tables(cursor))


# --- PostgreSQL ------------------------------------------------------------------------------

PG_TABLES_SQL = "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"


def pg_tables(cursor: Any) -> list[str]:
    cursor.execute(PG_TABLES_SQL)
    return [row[0] for row in cursor.fetchall()]


def pg_tool(name: str, server_version: int | None = None) -> str:
    """The path of ``name`` (pg_dump, pg_restore): in PG_BIN_DIR if set, else on PATH, else in
    /usr/lib/postgresql/<version>/bin, the server's major version if there, else the newest."""
    bin_dir = str(getattr(settings, "PG_BIN_DIR", "") or "")
    if bin_dir:
        found = shutil.which(name, path=bin_dir)
        if found:
            return found
        raise BackupRefused(
            f"{name} was not found in PG_BIN_DIR ({bin_dir}). Install the PostgreSQL client "
            "tools of the server's version or correct PG_BIN_DIR."
        )
    found = shutil.which(name)
    if found:
        return found
    candidates: dict[int, str] = {}
    for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"):
        match = re.search(r"/postgresql/(\d+)/bin/", path)
        if match and os.access(path, os.X_OK):
            candidates[int(match.group(1))] = path
    if server_version is not None and server_version in candidates:
        return candidates[server_version]
    if candidates:
        return candidates[max(candidates)]
    raise BackupRefused(
        f"{name} was not found (PG_BIN_DIR is not set, it is not on PATH, nor in "
        "/usr/lib/postgresql/*/bin). Install the PostgreSQL client tools (Debian: "
        "postgresql-client) of the server's version, or set PG_BIN_DIR to their folder."
    )


class PostgreSQL:
    engine = "postgresql"
    filename = "database.pgdump"

    def __init__(self, settings_dict: dict[str, Any]) -> None:
        self.settings_dict = settings_dict

    def _env(self) -> dict[str, str]:
        """The connection settings as libpq's environment variables: nothing secret reaches a
        command line (which ``ps`` shows to every user of the machine)."""
        s = self.settings_dict
        env = dict(os.environ)
        pairs = {
            "PGDATABASE": s.get("NAME"),
            "PGUSER": s.get("USER"),
            "PGPASSWORD": s.get("PASSWORD"),
            "PGHOST": s.get("HOST"),
            "PGPORT": s.get("PORT"),
        }
        options = s.get("OPTIONS", {})
        for option, variable in [
            ("sslmode", "PGSSLMODE"),
            ("sslrootcert", "PGSSLROOTCERT"),
            ("sslcert", "PGSSLCERT"),
            ("sslkey", "PGSSLKEY"),
            ("passfile", "PGPASSFILE"),
            ("service", "PGSERVICE"),
        ]:
            pairs[variable] = options.get(option)
        for variable, value in pairs.items():
            if value:
                env[variable] = str(value)
        return env

    def _server_major(self) -> int | None:
        connection.ensure_connection()
        version = getattr(connection, "pg_version", None)
        return int(version) // 10000 if version else None

    def _run(self, command: list[str], what: str) -> None:
        done = subprocess.run(  # no shell: arguments as a list
            command, env=self._env(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise BackupRefused(f"{what} failed: " + " / ".join(detail[-5:]))

    @contextmanager
    def _snapshot(self) -> Iterator[tuple[str, Any]]:
        """A read-only repeatable-read transaction on a connection of its own, and the id of
        its exported snapshot (valid while the transaction is open)."""
        import psycopg

        raw = connection.get_new_connection(connection.get_connection_params())
        try:
            raw.autocommit = False
            raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            raw.read_only = True
            cursor = raw.cursor()
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0], cursor
        finally:
            raw.rollback()
            raw.close()

    def dump(self, target: Path) -> tuple[dict[str, int], list[str]]:
        pg_dump = pg_tool("pg_dump", self._server_major())
        with self._snapshot() as (snapshot, cursor):
            tables = pg_tables(cursor)
            counts = count_rows(cursor, tables)
            migrations = migrations_applied(cursor, tables)
            self._run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                "pg_dump",
            )
        return counts, migrations

    def restore(self, dump: Path, tables: list[str]) -> list[str]:
        """``pg_restore`` in one transaction: it succeeds entirely or changes nothing. Then
        drop the tables that are not in the dump (``tables``): a migration newer than the backup
        made them, and the restored ``django_migrations`` says it is not applied, so
        ``migrate`` must be able to make them again. Returns the tables dropped."""
        pg_restore = pg_tool("pg_restore", self._server_major())
        connection.close()
        self._run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={self.settings_dict['NAME']}",
                str(dump),
            ],
            "pg_restore",
        )
        with transaction.atomic(), connection.cursor() as cursor:
            extra = sorted(set(pg_tables(cursor)) - set(tables))
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
        return extra

    def counts(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            return count_rows(cursor, pg_tables(cursor))


def current_database() -> SQLite | PostgreSQL:
    """The configured database (the test database inside a test run)."""
    vendor = connection.vendor
    if vendor == "sqlite":
        return SQLite(connection.settings_dict)
    if vendor == "postgresql":
        return PostgreSQL(connection.settings_dict)
    raise BackupRefused(f"Backups support SQLite and PostgreSQL, not {vendor}.")
