"""Chairs and speakers, and the sessions of each.

Callback data (namespace ``sp``): ``sp:l:<page>`` (the list) and ``sp:p:<speaker id>``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.content import Content
from bot.domain.agenda import Agenda
from bot.features.agenda import render_listing, speaker_name
from bot.features.common import (
    Context,
    button,
    esc,
    keyboard,
    page_of,
    pager_row,
    reply,
    services,
    show,
    unpack,
)
from bot.features.menu import stale_button

TEXT_TITLE = "🎤 <b>Chairs and speakers</b>"
TEXT_NONE = "No speakers have been announced yet."


def render_speakers(content: Content, page: int) -> tuple[str, InlineKeyboardMarkup]:
    people = sorted(content.speakers, key=lambda p: p.name.split()[-1].lower())
    shown, page, pages = page_of(people, page, size=10)
    lines = [TEXT_TITLE]
    lines += [f"• {speaker_name(p.name, p.honorific, p.position or p.affiliation)}" for p in shown]
    if not people:
        lines.append(TEXT_NONE)
    rows: list[list[InlineKeyboardButton]] = [[button(p.name[:40], "sp", "p", p.id)] for p in shown]
    rows.append(pager_row(page, pages, "sp", "l"))
    rows.append([button("🏠 Menu", "m", "home")])
    return "\n".join(lines), keyboard(rows)


def render_speaker(
    content: Content, agenda: Agenda, speaker_id: str
) -> tuple[str, InlineKeyboardMarkup] | None:
    person = content.speakers_by_id.get(speaker_id)
    if person is None:
        return None
    lines = [f"🎤 <b>{esc(' '.join(p for p in (person.honorific, person.name) if p))}</b>"]
    lines += [
        esc(value) for value in (person.position, person.affiliation, person.country) if value
    ]
    if person.bio:
        lines += ["", esc(person.bio)]
    text, markup = render_listing(
        content,
        "\n".join(lines) + "\n\n<b>Sessions</b>",
        agenda.by_speaker(speaker_id),
        "No sessions listed.",
    )
    return text, markup


async def speakers_command(update: Update, context: Context) -> None:
    await reply(update, *render_speakers(services(context).event.content, 0))


async def speakers_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    state = services(context).event
    parts = unpack(query.data)
    if len(parts) == 3 and parts[1] == "l" and parts[2].isdigit():
        await query.answer()
        await show(update, *render_speakers(state.content, int(parts[2])))
    elif (
        len(parts) == 3
        and parts[1] == "p"
        and (rendered := render_speaker(state.content, state.agenda, parts[2]))
    ):
        await query.answer()
        await show(update, *rendered)
    else:
        await stale_button(update, context)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("speakers", speakers_command))
    application.add_handler(CallbackQueryHandler(speakers_button, pattern=r"^sp:"))
