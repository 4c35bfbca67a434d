"""Who may do what: the one check of the staff and organiser roles, for commands and buttons
alike (buttons are checked through ``button_handler(role=...)`` in
:mod:`bot.features.callbacks`)."""

from __future__ import annotations

import logging
from typing import Literal

from telegram import Update

from bot.features.send import reply
from bot.runtime import BotData

log = logging.getLogger(__name__)

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
