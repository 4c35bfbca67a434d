"""Chairs and speakers, and the sessions of each.

Callback data (namespace ``sp``): ``sp:l:<page>`` (the list) and ``sp:p:<speaker id>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.content import Content
from bot.domain.agenda import Agenda
from bot.features.agenda import render_listing, speaker_name
from bot.features.callbacks import (
    HOME,
    CallbackData,
    Press,
    button,
    button_handler,
)
from bot.features.fmt import esc
from bot.features.keyboards import keyboard, paged_rows
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, tr
from bot.runtime import Context

TEXT_TITLE = N_("🎤 <b>Chairs and speakers</b>")
TEXT_NONE = N_("No speakers have been announced yet.")


class SpeakersButton(CallbackData, prefix="sp"):
    pass


@dataclass(frozen=True)
class SpeakerList(SpeakersButton, action="l"):
    """``sp:l:<page>``: one page of the list of chairs and speakers."""

    page: int = 0


@dataclass(frozen=True)
class SpeakerPage(SpeakersButton, action="p"):
    """``sp:p:<speaker id>``: one person and their sessions."""

    speaker_id: str


def render_speakers(content: Content, page: int) -> tuple[str, InlineKeyboardMarkup]:
    people = sorted(content.speakers, key=lambda p: p.name.split()[-1].lower())
    shown, rows = paged_rows(
        people, page, lambda p: button(tr(p.name)[:40], SpeakerPage(p.id)), SpeakerList, size=10
    )
    lines = [_(TEXT_TITLE)]
    lines += [f"• {speaker_name(p.name, p.honorific, p.position or p.affiliation)}" for p in shown]
    if not people:
        lines.append(_(TEXT_NONE))
    rows.append([button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


def render_speaker(
    content: Content, agenda: Agenda, speaker_id: str
) -> tuple[str, InlineKeyboardMarkup] | None:
    person = content.speakers_by_id.get(speaker_id)
    if person is None:
        return None
    name = " ".join(tr(p) for p in (person.honorific, person.name) if p)
    lines = [f"🎤 <b>{esc(isolate(name))}</b>"]
    lines += [
        esc(tr(value)) for value in (person.position, person.affiliation, person.country) if value
    ]
    if person.bio:
        lines += ["", esc(tr(person.bio))]
    text, markup = render_listing(
        content,
        "\n".join(lines) + "\n\n" + _("<b>Sessions</b>"),
        agenda.by_speaker(speaker_id),
        _("No sessions listed."),
    )
    return text, markup


async def speakers_command(update: Update, context: Context) -> None:
    await reply(update, *render_speakers(context.bot_data.event.content, 0))


async def speakers_button(update: Update, context: Context, press: Press[SpeakersButton]) -> None:
    state = context.bot_data.event
    match press.data:
        case SpeakerList(page):
            await show(update, *render_speakers(state.content, page))
        case SpeakerPage(speaker_id) if rendered := render_speaker(
            state.content, state.agenda, speaker_id
        ):
            await show(update, *rendered)
        case _:
            await press.stale()


def register(application: Application) -> None:
    application.add_handler(CommandHandler("speakers", speakers_command))
    application.add_handler(button_handler(SpeakersButton, speakers_button))
