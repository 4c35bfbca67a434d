"""Commands for staff and organisers: usage figures and reloading the content.

Who may run them is decided by :func:`bot.features.permissions.permitted` (and, for buttons, by
``button_handler(role=...)`` in :mod:`bot.features.callbacks`), from the team
(:class:`bot.services.team.TeamService`: the environment's ids and the roles given through
invites); everyone else gets a polite refusal and the attempt is logged. Each command run is
written to the audit log.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.content import LoadResult
from bot.domain.team import AuditAction
from bot.features.fmt import esc, fmt_number
from bot.features.permissions import permitted
from bot.features.send import reply
from bot.i18n import N_, _, ngettext, use_language
from bot.runtime import BotApplication, Context
from bot.services.content import reload_content

log = logging.getLogger(__name__)

TEXT_RELOAD_FAILED = N_("❌ The content has errors; the previous content stays in use.")
MAX_LISTED_PROBLEMS = 30


def render_reload(result: LoadResult) -> str:
    if result.content is not None:
        content = result.content
        text = _(
            "✅ Content reloaded: {sessions} sessions, {speakers} speakers, {faq} FAQ entries."
        ).format(
            sessions=fmt_number(len(content.sessions)),
            speakers=fmt_number(len(content.speakers)),
            faq=fmt_number(len(content.faq)),
        )
        if result.warnings:
            count = len(result.warnings)
            text += "\n" + ngettext(
                "{count} placeholder still to fill in (run `check`).",
                "{count} placeholders still to fill in (run `check`).",
                count,
            ).format(count=fmt_number(count))
        return text
    lines = [_(TEXT_RELOAD_FAILED) + "\n"]
    lines += [f"• <code>{esc(p)}</code>" for p in result.errors[:MAX_LISTED_PROBLEMS]]
    if len(result.errors) > MAX_LISTED_PROBLEMS:
        more = len(result.errors) - MAX_LISTED_PROBLEMS
        lines.append(_("… and {count} more.").format(count=fmt_number(more)))
    return "\n".join(lines)


async def stats_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "staff", "/stats"):
        return
    total, blocked = await svc.store.count_users()
    text = ngettext(
        "👥 <b>{total}</b> person has used the bot; {blocked} blocked it.",
        "👥 <b>{total}</b> people have used the bot; {blocked} blocked it.",
        total,
    ).format(total=fmt_number(total), blocked=fmt_number(blocked))
    await reply(update, text)


async def reload_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/reload"):
        return
    result = await reload_content(svc)
    if update.effective_user is not None:
        content = result.content
        details: dict[str, object] = (
            {"ok": True, "sessions": len(content.sessions)}
            if content is not None
            else {"ok": False, "errors": len(result.errors)}
        )
        await svc.store.audit(update.effective_user.id, AuditAction.RELOAD, details, now=svc.now())
    await reply(update, render_reload(result))


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
        for organiser in svc.team.organiser_ids():
            with use_language(await svc.language_of(organiser)):
                text = render_reload(result)
            try:
                await application.bot.send_message(organiser, text)
            except TelegramError as exc:
                log.warning("could not tell organiser %s of the refused reload: %s", organiser, exc)
    return result


def register(application: Application) -> None:
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(CommandHandler("reload", reload_command))
