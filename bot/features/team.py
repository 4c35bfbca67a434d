"""The team: ``/invite`` (a one-time link giving the staff or organiser role), ``/start
inv_<code>`` (opening it), ``/team`` (who is on the team, and revoking a role) and ``/audit``
(what staff and organisers did, newest first, and as a CSV file). Organisers only, in a private
chat; the roles themselves are read through :class:`bot.services.team.TeamService`.

Callback data: ``tm:i:<role>`` (invite), ``tm:l`` (the team), ``tm:r:<user id>:<0|1>`` (revoke,
then confirmed), ``au:p:<page>`` (a page of the audit log), ``au:f`` (the log as CSV).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from typing import Annotated

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, filters

from bot.domain.team import (
    GRANTABLE,
    INVITE_LIFETIME,
    NOBODY,
    AuditAction,
    Member,
    Role,
    clamp_page,
    display_name,
    invite_code_of,
    invite_link,
    page_count,
)
from bot.features.callbacks import CallbackData, Part, Press, button, button_handler, one_of
from bot.features.fmt import esc, fmt_day, fmt_number, fmt_time
from bot.features.keyboards import keyboard, pager_row
from bot.features.menu import commands_for, set_own_commands
from bot.features.permissions import in_private, permitted
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate, use_language
from bot.runtime import BotData, Context
from bot.store import AuditEntry

log = logging.getLogger(__name__)

AUDIT_PAGE_SIZE = 8
AUDIT_CSV_ROWS = 10_000
AUDIT_FILENAME = "audit-log.csv"

_USER_ID = re.compile(r"[0-9]{1,16}")


def _user_id(text: str) -> int:
    """A Telegram user id in callback data: ASCII digits, up to 16 (ids are up to 52 bits)."""
    if not _USER_ID.fullmatch(text):
        raise ValueError("not a user id")
    return int(text)


USER_ID = Part(str, _user_id)

ROLE_LABELS = {
    Role.OWNER: N_("owner"),
    Role.ORGANISER: N_("organiser"),
    Role.STAFF: N_("staff"),
}

TEXT_INVITE_PICK = N_(
    "👥 <b>Invite someone to the team</b>\n"
    "Which role should the link give? It works once, for 24 hours."
)
TEXT_INVITE_MADE = N_(
    "🔗 <b>One-time invite: {role}</b>\n"
    "{link}\n\n"
    "Send it to one person only: whoever opens it first becomes {role}. It expires on "
    "{day} at {time}."
)
TEXT_INVITE_REFUSED = N_("Sorry, this invite link cannot be used. Ask an organiser for a new one.")
TEXT_INVITE_WELCOME = N_(
    "✅ <b>Welcome to the team!</b> You are now {role}.\nYour commands: {commands}"
)
TEXT_INVITE_ALREADY = N_("You are already on the team as {role}.")
TEXT_INVITE_JOINED = N_("✅ {name} opened your invite and is now {role}.")
TEXT_NO_NAME = N_("(name not seen yet)")
TEXT_FORMER = N_("a former team member")
TEXT_TEAM_TITLE = N_("👥 <b>The team</b>")
TEXT_TEAM_CONFIGURED = N_("set in the configuration")
TEXT_TEAM_HINT = N_("Press a name to take their role back. /invite adds someone.")
TEXT_REVOKE_ASK = N_("Take the role {role} from {name}?")
TEXT_REVOKE_ASK_SELF = N_(
    "⚠️ Take the role {role} from <b>yourself</b>? You will lose the team commands at once, "
    "and only another organiser can invite you again."
)
TEXT_REVOKED = N_("➖ {name} is no longer {role}.")
TEXT_REVOKE_GONE = N_("Nothing to revoke: that role is already gone.")
TEXT_YOUR_ROLE_REVOKED = N_("Your role {role} on the team was taken back. Thank you for your help!")
TEXT_AUDIT_TITLE = N_("🧾 <b>Audit log</b> (newest first)")
TEXT_AUDIT_EMPTY = N_("Nothing recorded yet.")
TEXT_AUDIT_CAPTION = N_("The audit log, newest first: {count} entries.")
LABEL_STAFF = N_("Staff")
LABEL_ORGANISER = N_("Organiser")
LABEL_CSV = N_("📄 CSV file")

ACTION_TEXTS = {
    AuditAction.INVITE_CREATED: N_("created an invite ({role})"),
    AuditAction.ROLE_GRANTED: N_("gave {subject} the role {role}"),
    AuditAction.ROLE_REVOKED: N_("took the role {role} from {subject}"),
    AuditAction.BROADCAST_SENT: N_("sent broadcast #{broadcast} to {recipients} people"),
    AuditAction.BROADCAST_CANCELLED: N_("stopped broadcast #{broadcast} ({not_sent} not sent)"),
    AuditAction.RELOAD: N_("reloaded the content"),
    AuditAction.REPORT: N_("read the feedback report"),
    AuditAction.EXPORT: N_("exported the feedback ({rows} answers)"),
    AuditAction.AUDIT_EXPORT: N_("downloaded the audit log"),
    AuditAction.INBOX_CLAIM: N_("took question #{question} of the inbox"),
    AuditAction.INBOX_REPLY: N_("answered question #{question} of the inbox"),
    AuditAction.INBOX_FAQ: N_("made the answer to question #{question} an FAQ entry"),
    AuditAction.INBOX_CLOSED: N_("marked question #{question} of the inbox answered"),
    AuditAction.INBOX_SPAM: N_("marked question #{question} of the inbox as spam"),
}
TEXT_RELOAD_REFUSED = N_("reloaded the content: refused, with errors")
TEXT_REPORT_SESSION = N_("read the feedback report of {session}")
TEXT_BROADCAST_SCHEDULED = N_("scheduled broadcast #{broadcast} to {recipients} people")


# --- callback data ---------------------------------------------------------------------------


class TeamButton(CallbackData, prefix="tm"):
    pass


@dataclass(frozen=True)
class InviteRole(TeamButton, action="i"):
    """``tm:i:staff`` / ``tm:i:organiser``: make an invite for that role."""

    role: Annotated[str, one_of(tuple(r.value for r in GRANTABLE))]


@dataclass(frozen=True)
class TeamList(TeamButton, action="l"):
    """``tm:l``: the team."""


@dataclass(frozen=True)
class RevokeRole(TeamButton, action="r"):
    """``tm:r:<user id>:0`` asks, ``tm:r:<user id>:1`` takes the granted role back."""

    user_id: Annotated[int, USER_ID]
    confirmed: bool = False


class AuditButton(CallbackData, prefix="au"):
    pass


@dataclass(frozen=True)
class AuditPage(AuditButton, action="p"):
    """``au:p:<page>``: a page of the audit log (0 is the newest)."""

    page: int = 0


@dataclass(frozen=True)
class AuditFile(AuditButton, action="f"):
    """``au:f``: the audit log as a CSV file."""


# --- rendering --------------------------------------------------------------------------------


def role_label(role: Role | str) -> str:
    try:
        return _(ROLE_LABELS[Role(role)])
    except ValueError:
        return str(role)


def name_in(svc: BotData, user_id: int | None) -> str:
    """A team member's name as shown (never their id)."""
    if user_id is None:
        return ""
    if user_id <= NOBODY:
        return _(TEXT_FORMER)
    return svc.team.name_of(user_id) or _(TEXT_NO_NAME)


