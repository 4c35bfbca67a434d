"""Queries of attendees' rights over their data: everything stored about one person (access),
deleting it (erasure), and deleting everyone's once the retention period is over.

A person is found by their user id in most tables and by their feedback pseudonym (the
``respondent`` key, worked out by the feedback service) in the answer tables.
:data:`PERSONAL_TABLES` lists every table that holds either, and :data:`OTHER_TABLES` every
table that holds neither; a test checks that the two together are exactly the schema's tables,
so a new table cannot be left out of access and erasure unnoticed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from bot.store.broadcasts import BroadcastQueries
from bot.store.feedback import FeedbackQueries
from bot.store.team import TeamQueries
from bot.store.users import UserQueries

# The broadcasts an organiser wrote are the event's messages, not the organiser's data: erasing
# the organiser unlinks them (this id stands for "nobody") and keeps the text and the counts.
NOBODY = 0


def audit_pseudonym() -> int:
    """What a forgotten team member becomes in the audit log: a random negative number, new
    at each erasure, so that their actions still read as one person's without naming them."""
    return -(secrets.randbelow(2**31) + 1)


@dataclass(frozen=True)
class PersonalTable:
    """A table with rows about one person, and the column that says whose they are."""

    table: str
    column: str
    key: Literal["user", "pseudonym"]  # what the column holds: the user id or the pseudonym
    # delete the row; unlink it (the id becomes NOBODY); or pseudonymise it (the id becomes
    # the erasure's audit pseudonym, the row stays)
    erase: Literal["delete", "unlink", "pseudonymise"] = "delete"
    # Other columns that may hold the person's id about someone else's row (who granted a
    # role, who used an invite, whom an audited action was about): on erasure these are
    # unlinked (pseudonymised in a pseudonymised table), and the row stays.
    mentions: tuple[str, ...] = ()


PERSONAL_TABLES: tuple[PersonalTable, ...] = (
    PersonalTable("users", "user_id", "user"),
    PersonalTable("choices", "user_id", "user"),
    PersonalTable("session_openers", "user_id", "user"),
    PersonalTable("feedback_follow_up", "user_id", "user"),
    PersonalTable("feedback_pending_comments", "user_id", "user"),
    PersonalTable("outbox", "chat_id", "user"),
    PersonalTable("feedback_answers", "respondent", "pseudonym"),
    PersonalTable("feedback_respondents", "respondent", "pseudonym"),
    PersonalTable("broadcasts", "created_by", "user", erase="unlink"),
    PersonalTable("team_members", "user_id", "user", mentions=("granted_by",)),
    PersonalTable("team_invites", "created_by", "user", mentions=("used_by",)),
    PersonalTable("audit_log", "actor", "user", erase="pseudonymise", mentions=("subject",)),
    PersonalTable("inbox_questions", "user_id", "user"),
    PersonalTable("inbox_muted", "user_id", "user"),
    PersonalTable("faq_added", "added_by", "user", erase="unlink"),
)
# Tables that hold nobody's data, and why.
OTHER_TABLES: dict[str, str] = {
    "settings": "the bot's own settings (the feedback and webhook secrets)",
    "ask_log": "the outcome of each free-text question by hour and language, with no user id",
}

_UNLINK_BROADCASTS = (
    "UPDATE broadcasts SET created_by = ?, progress_chat_id = NULL, progress_message_id = NULL"
    " WHERE created_by = ? OR progress_chat_id = ?"
)
# A FAQ entry added from the inbox is the event's content: erasure keeps it without its author.
_UNLINK_FAQ_ADDED = "UPDATE faq_added SET added_by = NULL, added_by_name = NULL WHERE added_by = ?"
# A staff member's id and name on the questions they claimed or answered (the question itself
# is the asker's): unlinked, and a live claim released, when the staff member is erased.
_UNLINK_STAFF = (
    "UPDATE inbox_questions SET claimed_by = NULL, claimed_name = NULL, claim_expires = NULL,"
    " state = CASE state WHEN 'claimed' THEN 'open' ELSE state END WHERE claimed_by = ?",
    "UPDATE inbox_questions SET answered_by = NULL, answered_name = NULL WHERE answered_by = ?",
)


