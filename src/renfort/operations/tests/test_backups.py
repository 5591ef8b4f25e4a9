"""``renfort backup`` and ``renfort restore``: a round trip gives back every row of every table
and every document byte; an unsound archive is refused and changes nothing; the SQLite backup
runs while another connection holds a write transaction open; old archives are pruned.

The tests run on the configured engine (SQLite or PostgreSQL, ``DATABASE_URL``); those proper
to one engine skip on the other. A restore replaces the data: the tests commit for real.
"""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from renfort.agreements.models import Agreement, AgreementDocument, DocumentKind
from renfort.agreements.services import agreement_document_add
from renfort.agreements.tests.factories import funded_agreement
from renfort.operations.backups import backup_create, backups_prune
from renfort.operations.databases import BackupRefused, PostgreSQL, pg_tool
from renfort.roster.models import Expert
from renfort.testing import (
    confirm_terms,
    make_assignment,
    make_donor,
    make_expert,
    make_organisation,
    make_personas,
    make_request,
    persona_mission,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite backup API")
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.PRIVACY_ERASURE_LEDGER = tmp_path / "erased-experts.txt"
    yield tmp_path
    with connection.cursor() as cursor:  # the flush after the test empties tables, drops none
        cursor.execute("DROP TABLE IF EXISTS made_after_the_backup")


def every_table() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the database, ordered by primary key (by every column for
    a table without one), found by introspection rather than listed by hand."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            key = connection.introspection.get_primary_key_column(cursor, table)
            quoted = connection.ops.quote_name(table)
            order = connection.ops.quote_name(key) if key else "1"
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
            rows = cursor.fetchall()
            state[table] = rows if key else sorted(rows, key=repr)
    return state


def media_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def build_world() -> AgreementDocument:
    """People, a mission with a confirmed expert, an agreement with an uploaded document."""
    p = make_personas()
    mission = persona_mission(p)
    confirm_terms(mission)
    make_assignment(mission.slots.get(), make_expert(home_administration=p.admin_b))
    make_request(administrations=[p.admin_a], focal_point=p.member)
    agreement, _lines = funded_agreement(p)
    upload = SimpleUploadedFile("Signed agreement.pdf", PDF, "application/pdf")
    return agreement_document_add(
        agreement=agreement, upload=upload, kind=DocumentKind.SIGNED, by=p.secretariat
    )


def change_everything(document: AgreementDocument, media: Path) -> None:
    """What happens between the backup and the restore: rows deleted, rows added, documents
    removed and added."""
    (media / document.file.name).unlink()
    (media / "stray.pdf").write_bytes(PDF + b"stray")
    document.delete()
    Agreement.objects.filter(pk=document.agreement_id).update(title="Changed after the backup")
    make_expert(home_administration=make_donor(name="Born after the backup", country="NO"))
    with connection.cursor() as cursor:  # as a migration newer than the backup would
        cursor.execute("CREATE TABLE made_after_the_backup (id integer PRIMARY KEY)")


def restore(path: Path, **options: Any) -> None:
    call_command("restore", str(path), stdout=io.StringIO(), **options)


def test_a_round_trip_gives_back_every_row_and_every_document(folders: Path) -> None:
    document = build_world()
    media = folders / "media"
    at_backup, documents = every_table(), media_bytes(media)
    assert documents == {document.file.name: PDF}
    out = io.StringIO()
    call_command("backup", stdout=out)
    [archive] = (folders / "backups").glob("renfort-*.tar.gz")
    assert f"Backup written: {archive}" in out.getvalue()

    change_everything(document, media)
    assert every_table() != at_backup and media_bytes(media) != documents

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert every_table() == at_backup
    assert media_bytes(media) == documents
    assert "every table's row count matches the archive" in out.getvalue()
    assert "  agreements_agreementdocument" in out.getvalue()
    assert not list(folders.glob(".*"))  # no staging folder nor old media left behind


def test_an_expert_erased_after_the_backup_stays_erased_after_a_restore(folders: Path) -> None:
    """The privacy module keeps the ids of erased experts outside the database; the restore
    erases them again (docs/operations.md, Retention of backups)."""
    pytest.importorskip("renfort.privacy.services")
    build_world()
    expert = Expert.objects.order_by("pk").first()
    assert expert is not None and expert.email
    email = expert.email
    archive = backup_create(path=folders / "before-erasure.tar.gz").path
    (folders / "erased-experts.txt").write_text(f"{expert.pk}\t2026-01-01T00:00:00+00:00\n")
    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert f"re-applied to 1 expert(s) (ids {expert.pk})" in out.getvalue()
    expert.refresh_from_db()
    assert expert.last_name == f"#{expert.pk}" and expert.email != email


def test_the_manifest_describes_the_archive(folders: Path) -> None:
    document = build_world()
    backup = backup_create(path=folders / "here.tar.gz")
    manifest = backup.manifest
    assert manifest["engine"] == connection.vendor
    assert manifest["format_version"] == 1 and manifest["renfort_version"]
    assert "agreements.0001_initial" in manifest["migrations"]
    assert manifest["row_counts"]["agreements_agreementdocument"] == 1
    assert manifest["row_counts"]["accounts_user"] == len(every_table()["accounts_user"])
    with tarfile.open(backup.path) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert set(manifest["files"]) == {manifest["database"], f"media/{document.file.name}"}
    assert sorted(names[:-1]) == sorted(manifest["files"])
    assert backup.path.stat().st_mode & 0o077 == 0  # personal data: the owner reads it only


def rewrite(archive: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of ``archive`` whose members went through ``change(name, data)``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            extracted = source.extractfile(member)
            data = change(member.name, extracted.read() if extracted else b"")
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def manifest_change(**changes: Any) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), **changes}).encode()

    return change


