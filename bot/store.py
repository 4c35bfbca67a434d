"""The store: every SQL statement of the bot lives in this module.

SQLite through aiosqlite, in WAL mode (readers do not block the writer) with a busy timeout, and
numbered schema migrations recorded in ``PRAGMA user_version``: migration N runs once, in order,
inside a transaction, so an interrupted upgrade leaves the previous version intact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

# Append only: never edit a migration that has shipped, add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: users
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        language    TEXT,
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL,
        blocked_at  TEXT
    );
    """,
)


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("store timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _from_iso(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class User:
    user_id: int
    language: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    blocked_at: dt.datetime | None

    @property
    def blocked(self) -> bool:
        return self.blocked_at is not None


class Store:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    @classmethod
    async def open(cls, path: str | Path) -> Store:
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
        store = cls(db)
        await store._migrate()
        return store

    async def close(self) -> None:
        await self._db.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            await self._db.execute("ROLLBACK")
            raise
        else:
            await self._db.execute("COMMIT")

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            async with self._transaction() as db:
                for statement in filter(str.strip, script.split(";")):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version={number}")

    # --- users -------------------------------------------------------------------------------

    async def touch_user(self, user_id: int, language: str | None, now: dt.datetime) -> None:
        """Record that a user spoke to the bot: a user who writes again has unblocked it."""
        stamp = _iso(now)
        await self._db.execute(
            """
            INSERT INTO users (user_id, language, first_seen, last_seen, blocked_at)
            VALUES (?, ?, ?, ?, NULL)
            ON CONFLICT(user_id) DO UPDATE SET
                language = COALESCE(excluded.language, users.language),
                last_seen = excluded.last_seen,
                blocked_at = NULL
            """,
            (user_id, language, stamp, stamp),
        )

    async def mark_blocked(self, user_id: int, now: dt.datetime) -> None:
        await self._db.execute(
            "UPDATE users SET blocked_at = ? WHERE user_id = ? AND blocked_at IS NULL",
            (_iso(now), user_id),
        )

    async def user(self, user_id: int) -> User | None:
        async with self._db.execute(
            "SELECT user_id, language, first_seen, last_seen, blocked_at FROM users"
            " WHERE user_id = ?",
            (user_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        first_seen = _from_iso(row["first_seen"])
        last_seen = _from_iso(row["last_seen"])
        assert first_seen is not None and last_seen is not None
        return User(
            user_id=row["user_id"],
            language=row["language"],
            first_seen=first_seen,
            last_seen=last_seen,
            blocked_at=_from_iso(row["blocked_at"]),
        )

    async def count_users(self) -> tuple[int, int]:
        """(all users, users who blocked the bot)."""
        async with self._db.execute(
            "SELECT COUNT(*), COUNT(blocked_at) FROM users"
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0]), int(row[1])
