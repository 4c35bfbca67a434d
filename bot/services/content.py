"""Reloading the content folder while the bot runs (``/reload`` and SIGHUP)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Protocol

from bot.config import Settings
from bot.content import LoadResult, load_content
from bot.domain.event import EventState
from bot.store import Store
from scheduler.service import announce_changes

log = logging.getLogger(__name__)


class RunningEvent(Protocol):
    """What a reload needs of the running bot (``bot.runtime.BotData`` is one)."""

    event: EventState

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store: ...

    def now(self) -> dt.datetime: ...

    async def replan(self, user_id: int | None = None) -> None: ...


async def reload_content(running: RunningEvent) -> LoadResult:
    """Load the content folder again; only a valid result replaces what is in use.

    The YAML files are read and validated in a worker thread (``asyncio.to_thread``), so a large
    programme does not hold up the updates the bot is answering meanwhile; the swap, the notices
    and the re-planning happen back on the event loop. With errors the last good content stays
    in use and nothing else happens. Otherwise the new :class:`EventState` replaces the old one
    whole, people who chose a session that moved, changed room or disappeared get one notice,
    and every reminder and feedback prompt is planned again from the new programme.
    """
    directory = running.settings.content_dir
    result = await asyncio.to_thread(load_content, directory)
    if result.content is None:
        log.warning("content reload refused: %d errors", len(result.errors))
        return result
    old = running.event.content
    # FAQ entries added from the inbox live in the database, on top of the YAML: kept.
    running.event = EventState.build(result.content, running.event.added_faq)
    await announce_changes(running.store, old, result.content, running.now())
    # Also: a removed session or one now marked ``feedback: false`` loses its pending prompts.
    await running.replan()
    log.info("content reloaded from %s (%d warnings)", directory, len(result.warnings))
    return result