def damaged_document(name: str, data: bytes) -> bytes:
    return data + b"tampered" if name.startswith("media/") else data


def escaping(target: Path) -> Path:
    """An archive with a member that would land outside the staging folder."""
    with tarfile.open(target, "w:gz") as out:
        info = tarfile.TarInfo("../escaped.pdf")
        info.size = len(PDF)
        out.addfile(info, io.BytesIO(PDF))
    return target


def truncated(archive: Path, target: Path) -> Path:
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return target


def refused_without_change(path: Path, text: str, media: Path) -> None:
    before, documents = every_table(), media_bytes(media)
    with pytest.raises(CommandError) as refused:
        restore(path, yes=True)
    assert refused.value.returncode == 2
    assert text in str(refused.value)
    assert every_table() == before and media_bytes(media) == documents


def test_an_unsound_archive_is_refused_and_nothing_changes(folders: Path) -> None:
    document = build_world()
    archive = backup_create(path=folders / "good.tar.gz").path
    change_everything(document, folders / "media")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    cases = [
        (truncated(archive, folders / "half.tar.gz"), "cannot be read"),
        (
            rewrite(archive, folders / "tampered.tar.gz", damaged_document),
            f"The checksum of media/{document.file.name} does not match the manifest",
        ),
        (
            rewrite(archive, folders / "other.tar.gz", manifest_change(engine=other)),
            f"The archive was made on {other}; this installation runs on {connection.vendor}",
        ),
        (
            rewrite(
                archive,
                folders / "newer.tar.gz",
                manifest_change(migrations=["accounts.0001_initial", "accounts.9999_future"]),
            ),
            "this code does not know the migrations accounts.9999_future",
        ),
        (
            rewrite(archive, folders / "v9.tar.gz", manifest_change(format_version=9)),
            "The archive's format version is 9",
        ),
        (folders / "missing.tar.gz", "does not exist"),
        (escaping(folders / "escaping.tar.gz"), "unexpected member '../escaped.pdf'"),
    ]
    for path, text in cases:
        refused_without_change(path, text, folders / "media")
    assert not list(folders.glob(".renfort-restore-*")) and not (folders / "escaped.pdf").exists()


def test_a_restore_not_confirmed_changes_nothing(folders: Path, monkeypatch: Any) -> None:
    document = build_world()
    archive = backup_create(path=folders / "good.tar.gz").path
    change_everything(document, folders / "media")
    before, documents = every_table(), media_bytes(folders / "media")
    monkeypatch.setattr("builtins.input", lambda: "no")
    with pytest.raises(CommandError, match=r"Restore cancelled; nothing was changed\."):
        restore(archive)
    assert every_table() == before and media_bytes(folders / "media") == documents


