"""Commands for staff and organisers: usage figures and reloading the content.

Who may run them is decided by :func:`bot.features.permissions.permitted` (and, for buttons, by
``button_handler(role=...)`` in :mod:`bot.features.callbacks`), from ``CONFBOT_STAFF`` and
``CONFBOT_ORGANISERS``; everyone else gets a polite refusal and the attempt is logged.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.content import LoadResult
from bot.features.fmt import esc
from bot.features.permissions import permitted
from bot.features.send import reply
from bot.runtime import BotApplication, Context
from bot.services.content import reload_content

log = logging.getLogger(__name__)

TEXT_RELOADED = "✅ Content reloaded: {sessions} sessions, {speakers} speakers, {faq} FAQ entries."
TEXT_RELOAD_FAILED = "❌ The content has errors; the previous content stays in use.\n"
MAX_LISTED_PROBLEMS = 30


def render_reload(result: LoadResult) -> str:
    if result.content is not None:
        content = result.content
        text = TEXT_RELOADED.format(
            sessions=len(content.sessions), speakers=len(content.speakers), faq=len(content.faq)
        )
        if result.warnings:
            text += f"\n{len(result.warnings)} placeholders still to fill in (run `check`)."
        return text
    lines = [TEXT_RELOAD_FAILED]
    lines += [f"• <code>{esc(p)}</code>" for p in result.errors[:MAX_LISTED_PROBLEMS]]
    if len(result.errors) > MAX_LISTED_PROBLEMS:
        lines.append(f"… and {len(result.errors) - MAX_LISTED_PROBLEMS} more.")
    return "\n".join(lines)


async def stats_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "staff", "/stats"):
        return
    total, blocked = await svc.store.count_users()
    who = "person has" if total == 1 else "people have"
    await reply(update, f"👥 <b>{total}</b> {who} used the bot; {blocked} blocked it.")


async def reload_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/reload"):
        return
    await reply(update, render_reload(await reload_content(svc)))


async def reload_and_tell_organisers(application: BotApplication) -> LoadResult:
    """A reload nobody asked for in the chat (SIGHUP): when the content is refused, each
    organiser is told privately, with what ``/reload`` would have shown.

    Sent directly rather than through the outbox: like the error handler's report, it is news
    about the bot for the people running it, worth nothing once stale, not a delivery to
    attendees.
    """
    svc = application.bot_data
    result = await reload_content(svc)
    if result.content is None:
        text = render_reload(result)
        for organiser in sorted(svc.settings.organisers):
            try:
                await application.bot.send_message(organiser, text)
            except TelegramError as exc:
                log.warning("could not tell organiser %s of the refused reload: %s", organiser, exc)
    return result


def register(application: Application) -> None:
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(CommandHandler("reload", reload_command))
