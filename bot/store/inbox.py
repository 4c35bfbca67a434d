"""Queries of the organisers' inbox (questions passed on, claims, replies, spam mutes), of the
FAQ entries added from it, and of the ask log behind /insights."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

import aiosqlite

from bot.domain.inbox import AddedFaq
from bot.domain.outbox import Delivery
from bot.store.base import StoreBase, from_iso, ts
from bot.store.outbox import OutboxQueries


@dataclass(frozen=True)
class InboxQuestion:
    id: int
    user_id: int
    asker_name: str
    language: str
    text: str
    guesses: tuple[str, ...]
    asked_at: dt.datetime
    state: str  # open, claimed, answered, closed, spam
    claimed_by: int | None
    claimed_name: str | None
    claim_expires: dt.datetime | None
    answer: str | None
    answered_name: str | None


@dataclass(frozen=True)
class AskLogCounts:
    """The ask log, counted: no user id, no text."""

    by_hour: Counter[tuple[dt.datetime, str]]  # (hour, outcome) -> questions
    by_language: Counter[str]
    by_ref: Counter[str]


def _question(row: aiosqlite.Row) -> InboxQuestion:
    return InboxQuestion(
        id=row["id"],
        user_id=row["user_id"],
        asker_name=row["asker_name"],
        language=row["language"],
        text=row["text"],
        guesses=tuple(json.loads(row["guesses"])),
        asked_at=_moment(row["asked_at"]),
        state=row["state"],
        claimed_by=row["claimed_by"],
        claimed_name=row["claimed_name"],
        claim_expires=from_iso(row["claim_expires"]),
        answer=row["answer"],
        answered_name=row["answered_name"],
    )


def _moment(text: str) -> dt.datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


# Open, or claimed by someone whose claim has run out: free to claim.
_FREE = "(state = 'open' OR (state = 'claimed' AND claim_expires < ?))"


class InboxQueries(OutboxQueries, StoreBase):
    # --- asking ------------------------------------------------------------------------------

    async def queue_question(
        self,
        user_id: int,
        asker_name: str,
        language: str,
        text: str,
        guesses: tuple[str, ...],
        now: dt.datetime,
    ) -> int:
        cursor = await self._write(
            "INSERT INTO inbox_questions (user_id, asker_name, language, text, guesses, asked_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, asker_name, language, text, json.dumps(list(guesses)), ts(now)),
        )
        return int(cursor.lastrowid or 0)

    async def questions_asked_since(self, user_id: int, since: dt.datetime) -> int:
        row = await self._row(
            "SELECT COUNT(*) FROM inbox_questions WHERE user_id = ? AND asked_at >= ?",
            (user_id, ts(since)),
        )
        return int(row[0]) if row else 0

    async def is_muted(self, user_id: int) -> bool:
        return (
            await self._row("SELECT 1 FROM inbox_muted WHERE user_id = ?", (user_id,)) is not None
        )

    # --- the queue ---------------------------------------------------------------------------

    async def inbox_question(self, question_id: int) -> InboxQuestion | None:
        row = await self._row("SELECT * FROM inbox_questions WHERE id = ?", (question_id,))
        return _question(row) if row is not None else None

    async def next_open_question(self, now: dt.datetime, after: int = 0) -> InboxQuestion | None:
        """The oldest question free to claim with an id above ``after``."""
        row = await self._row(
            f"SELECT * FROM inbox_questions WHERE {_FREE} AND id > ? ORDER BY id LIMIT 1",
            (ts(now), after),
        )
        return _question(row) if row is not None else None

    async def open_question_count(self, now: dt.datetime) -> int:
        row = await self._row(f"SELECT COUNT(*) FROM inbox_questions WHERE {_FREE}", (ts(now),))
        return int(row[0]) if row else 0

    async def claim_question(
        self, question_id: int, staff_id: int, staff_name: str, until: dt.datetime, now: dt.datetime
    ) -> bool:
        """Claim a question for one staff member's reply, in one statement: True when it was
        free (or already theirs), False when someone else holds it or it is closed."""
        cursor = await self._write(
            "UPDATE inbox_questions SET state = 'claimed', claimed_by = ?, claimed_name = ?,"
            f" claim_expires = ? WHERE id = ? AND ({_FREE}"
            " OR (state = 'claimed' AND claimed_by = ?))",
            (staff_id, staff_name, ts(until), question_id, ts(now), staff_id),
        )
        return cursor.rowcount == 1

    async def release_claim(self, question_id: int, staff_id: int) -> bool:
        cursor = await self._write(
            "UPDATE inbox_questions SET state = 'open', claimed_by = NULL, claimed_name = NULL,"
            " claim_expires = NULL WHERE id = ? AND state = 'claimed' AND claimed_by = ?",
            (question_id, staff_id),
        )
        return cursor.rowcount == 1

    async def claim_of(self, staff_id: int, now: dt.datetime) -> InboxQuestion | None:
        """The question a staff member holds a live claim on, if any."""
        row = await self._row(
            "SELECT * FROM inbox_questions WHERE claimed_by = ? AND state = 'claimed'"
            " AND claim_expires >= ? ORDER BY id DESC LIMIT 1",
            (staff_id, ts(now)),
        )
        return _question(row) if row is not None else None

    async def live_claims(self, now: dt.datetime) -> dict[int, int]:
        """Staff id -> the question each holds a live claim on (to route replies after a
        restart)."""
        rows = await self._rows(
            "SELECT claimed_by, id FROM inbox_questions WHERE state = 'claimed'"
            " AND claim_expires >= ? ORDER BY id",
            (ts(now),),
        )
        return {int(row[0]): int(row[1]) for row in rows}

    async def answer_question(
        self,
        question_id: int,
        staff_id: int,
        staff_name: str,
        answer: str,
        delivery: Delivery,
        now: dt.datetime,
    ) -> bool:
        """Record a reply under a live claim and queue its delivery, in one transaction; False
        (nothing written) when the claim is not theirs any more."""
        async with self._transaction() as db:
            cursor = await db.execute(
                "UPDATE inbox_questions SET state = 'answered', answer = ?, answered_by = ?,"
                " answered_name = ?, answered_at = ?, claimed_by = NULL, claim_expires = NULL"
                " WHERE id = ? AND state = 'claimed' AND claimed_by = ? AND claim_expires >= ?",
                (answer, staff_id, staff_name, ts(now), question_id, staff_id, ts(now)),
            )
            if cursor.rowcount != 1:
                return False
            await self._enqueue_in(db, [delivery], now)
        return True

    async def close_question(self, question_id: int, state: str, now: dt.datetime) -> bool:
        """Mark a question answered elsewhere (``closed``) or ``spam``; spam mutes its author.
        False when someone holds a live claim on it or it was closed already."""
        async with self._transaction() as db:
            cursor = await db.execute(
                "UPDATE inbox_questions SET state = ?, claimed_by = NULL, claimed_name = NULL,"
                f" claim_expires = NULL WHERE id = ? AND {_FREE}",
                (state, question_id, ts(now)),
            )
            if cursor.rowcount != 1:
                return False
            if state == "spam":
                await db.execute(
                    "INSERT OR IGNORE INTO inbox_muted (user_id, muted_at)"
                    " SELECT user_id, ? FROM inbox_questions WHERE id = ?",
                    (ts(now), question_id),
                )
        return True

    async def queued_question_texts(self) -> list[str]:
        """The texts of every question passed on that the bot could not answer, oldest first."""
        rows = await self._rows(
            "SELECT text FROM inbox_questions WHERE state != 'spam' ORDER BY id"
        )
        return [str(row[0]) for row in rows]

    # --- FAQ entries added from replies ------------------------------------------------------

    async def add_faq_from(
        self, question_id: int, staff_id: int, staff_name: str, now: dt.datetime
    ) -> AddedFaq | None:
        """Make an answered question a FAQ entry (once); None when it has no reply."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO faq_added"
                " (question, answer, language, source_id, added_by, added_by_name, added_at)"
                " SELECT text, answer, language, id, ?, ?, ? FROM inbox_questions"
                " WHERE id = ? AND state = 'answered' AND answer IS NOT NULL",
                (staff_id, staff_name, ts(now), question_id),
            )
        rows = await self._rows("SELECT * FROM faq_added WHERE source_id = ?", (question_id,))
        return _added(rows[0]) if rows else None

    async def added_faq(self) -> list[AddedFaq]:
        return [_added(row) for row in await self._rows("SELECT * FROM faq_added ORDER BY id")]

    # --- the ask log -------------------------------------------------------------------------

    async def log_question(
        self, hour: dt.datetime, language: str, outcome: str, ref: str | None
    ) -> None:
        await self._write(
            "INSERT INTO ask_log (hour, language, outcome, ref) VALUES (?, ?, ?, ?)",
            (ts(hour), language, outcome, ref),
        )

    async def ask_log_counts(self) -> AskLogCounts:
        by_hour: Counter[tuple[dt.datetime, str]] = Counter()
        by_language: Counter[str] = Counter()
        by_ref: Counter[str] = Counter()
        rows = await self._rows(
            "SELECT hour, language, outcome, ref, COUNT(*) FROM ask_log"
            " GROUP BY hour, language, outcome, ref"
        )
        for hour, language, outcome, ref, n in rows:
            by_hour[(_moment(hour), outcome)] += n
            by_language[language] += n
            if ref:
                by_ref[ref] += n
        return AskLogCounts(by_hour, by_language, by_ref)

    async def choice_counts(self) -> Counter[str]:
        rows = await self._rows("SELECT session_id, COUNT(*) FROM choices GROUP BY session_id")
        return Counter({str(session): int(n) for session, n in rows})


def _added(row: aiosqlite.Row) -> AddedFaq:
    return AddedFaq(
        id=row["id"],
        question=row["question"],
        answer=row["answer"],
        language=row["language"],
        added_by_name=row["added_by_name"],
        added_at=_moment(row["added_at"]),
    )
