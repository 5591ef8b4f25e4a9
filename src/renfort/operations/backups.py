"""Backups of an installation and their restore (docs/operations.md).

A backup is one ``.tar.gz``: the database snapshot (``databases.py``), the uploaded documents
under ``media/``, and ``manifest.json`` last, whose checksums are those of the bytes written
just before it. A restore first extracts and checks everything into a staging folder (format,
checksums, engine, migrations) and changes nothing until all checks pass.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from renfort.operations.databases import BackupRefused, current_database

FORMAT = "renfort-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
ARCHIVE_NAME = re.compile(r"^renfort-(\d{8}T\d{6}Z)\.tar\.gz$")
STAMP = "%Y%m%dT%H%M%SZ"
CHUNK = 1024 * 1024


class RestoreIncomplete(Exception):
    """The database was restored but not the documents: the operator must restore again."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]


@dataclass
class StagedArchive:
    """An archive extracted into ``folder`` whose every check passed."""

    path: Path
    folder: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class Restored:
    counts: dict[str, int]
    differences: dict[str, tuple[int, int | None]]  # table: (in the manifest, after restore)
    dropped: list[str] = field(default_factory=list)  # tables not in the backup
    pending: list[str] = field(default_factory=list)  # migrations ``migrate`` must apply


def _renfort_version() -> str:
    try:
        return metadata.version("renfort")
    except metadata.PackageNotFoundError:
        return "unknown"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def default_path(now: datetime.datetime | None = None) -> Path:
    return Path(settings.BACKUP_DIR) / f"renfort-{(now or _now()).strftime(STAMP)}.tar.gz"


class _Hashing:
    """A file reader that hashes what it reads, so a member's checksum is of the bytes that
    went into the archive."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> str:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as raw:
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    return reader.sha.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(*, path: Path | None = None, now: datetime.datetime | None = None) -> Backup:
    """Write a backup archive to ``path`` (default: ``BACKUP_DIR/renfort-<UTC stamp>.tar.gz``),
    safe while the server runs. It is written under a temporary name and renamed at the end,
    readable by its owner only (it holds personal data)."""
    now = now or _now()
    path = Path(path) if path else default_path(now)
    database = current_database()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupRefused(f"Cannot create the folder {path.parent}: {exc.strerror}.") from exc
    part = path.with_name(path.name + ".part")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        with tempfile.TemporaryDirectory(prefix="renfort-backup-") as scratch:
            dump = Path(scratch) / database.filename
            counts, migrations = database.dump(dump)
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
                files = {database.filename: _add(tar, database.filename, dump)}
                for file in _media_files(media_root):
                    name = str(PurePosixPath(MEDIA, *file.relative_to(media_root).parts))
                    files[name] = _add(tar, name, file)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "renfort_version": _renfort_version(),
                    "engine": database.engine,
                    "created_at": now.isoformat(timespec="seconds"),
                    "database": database.filename,
                    "migrations": migrations,
                    "row_counts": counts,
                    "files": files,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise BackupRefused(f"Cannot write the backup {path}: {exc}.") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return Backup(path=path, manifest=manifest)


def backups_prune(*, now: datetime.datetime | None = None) -> list[Path]:
    """Delete the archives of BACKUP_DIR named as ``backup_create`` names them whose stamp is
    older than BACKUP_RETENTION_DAYS; other files are never touched."""
    folder = Path(settings.BACKUP_DIR)
    if not folder.is_dir():
        return []
    limit = (now or _now()) - datetime.timedelta(days=int(settings.BACKUP_RETENTION_DAYS))
    deleted = []
    for path in sorted(folder.iterdir()):
        match = ARCHIVE_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        made = datetime.datetime.strptime(match.group(1), STAMP).replace(tzinfo=datetime.UTC)
        if made < limit:
            path.unlink()
            deleted.append(path)
    return deleted


# --- restore ---------------------------------------------------------------------------------


def known_migrations() -> set[str]:
    """The migrations this code has (with those a squashed migration replaces)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():
        known.update(f"{app}.{name}" for app, name in migration.replaces)
    return known


def _member_path(folder: Path, name: str, database_file: set[str]) -> Path:
    parts = PurePosixPath(name).parts
    safe = (
        bool(parts)
        and not PurePosixPath(name).is_absolute()
        and ".." not in parts
        and (name in database_file or (parts[0] == MEDIA and len(parts) > 1))
    )
    if not safe:
        raise BackupRefused(
            f"The archive holds an unexpected member {name!r}: not a Renfort backup."
        )
    return folder.joinpath(*parts)


