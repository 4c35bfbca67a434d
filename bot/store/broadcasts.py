"""Queries of organiser broadcasts: the message stored once, and its recipients as outbox rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.broadcast import AudienceKind
from bot.domain.outbox import FINAL_STATES, DeliveryState, OutboxKind
from bot.store.base import ts
from bot.store.outbox import OutboxQueries

BULK_PRIORITY = 1

# The finished rows of broadcasts to a stakeholder group, made to name nobody: a row with its
# chat id and a batch whose audience names a group says "this user is in this group" (which the
# feedback tables keep only under a pseudonym). Once final, the row keeps only its state, which
# the broadcast's counts need; the chat id becomes 0 and the key, which held the user id too,
# the row's own id.
_UNLINK_GROUP_ROWS = (
    "UPDATE outbox SET chat_id = 0, message_id = NULL,"
    " key = kind || ':' || batch || ':#' || id"
    f" WHERE kind = '{OutboxKind.BROADCAST}' AND chat_id != 0"
    " AND state IN (" + ", ".join(f"'{state}'" for state in sorted(FINAL_STATES)) + ")"
    " AND batch IN (SELECT CAST(id AS TEXT) FROM broadcasts"
    f" WHERE audience LIKE '{AudienceKind.GROUP}:%')"
)

BROADCAST_COLUMNS = (
    "id, created_by, created_at, due_at, audience, audience_label, content_kind, body, file_id,"
    " paid, recipients, progress_chat_id, progress_message_id, cancelled_at, finished_at"
)


@dataclass(frozen=True)
class Broadcast:
    id: int
    created_by: int
    created_at: dt.datetime
    due_at: dt.datetime
    audience: str  # Audience.code
    audience_label: str
    content_kind: str  # "text", "photo" or "document"
    body: str  # HTML text, or the caption of the photo or document
    file_id: str | None
    paid: bool
    recipients: int
    progress_chat_id: int | None
    progress_message_id: int | None
    cancelled_at: dt.datetime | None
    finished_at: dt.datetime | None

    @property
    def batch(self) -> str:
        return str(self.id)


def broadcast_key(broadcast_id: int, user_id: int) -> str:
    return f"{OutboxKind.BROADCAST}:{broadcast_id}:{user_id}"


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _broadcast(r: Any) -> Broadcast:
    created_at, due_at = _moment(r[2]), _moment(r[3])
    assert created_at is not None and due_at is not None
    return Broadcast(
        id=r[0],
        created_by=r[1],
        created_at=created_at,
        due_at=due_at,
        audience=r[4],
        audience_label=r[5],
        content_kind=r[6],
        body=r[7],
        file_id=r[8],
        paid=bool(r[9]),
        recipients=r[10],
        progress_chat_id=r[11],
        progress_message_id=r[12],
        cancelled_at=_moment(r[13]),
        finished_at=_moment(r[14]),
    )


# The language a person speaks to the bot: their choice (/language) wins over their app's.
_SPOKEN = "COALESCE(chosen_language, language)"


class BroadcastQueries(OutboxQueries):
    # --- composing -----------------------------------------------------------------------------

    async def create_broadcast(
        self,
        *,
        created_by: int,
        audience: str,
        audience_label: str,
        content_kind: str,
        body: str,
        file_id: str | None,
        paid: bool,
        recipients: Sequence[int],
        due_at: dt.datetime,
        now: dt.datetime,
    ) -> Broadcast:
        """Store the message and one outbox row per recipient, in one transaction: either the
        whole broadcast is in the outbox before the first message goes out, or none of it."""
        async with self._transaction() as db:
            cursor = await db.execute(
                "INSERT INTO broadcasts (created_by, created_at, due_at, audience, audience_label,"
                " content_kind, body, file_id, paid, recipients)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created_by,
                    ts(now),
                    ts(due_at),
                    audience,
                    audience_label,
                    content_kind,
                    body,
                    file_id,
                    int(paid),
                    len(recipients),
                ),
            )
            broadcast_id = cursor.lastrowid
            assert broadcast_id is not None
            await db.executemany(
                "INSERT OR IGNORE INTO outbox"
                " (key, kind, chat_id, priority, payload, due_at, batch, created_at)"
                " VALUES (?, ?, ?, ?, '{}', ?, ?, ?)",
                [
                    (
                        broadcast_key(broadcast_id, user_id),
                        OutboxKind.BROADCAST,
                        user_id,
                        BULK_PRIORITY,
                        ts(due_at),
                        str(broadcast_id),
                        ts(now),
                    )
                    for user_id in recipients
                ],
            )
        found = await self.broadcast(broadcast_id)
        assert found is not None
        return found

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        await self._write(
            "UPDATE broadcasts SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, broadcast_id),
        )

    # --- reading -------------------------------------------------------------------------------

    async def broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await self._row(
            f"SELECT {BROADCAST_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row is not None else None

    async def recent_broadcasts(self, limit: int = 10) -> list[Broadcast]:
        return [
            _broadcast(row)
            for row in await self._rows(
                f"SELECT {BROADCAST_COLUMNS} FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,)
            )
        ]

    async def unfinished_broadcasts(self) -> list[Broadcast]:
        """Broadcasts whose final report has not been given yet (running or scheduled)."""
        return [
            _broadcast(row)
            for row in await self._rows(
                f"SELECT {BROADCAST_COLUMNS} FROM broadcasts WHERE finished_at IS NULL ORDER BY id"
            )
        ]

    async def broadcast_counts(self, broadcast_id: int) -> dict[DeliveryState, int]:
        """Outbox rows of one broadcast per state."""
        return await self.outbox_counts(batch=str(broadcast_id), kind=OutboxKind.BROADCAST)

    # --- ending --------------------------------------------------------------------------------

    async def _after_finish(self, row_ids: Sequence[int]) -> None:
        """A finished row of a group broadcast is unlinked at once."""
        if row_ids:
            marks = ", ".join("?" * len(row_ids))
            await self._write(f"{_UNLINK_GROUP_ROWS} AND id IN ({marks})", row_ids)

    async def unlink_group_broadcasts(self) -> int:
        """Unlink every finished row of a group broadcast (at start-up: rows left from before, or
        from a crash between two statements); returns how many."""
        cursor = await self._write(_UNLINK_GROUP_ROWS)
        return cursor.rowcount

    async def cancel_broadcast(self, broadcast_id: int, now: dt.datetime) -> int:
        """Cancel the rows not yet sent; returns how many. Rows in flight still finish."""
        async with self._transaction() as db:
            await db.execute(
                "UPDATE broadcasts SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
                (ts(now), broadcast_id),
            )
            cursor = await db.execute(
                "UPDATE outbox SET state = 'cancelled', finished_at = ?"
                " WHERE batch = ? AND kind = ? AND state = 'pending'",
                (ts(now), str(broadcast_id), OutboxKind.BROADCAST),
            )
            await db.execute(f"{_UNLINK_GROUP_ROWS} AND batch = ?", (str(broadcast_id),))
            return cursor.rowcount

    async def finish_broadcast(self, broadcast_id: int, now: dt.datetime) -> None:
        async with self._transaction() as db:
            await db.execute(
                "UPDATE broadcasts SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                (ts(now), broadcast_id),
            )
            await db.execute(f"{_UNLINK_GROUP_ROWS} AND batch = ?", (str(broadcast_id),))

    # --- audiences -----------------------------------------------------------------------------

    async def audience_everyone(self) -> list[int]:
        return [
            row[0]
            for row in await self._rows(
                "SELECT user_id FROM users WHERE blocked_at IS NULL ORDER BY user_id"
            )
        ]

    async def audience_language(self, language: str) -> list[int]:
        """Users who speak ``language`` or a regional variant of it: the language they chose
        with /language when they chose one, else their Telegram app's."""
        return [
            row[0]
            for row in await self._rows(
                f"SELECT user_id FROM users WHERE blocked_at IS NULL"
                f" AND (lower({_SPOKEN}) = ? OR replace(lower({_SPOKEN}), '_', '-') LIKE ?)"
                " ORDER BY user_id",
                (language, f"{language}-%"),
            )
        ]

    async def language_rows(self) -> list[tuple[str | None, int]]:
        """(language code, users not blocked) for every language spoken: the one chosen with
        /language, else the Telegram app's."""
        return [
            (row[0], int(row[1]))
            for row in await self._rows(
                f"SELECT {_SPOKEN}, COUNT(*) FROM users WHERE blocked_at IS NULL GROUP BY 1"
            )
        ]

    async def audience_follow_up(self) -> list[int]:
        """Users who opted in to the follow-up after the event and have not blocked the bot."""
        return [
            row[0]
            for row in await self._rows(
                "SELECT f.user_id FROM feedback_follow_up f JOIN users u ON u.user_id = f.user_id"
                " WHERE u.blocked_at IS NULL ORDER BY f.user_id"
            )
        ]

    async def respondent_groups(self) -> dict[str, str]:
        """Pseudonym → stakeholder group, for everyone who gave one (see the feedback store)."""
        return {
            row[0]: row[1]
            for row in await self._rows(
                "SELECT respondent, grp FROM feedback_respondents WHERE grp IS NOT NULL"
            )
        }