def render_invite_pick() -> tuple[str, InlineKeyboardMarkup]:
    return _(TEXT_INVITE_PICK), keyboard(
        [
            [
                button(_(LABEL_STAFF), InviteRole(Role.STAFF.value)),
                button(_(LABEL_ORGANISER), InviteRole(Role.ORGANISER.value)),
            ]
        ]
    )


def render_team(svc: BotData, viewer: int) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_(TEXT_TEAM_TITLE), ""]
    rows = []
    for member in svc.team.members():
        lines.append(render_member(member))
        if member.revocable:
            label = f"➖ {member.name or _(TEXT_NO_NAME)} · {role_label(member.role)}"
            rows.append([button(label[:60], RevokeRole(member.user_id))])
    lines += ["", _(TEXT_TEAM_HINT)]
    return "\n".join(lines), keyboard(rows)


def render_member(member: Member) -> str:
    name = esc(isolate(member.name)) if member.name else _(TEXT_NO_NAME)
    line = f"• <b>{name}</b> · {esc(role_label(member.role))}"
    if member.configured:
        line += f" ({esc(_(TEXT_TEAM_CONFIGURED))})"
    return line


def describe_entry(svc: BotData, entry: AuditEntry) -> str:
    """What an audit entry says was done, in the reader's language (plain text)."""
    details = entry.details
    values = {
        key: fmt_number(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in details.items()
    }
    values["role"] = role_label(str(details.get("role", "")))
    values["subject"] = name_in(svc, entry.subject)
    try:
        action = AuditAction(entry.action)
    except ValueError:
        # An action of another feature (the inbox's replies...): its name, as written.
        return isolate(entry.action)
    template = ACTION_TEXTS[action]
    if action is AuditAction.RELOAD and details.get("ok") is False:
        template = TEXT_RELOAD_REFUSED
    elif action is AuditAction.REPORT and details.get("session"):
        template = TEXT_REPORT_SESSION
        values["session"] = isolate(str(details["session"]))
    elif action is AuditAction.BROADCAST_SENT and details.get("scheduled"):
        template = TEXT_BROADCAST_SCHEDULED
    try:
        return _(template).format(**values)
    except (KeyError, IndexError):
        return isolate(entry.action)


def entry_time(svc: BotData, entry: AuditEntry) -> str:
    local = entry.at.astimezone(svc.event.content.tz)
    return f"{fmt_day(local.date())} {fmt_time(local)}"


async def render_audit(svc: BotData, page: int) -> tuple[str, InlineKeyboardMarkup]:
    total = await svc.store.audit_count()
    page = clamp_page(page, total, AUDIT_PAGE_SIZE)
    entries = await svc.store.audit_entries(AUDIT_PAGE_SIZE, page * AUDIT_PAGE_SIZE)
    lines = [_(TEXT_AUDIT_TITLE), ""]
    if not entries:
        lines.append(_(TEXT_AUDIT_EMPTY))
    for entry in entries:
        lines.append(
            f"• {esc(entry_time(svc, entry))} · <b>{esc(isolate(name_in(svc, entry.actor)))}</b> "
            f"{esc(describe_entry(svc, entry))}"
        )
    pages = page_count(total, AUDIT_PAGE_SIZE)
    rows = [pager_row(page, pages, AuditPage)] if pages > 1 else []
    rows.append([button(_(LABEL_CSV), AuditFile())])
    return "\n".join(lines), keyboard(rows)


async def audit_csv(svc: BotData) -> tuple[bytes, int]:
    entries = await svc.store.audit_entries(AUDIT_CSV_ROWS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "by", "action", "about", "details"])
    tz = svc.event.content.tz
    for entry in entries:
        writer.writerow(
            [
                entry.at.astimezone(tz).isoformat(timespec="seconds"),
                name_in(svc, entry.actor),
                entry.action,
                name_in(svc, entry.subject),
                ", ".join(f"{k}={v}" for k, v in sorted(entry.details.items())),
            ]
        )
    return out.getvalue().encode("utf-8-sig"), len(entries)


