"""``/insights``: what attendees ask, for staff and organisers: questions per hour, the share
the bot answered, the topics asked most, the unanswered questions grouped by similarity, the
sessions most added to agendas; a chart and a CSV file. No user id in any of it."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.inbox import ref_title
from bot.domain.insights import Insights, build_insights, insights_chart, insights_csv
from bot.features.fmt import esc, fmt_day, fmt_number, fmt_time, shorten
from bot.features.permissions import permitted
from bot.features.send import reply
from bot.i18n import _, isolate, ngettext, tr
from bot.runtime import BotData, Context


def render_insights(insights: Insights, title_of: dict[str, str], tz: dt.tzinfo) -> str:
    share = insights.answered_share
    busiest = max(insights.by_hour, key=lambda item: item[1], default=None)
    lines = [
        _("🔎 <b>What attendees ask</b>"),
        "",
        _("Questions: <b>{day}</b> in the last 24 hours, <b>{total}</b> in all").format(
            day=fmt_number(insights.last_day_total), total=fmt_number(insights.total)
        ),
        _("Answered by the bot: <b>{share}</b> ({answered}); guesses offered: {guesses}").format(
            share=isolate(f"{share:.0%}") if share is not None else "–",
            answered=fmt_number(insights.answered),
            guesses=fmt_number(insights.guesses),
        ),
    ]
    if busiest is not None:
        local = busiest[0].astimezone(tz)
        lines.append(
            ngettext(
                "Busiest hour: {hour} ({count} question)",
                "Busiest hour: {hour} ({count} questions)",
                busiest[1],
            ).format(
                hour=isolate(f"{fmt_day(local.date())} {fmt_time(local)}"),
                count=fmt_number(busiest[1]),
            )
        )
    lines += ["", _("<b>Most asked topics</b>")]
    lines += [
        f"• {esc(shorten(title_of.get(ref, ref), 60))}: {fmt_number(n)}"
        for ref, n in insights.topics
    ] or ["–"]
    lines += ["", _("<b>Unanswered questions, grouped</b>")]
    lines += [
        f"• {fmt_number(g.count)} × <i>{esc(shorten(g.example, 80))}</i>"
        for g in insights.unanswered[:10]
    ] or ["–"]
    lines += ["", _("<b>Sessions most added to agendas</b>")]
    lines += [
        f"• {esc(shorten(title_of.get(f'session:{s}', s), 60))}: {fmt_number(n)}"
        for s, n in insights.sessions
    ] or ["–"]
    return "\n".join(lines)


async def gather(svc: BotData) -> tuple[Insights, dict[str, str]]:
    log = await svc.store.ask_log_counts()
    insights = build_insights(
        log.by_hour,
        log.by_language,
        log.by_ref,
        await svc.store.queued_question_texts(),
        await svc.store.choice_counts(),
        svc.now(),
    )
    content = svc.event.content
    refs = {ref for ref, _n in insights.topics} | {f"session:{s}" for s, _n in insights.sessions}
    return insights, {ref: tr(ref_title(content, ref)) for ref in refs}


async def insights_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "staff", "/insights"):
        return
    insights, title_of = await gather(svc)
    tz = svc.event.content.tz
    await reply(update, render_insights(insights, title_of, tz))
    chat = update.effective_chat
    if chat is None:
        return
    chart = await asyncio.to_thread(insights_chart, insights, title_of, tz)
    await chat.send_photo(chart, caption=_("Questions per hour and the most asked topics"))
    table = await asyncio.to_thread(insights_csv, insights, title_of, tz)
    stamp = svc.now().astimezone(tz).strftime("%Y%m%d")
    await chat.send_document(
        table,
        filename=f"insights-{svc.event.content.event.id}-{stamp}.csv",
        caption=_("The figures as a CSV file (no user ids)."),
    )


def register(application: Application) -> None:
    application.add_handler(CommandHandler("insights", insights_command))
