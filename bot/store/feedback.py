"""Queries of feedback: answers under a pseudonymous key, groups, follow-up opt-ins, the short-lived
"the next text is a comment" state, and who opened a session through its door QR code.

Answers never carry a user id: ``respondent`` is a keyed hash of it (see
:func:`bot.domain.feedback.pseudonym`), which is enough to keep one answer per person and session
and to let a person change their answer, while the answer tables name nobody.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import aiosqlite

from bot.domain.feedback import AnswerValue, FeedbackAnswer
from bot.store.base import StoreBase, from_iso, iso, ts

FEEDBACK_SECRET_SETTING = "feedback_secret"
# HMAC of a fixed label under the secret in use, recorded at first use: a different secret later
# is noticed at start instead of silently re-keying every pseudonym.
FEEDBACK_SECRET_CHECK_SETTING = "feedback_secret_check"

ANSWER_COLUMNS = (
    "a.session_id, a.rating, a.attended, a.comment, a.answers, r.grp, a.answered_at, a.respondent"
)
ANSWER_FROM = (
    " FROM feedback_answers a LEFT JOIN feedback_respondents r ON r.respondent = a.respondent"
)


def _answer(row: Any) -> FeedbackAnswer:
    return FeedbackAnswer(
        session_id=row[0],
        rating=row[1],
        attended=bool(row[2]),
        comment=row[3],
        answers=json.loads(row[4]),
        group=row[5],
        answered_at=from_iso(row[6]),
        respondent=row[7],
    )


class FeedbackQueries(StoreBase):
    def __init__(self, db: aiosqlite.Connection) -> None:
        super().__init__(db)
        self._stored_secret: bytes | None = None  # read once, then kept
        # Users with a pending comment, known in memory so that the check made on every text
        # an attendee sends costs no database round trip. This process is the only writer, so
        # the set stays true once loaded.
        self._pending_comment_users: set[int] | None = None

    # --- the pseudonym secret ------------------------------------------------------------------

    async def feedback_secret(self, configured: str | None) -> bytes:
        """The secret pseudonyms are keyed with: the configured one, or one kept in the store.

        Without ``CONFBOT_FEEDBACK_SECRET`` a random secret is generated on first use and kept in
        the settings table, so pseudonyms stay stable across restarts. Whoever holds the database
        then also holds the secret; set the variable to keep them apart.
        """
        if configured:
            return configured.encode()
        if self._stored_secret is not None:
            return self._stored_secret
        secret = (await self._kept_setting(FEEDBACK_SECRET_SETTING, secrets.token_hex(32))).encode()
        self._stored_secret = secret
        return secret

    async def feedback_secret_state(self) -> tuple[str | None, str | None, bool]:
        """(the generated secret kept here, the recorded check value, whether any answer, group
        or "group asked" mark is stored under some secret)."""
        settings = {
            str(row[0]): str(row[1])
            for row in await self._rows(
                "SELECT key, value FROM settings WHERE key IN (?, ?)",
                (FEEDBACK_SECRET_SETTING, FEEDBACK_SECRET_CHECK_SETTING),
            )
        }
        row = await self._row(
            "SELECT EXISTS (SELECT 1 FROM feedback_answers)"
            " OR EXISTS (SELECT 1 FROM feedback_respondents)"
        )
        return (
            settings.get(FEEDBACK_SECRET_SETTING),
            settings.get(FEEDBACK_SECRET_CHECK_SETTING),
            bool(row and row[0]),
        )

    async def record_feedback_secret_check(self, check: str, drop_generated: bool) -> None:
        """Record the check value of the secret in use; with ``drop_generated``, delete the
        generated secret (a configured one replaces it before anything was keyed with it)."""
        async with self._transaction() as db:
            if drop_generated:
                await db.execute("DELETE FROM settings WHERE key = ?", (FEEDBACK_SECRET_SETTING,))
            await db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (FEEDBACK_SECRET_CHECK_SETTING, check),
            )
        if drop_generated:
            self._stored_secret = None

    async def reset_feedback(self) -> int:
        """Delete every answer, group and "group asked" mark, pending comment and the record of
        the secret (generated secret and check value); returns how many answers went."""
        async with self._transaction() as db:
            cursor = await db.execute("DELETE FROM feedback_answers")
            deleted = cursor.rowcount
            await db.execute("DELETE FROM feedback_respondents")
            await db.execute("DELETE FROM feedback_pending_comments")
            await db.execute(
                "DELETE FROM settings WHERE key IN (?, ?)",
                (FEEDBACK_SECRET_SETTING, FEEDBACK_SECRET_CHECK_SETTING),
            )
        self._stored_secret = None
        self._pending_comment_users = set()
        return deleted

    # --- answers -------------------------------------------------------------------------------

    async def save_rating(
        self, session_id: str, respondent: str, rating: int, now: dt.datetime
    ) -> None:
        """Record or replace a rating; a person who said they did not attend now did."""
        if not 1 <= rating <= 5:
            raise ValueError(f"a rating is 1 to 5, not {rating}")
        stamp = iso(now)
        await self._write(
            """
            INSERT INTO feedback_answers
                (session_id, respondent, rating, attended, answered_at, updated_at)
            VALUES (?, ?, ?, 1, ?, ?)
            ON CONFLICT (session_id, respondent) DO UPDATE SET
                rating = excluded.rating, attended = 1, updated_at = excluded.updated_at
            """,
            (session_id, respondent, rating, stamp, stamp),
        )

    async def save_not_attended(self, session_id: str, respondent: str, now: dt.datetime) -> None:
        """The person did not attend: no rating, no question answers; a comment sent stays."""
        stamp = iso(now)
        await self._write(
            """
            INSERT INTO feedback_answers
                (session_id, respondent, rating, attended, answered_at, updated_at)
            VALUES (?, ?, NULL, 0, ?, ?)
            ON CONFLICT (session_id, respondent) DO UPDATE SET
                rating = NULL, attended = 0, answers = '{}', updated_at = excluded.updated_at
            """,
            (session_id, respondent, stamp, stamp),
        )

    async def save_question_answer(
        self,
        session_id: str,
        respondent: str,
        question_id: str,
        value: AnswerValue | None,
        now: dt.datetime,
    ) -> bool:
        """Answer (None: skip) one of the event's questions; False when there is no rating yet."""
        async with self._transaction() as db:
            async with db.execute(
                "SELECT answers FROM feedback_answers"
                " WHERE session_id = ? AND respondent = ? AND attended = 1",
                (session_id, respondent),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return False
            answers = json.loads(row[0])
            answers[question_id] = value
            await db.execute(
                "UPDATE feedback_answers SET answers = ?, updated_at = ?"
                " WHERE session_id = ? AND respondent = ?",
                (
                    json.dumps(answers, sort_keys=True, ensure_ascii=False),
                    iso(now),
                    session_id,
                    respondent,
                ),
            )
        return True

    async def save_comment(
        self, session_id: str, respondent: str, comment: str | None, now: dt.datetime
    ) -> bool:
        """Set (or with None remove) the comment of an existing answer, stored exactly as sent."""
        cursor = await self._write(
            "UPDATE feedback_answers SET comment = ?, updated_at = ?"
            " WHERE session_id = ? AND respondent = ?",
            (comment, iso(now), session_id, respondent),
        )
        return cursor.rowcount == 1

    async def feedback_answer(self, session_id: str, respondent: str) -> FeedbackAnswer | None:
        row = await self._row(
            f"SELECT {ANSWER_COLUMNS}{ANSWER_FROM} WHERE a.session_id = ? AND a.respondent = ?",
            (session_id, respondent),
        )
        return _answer(row) if row else None

    async def feedback_answers_of(self, respondent: str) -> dict[str, FeedbackAnswer]:
        """One person's answers, by session id."""
        return {
            row[0]: _answer(row)
            for row in await self._rows(
                f"SELECT {ANSWER_COLUMNS}{ANSWER_FROM} WHERE a.respondent = ?", (respondent,)
            )
        }

    async def all_feedback_answers(self) -> list[FeedbackAnswer]:
        """Every answer with its respondent's group, in a stable order that is not time order."""
        return [
            _answer(row)
            for row in await self._rows(
                f"SELECT {ANSWER_COLUMNS}{ANSWER_FROM} ORDER BY a.session_id, a.respondent"
            )
        ]

    async def feedback_prompted(self) -> dict[str, list[int]]:
        """Who was sent a feedback prompt, by session: the response rate's denominator."""
        found: dict[str, list[int]] = {}
        for row in await self._rows(
            "SELECT json_extract(payload, '$.session'), chat_id FROM outbox"
            " WHERE kind = 'feedback' AND state = 'sent'"
        ):
            found.setdefault(str(row[0]), []).append(int(row[1]))
        return found

    # --- groups and follow-up ----------------------------------------------------------------

    async def mark_group_asked(self, respondent: str, now: dt.datetime) -> bool:
        """Note that the group question was asked; False when it already had been."""
        cursor = await self._write(
            """
            INSERT INTO feedback_respondents (respondent, grp, group_asked_at) VALUES (?, NULL, ?)
            ON CONFLICT (respondent) DO UPDATE SET group_asked_at = excluded.group_asked_at
            WHERE feedback_respondents.group_asked_at IS NULL
            """,
            (respondent, iso(now)),
        )
        return cursor.rowcount == 1

    async def set_feedback_group(
        self, respondent: str, group: str | None, now: dt.datetime
    ) -> None:
        await self._write(
            """
            INSERT INTO feedback_respondents (respondent, grp, group_asked_at) VALUES (?, ?, ?)
            ON CONFLICT (respondent) DO UPDATE SET grp = excluded.grp
            """,
            (respondent, group, iso(now)),
        )

    async def feedback_group(self, respondent: str) -> str | None:
        row = await self._row(
            "SELECT grp FROM feedback_respondents WHERE respondent = ?", (respondent,)
        )
        return str(row[0]) if row and row[0] is not None else None

    async def set_follow_up(self, user_id: int, wanted: bool, now: dt.datetime) -> None:
        """Opt in to (or out of) the follow-up recommendations; kept by user id to reach them."""
        if wanted:
            await self._write(
                "INSERT OR IGNORE INTO feedback_follow_up (user_id, opted_in_at) VALUES (?, ?)",
                (user_id, iso(now)),
            )
        else:
            await self._write("DELETE FROM feedback_follow_up WHERE user_id = ?", (user_id,))

    # --- the pending comment -------------------------------------------------------------------

    async def _pending_comment_set(self) -> set[int]:
        if self._pending_comment_users is None:
            self._pending_comment_users = {
                int(row[0])
                for row in await self._rows("SELECT user_id FROM feedback_pending_comments")
            }
        return self._pending_comment_users

    async def set_pending_comment(
        self, user_id: int, session_id: str, expires_at: dt.datetime, now: dt.datetime
    ) -> None:
        """The user's next text until ``expires_at`` is their comment on the session. Expired
        rows of everyone are deleted on the way (a row says "this user answered about this
        session at about this time", which the answer tables must not be linkable to)."""
        await self.purge_expired_pending_comments(now)
        pending = await self._pending_comment_set()
        await self._write(
            "INSERT OR REPLACE INTO feedback_pending_comments (user_id, session_id, expires_at)"
            " VALUES (?, ?, ?)",
            (user_id, session_id, ts(expires_at)),
        )
        pending.add(user_id)

    async def take_pending_comment(self, user_id: int, now: dt.datetime) -> str | None:
        """The session a user's next text comments on, if one is pending; taken only once."""
        pending = await self._pending_comment_set()
        if user_id not in pending:
            return None
        pending.discard(user_id)
        async with self._write_lock:
            row = await self._row(
                "DELETE FROM feedback_pending_comments WHERE user_id = ?"
                " RETURNING session_id, expires_at",
                (user_id,),
            )
        if row is None or str(row[1]) <= ts(now):
            return None
        return str(row[0])

    async def purge_expired_pending_comments(self, now: dt.datetime) -> int:
        """Delete every pending comment whose window is over; returns how many."""
        pending = await self._pending_comment_set()
        async with self._write_lock:
            rows = await self._rows(
                "DELETE FROM feedback_pending_comments WHERE expires_at <= ? RETURNING user_id",
                (ts(now),),
            )
        pending.difference_update(int(row[0]) for row in rows)
        return len(rows)

    async def clear_pending_comment(self, user_id: int) -> None:
        pending = await self._pending_comment_set()
        await self._write("DELETE FROM feedback_pending_comments WHERE user_id = ?", (user_id,))
        pending.discard(user_id)

    # --- who gets a prompt ---------------------------------------------------------------------

    async def record_door_open(self, user_id: int, session_id: str, now: dt.datetime) -> bool:
        """A user opened a session through its door QR code; False when they had before."""
        cursor = await self._write(
            "INSERT OR IGNORE INTO session_openers (user_id, session_id, opened_at)"
            " VALUES (?, ?, ?)",
            (user_id, session_id, iso(now)),
        )
        return cursor.rowcount == 1

    async def feedback_audience(self, user_id: int | None = None) -> dict[int, set[str]]:
        """Sessions each user (who has not blocked the bot) chose or opened at the door."""
        sql = (
            "SELECT x.user_id, x.session_id FROM ("
            " SELECT user_id, session_id FROM choices"
            " UNION SELECT user_id, session_id FROM session_openers) x"
            " LEFT JOIN users u ON u.user_id = x.user_id WHERE u.blocked_at IS NULL"
        )
        params: tuple[int, ...] = ()
        if user_id is not None:
            sql += " AND x.user_id = ?"
            params = (user_id,)
        found: dict[int, set[str]] = {}
        for row in await self._rows(sql, params):
            found.setdefault(int(row[0]), set()).add(str(row[1]))
        return found
