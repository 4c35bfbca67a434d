"""A consistent copy of the live database, taken with SQLite's online backup.

The copy is read in one step of ``sqlite3.Connection.backup`` (all pages at once), that is in
one read transaction: in WAL mode the bot's writer is not blocked, and the copy is the database
as of one commit, holding every row committed before it began and nothing half-written. It is
written beside the target under a temporary name, checked (``PRAGMA integrity_check``), made a
single self-contained file (rollback journal, no ``-wal`` beside it) and only then renamed, so
that a reader of the target never sees a partial copy and an interrupted backup leaves none.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    size_bytes: int
    tables: int
    rows: int
    schema_version: int


def _temporary_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def _connect_existing(path: Path) -> sqlite3.Connection:
    """A connection to ``path`` that never creates it (mode=rw): a mistyped path is an error,
    not a new empty database."""
    if not path.is_file():
        raise BackupError(
            f"There is no database at {path}: set CONFBOT_DB or --db to the bot's SQLite file."
        )
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
        connection.execute("PRAGMA busy_timeout=30000")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    return connection


def _summary(connection: sqlite3.Connection) -> tuple[int, int, int]:
    """(tables, rows in all of them, schema version) of the copy."""
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    rows = sum(
        connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables
    )
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    return len(tables), rows, int(version)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_database(source: Path, target: Path, *, force: bool = False) -> BackupResult:
    """Copy the database at ``source`` to ``target`` (blocking: run it in a thread from async
    code). Refuses an existing ``target`` unless ``force``."""
    if target.exists() and not force:
        raise BackupError(f"{target} already exists: choose another name, or add --force.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("The backup cannot overwrite the database it copies.")
    partial = _temporary_name(target)
    partial.unlink(missing_ok=True)
    original = _connect_existing(source)
    try:
        copy = sqlite3.connect(partial)
        try:
            # pages=-1: every page in one step, so one read transaction and one snapshot.
            original.backup(copy, pages=-1)
            # A backup is one file: the copy keeps no write-ahead log of its own.
            copy.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"The copy failed its integrity check: {verdict}")
            tables, rows, version = _summary(copy)
        finally:
            copy.close()
        _fsync(partial)
        if force:
            os.replace(partial, target)
        else:
            # A hard link fails if the target appeared meanwhile, where a rename would replace it.
            try:
                os.link(partial, target)
            except FileExistsError as exc:
                raise BackupError(
                    f"{target} already exists: choose another name, or add --force."
                ) from exc
            except OSError:
                # A file system without hard links: check, then rename (a small window).
                if target.exists():
                    raise BackupError(
                        f"{target} already exists: choose another name, or add --force."
                    ) from None
                os.replace(partial, target)
            partial.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not every file system can sync a folder
            _fsync(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        original.close()
    return BackupResult(
        source=source,
        target=target,
        size_bytes=target.stat().st_size,
        tables=tables,
        rows=rows,
        schema_version=version,
    )


async def backup_database_async(source: Path, target: Path, *, force: bool = False) -> BackupResult:
    """:func:`backup_database` on a worker thread, leaving the event loop free."""
    return await asyncio.to_thread(backup_database, source, target, force=force)