# --- handlers ---------------------------------------------------------------------------------


async def send_invite(update: Update, svc: BotData, role: Role) -> None:
    user = update.effective_user
    assert user is not None
    now = svc.now()
    code = await svc.team.create_invite(role, user.id, now)
    expires = (now + INVITE_LIFETIME).astimezone(svc.event.content.tz)
    link = invite_link(update.get_bot().username, code)
    text = _(TEXT_INVITE_MADE).format(
        role=esc(role_label(role)),
        link=esc(link),
        day=fmt_day(expires.date()),
        time=fmt_time(expires),
    )
    await reply(update, text)


async def invite_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/invite"):
        return
    word = (context.args or [""])[0].strip().casefold()
    roles = {"staff": Role.STAFF, "organiser": Role.ORGANISER, "organizer": Role.ORGANISER}
    if word in roles:
        await send_invite(update, svc, roles[word])
        return
    await reply(update, *render_invite_pick())


async def invite_start(update: Update, context: Context) -> None:
    """``/start inv_<code>``: an invite opened; the role, or a refusal that tells nothing."""
    svc = context.bot_data
    user = update.effective_user
    code = invite_code_of((context.args or [""])[0])
    if user is None or not in_private(update) or code is None:
        await reply(update, _(TEXT_INVITE_REFUSED))
        return
    name = display_name(user.first_name, user.last_name, user.username)
    result = await svc.team.redeem(code, user.id, name, svc.now())
    if result is None:
        log.info("refused an invite opened by user %s", user.id)
        await reply(update, _(TEXT_INVITE_REFUSED))
        return
    if not result.granted:
        await reply(update, _(TEXT_INVITE_ALREADY).format(role=esc(role_label(result.role))))
        return
    log.info("user %s joined the team as %s", user.id, result.role)
    await follow_role(context, user.id)
    commands = commands_for(svc.team, user.id) or []
    own = [c for c in commands if c.command in TEAM_COMMANDS]
    await reply(
        update,
        _(TEXT_INVITE_WELCOME).format(
            role=esc(role_label(result.role)),
            commands=" ".join(f"/{c.command}" for c in own),
        ),
    )
    if result.invited_by is not None:
        await tell_inviter(context, result.invited_by, name, result.role)


TEAM_COMMANDS = frozenset(
    {
        "stats",
        "report",
        "export",
        "reload",
        "broadcast",
        "broadcasts",
        "invite",
        "team",
        "audit",
    }
)


