"""Starting and stopping the bot: one path for production, the preview, the tests and the
benchmarks.

python-telegram-bot's ``run_polling`` owns its event loop and can only be left by a signal, so
the preview, the tests and the benchmarks (which run the bot inside their own loop) cannot use
it. Instead of each keeping a copy of its sequence, :func:`running` is that sequence, and
``python -m bot run`` uses it too (through :func:`run_until_signalled`): whatever starts the bot
goes through the same hooks in the same order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.polling import retry_delays
from bot.runtime import BotApplication

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
# getUpdates waits this long for an update before asking again (Telegram's long polling).
POLL_TIMEOUT = 10
# How often a start-up call to Telegram (getMe, deleteWebhook) is tried again after a network
# error or a 5xx answer before the start is given up: waits of 1, 2, 4, 8 and 15 s with ours,
# of 1.5 to 7.6 s with python-telegram-bot's for deleteWebhook; half a minute in all.
BOOTSTRAP_RETRIES = 5


@contextlib.asynccontextmanager
async def running(
    application: BotApplication, *, poll_timeout: int = POLL_TIMEOUT
) -> AsyncIterator[BotApplication]:
    """The bot polling for updates, inside the block; stopped and closed after it.

    The order is ``run_polling``'s: initialize, post_init, polling, start; then stop polling,
    stop, post_stop (only if started), shutdown, post_shutdown, whatever failed on the way.
    As with ``run_polling(bootstrap_retries=...)``, the calls to Telegram of the start (getMe,
    deleteWebhook) are tried again after a network error.
    """
    updater = application.updater
    if updater is None:
        raise ValueError("the application was built without an updater")
    await _retrying(application.initialize, "getMe")
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await updater.start_polling(
            poll_interval=0,
            timeout=poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=BOOTSTRAP_RETRIES,
        )
        await application.start()
        yield application
    finally:
        await _stop(application)


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


async def _stop(application: BotApplication) -> None:
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
