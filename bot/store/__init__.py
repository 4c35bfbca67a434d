"""The store: every SQL statement of the bot lives in this package, one module per area, all
composed into the one :class:`Store` the rest of the bot is given."""

from __future__ import annotations

from pathlib import Path

from bot.store.base import StoreBase, migrations
from bot.store.broadcasts import Broadcast, BroadcastQueries
from bot.store.feedback import FeedbackQueries
from bot.store.inbox import InboxQueries, InboxQuestion
from bot.store.operations import OperationsQueries
from bot.store.privacy import PrivacyQueries
from bot.store.team import AuditEntry, Invite, TeamQueries, TeamRow
from bot.store.users import ReminderPreference, User, UserQueries


class Store(
    PrivacyQueries,
    UserQueries,
    FeedbackQueries,
    BroadcastQueries,
    # Before TeamQueries: PrivacyQueries puts OutboxQueries (InboxQueries' base) before it.
    InboxQueries,
    TeamQueries,
    OperationsQueries,
    StoreBase,
):
    @classmethod
    async def open(cls, path: str | Path) -> Store:
        store = cls(await cls.connect(path))
        try:
            await store._migrate()
            # Finished rows of group broadcasts are unlinked as they finish; this catches any
            # left by a crash in between or by a version that kept them.
            await store.unlink_group_broadcasts()
        except BaseException:
            # aiosqlite's worker thread would otherwise keep the process alive after the error.
            await store.close()
            raise
        return store


__all__ = [
    "AuditEntry",
    "Broadcast",
    "InboxQuestion",
    "Invite",
    "ReminderPreference",
    "Store",
    "TeamRow",
    "User",
    "migrations",
]
