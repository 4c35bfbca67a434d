"""Queries of the outbox: every message the bot sends on its own initiative is a row here first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import aiosqlite

from bot.domain.outbox import FINAL_STATES, Delivery, DeliveryState, OutboxKind, OutboxRow
from bot.store.base import StoreBase, ts

OUTBOX_COLUMNS = (
    "id, key, kind, chat_id, priority, payload, due_at, not_after, state, attempts, batch,"
    " finished_at, message_id, error"
)


def _delivery_row(d: Delivery, now: dt.datetime) -> tuple[object, ...]:
    return (
        d.key,
        d.kind,
        d.chat_id,
        d.priority,
        json.dumps(d.payload, sort_keys=True, ensure_ascii=False),
        ts(d.due_at),
        ts(d.not_after) if d.not_after else None,
        d.batch,
        ts(now),
    )


def _outbox_row(row: Any) -> OutboxRow:
    return OutboxRow(
        id=row[0],
        key=row[1],
        kind=OutboxKind(row[2]),
        chat_id=row[3],
        priority=row[4],
        payload=json.loads(row[5]),
        due_at=dt.datetime.fromisoformat(row[6]),
        not_after=dt.datetime.fromisoformat(row[7]) if row[7] else None,
        state=DeliveryState(row[8]),
        attempts=row[9],
        batch=row[10],
        finished_at=dt.datetime.fromisoformat(row[11]) if row[11] else None,
        message_id=row[12],
        error=row[13],
    )


class OutboxQueries(StoreBase):
    # --- outbox ------------------------------------------------------------------------------

    async def enqueue(self, deliveries: Sequence[Delivery], now: dt.datetime) -> int:
        """Add deliveries; a key already present is left alone. Returns how many were added."""
        before = self._db.total_changes
        async with self._transaction() as db:
            await self._enqueue_in(db, deliveries, now)
        return self._db.total_changes - before

    @staticmethod
    async def _enqueue_in(
        db: aiosqlite.Connection, deliveries: Sequence[Delivery], now: dt.datetime
    ) -> None:
        """Add deliveries inside a transaction the caller holds (a key present is left alone)."""
        await db.executemany(
            """
            INSERT OR IGNORE INTO outbox
                (key, kind, chat_id, priority, payload, due_at, not_after, batch, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [_delivery_row(d, now) for d in deliveries],
        )

    async def sync_planned(
        self,
        kind: OutboxKind,
        planned: Sequence[Delivery],
        now: dt.datetime,
        user_id: int | None = None,
    ) -> tuple[int, int]:
        """Make the pending rows of ``kind`` (of one chat, or all) exactly the planned ones.

        New keys are added, pending rows with a planned key get the planned due time, and pending
        rows that are no longer planned are cancelled. A cancelled row that is planned again (a
        user who unblocked the bot, a session added back to an agenda) is pending once more: it
        was never sent. Rows sent or met by an error are never touched, so planning again after
        a restart or a reload cannot send anything twice.
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
                    payload = excluded.payload,
                    state = 'pending',
                    finished_at = NULL
                WHERE outbox.state = 'cancelled'
                    OR outbox.state = 'pending'
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
                # Rows whose moment has passed are not re-planned but left to the sender,
                # which records them as skipped and logs it.
                " AND (not_after IS NULL OR not_after > ?)"
            )
            params: tuple[object, ...] = (ts(now), kind, ts(now))
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
        cursor = await self._write("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
        return cursor.rowcount

    async def pending_buckets(
        self, until: dt.datetime, max_priority: int
    ) -> list[tuple[dt.datetime, int]]:
        """(due time, count) of pending rows due before ``until``, earliest first."""
        return [
            (dt.datetime.fromisoformat(row[0]), int(row[1]))
            for row in await self._rows(
                "SELECT due_at, COUNT(*) FROM outbox WHERE state = 'pending' AND priority <= ?"
                " AND due_at <= ? GROUP BY due_at ORDER BY due_at",
                (max_priority, ts(until)),
            )
        ]

    async def next_pending_due(self) -> dt.datetime | None:
        row = await self._row(
            "SELECT MIN(COALESCE(next_attempt_at, due_at)) FROM outbox WHERE state = 'pending'"
        )
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    async def due_rows(
        self, until: dt.datetime, now: dt.datetime, max_priority: int, limit: int
    ) -> list[OutboxRow]:
        """Pending rows due before ``until`` that are not waiting for a retry, in sending order."""
        return [
            _outbox_row(row)
            for row in await self._rows(
                f"SELECT {OUTBOX_COLUMNS} FROM outbox"
                " WHERE state = 'pending' AND priority <= ? AND due_at <= ?"
                " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
                " ORDER BY priority, due_at, id LIMIT ?",
                (max_priority, ts(until), ts(now), limit),
            )
        ]

    async def pending_for_chat(
        self, chat_id: int, kind: OutboxKind, until: dt.datetime
    ) -> list[OutboxRow]:
        return [
            _outbox_row(row)
            for row in await self._rows(
                f"SELECT {OUTBOX_COLUMNS} FROM outbox"
                " WHERE chat_id = ? AND kind = ? AND state = 'pending' AND due_at <= ?"
                " ORDER BY due_at, id",
                (chat_id, kind, ts(until)),
            )
        ]

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
        state: DeliveryState,
        now: dt.datetime,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        if state not in FINAL_STATES:
            raise ValueError(f"not a final state: {state}")
        await self._write_many(
            "UPDATE outbox SET state = ?, finished_at = ?, message_id = ?, error = ? WHERE id = ?",
            [(state, ts(now), message_id, error, row_id) for row_id in row_ids],
        )
        await self._after_finish(row_ids)

    async def _after_finish(self, row_ids: Sequence[int]) -> None:
        """What a kind of row needs once final (broadcasts: forget who a group's copy went to)."""

    async def retry_later(
        self, row_ids: Sequence[int], at: dt.datetime, error: str | None, count_attempt: bool
    ) -> None:
        """Put claimed rows back to pending, to be tried again from ``at``."""
        await self._write_many(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ?, error = ?,"
            " attempts = attempts - ? WHERE id = ? AND state = 'sending'",
            [(ts(at), error, 0 if count_attempt else 1, row_id) for row_id in row_ids],
        )

    async def outbox_counts(
        self, batch: str | None = None, kind: OutboxKind | None = None
    ) -> dict[DeliveryState, int]:
        """How many rows (of a batch, of a kind) are in each state: a broadcast's progress, and a
        seam for tests and benchmarks."""
        sql = "SELECT state, COUNT(*) FROM outbox WHERE 1 = 1"
        params: list[object] = []
        if batch is not None:
            sql += " AND batch = ?"
            params.append(batch)
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        return {
            DeliveryState(row[0]): int(row[1])
            for row in await self._rows(sql + " GROUP BY state", params)
        }

    async def outbox_rows(self, kind: OutboxKind | None = None) -> list[OutboxRow]:
        """Every outbox row (of a kind), oldest first: for tests, audits and benchmarks."""
        sql = f"SELECT {OUTBOX_COLUMNS} FROM outbox"
        params: tuple[object, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        return [_outbox_row(row) for row in await self._rows(sql + " ORDER BY id", params)]
