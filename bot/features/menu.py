"""Welcome, help, the main menu, the "about" page, and the polite answer to stale buttons and
unknown commands.

Callback data (namespace ``m``): ``m:home``, ``m:about``, typed as
:class:`~bot.features.callbacks.MenuPage` (defined with the shared callback data: every feature
links back to the menu, and this module imports the features to point into their namespaces).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

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

from bot.content import Content
from bot.features.agenda import AgendaDays, AgendaNowNext, programme_button, programme_url
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
from bot.features.fmt import esc, fmt_day, local_text
from bot.features.keyboards import keyboard
from bot.features.language import LanguagePick
from bot.features.my_agenda import MyAgendaList, SettingsShow
from bot.features.send import reply, show
from bot.features.speakers import SpeakerList
from bot.features.venue import VenueTopic
from bot.i18n import N_, _, available_languages, isolate, tr, use_language
from bot.runtime import Context
from bot.services.team import TeamService

log = logging.getLogger(__name__)

ATTENDEE_COMMANDS = (
    BotCommand("start", N_("Welcome and main menu")),
    BotCommand("agenda", N_("The programme, day by day")),
    BotCommand("now", N_("What is on now and next")),
    BotCommand("next", N_("The next sessions")),
    BotCommand("session", N_("One session in full: /session <name>")),
    BotCommand("speakers", N_("Chairs and speakers")),
    BotCommand("venue", N_("Address, map, rooms, Wi-Fi, transport")),
    BotCommand("faq", N_("Frequently asked questions")),
    BotCommand("my", N_("My agenda and calendar file")),
    BotCommand("settings", N_("Reminder settings")),
    BotCommand("feedback", N_("Rate a session")),
    BotCommand("privacy", N_("What I store about you, and for how long")),
    BotCommand("mydata", N_("Everything stored about you, as a file")),
    BotCommand("forget", N_("Delete all your data")),
    BotCommand("language", N_("Change the language")),
    BotCommand("help", N_("What this bot can do")),
)
STAFF_COMMANDS = (
    BotCommand("stats", N_("How many people use the bot")),
    BotCommand("report", N_("Feedback per session: /report <session> for details")),
    BotCommand("export", N_("Feedback answers as CSV and Excel files")),
    BotCommand("inbox", N_("Questions passed on to the organisers")),
    BotCommand("insights", N_("What attendees ask: figures, chart and CSV")),
)
ORGANISER_COMMANDS = (
    BotCommand("reload", N_("Reload the event content from YAML")),
    BotCommand("broadcast", N_("Send a message to attendees")),
    BotCommand("broadcasts", N_("Recent broadcasts: progress, stop")),
    BotCommand("cancel", N_("Leave the broadcast being written")),
    BotCommand("invite", N_("Invite someone to the team: a one-time link")),
    BotCommand("team", N_("The team and their roles; revoke a role")),
    BotCommand("audit", N_("What staff and organisers did, newest first")),
)


def translated(commands: Iterable[BotCommand]) -> list[BotCommand]:
    """``commands`` with their descriptions in the current language."""
    return [BotCommand(c.command, _(c.description)) for c in commands]


def commands_for(team: TeamService, user_id: int) -> list[BotCommand] | None:
    """The command menu of a staff member or organiser, in the current language; None for an
    attendee (the default)."""
    if not team.is_staff(user_id):
        return None
    commands = [*ATTENDEE_COMMANDS, *STAFF_COMMANDS]
    if team.is_organiser(user_id):
        commands += ORGANISER_COMMANDS
    return translated(commands)


async def set_default_commands(bot: Bot, default_language: str) -> bool:
    """Show the attendee commands to everyone: in the event's language for any language the
    bot does not speak, and in each interface language for the apps set to it (Telegram
    picks the menu by the app's language). False, logged, if Telegram refused just now."""
    try:
        with use_language(default_language):
            default = translated(ATTENDEE_COMMANDS)
        await bot.set_my_commands(default, scope=BotCommandScopeDefault())
        for language in available_languages():
            with use_language(language):
                await bot.set_my_commands(
                    translated(ATTENDEE_COMMANDS),
                    scope=BotCommandScopeDefault(),
                    language_code=language,
                )
    except TelegramError as exc:
        log.warning("the command menu is not set yet (%s); trying again when someone writes", exc)
        return False
    return True


async def set_role_commands(bot: Bot, team: TeamService, user_id: int, language: str) -> bool:
    """Show a staff member's or organiser's commands in their own chat only, in ``language``.

    Telegram refuses a chat scope for someone who has never opened the bot ("chat not
    found"), so this is tried at start-up and again when they first write.
    """
    with use_language(language):
        commands = commands_for(team, user_id)
    if commands is None:
        return True
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("commands for user %s not set yet: %s", user_id, exc)
        return False
    return True


async def set_own_commands(bot: Bot, team: TeamService, user_id: int, language: str) -> bool:
    """Set the command menu of one person's chat to what their role gives them now, in
    ``language``: right after a role is granted or revoked, so the menu follows at once (a
    revoked member gets the attendee menu back in their chat). False, logged, if refused."""
    with use_language(language):
        commands = commands_for(team, user_id) or translated(ATTENDEE_COMMANDS)
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("commands for user %s not set: %s", user_id, exc)
        return False
    return True


TEXT_HELP = N_(
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
    "/privacy: what I store about you · /mydata: all of it · /forget: delete it\n"
    "/language: the language I speak to you\n\n"
    "Or just ask, for example:\n"
    "• <i>where is the workshop?</i>\n"
    "• <i>who chairs the opening</i>\n"
    "• <i>wifi password</i>\n"
    "• <i>what's on tomorrow afternoon</i>"
)
TEXT_UNKNOWN_COMMAND = N_("I don't know that command.")


def render_menu(
    content: Content, web_app_url: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    event = content.event
    days = isolate(f"{fmt_day(event.start_date)} – {fmt_day(event.end_date)} {event.end_date.year}")
    place = ", ".join(local_text(p) for p in (event.city, event.country) if p)
    text = (
        f"👋 <b>{esc(local_text(event.short_name))}</b>\n"
        f"{esc(days)}{' · ' + esc(place) if place else ''}\n\n"
        + _(
            "I can show you the programme, the venue and the speakers. Pick below or just type "
            "a question."
        )
        + "\n\n"
        + _("🔒 /privacy: what I store about you, and how to see or delete it.")
    )
    markup = keyboard(
        [
            *([[programme_button(web_app_url)]] if web_app_url is not None else []),
            [button(_("📅 Agenda"), AgendaDays()), button(_("⏱ Now & next"), AgendaNowNext())],
            [
                button(_("🎤 Speakers"), SpeakerList()),
                button(_("📍 Venue"), VenueTopic("overview")),
            ],
            [button(_("⭐ My agenda"), MyAgendaList()), button(_("❓ FAQ"), FaqList())],
            [button(_("⚙️ Reminders"), SettingsShow()), button(_("ℹ️ About"), MenuPage("about"))],
            [button(_("🌐 Language"), LanguagePick())],
        ]
    )
    return text, markup


def render_about(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    event = content.event
    lines = [
        f"ℹ️ <b>{esc(local_text(event.name))}</b>",
        "",
        _("<b>Theme:</b> {theme}").format(theme=esc(local_text(event.theme))),
        "",
        esc(tr(event.summary)),
    ]
    if event.objectives:
        lines += ["", _("<b>Objectives</b>")] + [f"• {esc(tr(o))}" for o in event.objectives]
    if event.principles:
        principles = ", ".join(local_text(p) for p in event.principles)
        lines += [
            "",
            _("<b>Principles in focus:</b> {principles}").format(principles=esc(principles)),
        ]
    if event.audience:
        lines += ["", _("<b>For whom:</b> {audience}").format(audience=esc(tr(event.audience)))]
    if event.format:
        lines += ["", _("<b>Format:</b> {format}").format(format=esc(tr(event.format)))]
    if event.expected_results:
        lines += ["", _("<b>Expected results</b>")] + [
            f"• {esc(tr(r))}" for r in event.expected_results
        ]
    if event.follow_up:
        lines += ["", _("<b>Follow-up:</b> {follow_up}").format(follow_up=esc(tr(event.follow_up)))]
    if event.organisers:
        lines += ["", _("<b>Organisers</b>")] + [
            f"• {esc(local_text(o.name))}"
            + (f" ({esc(local_text(o.short_name))})" if o.short_name else "")
            for o in event.organisers
        ]
    if event.links:
        lines += ["", _("<b>Links</b>")] + [
            f'• <a href="{esc(link.url)}">{esc(local_text(link.title))}</a>' for link in event.links
        ]
    return "\n".join(lines), keyboard([[button(_("🏠 Menu"), HOME)]])


async def start_command(update: Update, context: Context) -> None:
    text, markup = render_menu(context.bot_data.event.content, programme_url(update, context))
    await reply(update, text, markup)


async def help_command(update: Update, context: Context) -> None:
    await reply(update, _(TEXT_HELP), keyboard([[button(_("🏠 Menu"), HOME)]]))


async def unknown_command(update: Update, context: Context) -> None:
    await reply(update, f"{_(TEXT_UNKNOWN_COMMAND)}\n\n{_(TEXT_HELP)}")


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
