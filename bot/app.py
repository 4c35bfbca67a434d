"""Builds the python-telegram-bot ``Application``: the one place where the bot is assembled.

Features are registered in an explicit order because python-telegram-bot gives an update to the
first matching handler of each group:

1. ``users`` (group -1) records who is talking before anything else runs;
2. ``agenda`` registers the deep-link ``/start s_<id>`` before ``menu``'s plain ``/start``;
3. the features with their commands and their own callback namespaces;
4. ``ask`` takes any remaining private plain text (so it must follow every text-taking handler);
   ``feedback``'s comment handler runs before all of them, in group -2, and stops the update
   only when the text is a comment the person was asked for;
5. the fallbacks (unknown commands, stale or forged buttons) come last of all.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import Any

from telegram import BotCommandScopeDefault, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content import Content
from bot.domain.outbox import OutboxKind, OutboxRow
from bot.features import (
    agenda,
    ask,
    broadcast,
    errors,
    faq,
    feedback,
    menu,
    my_agenda,
    reports,
    speakers,
    staff,
    users,
    venue,
)
from bot.features.common import EventState, Services
from bot.store import Store
from bot.updates import PerChatUpdateProcessor
from scheduler.sender import OutboxSender, Rendered, Renderer
from scheduler.service import replan_deliveries

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def build_application(
    settings: Settings,
    content: Content,
    *,
    token: str | None = None,
    clock: Clock | None = None,
) -> Application:
    """An Application ready to ``initialize``/``run_polling``; the store opens in post_init."""
    builder = (
        ApplicationBuilder()
        .token(token or settings.require_token())
        .base_url(settings.api_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=content.tz))
        # Retries a request Telegram answered with RetryAfter (after waiting as told) and keeps
        # group chats under 20 messages a minute. The overall limit of about 30 messages a
        # second is Telegram's limit for bulk sending; bulk sending is the outbox sender's job,
        # and it paces itself under that limit. Applied to replies as well, it capped the bot
        # at 30 answers a second for everyone together (bench/updates.py measured it), so it
        # is off here (overall_max_rate=0).
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=2))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.file_url:
        builder = builder.base_file_url(settings.file_url)
    application = builder.build()
    application.bot_data["boot"] = (settings, content, clock or SystemClock())

    users.register(application)
    agenda.register(application)
    menu.register(application)
    speakers.register(application)
    venue.register(application)
    faq.register(application)
    my_agenda.register(application)
    feedback.register(application)
    staff.register(application)
    reports.register(application)
    # Before ``ask``: an organiser writing a broadcast sends private text ``ask`` would answer.
    broadcast.register(application)
    ask.register(application)
    menu.register_fallbacks(application)
    errors.register(application)
    return application


async def _post_init(application: Application) -> None:
    settings, content, clock = application.bot_data.pop("boot")
    store = await Store.open(settings.db_path)
    svc = Services(settings=settings, store=store, clock=clock, event=EventState.build(content))
    application.bot_data["services"] = svc
    await register_commands(application, settings)
    # Re-plan from the database and the content: the outbox, not the scheduler's memory, is
    # the truth, so whatever was planned before a restart is found again, never doubled.
    await replan_deliveries(store, content, clock.now())

    async def forget_blocked(user_id: int) -> None:
        # Someone who blocked the bot is owed nothing more: cancel what was planned for them.
        await replan_deliveries(store, svc.event.content, clock.now(), user_id)

    svc.sender = OutboxSender(
        application.bot,
        store,
        clock,
        outbox_renderers(svc),
        job_queue=application.job_queue,
        on_blocked=forget_blocked,
    )
    await svc.sender.start()
    # The outbox resumes unfinished broadcasts by itself; their progress messages need jobs.
    await broadcast.restore_progress(application)
    _reload_on_sighup(svc)


def outbox_renderers(svc: Services) -> dict[OutboxKind, Renderer]:
    """How each kind of outbox row becomes a message, always from the content in use now."""

    async def reminder(rows: Sequence[OutboxRow]) -> Rendered | None:
        return my_agenda.render_reminder(svc.event.content, rows, svc.now())

    async def change(rows: Sequence[OutboxRow]) -> Rendered | None:
        return my_agenda.render_change_notice(svc.event.content, rows)

    async def feedback_prompt(rows: Sequence[OutboxRow]) -> Rendered | None:
        return await feedback.render_prompt(svc, rows)

    return {
        OutboxKind.REMINDER: reminder,
        OutboxKind.CHANGE_NOTICE: change,
        OutboxKind.FEEDBACK: feedback_prompt,
        OutboxKind.BROADCAST: broadcast.outbox_renderer(svc),
    }


async def _post_stop(application: Application) -> None:
    svc = application.bot_data.get("services")
    if isinstance(svc, Services) and svc.sender is not None:
        await svc.sender.stop()


async def _post_shutdown(application: Application) -> None:
    svc = application.bot_data.get("services")
    if isinstance(svc, Services):
        await svc.store.close()


async def register_commands(application: Application, settings: Settings) -> None:
    """Attendee commands for everyone; staff and organiser commands only in their own chats."""
    bot = application.bot
    await bot.set_my_commands(list(menu.ATTENDEE_COMMANDS), scope=BotCommandScopeDefault())
    done: set[int] = application.bot_data.setdefault(menu.ROLE_COMMANDS_SET, set())
    for user_id in sorted(settings.staff | settings.organisers):
        if await menu.set_role_commands(bot, settings, user_id):
            done.add(user_id)


_background: set[asyncio.Task[object]] = set()


def _reload_on_sighup(svc: Services) -> None:
    def on_hup(*_: Any) -> None:
        task = asyncio.get_running_loop().create_task(staff.reload_event(svc))
        _background.add(task)
        task.add_done_callback(_background.discard)

    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_hup)
    except (NotImplementedError, RuntimeError, ValueError):
        # Not on the main thread or not on a POSIX loop (e.g. tests in a worker thread).
        log.debug("SIGHUP reload not available here")
