"""``/language``: the person chooses the language the bot speaks to them.

The choice is stored with the person (``users.chosen_language``, deleted by /forget) and wins
over their Telegram app's language from the next update on; the answer to the press is already
in the new language, and so is the command menu sent again for them.

Callback data (namespace ``lg``): ``lg:p`` (the picker, from the menu) and ``lg:s:<code>``
(choose that language), typed as :class:`LanguagePick` and :class:`LanguageSet`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from telegram import BotCommandScopeChat, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.features.callbacks import HOME, CallbackData, Part, Press, button, button_handler
from bot.features.keyboards import keyboard
from bot.features.send import reply, show
from bot.i18n import (
    _,
    available_languages,
    current_language,
    own_name,
    own_name_in_text,
    pick_language,
    set_language,
)
from bot.runtime import Context

log = logging.getLogger(__name__)


def _language_code(text: str) -> str:
    if text not in available_languages():
        raise ValueError("not an interface language")
    return text


LANGUAGE_PART: Part[str] = Part(str, _language_code)


class LanguageButton(CallbackData, prefix="lg"):
    pass


@dataclass(frozen=True)
class LanguagePick(LanguageButton, action="p"):
    """``lg:p``: the languages to pick from."""


@dataclass(frozen=True)
class LanguageSet(LanguageButton, action="s"):
    """``lg:s:<code>``: speak this language to me from now on."""

    language: Annotated[str, LANGUAGE_PART]


def render_picker() -> tuple[str, InlineKeyboardMarkup]:
    """The languages, each in its own name, the current one ticked."""
    current = current_language()
    rows = [
        [button(("✅ " if code == current else "") + own_name(code), LanguageSet(code))]
        for code in available_languages()
    ]
    rows.append([button(_("🏠 Menu"), HOME)])
    return _("🌐 <b>Language</b>\nWhich language shall I speak to you?"), keyboard(rows)


async def language_command(update: Update, context: Context) -> None:
    await reply(update, *render_picker())


async def language_button(update: Update, context: Context, press: Press[LanguageButton]) -> None:
    match press.data:
        case LanguagePick():
            await show(update, *render_picker())
        case LanguageSet(language):
            user = update.effective_user
            if user is None:
                await press.stale()
                return
            svc = context.bot_data
            await svc.store.set_chosen_language(user.id, language)
            # The rest of this update is in the new language: the answer, the picker, the menu.
            set_language(language)
            # The name as running text in the new language ("en français"); only the
            # picker's buttons, standing alone, are capitalised.
            await press.answer(
                _("I will speak {language} to you.").format(language=own_name_in_text(language))
            )
            await show(update, *render_picker())
            await send_command_menu(context, user.id)
        case _:
            await press.stale()


async def send_command_menu(context: Context, user_id: int) -> None:
    """The person's command menu again, in the current language (in their own chat only)."""
    # The menu links to this feature's picker: imported here so that imports keep one direction.
    from bot.features.menu import ATTENDEE_COMMANDS, commands_for, translated

    commands = commands_for(context.bot_data.team, user_id) or translated(ATTENDEE_COMMANDS)
    try:
        await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(user_id))
    except TelegramError:
        # The menu is a convenience: the choice is stored and the messages follow it anyway.
        return


async def forget_command_menu(context: Context, user_id: int, telegram_code: str | None) -> None:
    """After /forget: remove the menu /language set in the person's chat (always for the chat
    scope without a language code, see :func:`send_command_menu`), so that Telegram shows them
    the menu of their app's language again. A staff member or organiser keeps their role menu,
    set again in the language the bot now speaks to them: their app's, else the event's."""
    from bot.features.menu import set_role_commands

    svc = context.bot_data
    try:
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        # Their data is deleted either way; at worst the menu stays in the chosen language.
        log.info("command menu of user %s not removed: %s", user_id, exc)
    if not svc.team.is_staff(user_id):
        return
    language = pick_language(None, telegram_code, svc.default_language)
    if not await set_role_commands(context.bot, svc.team, user_id, language):
        svc.role_commands_set.discard(user_id)  # tried again when they next write


def register(application: Application) -> None:
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(button_handler(LanguageButton, language_button, private=True))
