"""What a running bot holds: python-telegram-bot's ``bot_data``, typed.

The Application is built with ``ContextTypes(bot_data=BotData)``, so every handler and job
reaches the settings, the clock, the content in use, the store and the sender as
``context.bot_data.<name>``, with types, instead of through string keys. python-telegram-bot
creates ``BotData()`` itself, with no arguments: :func:`bot.app.build_application` then gives it
the settings, the content and the clock, and ``post_init`` opens the store and starts the sender.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content import Content
from bot.domain.event import EventState
from bot.store import Store
from scheduler.sender import OutboxSender
from scheduler.service import replan_deliveries


class NotStartedError(RuntimeError):
    """A service was asked for before the application was built or started."""


class BotData:
    """The services of one running bot, and the little state its features keep per run."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._event: EventState | None = None
        self._store: Store | None = None
        self.clock: Clock = SystemClock()
        self.sender: OutboxSender | None = None
        # Staff and organisers whose command menus were set in this run (Telegram refuses a
        # chat scope for someone who never opened the bot, so it is tried again later).
        self.role_commands_set: set[int] = set()
        # When each user was last written down as seen (users.TOUCH_INTERVAL).
        self.last_touch: dict[int, dt.datetime] = {}
        # The text each broadcast's progress message shows, so it is edited only on change.
        self.progress_shown: dict[int, str] = {}

    def configure(self, settings: Settings, content: Content, clock: Clock) -> None:
        self._settings = settings
        self._event = EventState.build(content)
        self.clock = clock

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise NotStartedError("no settings: build the application with bot.app")
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def event(self) -> EventState:
        if self._event is None:
            raise NotStartedError("no content: build the application with bot.app")
        return self._event

    @event.setter
    def event(self, state: EventState) -> None:
        self._event = state

    @property
    def store(self) -> Store:
        if self._store is None:
            raise NotStartedError("the store opens in post_init: start the application first")
        return self._store

    @store.setter
    def store(self, store: Store) -> None:
        self._store = store

    @property
    def started(self) -> bool:
        return self._store is not None

    def now(self) -> dt.datetime:
        return self.clock.now()

    async def replan(self, user_id: int | None = None) -> None:
        """Re-plan reminders and feedback prompts from the content in use, then let the sender
        look at the outbox again."""
        await replan_deliveries(self.store, self.event.content, self.now(), user_id)
        if self.sender is not None:
            self.sender.wake()


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
BotApplication = Application[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]
]
