"""What every feature shares: the services it is given, formatting in the event's zone,
keyboards, and sending text within Telegram's limits. Callback data is typed in
:mod:`bot.features.callbacks`."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable, Sequence
from typing import Literal, Protocol, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.runtime import BotData
from bot.telegram_text import utf16_len

MAX_MESSAGE_CHARS = 4096
PAGE_SIZE = 8

T = TypeVar("T")
log = logging.getLogger(__name__)


# --- who may do what -------------------------------------------------------------------------

TEXT_REFUSED = "Sorry, this command is for the event's staff."


async def permitted(
    update: Update, svc: BotData, role: Literal["staff", "organiser"], what: str
) -> bool:
    """Whether the sender of ``update`` has ``role``; if not, a polite refusal (an alert for a
    button) and a log line naming who tried what."""
    user = update.effective_user
    if user is not None and (
        svc.settings.is_organiser(user.id)
        if role == "organiser"
        else svc.settings.is_staff(user.id)
    ):
        return True
    log.warning("refused %s to user %s", what, user.id if user else "?")
    if update.callback_query is not None:
        await update.callback_query.answer(TEXT_REFUSED, show_alert=True)
    else:
        await reply(update, TEXT_REFUSED)
    return False


# --- formatting ----------------------------------------------------------------------------


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def fmt_day(day: dt.date) -> str:
    return day.strftime("%a %d %b").replace(" 0", " ")


def fmt_day_long(day: dt.date) -> str:
    return day.strftime("%A %d %B %Y").replace(" 0", " ")


def fmt_time(moment: dt.datetime | dt.time) -> str:
    return moment.strftime("%H:%M")


# --- keyboards ----------------------------------------------------------------------------


class Packed(Protocol):
    """Callback data that packs itself (see :mod:`bot.features.callbacks`)."""

    def pack(self) -> str: ...


def keyboard(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def pager_row(page: int, pages: int, at: Callable[[int], Packed]) -> list[InlineKeyboardButton]:
    """« and » buttons for a paged list; ``at(page)`` is the data of a page's button."""
    row: list[InlineKeyboardButton] = []
    for label, target in (
        ("« Prev", page - 1 if page > 0 else None),
        (f"{page + 1}/{pages}", page if pages > 1 else None),
        ("Next »", page + 1 if page < pages - 1 else None),
    ):
        if target is not None:
            row.append(InlineKeyboardButton(label, callback_data=at(target).pack()))
    return row


def page_of(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], int, int]:
    """The items of one page, the page actually shown (clamped) and the number of pages."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return list(items[page * size : (page + 1) * size]), page, pages


# --- sending within limits -----------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def split_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split HTML text into messages of at most ``limit`` characters, at line breaks.

    Our renderers close every tag on the line that opens it, so a line break is always a safe
    place to cut. A single line longer than the limit is cut at a space and loses its markup
    (its text is kept), because cutting inside a tag would make the HTML invalid.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0  # UTF-16 length of "\n".join(current), kept as we go rather than re-measured
    for line in text.split("\n"):
        pieces = [line]
        if utf16_len(line) > limit:
            plain = esc(html.unescape(_TAG.sub("", line)))
            pieces = _hard_split(plain, limit)
        for piece in pieces:
            length = utf16_len(piece)
            extra = length + (1 if current else 0)
            if size + extra <= limit:
                current.append(piece)
                size += extra
                continue
            joined = "\n".join(current)
            if joined.strip():
                chunks.append(joined)
            current, size = [piece], length
    joined = "\n".join(current)
    if joined.strip():
        chunks.append(joined)
    return chunks or [""]


def _hard_split(plain: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while utf16_len(plain) > limit:
        cut = limit
        while utf16_len(plain[:cut]) > limit:
            cut -= 1
        space = plain.rfind(" ", 0, cut)
        # Never cut inside an HTML entity such as &amp;
        amp = plain.rfind("&", 0, cut)
        if amp != -1 and plain.find(";", amp) >= cut:
            cut = amp
        if space > cut // 2:
            cut = space
        pieces.append(plain[:cut])
        plain = plain[cut:].lstrip(" ")
    pieces.append(plain)
    return pieces


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Reply in the update's chat; long text goes out in several messages, buttons on the last."""
    chat = update.effective_chat
    if chat is None:
        return None
    chunks = split_message(text)
    sent: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent = await chat.send_message(
            chunk, reply_markup=markup if last else None, disable_web_page_preview=True
        )
    return sent


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer a button press by editing its message in place, or reply to a typed command.

    Text too long for one message cannot be edited in; it is then sent as new messages.
    """
    query = update.callback_query
    if query is None or query.message is None or len(split_message(text)) > 1:
        await reply(update, text, markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup, disable_web_page_preview=True)
    except BadRequest as exc:
        message = str(exc).lower()
        if "not modified" in message:
            return
        if "message to edit not found" in message or "can't be edited" in message:
            await reply(update, text, markup)
            return
        raise
