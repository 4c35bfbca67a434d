"""Builds the python-telegram-bot ``Application``: the one place where the bot is assembled.

Features are registered in an explicit order because python-telegram-bot runs the handler
groups in ascending order and, within a group, gives an update to the first matching handler:

- group -3, first of all: ``users`` sets the language of the update's sender (a context
  variable that every later handler of the update translates into);
- group -2: ``feedback``'s comment handler; it takes a private text only when it
  is a comment the person was asked for, and then stops the update (no later group sees it);
- group -1: ``users`` records who is talking in private, before any feature of group 0;
- group 0, in this order:

  1. ``agenda``, ``feedback`` and ``team`` register the deep links ``/start s_<id>``,
     ``/start fb_<id>`` and ``/start inv_<code>`` before ``menu``'s plain ``/start``;
  2. the features with their commands and their own callback namespaces;
  3. ``ask`` takes any remaining private plain text (so it must follow every text-taking
     handler);
  4. the fallbacks (unknown commands, stale or forged buttons) come last of all.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence

from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

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
    inbox,
    insights,
    language,
    menu,
    my_agenda,
    privacy,
    reports,
    speakers,
    staff,
    team,
    users,
    venue,
)
from bot.polling import PollingRequest
from bot.ratelimit import PerChatRateLimiter
from bot.redaction import hide_in_logs
from bot.runtime import BotApplication, BotData
from bot.services.feedback import FeedbackService
from bot.services.team import TeamService
from bot.store import Store
from bot.updates import PerChatUpdateProcessor
from scheduler.sender import OutboxSender, Rendered, Renderer
from scheduler.service import replan_deliveries

log = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    content: Content,
    *,
    token: str | None = None,
    clock: Clock | None = None,
) -> BotApplication:
    """An Application ready to start with :func:`bot.runner.running`; the store opens in
    post_init. From here on the token is left out of every log record (bot/redaction.py)."""
    token = token or settings.require_token()
    hide_in_logs(token)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.api_url)
        .context_types(ContextTypes(bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=content.tz))
        # Retries a request Telegram answered with RetryAfter (after waiting as told), pausing
        # only the chat it came for, and keeps group chats under 20 messages a minute. No
        # overall limit: about 30 messages a second is Telegram's limit for bulk sending, which
        # is the outbox sender's job, and it paces itself under it (see bot/ratelimit.py).
        .rate_limiter(PerChatRateLimiter())
        # Rides out failed polls quietly and polls again within seconds once Telegram is back
        # (bot/polling.py).
        .get_updates_request(polling := PollingRequest())
        .concurrent_updates(processor := PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.file_url:
        builder = builder.base_file_url(settings.file_url)
    application: BotApplication = builder.build()
    updater = application.updater
    polling.keep_trying = lambda: updater is not None and updater.running
    application.bot_data.configure(settings, content, clock or SystemClock())
    # What /healthz and /metrics see (bot/metrics.py): every update handled, every poll.
    metrics = application.bot_data.metrics
    processor.on_handled = metrics.handled
    polling.on_answer = metrics.health.tell

    users.register(application)
    language.register(application)
    # Deep links (/start s_<id>, r_<room>, fb_<id>, inv_<code>) before the plain /start.
    agenda.register(application)
    venue.register_deep_links(application)
    feedback.register(application)
    team.register(application)
    menu.register(application)
    speakers.register(application)
    venue.register(application)
    faq.register(application)
    my_agenda.register(application)
    staff.register(application)
    reports.register(application)
    insights.register(application)
    privacy.register(application)
    # Before ``broadcast`` and ``ask``: the next private text of a staff member holding a claim
    # on an inbox question is their reply (its filter takes nobody else's text).
    inbox.register(application)
    # Before ``ask``: an organiser writing a broadcast sends private text ``ask`` would answer.
    broadcast.register(application)
    ask.register(application)
    menu.register_fallbacks(application)
    errors.register(application)
    return application


async def _post_init(application: BotApplication) -> None:
    data = application.bot_data
    store = await Store.open(data.settings.db_path)
    try:
        # Before anything is keyed with it: a changed or weak feedback secret stops the start.
        await FeedbackService(store, data.settings).verify_secret()
    except BaseException:
        await store.close()  # not yet in bot_data, so post_shutdown does not close it again
        raise
    data.store = store
    # Before anything asks who is staff: roles granted in the database join the environment's.
    data.team = TeamService(store, data.settings)
    await data.team.load()
    await store.purge_expired_pending_comments(data.now())
    # FAQ entries added from the inbox live in the database, on top of the YAML.
    await inbox.refresh_added_faq(data)
    await inbox.restore_claims(data)
    feedback.schedule_purges(application)
    # Before anything is planned from the data: once the retention period is over, a restart
    # must not plan messages for people whose data is owed deletion.
    await privacy.purge_expired(data)
    privacy.schedule_retention(application)
    await register_commands(application)
    # Re-plan from the database and the content: the outbox, not the scheduler's memory, is
    # the truth, so whatever was planned before a restart is found again, never doubled.
    await replan_deliveries(store, data.event.content, data.now())

    async def forget_blocked(user_id: int) -> None:
        # Someone who blocked the bot is owed nothing more: cancel what was planned for them.
        await replan_deliveries(store, data.event.content, data.now(), user_id)

    data.sender = OutboxSender(
        application.bot,
        store,
        data.clock,
        outbox_renderers(data),
        job_queue=application.job_queue,
        on_blocked=forget_blocked,
        # Each delivery is rendered in its recipient's language, looked up once per batch.
        languages=data.languages_of,
        on_answer=data.metrics.health.tell,
    )
    data.metrics.sender = data.sender
    await data.sender.start()
    # The outbox resumes unfinished broadcasts by itself; their progress messages need jobs.
    await broadcast.restore_progress(application)
    _reload_on_sighup(application)


def outbox_renderers(data: BotData) -> dict[OutboxKind, Renderer]:
    """How each kind of outbox row becomes a message, always from the content in use now."""

    async def reminder(rows: Sequence[OutboxRow]) -> Rendered | None:
        return my_agenda.render_reminder(data.event.content, rows, data.now())

    async def change(rows: Sequence[OutboxRow]) -> Rendered | None:
        return my_agenda.render_change_notice(data.event.content, rows)

    async def feedback_prompt(rows: Sequence[OutboxRow]) -> Rendered | None:
        return await feedback.render_prompt(data, rows)

    async def inbox_reply(rows: Sequence[OutboxRow]) -> Rendered | None:
        return await inbox.render_reply(data, rows)

    return {
        OutboxKind.REMINDER: reminder,
        OutboxKind.CHANGE_NOTICE: change,
        OutboxKind.FEEDBACK: feedback_prompt,
        OutboxKind.BROADCAST: broadcast.outbox_renderer(data),
        OutboxKind.INBOX_REPLY: inbox_reply,
    }


async def _post_stop(application: BotApplication) -> None:
    if application.bot_data.sender is not None:
        await application.bot_data.sender.stop()


async def _post_shutdown(application: BotApplication) -> None:
    if application.bot_data.started:
        await application.bot_data.store.close()


async def register_commands(application: BotApplication) -> None:
    """Attendee commands for everyone; staff and organiser commands only in their own chats.

    A menu Telegram refuses now (it is having a hiccup, or a staff member never opened the bot)
    does not stop the start: it is tried again when someone writes (``users.remember_user``).
    """
    bot = application.bot
    data = application.bot_data
    data.default_commands_set = await menu.set_default_commands(bot, data.default_language)
    for user_id in sorted(data.team.member_ids()):
        language = await data.language_of(user_id)
        if await menu.set_role_commands(bot, data.team, user_id, language):
            data.role_commands_set.add(user_id)


def _reload_on_sighup(application: BotApplication) -> None:
    def on_hup() -> None:
        # The Application keeps the task, hands its errors to the error handler and waits for
        # it when stopping.
        application.create_task(staff.reload_and_tell_organisers(application))

    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_hup)
    except (NotImplementedError, RuntimeError, ValueError):
        # Not on the main thread or not on a POSIX loop (e.g. tests in a worker thread).
        log.debug("SIGHUP reload not available here")
