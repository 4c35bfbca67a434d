"""Queries about users: who they are, what they chose, how they want to be reminded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from bot.store.base import StoreBase, from_iso, iso


@dataclass(frozen=True)
class User:
    user_id: int
    language: str | None  # the Telegram app's language_code
    chosen_language: str | None  # chosen with /language; wins over the app's
    first_seen: dt.datetime
    last_seen: dt.datetime
    blocked_at: dt.datetime | None

    @property
    def blocked(self) -> bool:
        return self.blocked_at is not None


@dataclass(frozen=True)
class ReminderPreference:
    user_id: int
    lead_minutes: int | None  # None: reminders off
    everyone_reminders: bool  # reminders of the sessions marked for everyone


class UserQueries(StoreBase):
    def __init__(self, db: aiosqlite.Connection) -> None:
        super().__init__(db)
        # Every session card shows whether it is in the reader's agenda, so choices are read
        # far more often than written; this process is the only writer, so a per-user cache
        # that the writes drop stays true.
        self._choices_cache: dict[int, frozenset[str]] = {}
        # Every update is answered in its sender's chosen language, so it is cached the same way.
        self._chosen_cache: dict[int, str | None] = {}

    # --- users -------------------------------------------------------------------------------

    async def touch_user(self, user_id: int, language: str | None, now: dt.datetime) -> bool:
        """Record that a user spoke to the bot in private; True when the user is new (the
        reminders planned for them must then be worked out).

        It leaves ``blocked_at`` alone: a user who blocked the bot cannot write to it, and the
        unblock comes as a ``my_chat_member`` update (:meth:`mark_unblocked`).
        """
        stamp = iso(now)
        async with self._transaction() as db:
            cursor = await db.execute(
                "INSERT INTO users (user_id, language, first_seen, last_seen, blocked_at)"
                " VALUES (?, ?, ?, ?, NULL) ON CONFLICT(user_id) DO NOTHING",
                (user_id, language, stamp, stamp),
            )
            if cursor.rowcount == 1:
                return True
            await db.execute(
                "UPDATE users SET language = COALESCE(?, language), last_seen = ?"
                " WHERE user_id = ?",
                (language, stamp, user_id),
            )
        return False

    async def mark_blocked(self, user_id: int, now: dt.datetime) -> bool:
        """The user blocked the bot; True when that is news about a known user."""
        cursor = await self._write(
            "UPDATE users SET blocked_at = ? WHERE user_id = ? AND blocked_at IS NULL",
            (iso(now), user_id),
        )
        return cursor.rowcount == 1

    async def mark_unblocked(self, user_id: int) -> bool:
        """The user unblocked the bot; True when a known user had blocked it."""
        cursor = await self._write(
            "UPDATE users SET blocked_at = NULL WHERE user_id = ? AND blocked_at IS NOT NULL",
            (user_id,),
        )
        return cursor.rowcount == 1

    async def user(self, user_id: int) -> User | None:
        row = await self._row(
            "SELECT user_id, language, chosen_language, first_seen, last_seen, blocked_at"
            " FROM users"
            " WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        first_seen = from_iso(row["first_seen"])
        last_seen = from_iso(row["last_seen"])
        assert first_seen is not None and last_seen is not None
        return User(
            user_id=row["user_id"],
            language=row["language"],
            chosen_language=row["chosen_language"],
            first_seen=first_seen,
            last_seen=last_seen,
            blocked_at=from_iso(row["blocked_at"]),
        )

    async def set_chosen_language(self, user_id: int, language: str | None) -> None:
        """Remember the interface language a user chose (None: follow Telegram's again)."""
        await self._write(
            "UPDATE users SET chosen_language = ? WHERE user_id = ?", (language, user_id)
        )
        self._chosen_cache.pop(user_id, None)

    async def chosen_language(self, user_id: int) -> str | None:
        """The interface language a user chose with /language, or None."""
        if user_id not in self._chosen_cache:
            row = await self._row("SELECT chosen_language FROM users WHERE user_id = ?", (user_id,))
            self._chosen_cache[user_id] = row["chosen_language"] if row is not None else None
        return self._chosen_cache[user_id]

    async def languages_of(
        self, user_ids: Iterable[int]
    ) -> dict[int, tuple[str | None, str | None]]:
        """(chosen language, Telegram language) of each known user among ``user_ids``, in one
        query (the sender renders a batch of deliveries, each in its recipient's language)."""
        ids = sorted(set(user_ids))
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = await self._rows(
            f"SELECT user_id, chosen_language, language FROM users WHERE user_id IN ({marks})",
            tuple(ids),
        )
        return {row["user_id"]: (row["chosen_language"], row["language"]) for row in rows}

    async def count_users(self) -> tuple[int, int]:
        """(all users, users who blocked the bot)."""
        row = await self._row("SELECT COUNT(*), COUNT(blocked_at) FROM users")
        assert row is not None
        return int(row[0]), int(row[1])

    # --- personal agenda and reminder settings ----------------------------------------------

    async def add_choice(self, user_id: int, session_id: str, now: dt.datetime) -> bool:
        """Add a session to a user's agenda; False when it was already there."""
        cursor = await self._write(
            "INSERT OR IGNORE INTO choices (user_id, session_id, added_at) VALUES (?, ?, ?)",
            (user_id, session_id, iso(now)),
        )
        self._forget_choices(user_id)
        return cursor.rowcount == 1

    async def remove_choice(self, user_id: int, session_id: str) -> bool:
        cursor = await self._write(
            "DELETE FROM choices WHERE user_id = ? AND session_id = ?", (user_id, session_id)
        )
        self._forget_choices(user_id)
        return cursor.rowcount == 1

    def _forget_choices(self, user_id: int) -> None:
        self._choices_cache.pop(user_id, None)

    async def choices_of(self, user_id: int) -> set[str]:
        cached = self._choices_cache.get(user_id)
        if cached is None:
            cached = frozenset(
                row[0]
                for row in await self._rows(
                    "SELECT session_id FROM choices WHERE user_id = ?", (user_id,)
                )
            )
            self._choices_cache[user_id] = cached
        return set(cached)

    async def choosers_of(self, session_id: str) -> list[int]:
        """Users (not blocked) who chose a session."""
        return [
            row[0]
            for row in await self._rows(
                "SELECT c.user_id FROM choices c JOIN users u ON u.user_id = c.user_id"
                " WHERE c.session_id = ? AND u.blocked_at IS NULL ORDER BY c.user_id",
                (session_id,),
            )
        ]

    async def all_choices(self) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        for row in await self._rows("SELECT user_id, session_id FROM choices"):
            found.setdefault(row[0], set()).add(row[1])
        return found

    async def set_lead_minutes(self, user_id: int, minutes: int | None) -> None:
        await self._write("UPDATE users SET lead_minutes = ? WHERE user_id = ?", (minutes, user_id))

    async def set_everyone_reminders(self, user_id: int, enabled: bool) -> None:
        await self._write(
            "UPDATE users SET everyone_reminders = ? WHERE user_id = ?", (int(enabled), user_id)
        )

    async def reminder_preferences(self, user_id: int | None = None) -> list[ReminderPreference]:
        """Reminder settings of users who have not blocked the bot (of one user if given)."""
        sql = "SELECT user_id, lead_minutes, everyone_reminders FROM users WHERE blocked_at IS NULL"
        params: tuple[int, ...] = ()
        if user_id is not None:
            sql += " AND user_id = ?"
            params = (user_id,)
        return [
            ReminderPreference(row[0], row[1], bool(row[2]))
            for row in await self._rows(sql, params)
        ]
