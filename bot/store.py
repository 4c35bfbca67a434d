"""The store: every SQL statement of the bot lives in this module.

SQLite through aiosqlite, in WAL mode (readers do not block the writer) with a busy timeout, and
numbered schema migrations recorded in ``PRAGMA user_version``: migration N runs once, in order,
inside a transaction, so an interrupted upgrade leaves the previous version intact.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    # 2: personal agendas, reminder settings and the outbox (the one road out)
    """
    ALTER TABLE users ADD COLUMN lead_minutes INTEGER DEFAULT 15;
    ALTER TABLE users ADD COLUMN everyone_reminders INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE choices (
        user_id     INTEGER NOT NULL,
        session_id  TEXT NOT NULL,
        added_at    TEXT NOT NULL,
        PRIMARY KEY (user_id, session_id)
    );
    CREATE INDEX choices_by_session ON choices (session_id);
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        key             TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL,
        chat_id         INTEGER NOT NULL,
        priority        INTEGER NOT NULL DEFAULT 0,
        payload         TEXT NOT NULL,
        due_at          TEXT NOT NULL,
        not_after       TEXT,
        state           TEXT NOT NULL DEFAULT 'pending',
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        batch           TEXT,
        created_at      TEXT NOT NULL,
        finished_at     TEXT,
        message_id      INTEGER,
        error           TEXT
    );
    CREATE INDEX outbox_pending ON outbox (state, priority, due_at);
    CREATE INDEX outbox_chat ON outbox (chat_id, state);
    CREATE INDEX outbox_batch ON outbox (batch, state);
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
        async with self._db.execute("SELECT COUNT(*), COUNT(blocked_at) FROM users") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    # --- personal agenda and reminder settings ----------------------------------------------

    async def add_choice(self, user_id: int, session_id: str, now: dt.datetime) -> bool:
        """Add a session to a user's agenda; False when it was already there."""
        cursor = await self._db.execute(
            "INSERT OR IGNORE INTO choices (user_id, session_id, added_at) VALUES (?, ?, ?)",
            (user_id, session_id, _iso(now)),
        )
        return cursor.rowcount == 1

    async def remove_choice(self, user_id: int, session_id: str) -> bool:
        cursor = await self._db.execute(
            "DELETE FROM choices WHERE user_id = ? AND session_id = ?", (user_id, session_id)
        )
        return cursor.rowcount == 1

    async def choices_of(self, user_id: int) -> set[str]:
        async with self._db.execute(
            "SELECT session_id FROM choices WHERE user_id = ?", (user_id,)
        ) as cursor:
            return {row[0] for row in await cursor.fetchall()}

    async def choosers_of(self, session_id: str) -> list[int]:
        """Users (not blocked) who chose a session."""
        async with self._db.execute(
            "SELECT c.user_id FROM choices c JOIN users u ON u.user_id = c.user_id"
            " WHERE c.session_id = ? AND u.blocked_at IS NULL ORDER BY c.user_id",
            (session_id,),
        ) as cursor:
            return [row[0] for row in await cursor.fetchall()]

    async def all_choices(self) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        async with self._db.execute("SELECT user_id, session_id FROM choices") as cursor:
            async for row in cursor:
                found.setdefault(row[0], set()).add(row[1])
        return found

    async def set_lead_minutes(self, user_id: int, minutes: int | None) -> None:
        await self._db.execute(
            "UPDATE users SET lead_minutes = ? WHERE user_id = ?", (minutes, user_id)
        )

    async def set_everyone_reminders(self, user_id: int, enabled: bool) -> None:
        await self._db.execute(
            "UPDATE users SET everyone_reminders = ? WHERE user_id = ?", (int(enabled), user_id)
        )

    async def reminder_preferences(self, user_id: int | None = None) -> list[ReminderPreference]:
        """Reminder settings of users who have not blocked the bot (of one user if given)."""
        sql = "SELECT user_id, lead_minutes, everyone_reminders FROM users WHERE blocked_at IS NULL"
        params: tuple[int, ...] = ()
        if user_id is not None:
            sql += " AND user_id = ?"
            params = (user_id,)
        async with self._db.execute(sql, params) as cursor:
            return [
                ReminderPreference(row[0], row[1], bool(row[2])) for row in await cursor.fetchall()
            ]

    # --- outbox ------------------------------------------------------------------------------

    async def enqueue(self, deliveries: Sequence[Delivery], now: dt.datetime) -> int:
        """Add deliveries; a key already present is left alone. Returns how many were added."""
        before = self._db.total_changes
        async with self._transaction() as db:
            await db.executemany(
                """
                INSERT OR IGNORE INTO outbox
                    (key, kind, chat_id, priority, payload, due_at, not_after, batch, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [_delivery_row(d, now) for d in deliveries],
            )
        return self._db.total_changes - before

    async def sync_planned(
        self,
        kind: str,
        planned: Sequence[Delivery],
        now: dt.datetime,
        user_id: int | None = None,
    ) -> tuple[int, int]:
        """Make the pending rows of ``kind`` (of one chat, or all) exactly the planned ones.

        New keys are added, pending rows with a planned key get the planned due time, and pending
        rows that are no longer planned are cancelled. Rows already sent are never touched, so
        planning again after a restart or a reload cannot send anything twice.
        Returns (added or updated, cancelled).
        """
        keys = [d.key for d in planned]
        async with self._transaction() as db:
            before = db.total_changes
            await db.executemany(
                """
                INSERT INTO outbox
                    (key, kind, chat_id, priority, payload, due_at, not_after, batch, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET
                    due_at = excluded.due_at,
                    not_after = excluded.not_after,
                    payload = excluded.payload
                WHERE outbox.state = 'pending'
                    AND (outbox.due_at != excluded.due_at
                         OR outbox.not_after IS NOT excluded.not_after
                         OR outbox.payload != excluded.payload)
                """,
                [_delivery_row(d, now) for d in planned],
            )
            changed = db.total_changes - before
            await db.execute("CREATE TEMP TABLE IF NOT EXISTS planned_keys (key TEXT PRIMARY KEY)")
            await db.execute("DELETE FROM planned_keys")
            await db.executemany(
                "INSERT OR IGNORE INTO planned_keys (key) VALUES (?)", [(k,) for k in keys]
            )
            sql = (
                "UPDATE outbox SET state = 'cancelled', finished_at = ?"
                " WHERE kind = ? AND state = 'pending'"
                " AND key NOT IN (SELECT key FROM planned_keys)"
            )
            params: tuple[object, ...] = (_ts(now), kind)
            if user_id is not None:
                sql += " AND chat_id = ?"
                params += (user_id,)
            cursor = await db.execute(sql, params)
            cancelled = cursor.rowcount
            await db.execute("DELETE FROM planned_keys")
        return changed, cancelled

    async def recover_in_flight(self) -> int:
        """After a crash, rows left 'sending' may or may not have reached Telegram; send again.

        This makes delivery at-least-once: a crash can duplicate only the messages that were in
        flight at that moment (at most the sender's concurrency), and never loses one.
        """
        cursor = await self._db.execute(
            "UPDATE outbox SET state = 'pending' WHERE state = 'sending'"
        )
        return cursor.rowcount

    async def pending_buckets(
        self, until: dt.datetime, max_priority: int
    ) -> list[tuple[dt.datetime, int]]:
        """(due time, count) of pending rows due before ``until``, earliest first."""
        async with self._db.execute(
            "SELECT due_at, COUNT(*) FROM outbox WHERE state = 'pending' AND priority <= ?"
            " AND due_at <= ? GROUP BY due_at ORDER BY due_at",
            (max_priority, _ts(until)),
        ) as cursor:
            return [
                (dt.datetime.fromisoformat(row[0]), int(row[1])) for row in await cursor.fetchall()
            ]

    async def next_pending_due(self) -> dt.datetime | None:
        async with self._db.execute(
            "SELECT MIN(COALESCE(next_attempt_at, due_at)) FROM outbox WHERE state = 'pending'"
        ) as cursor:
            row = await cursor.fetchone()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    async def due_rows(
        self, until: dt.datetime, now: dt.datetime, max_priority: int, limit: int
    ) -> list[OutboxRow]:
        """Pending rows due before ``until`` that are not waiting for a retry, in sending order."""
        async with self._db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
            " WHERE state = 'pending' AND priority <= ? AND due_at <= ?"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            " ORDER BY priority, due_at, id LIMIT ?",
            (max_priority, _ts(until), _ts(now), limit),
        ) as cursor:
            return [_outbox_row(row) for row in await cursor.fetchall()]

    async def pending_for_chat(
        self, chat_id: int, kind: str, until: dt.datetime
    ) -> list[OutboxRow]:
        async with self._db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
            " WHERE chat_id = ? AND kind = ? AND state = 'pending' AND due_at <= ?"
            " ORDER BY due_at, id",
            (chat_id, kind, _ts(until)),
        ) as cursor:
            return [_outbox_row(row) for row in await cursor.fetchall()]

    async def claim(self, row_ids: Sequence[int]) -> list[int]:
        """Mark pending rows as being sent; returns the ids this call took."""
        claimed: list[int] = []
        async with self._transaction() as db:
            for row_id in row_ids:
                cursor = await db.execute(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
                    " WHERE id = ? AND state = 'pending'",
                    (row_id,),
                )
                if cursor.rowcount == 1:
                    claimed.append(row_id)
        return claimed

    async def finish(
        self,
        row_ids: Sequence[int],
        state: str,
        now: dt.datetime,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        if state not in FINAL_STATES:
            raise ValueError(f"not a final state: {state}")
        await self._db.executemany(
            "UPDATE outbox SET state = ?, finished_at = ?, message_id = ?, error = ? WHERE id = ?",
            [(state, _ts(now), message_id, error, row_id) for row_id in row_ids],
        )

    async def retry_later(
        self, row_ids: Sequence[int], at: dt.datetime, error: str | None, count_attempt: bool
    ) -> None:
        """Put claimed rows back to pending, to be tried again from ``at``."""
        await self._db.executemany(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ?, error = ?,"
            " attempts = attempts - ? WHERE id = ? AND state = 'sending'",
            [(_ts(at), error, 0 if count_attempt else 1, row_id) for row_id in row_ids],
        )

    async def cancel_batch(self, batch: str, now: dt.datetime) -> int:
        cursor = await self._db.execute(
            "UPDATE outbox SET state = 'cancelled', finished_at = ?"
            " WHERE batch = ? AND state = 'pending'",
            (_ts(now), batch),
        )
        return cursor.rowcount

    async def outbox_counts(
        self, batch: str | None = None, kind: str | None = None
    ) -> dict[str, int]:
        sql = "SELECT state, COUNT(*) FROM outbox WHERE 1 = 1"
        params: list[object] = []
        if batch is not None:
            sql += " AND batch = ?"
            params.append(batch)
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        async with self._db.execute(sql + " GROUP BY state", params) as cursor:
            return {row[0]: int(row[1]) for row in await cursor.fetchall()}

    async def outbox_rows(self, kind: str | None = None) -> list[OutboxRow]:
        """Every outbox row (of a kind), oldest first: for tests, audits and benchmarks."""
        sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
        params: tuple[object, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        async with self._db.execute(sql + " ORDER BY id", params) as cursor:
            return [_outbox_row(row) for row in await cursor.fetchall()]


FINAL_STATES = frozenset({"sent", "blocked", "not_found", "failed", "skipped", "cancelled"})

_OUTBOX_COLUMNS = (
    "id, key, kind, chat_id, priority, payload, due_at, not_after, state, attempts, batch,"
    " finished_at, message_id, error"
)


def _ts(moment: dt.datetime) -> str:
    """Outbox timestamps: UTC, fixed width, so that text order is time order in SQL."""
    if moment.tzinfo is None:
        raise ValueError("outbox timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class ReminderPreference:
    user_id: int
    lead_minutes: int | None  # None: reminders off
    everyone_reminders: bool  # reminders of the sessions marked for everyone


@dataclass(frozen=True)
class Delivery:
    """A message the bot will send on its own initiative, identified by a stable key."""

    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any]
    due_at: dt.datetime
    not_after: dt.datetime | None = None  # past this moment it is no longer useful: skipped
    priority: int = 0  # 0: has a deadline (reminders, notices); 1: bulk (broadcasts)
    batch: str | None = None


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    kind: str
    chat_id: int
    priority: int
    payload: dict[str, Any]
    due_at: dt.datetime
    not_after: dt.datetime | None
    state: str
    attempts: int
    batch: str | None
    finished_at: dt.datetime | None
    message_id: int | None
    error: str | None


def _delivery_row(d: Delivery, now: dt.datetime) -> tuple[object, ...]:
    return (
        d.key,
        d.kind,
        d.chat_id,
        d.priority,
        json.dumps(d.payload, sort_keys=True, ensure_ascii=False),
        _ts(d.due_at),
        _ts(d.not_after) if d.not_after else None,
        d.batch,
        _ts(now),
    )


def _outbox_row(row: Any) -> OutboxRow:
    return OutboxRow(
        id=row[0],
        key=row[1],
        kind=row[2],
        chat_id=row[3],
        priority=row[4],
        payload=json.loads(row[5]),
        due_at=dt.datetime.fromisoformat(row[6]),
        not_after=dt.datetime.fromisoformat(row[7]) if row[7] else None,
        state=row[8],
        attempts=row[9],
        batch=row[10],
        finished_at=dt.datetime.fromisoformat(row[11]) if row[11] else None,
        message_id=row[12],
        error=row[13],
    )
