"""Who may do what, and where: the one check of the staff and organiser roles, and the one
check that personal or staff work happens in a private chat with the bot, for commands and
buttons alike (buttons are checked through ``button_handler(role=..., private=...)`` in
:mod:`bot.features.callbacks`).

Staff and organiser results (reports, exports, figures, broadcasts) and a person's own answers
(feedback, personal agenda, reminder settings) are never posted in a group: anyone in the group
would read them, and a button pressed there would edit the shared message for everyone. In a
group such a command or button gets a short answer pointing to the private chat, and nothing
else is sent or edited.
"""

from __future__ import annotations

import logging
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.features.send import reply
from bot.i18n import N_, _
from bot.runtime import BotData

log = logging.getLogger(__name__)

TEXT_REFUSED = N_("Sorry, this command is for the event's staff.")
TEXT_PRIVATE_ONLY = N_("🔒 This works in a private chat with me, not in a group.")
LABEL_OPEN_PRIVATE = N_("💬 Open a private chat")


def in_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def private_chat_link(update: Update, start: str | None = None) -> str:
    """``https://t.me/<bot>``, with ``?start=<start>`` (a deep link the bot handles) if given."""
    username = update.get_bot().username
    return f"https://t.me/{username}" + (f"?start={start}" if start else "")


async def private_only(
    update: Update, what: str, *, start: str | None = None, text: str = TEXT_PRIVATE_ONLY
) -> bool:
    """Whether ``update`` comes from a private chat; if not, a short answer pointing there.

    A command gets a reply with a button opening the private chat (at the deep link ``start``
    when given); a button press gets its query answered, opening the deep link when there is
    one and showing ``text`` as an alert otherwise. Nothing else is sent or edited."""
    if in_private(update):
        return True
    # ``text`` is a marked message (N_) or already translated; _() gives either in the reader's.
    text = _(text)
    chat = update.effective_chat
    log.info("refused %s in chat %s: private only", what, chat.id if chat else "?")
    query = update.callback_query
    if query is not None:
        if start is not None:
            await query.answer(text, url=private_chat_link(update, start))
        else:
            await query.answer(text, show_alert=True)
        return False
    link = InlineKeyboardButton(_(LABEL_OPEN_PRIVATE), url=private_chat_link(update, start))
    await reply(update, text, InlineKeyboardMarkup([[link]]))
    return False


async def permitted(
    update: Update, svc: BotData, role: Literal["staff", "organiser"], what: str
) -> bool:
    """Whether the sender of ``update`` has ``role`` and asks in a private chat.

    Someone without the role gets a polite refusal (an alert for a button) and a log line
    naming who tried what; staff asking in a group get :func:`private_only`'s answer, and no
    result is posted there."""
    user = update.effective_user
    if user is None or not svc.team.has_role(user.id, role):
        log.warning("refused %s to user %s", what, user.id if user else "?")
        if update.callback_query is not None:
            await update.callback_query.answer(_(TEXT_REFUSED), show_alert=True)
        else:
            await reply(update, _(TEXT_REFUSED))
        return False
    return await private_only(update, what)
