"""Frequently asked questions, as a list of buttons.

Callback data (namespace ``fq``): ``fq:l:<page>`` and ``fq:q:<faq id>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.content import Content, FaqEntry
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
from bot.i18n import N_, _, tr
from bot.runtime import Context

TEXT_TITLE = N_("❓ <b>Frequently asked questions</b>")


class FaqButton(CallbackData, prefix="fq"):
    pass


@dataclass(frozen=True)
class FaqList(FaqButton, action="l"):
    """``fq:l:<page>``: one page of the questions."""

    page: int = 0


@dataclass(frozen=True)
class FaqQuestion(FaqButton, action="q"):
    """``fq:q:<faq id>``: one question and its answer."""

    faq_id: str


def faq_title(entry: FaqEntry) -> str:
    question = tr(entry.questions[0])
    question = question[0].upper() + question[1:]
    return question if question.endswith("?") else question + "?"


def render_faq_list(content: Content, page: int) -> tuple[str, InlineKeyboardMarkup]:
    _shown, rows = paged_rows(
        content.faq, page, lambda e: button(faq_title(e)[:60], FaqQuestion(e.id)), FaqList, size=10
    )
    rows.append([button(_("🏠 Menu"), HOME)])
    return _(TEXT_TITLE), keyboard(rows)


def render_faq_entry(entry: FaqEntry) -> tuple[str, InlineKeyboardMarkup]:
    # Answers are organiser-written Telegram HTML (validated by the emulator and Telegram alike).
    text = f"❓ <b>{esc(faq_title(entry))}</b>\n\n{tr(entry.answer)}"
    return text, keyboard([[button(_("« All questions"), FaqList()), button(_("🏠 Menu"), HOME)]])


async def faq_command(update: Update, context: Context) -> None:
    await reply(update, *render_faq_list(context.bot_data.event.content, 0))


async def faq_button(update: Update, context: Context, press: Press[FaqButton]) -> None:
    content = context.bot_data.event.content
    match press.data:
        case FaqList(page):
            await show(update, *render_faq_list(content, page))
        case FaqQuestion(faq_id) if entry := content.faq_by_id.get(faq_id):
            await show(update, *render_faq_entry(entry))
        case _:
            await press.stale()


def register(application: Application) -> None:
    application.add_handler(CommandHandler("faq", faq_command))
    application.add_handler(button_handler(FaqButton, faq_button))
