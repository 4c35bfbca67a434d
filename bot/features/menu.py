"""Welcome, help, the main menu, the "about" page, and the polite answer to stale buttons and
unknown commands.

Callback data (namespace ``m``): ``m:home``, ``m:about``, typed as
:class:`~bot.features.callbacks.MenuPage` (defined with the shared callback data: every feature
links back to the menu, and this module imports the features to point into their namespaces).
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.content import Content
from bot.features.agenda import AgendaDays, AgendaNowNext
from bot.features.callbacks import (
    HOME,
    MenuButton,
    MenuPage,
    Press,
    button,
    button_handler,
    stale_button,
)
from bot.features.faq import FaqList
from bot.features.fmt import esc, fmt_day
from bot.features.keyboards import keyboard
from bot.features.my_agenda import MyAgendaList, SettingsShow
from bot.features.send import reply, show
from bot.features.speakers import SpeakerList
from bot.features.venue import VenueTopic
from bot.runtime import Context

log = logging.getLogger(__name__)

ATTENDEE_COMMANDS = (
    BotCommand("start", "Welcome and main menu"),
    BotCommand("agenda", "The programme, day by day"),
    BotCommand("now", "What is on now and next"),
    BotCommand("next", "The next sessions"),
    BotCommand("session", "One session in full: /session <name>"),
    BotCommand("speakers", "Chairs and speakers"),
    BotCommand("venue", "Address, map, rooms, Wi-Fi, transport"),
    BotCommand("faq", "Frequently asked questions"),
    BotCommand("my", "My agenda and calendar file"),
    BotCommand("settings", "Reminder settings"),
    BotCommand("feedback", "Rate a session"),
    BotCommand("privacy", "What I store about you, and for how long"),
    BotCommand("mydata", "Everything stored about you, as a file"),
    BotCommand("forget", "Delete all your data"),
    BotCommand("help", "What this bot can do"),
)
STAFF_COMMANDS = (
    BotCommand("stats", "How many people use the bot"),
    BotCommand("report", "Feedback per session: /report <session> for details"),
    BotCommand("export", "Feedback answers as CSV and Excel files"),
)
ORGANISER_COMMANDS = (
    BotCommand("reload", "Reload the event content from YAML"),
    BotCommand("broadcast", "Send a message to attendees"),
    BotCommand("broadcasts", "Recent broadcasts: progress, stop"),
    BotCommand("cancel", "Leave the broadcast being written"),
)


def commands_for(settings: Settings, user_id: int) -> list[BotCommand] | None:
    """The command menu of a staff member or organiser; None for an attendee (the default)."""
    if not settings.is_staff(user_id):
        return None
    commands = [*ATTENDEE_COMMANDS, *STAFF_COMMANDS]
    if settings.is_organiser(user_id):
        commands += ORGANISER_COMMANDS
    return commands


async def set_default_commands(bot: Bot) -> bool:
    """Show the attendee commands to everyone; False, logged, if Telegram refused just now."""
    try:
        await bot.set_my_commands(list(ATTENDEE_COMMANDS), scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("the command menu is not set yet (%s); trying again when someone writes", exc)
        return False
    return True


async def set_role_commands(bot: Bot, settings: Settings, user_id: int) -> bool:
    """Show a staff member's or organiser's commands in their own chat only.

    Telegram refuses a chat scope for someone who has never opened the bot ("chat not
    found"), so this is tried at start-up and again when they first write.
    """
    commands = commands_for(settings, user_id)
    if commands is None:
        return True
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("commands for user %s not set yet: %s", user_id, exc)
        return False
    return True


TEXT_HELP = (
    "<b>What I can do</b>\n"
    "/agenda: the programme, day by day\n"
    "/now: what is on now and next · /next: the next sessions\n"
    "/session: one session in full, e.g. <code>/session opening</code>\n"
    "/speakers: chairs and speakers\n"
    "/venue: address, map pin, rooms, Wi-Fi and transport\n"
    "/faq: frequently asked questions\n"
    "/my: your own agenda (press ⭐ on a session), also as a calendar file\n"
    "/settings: when to remind you before your sessions\n"
    "/feedback: rate a session (one tap), and change your answer later\n"
    "/privacy: what I store about you · /mydata: all of it · /forget: delete it\n\n"
    "Or just ask, for example:\n"
    "• <i>where is the workshop?</i>\n"
    "• <i>who chairs the opening</i>\n"
    "• <i>wifi password</i>\n"
    "• <i>what's on tomorrow afternoon</i>"
)
TEXT_UNKNOWN_COMMAND = "I don't know that command."


def render_menu(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    event = content.event
    days = f"{fmt_day(event.start_date)} – {fmt_day(event.end_date)} {event.end_date.year}"
    place = ", ".join(p for p in (event.city, event.country) if p)
    text = (
        f"👋 <b>{esc(event.short_name)}</b>\n"
        f"{esc(days)}{' · ' + esc(place) if place else ''}\n\n"
        "I can show you the programme, the venue and the speakers. Pick below or just type a "
        "question.\n\n"
        "🔒 /privacy: what I store about you, and how to see or delete it."
    )
    markup = keyboard(
        [
            [button("📅 Agenda", AgendaDays()), button("⏱ Now & next", AgendaNowNext())],
            [button("🎤 Speakers", SpeakerList()), button("📍 Venue", VenueTopic("overview"))],
            [button("⭐ My agenda", MyAgendaList()), button("❓ FAQ", FaqList())],
            [button("⚙️ Reminders", SettingsShow()), button("ℹ️ About", MenuPage("about"))],
        ]
    )
    return text, markup


def render_about(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    event = content.event
    lines = [
        f"ℹ️ <b>{esc(event.name)}</b>",
        "",
        f"<b>Theme:</b> {esc(event.theme)}",
        "",
        esc(event.summary),
    ]
    if event.objectives:
        lines += ["", "<b>Objectives</b>"] + [f"• {esc(o)}" for o in event.objectives]
    if event.principles:
        lines += ["", "<b>Principles in focus:</b> " + esc(", ".join(event.principles))]
    if event.audience:
        lines += ["", f"<b>For whom:</b> {esc(event.audience)}"]
    if event.format:
        lines += ["", f"<b>Format:</b> {esc(event.format)}"]
    if event.expected_results:
        lines += ["", "<b>Expected results</b>"] + [f"• {esc(r)}" for r in event.expected_results]
    if event.follow_up:
        lines += ["", f"<b>Follow-up:</b> {esc(event.follow_up)}"]
    if event.organisers:
        lines += ["", "<b>Organisers</b>"] + [
            f"• {esc(o.name)}" + (f" ({esc(o.short_name)})" if o.short_name else "")
            for o in event.organisers
        ]
    if event.links:
        lines += ["", "<b>Links</b>"] + [
            f'• <a href="{esc(link.url)}">{esc(link.title)}</a>' for link in event.links
        ]
    return "\n".join(lines), keyboard([[button("🏠 Menu", HOME)]])


async def start_command(update: Update, context: Context) -> None:
    text, markup = render_menu(context.bot_data.event.content)
    await reply(update, text, markup)


async def help_command(update: Update, context: Context) -> None:
    await reply(update, TEXT_HELP, keyboard([[button("🏠 Menu", HOME)]]))


async def unknown_command(update: Update, context: Context) -> None:
    await reply(update, f"{TEXT_UNKNOWN_COMMAND}\n\n{TEXT_HELP}")


async def menu_button(update: Update, context: Context, press: Press[MenuButton]) -> None:
    content = context.bot_data.event.content
    match press.data:
        case MenuPage("about"):
            await show(update, *render_about(content))
        case _:
            await show(update, *render_menu(content))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start_command))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(button_handler(MenuButton, menu_button))


def register_fallbacks(application: Application) -> None:
    """Last-resort handlers: registered after every feature, so they only see what none took."""
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    # The catch-all of callback queries: data of no namespace (each feature answers its own).
    application.add_handler(CallbackQueryHandler(stale_button))