def _key(table: PersonalTable, user_id: int, respondent: str) -> int | str:
    return user_id if table.key == "user" else respondent


class PrivacyQueries(UserQueries, FeedbackQueries, BroadcastQueries, TeamQueries):
    async def personal_rows(self, user_id: int, respondent: str) -> dict[str, list[dict[str, Any]]]:
        """Every stored row about a person, by table, each row as column -> value."""
        found: dict[str, list[dict[str, Any]]] = {}
        for table in PERSONAL_TABLES:
            sql = f"SELECT * FROM {table.table} WHERE {table.column} = ?"
            params: list[object] = [_key(table, user_id, respondent)]
            if table.table == "broadcasts":
                sql += " OR progress_chat_id = ?"
                params.append(user_id)
            for column in table.mentions:
                sql += f" OR {column} = ?"
                params.append(user_id)
            rows = await self._rows(sql + " ORDER BY rowid", params)
            found[table.table] = [dict(zip(row.keys(), tuple(row), strict=True)) for row in rows]
        return found

    async def forget_person(self, user_id: int, respondent: str) -> dict[str, int]:
        """Delete every row about a person (unlink the broadcasts they wrote), in one
        transaction; how many rows of each table were deleted or unlinked."""
        counts: dict[str, int] = {}
        pseudonym = audit_pseudonym()
        async with self._transaction() as db:
            for table in PERSONAL_TABLES:
                key = _key(table, user_id, respondent)
                if table.table == "faq_added":
                    cursor = await db.execute(_UNLINK_FAQ_ADDED, (user_id,))
                    counts[table.table] = cursor.rowcount
                    continue
                if table.erase == "unlink":
                    cursor = await db.execute(_UNLINK_BROADCASTS, (NOBODY, user_id, user_id))
                    counts[table.table] = cursor.rowcount
                    continue
                # A row both by and about the person counts once.
                touched = await db.execute_fetchall(
                    f"SELECT rowid FROM {table.table} WHERE {table.column} = ?"
                    + "".join(f" OR {column} = ?" for column in table.mentions),
                    (key, *(user_id for _ in table.mentions)),
                )
                if table.erase == "pseudonymise":
                    for column in (table.column, *table.mentions):
                        await db.execute(
                            f"UPDATE {table.table} SET {column} = ? WHERE {column} = ?",
                            (pseudonym, user_id),
                        )
                else:
                    await db.execute(f"DELETE FROM {table.table} WHERE {table.column} = ?", (key,))
                    for column in table.mentions:
                        await db.execute(
                            f"UPDATE {table.table} SET {column} = ? WHERE {column} = ?",
                            (NOBODY, user_id),
                        )
                counts[table.table] = len(list(touched))
            for statement in _UNLINK_STAFF:
                await db.execute(statement, (user_id,))
        self._forget_choices(user_id)
        self._chosen_cache.pop(user_id, None)
        if self._pending_comment_users is not None:
            self._pending_comment_users.discard(user_id)
        return counts

    async def purge_personal_data(self) -> dict[str, int]:
        """Delete everyone's personal data (the retention period is over), in one transaction;
        how many rows of each table were deleted or unlinked. Doing it again deletes nothing."""
        counts: dict[str, int] = {}
        async with self._transaction() as db:
            for table in PERSONAL_TABLES:
                if table.table == "faq_added":
                    cursor = await db.execute(
                        "UPDATE faq_added SET added_by = NULL, added_by_name = NULL"
                        " WHERE added_by IS NOT NULL"
                    )
                elif table.erase == "unlink":
                    cursor = await db.execute(
                        "UPDATE broadcasts SET created_by = ?, progress_chat_id = NULL,"
                        " progress_message_id = NULL"
                        " WHERE created_by != ? OR progress_chat_id IS NOT NULL",
                        (NOBODY, NOBODY),
                    )
                else:
                    cursor = await db.execute(f"DELETE FROM {table.table}")
                counts[table.table] = cursor.rowcount
        self._choices_cache.clear()
        self._chosen_cache.clear()
        self._pending_comment_users = set()
        return counts

    async def table_names(self) -> list[str]:
        """The schema's tables (SQLite's own left out)."""
        return [
            str(row[0])
            for row in await self._rows(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