async def tell_inviter(context: Context, inviter: int, name: str, role: Role) -> None:
    """The organiser whose invite was opened is told who joined (directly: news for them,
    worth nothing once stale, like the reload notice)."""
    svc = context.bot_data
    with use_language(await svc.language_of(inviter)):
        text = _(TEXT_INVITE_JOINED).format(
            name=esc(isolate(name or _(TEXT_NO_NAME))), role=esc(role_label(role))
        )
    try:
        await context.bot.send_message(inviter, text)
    except TelegramError as exc:
        log.info("could not tell organiser %s of a new team member: %s", inviter, exc)


async def follow_role(context: Context, user_id: int) -> None:
    """The person's command menu, in their language, for the role they have now."""
    svc = context.bot_data
    language = await svc.language_of(user_id)
    svc.role_commands_set.discard(user_id)
    if await set_own_commands(context.bot, svc.team, user_id, language) and svc.team.is_staff(
        user_id
    ):
        svc.role_commands_set.add(user_id)


async def team_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/team"):
        return
    user = update.effective_user
    assert user is not None
    await reply(update, *render_team(svc, user.id))


async def audit_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    if not await permitted(update, svc, "organiser", "/audit"):
        return
    await reply(update, *(await render_audit(svc, 0)))


async def team_button(update: Update, context: Context, press: Press[TeamButton]) -> None:
    """Organisers only: the permission is checked before the press reaches here."""
    svc = context.bot_data
    user = update.effective_user
    assert user is not None
    match press.data:
        case InviteRole(role):
            await press.answer()
            await send_invite(update, svc, Role(role))
        case TeamList():
            await show(update, *render_team(svc, user.id))
        case RevokeRole(target, confirmed):
            await revoke(update, context, press, target, confirmed=confirmed)
        case _:
            await press.stale()


async def revoke(
    update: Update, context: Context, press: Press[TeamButton], target: int, *, confirmed: bool
) -> None:
    svc = context.bot_data
    user = update.effective_user
    assert user is not None
    role = svc.team.granted_role(target)
    if role is None:
        await press.answer(_(TEXT_REVOKE_GONE), show_alert=True)
        return
    name = esc(isolate(name_in(svc, target)))
    if not confirmed:
        template = TEXT_REVOKE_ASK_SELF if target == user.id else TEXT_REVOKE_ASK
        await show(
            update,
            _(template).format(role=esc(role_label(role)), name=name),
            keyboard(
                [
                    [
                        button(_("➖ Yes, take it back"), RevokeRole(target, confirmed=True)),
                        button(_("No"), TeamList()),
                    ]
                ]
            ),
        )
        return
    taken = await svc.team.revoke(target, user.id, svc.now())
    if taken is None:
        await press.answer(_(TEXT_REVOKE_GONE), show_alert=True)
        return
    log.info("user %s took the role %s from user %s", user.id, taken, target)
    await follow_role(context, target)
    await show(update, _(TEXT_REVOKED).format(name=name, role=esc(role_label(taken))))
    if target != user.id:
        with use_language(await svc.language_of(target)):
            text = _(TEXT_YOUR_ROLE_REVOKED).format(role=esc(role_label(taken)))
        try:
            await context.bot.send_message(target, text)
        except TelegramError as exc:
            log.info("could not tell user %s their role was taken back: %s", target, exc)


async def audit_button(update: Update, context: Context, press: Press[AuditButton]) -> None:
    """Organisers only: the permission is checked before the press reaches here."""
    svc = context.bot_data
    match press.data:
        case AuditPage(page):
            await show(update, *(await render_audit(svc, page)))
        case AuditFile():
            await press.answer()
            chat, user = update.effective_chat, update.effective_user
            if chat is None or user is None:
                return
            data, count = await audit_csv(svc)
            await svc.store.audit(user.id, AuditAction.AUDIT_EXPORT, {"rows": count}, now=svc.now())
            await chat.send_document(
                data,
                filename=AUDIT_FILENAME,
                caption=_(TEXT_AUDIT_CAPTION).format(count=fmt_number(count)),
            )
        case _:
            await press.stale()


def register(application: Application) -> None:
    # Before the menu's plain /start (registered later), so that an invite link wins.
    application.add_handler(
        CommandHandler("start", invite_start, filters.Regex(r"^/start(@\w+)? inv_"))
    )
    application.add_handler(CommandHandler("invite", invite_command))
    application.add_handler(CommandHandler("team", team_command))
    application.add_handler(CommandHandler("audit", audit_command))
    application.add_handler(button_handler(TeamButton, team_button, role="organiser"))
    application.add_handler(button_handler(AuditButton, audit_button, role="organiser"))
