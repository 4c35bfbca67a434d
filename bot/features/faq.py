"""Frequently asked questions, as a list of buttons.

Callback data (namespace ``fq``): ``fq:l:<page>`` and ``fq:q:<faq id>``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.content import Content, FaqEntry
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

TEXT_TITLE = "❓ <b>Frequently asked questions</b>"


def faq_title(entry: FaqEntry) -> str:
    question = entry.questions[0]
    question = question[0].upper() + question[1:]
    return question if question.endswith("?") else question + "?"


def render_faq_list(content: Content, page: int) -> tuple[str, InlineKeyboardMarkup]:
    shown, page, pages = page_of(content.faq, page, size=10)
    rows: list[list[InlineKeyboardButton]] = [
        [button(faq_title(entry)[:60], "fq", "q", entry.id)] for entry in shown
    ]
    rows.append(pager_row(page, pages, "fq", "l"))
    rows.append([button("🏠 Menu", "m", "home")])
    return TEXT_TITLE, keyboard(rows)


def render_faq_entry(entry: FaqEntry) -> tuple[str, InlineKeyboardMarkup]:
    # Answers are organiser-written Telegram HTML (validated by the emulator and Telegram alike).
    text = f"❓ <b>{esc(faq_title(entry))}</b>\n\n{entry.answer}"
    return text, keyboard(
        [[button("« All questions", "fq", "l", "0"), button("🏠 Menu", "m", "home")]]
    )


async def faq_command(update: Update, context: Context) -> None:
    await reply(update, *render_faq_list(services(context).event.content, 0))


async def faq_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    content = services(context).event.content
    parts = unpack(query.data)
    if len(parts) == 3 and parts[1] == "l" and parts[2].isdigit():
        await query.answer()
        await show(update, *render_faq_list(content, int(parts[2])))
    elif len(parts) == 3 and parts[1] == "q" and (entry := content.faq_by_id.get(parts[2])):
        await query.answer()
        await show(update, *render_faq_entry(entry))
    else:
        await stale_button(update, context)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("faq", faq_command))
    application.add_handler(CallbackQueryHandler(faq_button, pattern=r"^fq:"))