def _extract(path: Path, folder: Path) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Extract every member into ``folder``, hashing each; return the manifest and hashes."""
    manifest = None
    hashes: dict[str, str] = {}
    database_files = {"database.sqlite3", "database.pgdump"}
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupRefused(
                        f"The archive holds {member.name!r}, which is not a plain file."
                    )
                source = tar.extractfile(member)
                assert source is not None  # a regular file
                if member.name == MANIFEST:
                    try:
                        manifest = json.loads(source.read(CHUNK * 16))
                    except ValueError as exc:
                        raise BackupRefused("The archive's manifest is not valid JSON.") from exc
                    continue
                if member.name in hashes:
                    raise BackupRefused(f"The archive holds {member.name!r} twice.")
                target = _member_path(folder, member.name, database_files)
                target.parent.mkdir(parents=True, exist_ok=True)
                sha = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        out.write(chunk)
                hashes[member.name] = sha.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupRefused(
            f"The archive {path} cannot be read ({exc}): it is damaged or not a Renfort backup."
        ) from exc
    return manifest if isinstance(manifest, dict) else None, hashes


def _check(manifest: dict[str, Any] | None, hashes: dict[str, str]) -> None:
    """Refuse an archive that is not sound."""
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupRefused("The archive has no Renfort manifest: it is not a Renfort backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"The archive's format version is {manifest.get('format_version')!r}; this Renfort "
            f"reads version {FORMAT_VERSION}. Restore it with the Renfort version that made it "
            f"({manifest.get('renfort_version')})."
        )
    expected = manifest.get("files")
    if not isinstance(expected, dict) or manifest.get("database") not in expected:
        raise BackupRefused("The archive's manifest lists no database: it is incomplete.")
    for name in sorted(set(expected) | set(hashes)):
        if name not in hashes:
            raise BackupRefused(f"The archive lacks {name}, which its manifest lists.")
        if name not in expected:
            raise BackupRefused(f"The archive holds {name}, which its manifest does not list.")
        if hashes[name] != expected[name]:
            raise BackupRefused(
                f"The checksum of {name} does not match the manifest: the archive is damaged "
                "or was altered."
            )
    engine = current_database().engine
    if manifest.get("engine") != engine:
        raise BackupRefused(
            f"The archive was made on {manifest.get('engine')}; this installation runs on "
            f"{engine}. A backup is restored on the engine that made it."
        )
    known = known_migrations()
    recorded = list(manifest.get("migrations") or [])
    unknown = [name for name in recorded if name not in known]
    if unknown:
        listed = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        raise BackupRefused(
            f"The archive was made by a newer Renfort: this code does not know the migrations "
            f"{listed}. Upgrade Renfort first, then restore."
        )
    if not isinstance(manifest.get("row_counts"), dict):
        raise BackupRefused("The archive's manifest has no row counts: it is incomplete.")


def _staging_folder(media_root: Path) -> Path:
    """Beside MEDIA_ROOT when possible, so the restored documents are moved in by a rename."""
    try:
        media_root.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".renfort-restore-", dir=media_root.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="renfort-restore-"))


@contextmanager
def archive_staged(path: Path) -> Iterator[StagedArchive]:
    """Extract and check the archive ``path``; raise ``BackupRefused`` (nothing changed) if it
    is not sound. The staging folder is deleted on leaving."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(f"The archive {path} does not exist.")
    folder = _staging_folder(Path(settings.MEDIA_ROOT))
    try:
        manifest, hashes = _extract(path, folder)
        _check(manifest, hashes)
        assert manifest is not None
        yield StagedArchive(path=path, folder=folder, manifest=manifest)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _replace_media(staged: Path, root: Path) -> None:
    staged.mkdir(exist_ok=True)
    old = root.with_name(f".{root.name}.before-restore-{_now().strftime(STAMP)}")
    try:
        if root.exists():
            os.replace(root, old)
        shutil.move(str(staged), str(root))
    except OSError:
        # MEDIA_ROOT's parent is not ours to rename in: replace the folder's content instead.
        root.mkdir(parents=True, exist_ok=True)
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        shutil.copytree(staged, root, dirs_exist_ok=True)
    else:
        shutil.rmtree(old, ignore_errors=True)


def archive_restore(staged: StagedArchive) -> Restored:
    """Replace the database and the uploaded documents with the archive's, then count the
    rows of every table against the manifest. Raises ``BackupRefused`` if the database tool
    fails (PostgreSQL restores in one transaction: the database is then unchanged)."""
    database = current_database()
    expected: dict[str, int] = staged.manifest["row_counts"]
    dropped = database.restore(staged.folder / staged.manifest["database"], sorted(expected))
    try:
        _replace_media(staged.folder / MEDIA, Path(settings.MEDIA_ROOT))
    except OSError as exc:
        raise RestoreIncomplete(
            f"The database was restored, but the documents could not be put in "
            f"{settings.MEDIA_ROOT} ({exc}). Correct the cause and restore again."
        ) from exc
    counts = database.counts()
    differences = {
        table: (n, counts.get(table)) for table, n in expected.items() if counts.get(table) != n
    }
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    return Restored(counts=counts, differences=differences, dropped=dropped, pending=pending)
