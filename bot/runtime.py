"""What a running bot holds: python-telegram-bot's ``bot_data``, typed.

The Application is built with ``ContextTypes(bot_data=BotData)``, so every handler and job
reaches the settings, the clock, the content in use, the store and the sender as
``context.bot_data.<name>``, with types, instead of through string keys. python-telegram-bot
creates ``BotData()`` itself, with no arguments: :func:`bot.app.build_application` then gives it
the settings, the content and the clock, and ``post_init`` opens the store and starts the sender.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content import Content
from bot.domain.ask import RecentAnswers
from bot.domain.event import EventState
from bot.domain.inbox import PendingQuestions
from bot.i18n import pick_language
from bot.metrics import BotMetrics
from bot.services.feedback import FeedbackService
from bot.services.team import TeamService
from bot.store import Store
from scheduler.sender import OutboxSender
from scheduler.service import replan_deliveries

T = TypeVar("T")


class NotStartedError(RuntimeError):
    """A service was asked for before the application was built or started."""


class Required(Generic[T]):
    """A service of :class:`BotData` that is set once the application is built or started;
    reading it before then raises :class:`NotStartedError` with ``missing``, not a None error
    somewhere later."""

    def __init__(self, missing: str) -> None:
        self.missing = missing
        self.slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, holder: object, owner: type | None = None) -> T:
        value: T | None = getattr(holder, self.slot, None)
        if value is None:
            raise NotStartedError(self.missing)
        return value

    def __set__(self, holder: object, value: T) -> None:
        setattr(holder, self.slot, value)


class BotData:
    """The services of one running bot, and the little state its features keep per run."""

    settings: Required[Settings] = Required("no settings: build the application with bot.app")
    event: Required[EventState] = Required("no content: build the application with bot.app")
    store: Required[Store] = Required("the store opens in post_init: start the application first")
    # Who is on the team (the one place roles are read), on the store: made in post_init.
    team: Required[TeamService] = Required("the team is read in post_init: start it first")

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._event: EventState | None = None
        self._store: Store | None = None
        self._team: TeamService | None = None
        self.clock: Clock = SystemClock()
        self.sender: OutboxSender | None = None
        # /metrics and /healthz (bot/web.py): the bot's own registry and Telegram's health.
        self.metrics = BotMetrics()
        # Whether the attendee command menu is set (Telegram may fail to at start-up; it is
        # tried again when someone writes).
        self.default_commands_set = False
        # Staff and organisers whose command menus were set in this run (Telegram refuses a
        # chat scope for someone who never opened the bot, so it is tried again later).
        self.role_commands_set: set[int] = set()
        # When each user was last written down as seen (users.TOUCH_INTERVAL).
        self.last_touch: dict[int, dt.datetime] = {}
        # The text each broadcast's progress message shows, so it is edited only on change.
        self.progress_shown: dict[int, str] = {}
        # What each user's last free-text answer was about, for a follow-up within minutes
        # ("how do I get there"); in memory only, bounded, never written to the database.
        self.recent_answers = RecentAnswers()
        # Each person's last free-text question, for a few minutes, so that "Ask the organisers"
        # can pass it on without putting its text in callback data; in memory only.
        self.pending_questions = PendingQuestions()
        # Staff holding a claim on an inbox question (user id -> question id): their next
        # private text is the reply. The database is the truth; this only routes the text.
        self.inbox_claims: dict[int, int] = {}

    def configure(self, settings: Settings, content: Content, clock: Clock) -> None:
        self._settings = settings
        self._event = EventState.build(content)
        self.clock = clock

    @property
    def feedback(self) -> FeedbackService:
        """The feedback service on this bot's store and settings (cheap to make, so made on
        each use rather than kept)."""
        return FeedbackService(self.store, self.settings)

    @property
    def started(self) -> bool:
        return self._store is not None

    def now(self) -> dt.datetime:
        return self.clock.now()

    @property
    def default_language(self) -> str:
        """The interface language of someone whose own language the bot does not speak."""
        return pick_language(None, None, self.event.content.event.language)

    async def language_of(self, user_id: int | None, telegram_code: str | None = None) -> str:
        """The language to speak to a user: their /language choice, else their Telegram
        app's (``telegram_code``, or the one stored when they last wrote), else the event's."""
        if user_id is None or not self.started:
            return pick_language(None, telegram_code, self.event.content.event.language)
        chosen = await self.store.chosen_language(user_id)
        if chosen is None and telegram_code is None:
            user = await self.store.user(user_id)
            telegram_code = user.language if user is not None else None
        return pick_language(chosen, telegram_code, self.event.content.event.language)

    async def languages_of(self, user_ids: Sequence[int]) -> dict[int, str]:
        """The language of each of ``user_ids`` (one query: the sender renders a batch)."""
        found = await self.store.languages_of(user_ids)
        default = self.event.content.event.language
        return {
            user_id: pick_language(*found.get(user_id, (None, None)), default)
            for user_id in user_ids
        }

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
