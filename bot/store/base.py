"""The store's foundation: the connection, transactions and numbered migrations.

SQLite through aiosqlite, in WAL mode (readers do not block the writer) with a busy timeout.
Migrations are the numbered ``migrations/NNNN_name.sql`` files, applied once each, in order,
each inside a transaction with ``PRAGMA user_version`` set to its number, so an interrupted
upgrade leaves the previous version intact. Never edit a migration that has shipped: add one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every migration, in order."""
    found = []
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"store migrations must be numbered 1..n without gaps: {numbers}")
    return found


def iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("store timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def ts(moment: dt.datetime) -> str:
    """Timestamps compared in SQL: UTC, fixed width, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("store timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


class StoreBase:
    """One aiosqlite connection shared by every coroutine of the bot.

    Handlers (several chats at once) and the sender run concurrently on this connection, and
    a statement sent while another coroutine's transaction is open would join that
    transaction. So every write, single statement or transaction, holds ``_write_lock``;
    reads need no lock (WAL, and they may only ever see more, never less, than committed).
    """

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._write_lock = asyncio.Lock()

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a query, read in one call on aiosqlite's thread.

        Reading through a cursor takes one call per step, and another coroutine's write on
        this shared connection could run between them; SQLite does not define what a
        statement returns when its table changes under it on the same connection (a GROUP BY
        was seen returning NULL for a NOT NULL column). One call cannot be interleaved.
        """
        return list(await self._db.execute_fetchall(sql, tuple(params)))

    async def _row(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    async def _kept_setting(self, key: str, first: str) -> str:
        """The value of a setting kept in the database, stored as ``first`` the first time it is
        asked for (a generated secret): the same value from then on, across restarts."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, first)
            )
            async with db.execute("SELECT value FROM settings WHERE key = ?", (key,)) as cursor:
                row = await cursor.fetchone()
        assert row is not None  # inserted just above if it was missing
        return str(row[0])

    async def _write(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Cursor:
        """One write statement, committed on its own."""
        async with self._write_lock:
            return await self._db.execute(sql, tuple(params))

    async def _write_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> aiosqlite.Cursor:
        async with self._write_lock:
            async with self._transaction_locked() as db:
                return await db.executemany(sql, [tuple(row) for row in rows])

    @classmethod
    async def connect(cls, path: str | Path) -> aiosqlite.Connection:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN ourselves, so read-then-write
        # transactions can take the write lock up front with BEGIN IMMEDIATE.
        db = await aiosqlite.connect(str(path), isolation_level=None)
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA synchronous=NORMAL")
        return db

    async def close(self) -> None:
        await self._db.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read-then-write transaction: the write lock up front, in SQLite and here."""
        async with self._write_lock, self._transaction_locked() as db:
            yield db

    @asynccontextmanager
    async def _transaction_locked(self) -> AsyncIterator[aiosqlite.Connection]:
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            await self._db.execute("ROLLBACK")
            raise
        else:
            await self._db.execute("COMMIT")

    async def schema_version(self) -> int:
        row = await self._row("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        for number, _name, script in migrations():
            if number <= current:
                continue
            async with self._transaction() as db:
                for statement in filter(str.strip, _statements(script)):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version={number}")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (our migrations put no ';' inside literals)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines).split(";")
