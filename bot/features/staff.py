"""Commands for staff and organisers: usage figures and reloading the content.

Who may run them is decided by :func:`bot.features.permissions.permitted` (and, for buttons, by
``button_handler(role=...)`` in :mod:`bot.features.callbacks`), from ``CONFBOT_STAFF`` and
``CONFBOT_ORGANISERS``; everyone else gets a polite refusal and the attempt is logged.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.content import LoadResult, load_content
from bot.features.fmt import esc
from bot.features.permissions import permitted
from bot.features.send import reply
from bot.runtime import BotData, Context, EventState
from scheduler.service import announce_changes

log = logging.getLogger(__name__)

TEXT_RELOADED = "✅ Content reloaded: {sessions} sessions, {speakers} speakers, {faq} FAQ entries."
TEXT_RELOAD_FAILED = "❌ The content has errors; the previous content stays in use.\n"
MAX_LISTED_PROBLEMS = 30


async def reload_event(svc: BotData) -> LoadResult:
    """Load the content folder again; only a valid result replaces what is in use.

    People who chose a session that moved, changed room or disappeared get one notice, and
    every reminder is planned again from the new programme.
    """
    result = load_content(svc.settings.content_dir)
    if result.content is None:
        log.warning("content reload refused: %d errors", len(result.errors))
        return result
    old = svc.event.content
    svc.event = EventState.build(result.content)
    now = svc.now()
    await announce_changes(svc.store, old, result.content, now)
    # Also: a removed session or one now marked ``feedback: false`` loses its pending prompts.
    await svc.replan()
    log.info(
        "content reloaded from %s (%d warnings)", svc.settings.content_dir, len(result.warnings)
    )
    return result


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
    await reply(update, render_reload(await reload_event(svc)))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(CommandHandler("reload", reload_command))
