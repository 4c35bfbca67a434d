"""``/language``: the person chooses the language the bot speaks to them.

The choice is stored with the person (``users.chosen_language``, deleted by /forget) and wins
over their Telegram app's language from the next update on; the answer to the press is already
in the new language, and so is the command menu sent again for them.

Callback data (namespace ``lg``): ``lg:p`` (the picker, from the menu) and ``lg:s:<code>``
(choose that language), typed as :class:`LanguagePick` and :class:`LanguageSet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from telegram import BotCommandScopeChat, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.features.callbacks import HOME, CallbackData, Part, Press, button, button_handler
from bot.features.keyboards import keyboard
from bot.features.send import reply, show
from bot.i18n import _, available_languages, current_language, own_name, set_language
from bot.runtime import Context


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
            await press.answer(
                _("I will speak {language} to you.").format(language=own_name(language))
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


def register(application: Application) -> None:
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(button_handler(LanguageButton, language_button, private=True))
