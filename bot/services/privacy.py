"""Attendees' rights with the store: what is stored about a person (access), deleting it
(erasure), and deleting everyone's once the retention period is over (storage limitation).

A person's feedback is stored under their pseudonym, never their id; it is found through
:meth:`FeedbackService.respondent`, the one place that key is worked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.content.models import EventInfo
from bot.domain.privacy import export_json, retention_over
from bot.services.feedback import FeedbackService
from bot.store import Store


@dataclass(frozen=True)
class PersonalData:
    """Every stored row about one person, by table."""

    user_id: int
    respondent: str
    tables: dict[str, list[dict[str, Any]]]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}

    def as_json(self, now: dt.datetime) -> bytes:
        return export_json(self.user_id, self.respondent, self.tables, now)


class PrivacyService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def _respondent(self, user_id: int) -> str:
        return await FeedbackService(self.store, self.settings).respondent(user_id)

    async def personal_data(self, user_id: int) -> PersonalData:
        respondent = await self._respondent(user_id)
        tables = await self.store.personal_rows(user_id, respondent)
        return PersonalData(user_id, respondent, tables)

    async def forget(self, user_id: int) -> dict[str, int]:
        """Delete everything about a person; how many rows of each table went."""
        return await self.store.forget_person(user_id, await self._respondent(user_id))

    async def purge_if_over(self, event: EventInfo, now: dt.datetime) -> dict[str, int] | None:
        """Delete everyone's personal data once the retention period is over (None before)."""
        if not retention_over(event, now):
            return None
        return await self.store.purge_personal_data()
