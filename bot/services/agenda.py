"""Choosing sessions: what the ⭐ button and the programme grid (Mini App) both do."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from bot.content import Session
from bot.domain.agenda import chosen_sessions, overlaps
from bot.domain.event import EventState
from bot.store import Store


class ChoosingBot(Protocol):
    """What choosing needs of the running bot (``bot.runtime.BotData`` is one)."""

    event: EventState

    @property
    def store(self) -> Store: ...

    def now(self) -> dt.datetime: ...

    async def replan(self, user_id: int | None = None) -> None: ...


async def set_chosen(
    running: ChoosingBot, user_id: int, session: Session, chosen: bool
) -> list[Session]:
    """Add the session to the person's agenda (``chosen``) or take it out, then plan their
    reminders again. Returns the chosen sessions it overlaps (none when taken out)."""
    clashes: list[Session] = []
    if chosen:
        await running.store.add_choice(user_id, session.id, running.now())
        content = running.event.content
        clashes = overlaps(
            content, session, chosen_sessions(content, await running.store.choices_of(user_id))
        )
    else:
        await running.store.remove_choice(user_id, session.id)
    await running.replan(user_id)
    return clashes