@sqlite_only
def test_the_sqlite_backup_runs_while_another_connection_writes(folders: Path) -> None:
    """Online: a writer holds an open write transaction (IMMEDIATE, as the server's do); the
    backup neither waits for it nor sees its uncommitted rows."""
    make_organisation(name="Committed")
    committed = every_table()["accounts_organisation"]
    writer = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE uncommitted_scratch (x INTEGER)")
    writer.execute("INSERT INTO uncommitted_scratch VALUES (1)")
    made: list[Any] = []
    try:
        worker = threading.Thread(target=lambda: made.append(backup_create()))
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive(), "the backup waited for the writer"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    counts = made[0].manifest["row_counts"]
    assert "uncommitted_scratch" not in counts
    assert counts["accounts_organisation"] == len(committed)


@postgresql_only
def test_the_password_goes_to_pg_tools_in_the_environment_only() -> None:
    database = PostgreSQL(
        {"NAME": "renfort", "USER": "renfort", "PASSWORD": "s3cret", "HOST": "db"}
    )
    env = database._env()
    assert (env["PGPASSWORD"], env["PGDATABASE"], env["PGHOST"]) == ("s3cret", "renfort", "db")


def test_a_missing_pg_tool_is_named(settings: Any, tmp_path: Path) -> None:
    settings.PG_BIN_DIR = str(tmp_path)
    with pytest.raises(BackupRefused, match=r"pg_dump was not found in PG_BIN_DIR"):
        pg_tool("pg_dump")


def test_prune_deletes_only_old_archives_it_made(folders: Path) -> None:
    backups = folders / "backups"
    backups.mkdir()
    names = [
        "renfort-20260101T021500Z.tar.gz",  # older than 35 days: deleted
        "renfort-20260301T021500Z.tar.gz",  # within the retention: kept
        "renfort-20250101T021500Z.tar.gz.part",  # not an archive name: kept
        "my-copy-20250101.tar.gz",  # the operator's: kept
    ]
    for name in names:
        (backups / name).write_bytes(b"x")
    now = datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC)
    assert backups_prune(now=now) == [backups / names[0]]
    assert sorted(p.name for p in backups.iterdir()) == sorted(names[1:])


def test_the_command_prunes_after_the_backup(folders: Path, settings: Any) -> None:
    settings.BACKUP_RETENTION_DAYS = 1
    old = folders / "backups" / "renfort-20000101T000000Z.tar.gz"
    old.parent.mkdir()
    old.write_bytes(b"x")
    out = io.StringIO()
    call_command("backup", prune=True, stdout=out)
    assert not old.exists()
    assert f"Deleted, older than BACKUP_RETENTION_DAYS (1): {old}" in out.getvalue()
    assert len(list(old.parent.glob("renfort-*.tar.gz"))) == 1


def test_a_restore_of_an_older_schema_says_to_migrate(folders: Path) -> None:
    """An archive made before a migration of this code: restored, then the operator is told to
    run ``migrate`` (and the erasures wait for it: their tables may not exist yet)."""
    build_world()
    forget = "DELETE FROM django_migrations WHERE app = 'sessions' AND name = '0001_initial'"
    remember = (
        "INSERT INTO django_migrations (app, name, applied) VALUES ('sessions', '0001_initial', %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(forget)
    try:
        archive = backup_create(path=folders / "older.tar.gz").path
        assert (
            "sessions.0001_initial"
            not in backup_create(path=folders / "b.tar.gz").manifest["migrations"]
        )
        out = io.StringIO()
        call_command("restore", str(archive), yes=True, stdout=out)
        assert "1 migration(s) the restored database has not applied" in out.getvalue()
        assert (
            "Run `renfort migrate`, then `renfort retention --reapply-erasures`" in out.getvalue()
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(forget)
            cursor.execute(remember, [datetime.datetime.now(datetime.UTC)])
