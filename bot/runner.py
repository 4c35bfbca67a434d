"""Starting and stopping the bot: one path for production, the preview, the tests and the
benchmarks.

python-telegram-bot's ``run_polling`` owns its event loop and can only be left by a signal, so
the preview, the tests and the benchmarks (which run the bot inside their own loop) cannot use
it. Instead of each keeping a copy of its sequence, :func:`running` is that sequence, and
``python -m bot run`` uses it too (through :func:`run_until_signalled`): whatever starts the bot
goes through the same hooks in the same order.

Two modes: long polling, and webhook when ``CONFBOT_WEBHOOK_URL`` is set (python-telegram-bot's
own webhook server needs tornado; :mod:`bot.web` is the bot's aiohttp listener instead, which
also serves /healthz and /metrics, in polling mode too when ``CONFBOT_LISTEN`` is set).

Stopping (SIGTERM, SIGINT): updates stop being taken first (polling stops; the webhook answers
503 so that Telegram keeps them and retries), then the updates under way are finished
(webhook: at most :data:`bot.web.DRAIN_SECONDS`), the Application stops, the sender finishes
its sends under way (at most 10 s, see ``OutboxSender.stop``) and the database is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from telegram import MenuButtonWebApp, Update, WebAppInfo
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.i18n import _, use_language
from bot.miniapp.grid import TEXT_MENU_BUTTON
from bot.polling import retry_delays
from bot.runtime import BotApplication
from bot.web import WebListener

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
# getUpdates waits this long for an update before asking again (Telegram's long polling).
POLL_TIMEOUT = 10
# How often a start-up call to Telegram (getMe, deleteWebhook) is tried again after a network
# error or a 5xx answer before the start is given up: waits of 1, 2, 4, 8 and 15 s with ours,
# of 1.5 to 7.6 s with python-telegram-bot's for deleteWebhook; half a minute in all.
BOOTSTRAP_RETRIES = 5
# Telegram's webhook connections at a time (its default is 40); the per-chat processor handles
# at most 8 updates at once, the rest wait their turn, answered when handled.
WEBHOOK_MAX_CONNECTIONS = 40


@contextlib.asynccontextmanager
async def running(
    application: BotApplication, *, poll_timeout: int = POLL_TIMEOUT
) -> AsyncIterator[BotApplication]:
    """The bot taking updates (polling, or by webhook), inside the block; stopped and closed
    after it.

    The order is ``run_polling``'s: initialize, post_init, polling, start; then stop polling,
    stop, post_stop (only if started), shutdown, post_shutdown, whatever failed on the way.
    As with ``run_polling(bootstrap_retries=...)``, the calls to Telegram of the start (getMe,
    deleteWebhook, setWebhook) are tried again after a network error. In webhook mode the
    listener starts after post_init, takes updates once the Application is started, and only
    then is the webhook set (without dropping the updates Telegram kept meanwhile).
    """
    settings = application.bot_data.settings
    updater = application.updater
    if settings.webhook_url is None and updater is None:
        raise ValueError("the application was built without an updater")
    await _retrying(application.initialize, "getMe")
    listener: WebListener | None = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        secret: str | None = None
        if settings.webhook_url is not None:
            secret = settings.webhook_secret or await application.bot_data.store.webhook_secret()
        if settings.listen is not None:
            host, port = settings.listen
            listener = WebListener(
                application,
                host,
                port,
                webhook_path=settings.webhook_path if secret is not None else None,
                secret=secret,
            )
            await listener.start()
            if settings.web_app_url is not None:
                await _set_programme_menu(application, settings.web_app_url)
        if settings.webhook_url is not None and listener is not None:
            await application.start()
            listener.take_updates()
            url = settings.webhook_url

            async def set_webhook() -> None:
                await application.bot.set_webhook(
                    url,
                    secret_token=secret,
                    allowed_updates=ALLOWED_UPDATES,
                    max_connections=WEBHOOK_MAX_CONNECTIONS,
                )

            await _retrying(set_webhook, "setWebhook")
            log.info("taking updates by webhook at %s", url)
        else:
            assert updater is not None
            await updater.start_polling(
                poll_interval=0,
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=BOOTSTRAP_RETRIES,
            )
            await application.start()
        yield application
    finally:
        await _stop(application, listener)


async def _set_programme_menu(application: BotApplication, url: str) -> None:
    """The chat menu button opens the programme grid (a Mini App). Not worth failing the
    start for: without it the grid is still one button away in /start and /agenda."""
    with use_language(application.bot_data.default_language):
        button = MenuButtonWebApp(_(TEXT_MENU_BUTTON), WebAppInfo(url))
    try:
        await application.bot.set_chat_menu_button(menu_button=button)
    except TelegramError as exc:
        log.warning("could not set the menu button to the programme grid: %s", exc)
    else:
        log.info("the menu button opens the programme grid at %s", url)


async def _retrying(action: Callable[[], Awaitable[None]], what: str) -> None:
    """``action``, tried again after a network error or a 5xx answer, BOOTSTRAP_RETRIES times.

    Python-telegram-bot's own loop for this (``Application._bootstrap_initialize``, behind
    ``run_polling``) is private; this one is the same idea with a doubling wait.
    """
    delays = retry_delays(first=1.0, cap=15.0)
    for attempt in range(BOOTSTRAP_RETRIES + 1):
        try:
            await action()
            return
        except RetryAfter as exc:
            if attempt == BOOTSTRAP_RETRIES:
                raise
            wait = exc.retry_after
            delay = float(wait) if isinstance(wait, int) else wait.total_seconds()
            problem = str(exc)
        except BadRequest:
            raise
        except NetworkError as exc:  # TimedOut too; not InvalidToken, which is no NetworkError
            if attempt == BOOTSTRAP_RETRIES:
                raise
            delay = next(delays)
            problem = str(exc)
        log.warning("%s failed (%s); trying again in %.0f s", what, problem, delay)
        await asyncio.sleep(delay)


async def _stop(application: BotApplication, listener: WebListener | None = None) -> None:
    # The webhook stays set: Telegram keeps the updates that come meanwhile for the next start.
    try:
        if listener is not None:
            listener.stop_taking()
            await listener.drain()
        await _stop_application(application)
    finally:
        if listener is not None:
            await listener.stop()


async def _stop_application(application: BotApplication) -> None:
    updater = application.updater
    if updater is not None:
        if updater.running:
            await updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def run_until_signalled(
    application: BotApplication, stop_signals: Sequence[signal.Signals] = STOP_SIGNALS
) -> None:
    """``python -m bot run``: the bot runs until SIGINT, SIGTERM or SIGABRT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in stop_signals:
        loop.add_signal_handler(signum, stop.set)
    async with running(application):
        log.info("confbot is running; stop it with Ctrl-C or SIGTERM")
        await stop.wait()
    log.info("confbot stopped")
