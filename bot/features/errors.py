"""The one global error handler: log with the traceback, tell the staff chat, apologise."""

from __future__ import annotations

import html
import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.i18n import N_, _, use_language
from bot.redaction import redact
from bot.runtime import Context

log = logging.getLogger(__name__)

TEXT_SORRY = N_("Sorry, something went wrong on my side. Please try again.")
MAX_TRACE_CHARS = 3000


async def on_error(update: object, context: Context) -> None:
    error = context.error
    log.error("error while handling an update", exc_info=error)
    svc = context.bot_data
    svc.metrics.errors.inc()
    if (
        isinstance(update, Update)
        and update.effective_user is not None
        and isinstance(error, Forbidden)
    ):
        # The user blocked the bot mid-conversation: remember it, nothing to apologise to.
        await svc.store.mark_blocked(update.effective_user.id, svc.now())
        return
    if svc.settings.staff_chat_id is not None and error is not None:
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        # An error may quote a Bot API URL, and the token is in its path.
        trace = redact(trace, context.bot.token)
        # The staff chat is shared: in the event's language, not the one of whoever hit it.
        with use_language(svc.default_language):
            title = _("⚠️ <b>Error</b>")
        text = f"{title}\n<pre>{html.escape(trace[-MAX_TRACE_CHARS:])}</pre>"
        try:
            await context.bot.send_message(svc.settings.staff_chat_id, text)
        except TelegramError:
            log.exception("could not tell the staff chat about an error")
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await update.effective_chat.send_message(_(TEXT_SORRY))
        except TelegramError:
            log.debug("could not apologise", exc_info=True)


def register(application: Application) -> None:
    application.add_error_handler(on_error)
