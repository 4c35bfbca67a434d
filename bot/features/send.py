"""Sending text within Telegram's limits: long text split into several messages, and a button's
message edited in place where it can be."""

from __future__ import annotations

import html
import re

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.features.fmt import esc
from bot.telegram_text import utf16_len

MAX_MESSAGE_CHARS = 4096  # Telegram's limit on a message's text, in UTF-16 code units


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
