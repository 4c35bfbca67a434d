"""Attendees' rights over their data: ``/privacy`` (what is stored, why, for how long, who sees
it), ``/mydata`` (all of it, as a message and a JSON file), ``/forget`` (delete it all, after a
confirmation), and the daily job that deletes everyone's once the retention period is over.

All of it in private chats only: in a group, the answer would show a person's data to the group.

Callback data: ``pv:y`` (yes, delete everything), ``pv:n`` (cancel).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.feedback import COMMENT_WINDOW
from bot.domain.privacy import retention_ends, retention_over
from bot.features.callbacks import CallbackData, Press, button, button_handler
from bot.features.fmt import esc, fmt_day_long, fmt_number
from bot.features.keyboards import keyboard
from bot.features.language import forget_command_menu
from bot.features.my_agenda import lead_label
from bot.features.permissions import private_only
from bot.features.send import reply, show
from bot.i18n import N_, _, isolate
from bot.runtime import BotApplication, BotData, Context
from bot.services.privacy import PrivacyService
from bot.store.privacy import PERSONAL_TABLES

log = logging.getLogger(__name__)

RETENTION_JOB = "privacy-retention-purge"
# Event time; a quiet hour. The purge also runs at every start-up.
RETENTION_JOB_TIME = dt.time(3, 0)
EXPORT_FILENAME = "my-data.json"


@dataclass(frozen=True)
class DataKind:
    """What one table holds about a person, in the words of /privacy and /mydata."""

    label: str  # short, for counts: "sessions in your agenda"
    what: str
    why: str
    who: str


# One entry per table of bot.store.privacy.PERSONAL_TABLES (a test checks they match).
DATA_KINDS: Mapping[str, DataKind] = {
    "users": DataKind(
        N_("user record"),
        N_(
            "your Telegram user id, language, the language you chose with /language, when you "
            "first and last wrote, whether you blocked the bot, and your reminder settings"
        ),
        N_("to answer you in your language and remind you as you chose"),
        N_("the bot's operators"),
    ),
    "choices": DataKind(
        N_("sessions in your agenda"),
        N_("the sessions you added to your agenda (⭐)"),
        N_("to list them and remind you before them"),
        N_(
            "the bot's operators; organisers can send a message to the people who chose a session "
            "without seeing who they are"
        ),
    ),
    "session_openers": DataKind(
        N_("sessions opened with a door QR code"),
        N_("the sessions you opened with a door QR code"),
        N_("to ask for your feedback on them"),
        N_("the bot's operators"),
    ),
    "feedback_follow_up": DataKind(
        N_("follow-up opt-in"),
        N_("whether you asked for the follow-up recommendations"),
        N_("to send them to you"),
        N_("the bot's operators; organisers can send a message to everyone who opted in"),
    ),
    "feedback_pending_comments": DataKind(
        N_("comment being written"),
        N_(
            "for {minutes} minutes after you ask to comment on "
            "a session, that your next message is that comment"
        ),
        N_("to take your next message as the comment"),
        N_("the bot's operators"),
    ),
    "outbox": DataKind(
        N_("messages the bot sends you by itself"),
        N_(
            "each message the bot sends you by itself (reminders, change notices, feedback "
            "prompts, organisers' broadcasts) and whether it was delivered"
        ),
        N_(
            "to deliver each once, within Telegram's limits, and count the people prompted for "
            "feedback"
        ),
        N_("the bot's operators; organisers see how many people a broadcast reached"),
    ),
    "feedback_answers": DataKind(
        N_("feedback answers"),
        N_(
            "your ratings, answers and comments, stored under a pseudonym (a keyed hash), "
            "not your id"
        ),
        N_("to report to the organisers how each session went"),
        N_("staff, without your name or id; results by group only with enough answers"),
    ),
    "feedback_respondents": DataKind(
        N_("stakeholder group"),
        N_("the group you said you belong to, under the same pseudonym"),
        N_("to report results by group"),
        N_("staff, only as counts of groups large enough"),
    ),
    "broadcasts": DataKind(
        N_("broadcasts you wrote (organisers only)"),
        N_("the messages you sent to attendees as an organiser"),
        N_("to deliver them and show their progress"),
        N_("organisers; when you delete your data, the messages stay without your id"),
    ),
    "team_members": DataKind(
        N_("team role and name (staff and organisers only)"),
        N_(
            "your role on the event's team, who gave it and when, and your name as Telegram "
            "gave it when you last wrote"
        ),
        N_("to know who may use the staff and organiser commands, and to show who did what"),
        N_("organisers; deleting your data takes your role back"),
    ),
    "team_invites": DataKind(
        N_("team invites you made or used"),
        N_("the one-time invites to the team you created (only a hash of each code) or opened"),
        N_("to give each invite's role once, within a day"),
        N_("the bot's operators"),
    ),
    "audit_log": DataKind(
        N_("team actions in the audit log"),
        N_(
            "what you did as staff or an organiser (broadcasts, reloads, reports, exports, "
            "roles) and the role changes about you, with when"
        ),
        N_("so that organisers can see who did what"),
        N_(
            "organisers; when you delete your data, the actions stay under a pseudonym, "
            "without your id or name"
        ),
    ),
    "inbox_questions": DataKind(
        N_("questions passed on to the organisers"),
        N_(
            "the questions you passed on to the organisers (🙋), with your name, language and "
            "when, and their reply"
        ),
        N_("so that staff can answer you"),
        N_("staff"),
    ),
    "inbox_muted": DataKind(
        N_("questions muted as spam"),
        N_("whether staff marked a question of yours as spam (later ones are then not passed on)"),
        N_("to stop abuse of the organisers' inbox"),
        N_("the bot's operators"),
    ),
    "faq_added": DataKind(
        N_("FAQ entries you added (staff only)"),
        N_("the FAQ entries you made from your replies, as staff, with your name"),
        N_("to say who added an entry"),
        N_("staff; when you delete your data, the entries stay without your name"),
    ),
}

TEXT_FORGET_ASK = N_(
    "🗑 <b>Delete all your data?</b>\n"
    "This deletes your agenda, reminder settings, opt-ins, door QR opens, the messages "
    "planned for you, your feedback answers and comments, and your user record, at once. "
    "It cannot be undone.\n\n"
    "Reports the organisers have already received are not changed. You can start again "
    "afterwards with /start, as a newcomer."
)
TEXT_FORGET_DONE = N_("✅ <b>Your data is deleted.</b>")
TEXT_FORGET_NOTHING = N_("✅ Nothing about you was stored.")
TEXT_FORGET_AFTER = N_("Send /start if you want to begin again.")
TEXT_FORGET_CANCELLED = N_("Nothing was deleted.")


# --- callback data ---------------------------------------------------------------------------


class PrivacyButton(CallbackData, prefix="pv"):
    pass


@dataclass(frozen=True)
class ForgetConfirm(PrivacyButton, action="y"):
    """``pv:y``: yes, delete everything about me."""


@dataclass(frozen=True)
class ForgetCancel(PrivacyButton, action="n"):
    """``pv:n``: keep my data."""


# --- rendering --------------------------------------------------------------------------------


def render_privacy(data: BotData) -> str:
    event = data.event.content.event
    lines = [_("🔒 <b>Your data</b>"), "", _("What I store about you, and why:")]
    minutes = int(COMMENT_WINDOW.total_seconds() // 60)
    for table in PERSONAL_TABLES:
        kind = DATA_KINDS[table.table]
        what = _(kind.what).format(minutes=fmt_number(minutes))
        lines.append(
            _("• <b>{what}</b>: {why}. Seen by: {who}.").format(
                what=esc(what), why=esc(_(kind.why)), who=esc(_(kind.who))
            )
        )
    ends = retention_ends(event)
    days = fmt_number(event.retention_days)
    day = esc(fmt_day_long(ends.date()))
    if retention_over(event, data.now()):
        lines += [
            "",
            _(
                "The event is over and its {days}-day retention period ended on "
                "<b>{day}</b>: I delete personal data every day."
            ).format(days=days, day=day),
        ]
    else:
        lines += [
            "",
            _(
                "Kept until <b>{day}</b> ({days} days after the event ends), then deleted by "
                "the bot by itself."
            ).format(days=days, day=day),
        ]
    lines += [
        "",
        _("/mydata shows everything I store about you, also as a file."),
        _("/forget deletes it all now."),
        _("Telegram itself carries our messages under its own privacy policy."),
    ]
    return "\n".join(lines)


def render_mydata(tables: Mapping[str, list[dict[str, Any]]]) -> str:
    lines = [_("📄 <b>Your data</b>")]
    users = tables.get("users") or []
    if users:
        user = users[0]
        lead = user.get("lead_minutes")
        reminders = _("off") if lead is None else lead_label(int(lead))
        language = esc(isolate(user.get("language") or _("unknown")))
        if user.get("chosen_language"):
            chosen = esc(isolate(str(user["chosen_language"])))
            language = _("{language}, chosen: {chosen}").format(language=language, chosen=chosen)
        lines += [
            _("User id: {user_id} · language: {language}").format(
                user_id=f"<code>{esc(user['user_id'])}</code>", language=language
            ),
            _("First seen {first_seen}, last seen {last_seen}").format(
                first_seen=esc(isolate(user["first_seen"])),
                last_seen=esc(isolate(user["last_seen"])),
            ),
            _("Reminders: {reminders}; sessions for everyone: {everyone}").format(
                reminders=esc(reminders),
                everyone=_("on") if user.get("everyone_reminders") else _("off"),
            ),
        ]
    sessions = [str(row["session_id"]) for row in tables.get("choices") or []]
    if sessions:
        lines.append(_("Agenda: {sessions}").format(sessions=esc(isolate(", ".join(sessions)))))
    lines += ["", _("<b>Rows stored, by kind</b>")]
    for table in PERSONAL_TABLES:
        count = fmt_number(len(tables.get(table.table, [])))
        lines.append(f"• {esc(_(DATA_KINDS[table.table].label))}: {count}")
    lines += [
        "",
        _("The file {file} holds every row in full. /forget deletes it all.").format(
            file=isolate(EXPORT_FILENAME)
        ),
    ]
    return "\n".join(lines)


def render_forgotten(counts: Mapping[str, int]) -> str:
    deleted = [
        f"• {esc(_(DATA_KINDS[table.table].label))}: {fmt_number(counts[table.table])}"
        for table in PERSONAL_TABLES
        if counts.get(table.table)
    ]
    if not deleted:
        return f"{_(TEXT_FORGET_NOTHING)}\n{_(TEXT_FORGET_AFTER)}"
    return "\n".join([_(TEXT_FORGET_DONE), _("Deleted:"), *deleted, "", _(TEXT_FORGET_AFTER)])


# --- handlers ---------------------------------------------------------------------------------


def _service(data: BotData) -> PrivacyService:
    return PrivacyService(data.store, data.settings)


async def privacy_command(update: Update, context: Context) -> None:
    if not await private_only(update, "/privacy"):
        return
    await reply(update, render_privacy(context.bot_data))


async def mydata_command(update: Update, context: Context) -> None:
    if not await private_only(update, "/mydata"):
        return
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    svc = context.bot_data
    found = await _service(svc).personal_data(user.id)
    await reply(update, render_mydata(found.tables))
    await chat.send_document(
        found.as_json(svc.now()),
        filename=EXPORT_FILENAME,
        caption=_("Everything I store about you, as JSON."),
    )


async def forget_command(update: Update, context: Context) -> None:
    if not await private_only(update, "/forget"):
        return
    await reply(
        update,
        _(TEXT_FORGET_ASK),
        keyboard(
            [
                [
                    button(_("🗑 Yes, delete everything"), ForgetConfirm()),
                    button(_("Cancel"), ForgetCancel()),
                ]
            ]
        ),
    )


async def privacy_button(update: Update, context: Context, press: Press[PrivacyButton]) -> None:
    user = update.effective_user
    if user is None:
        await press.stale()
        return
    svc = context.bot_data
    match press.data:
        case ForgetConfirm():
            was_on_team = svc.team.granted_role(user.id) is not None
            counts = await _service(svc).forget(user.id)
            svc.pending_questions.forget(user.id)
            svc.inbox_claims.pop(user.id, None)
            # Whoever writes next is a newcomer: written down again and planned for afresh.
            svc.last_touch.pop(user.id, None)
            # A granted role went with the data: the team follows; the menu /language set in
            # their chat goes with the choice it was set for, and a configured member gets
            # their role menu back.
            await svc.team.load()
            if was_on_team:
                svc.role_commands_set.discard(user.id)
            await forget_command_menu(context, user.id, user.language_code)
            log.info("user data erased on request: %s", counts)
            await show(update, render_forgotten(counts))
        case ForgetCancel():
            await show(update, _(TEXT_FORGET_CANCELLED))
        case _:
            await press.stale()


# --- retention --------------------------------------------------------------------------------


async def purge_expired(data: BotData) -> None:
    """Delete everyone's personal data if the retention period is over; harmless to repeat."""
    counts = await _service(data).purge_if_over(data.event.content.event, data.now())
    if counts is None:
        return
    if any(counts.values()):
        # Everyone who writes afterwards is a newcomer again, not someone seen a minute ago.
        data.last_touch.clear()
        # Granted roles went with the rest; the environment's ids keep theirs.
        await data.team.load()
        log.info("retention period over: personal data deleted %s", counts)


async def _retention_job(context: Context) -> None:
    await purge_expired(context.bot_data)


def schedule_retention(application: BotApplication) -> None:
    """The daily purge, by a name of its own so that a restart replaces it instead of adding
    a second."""
    job_queue = application.job_queue
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(RETENTION_JOB):
        job.schedule_removal()
    job_queue.run_daily(
        _retention_job,
        time=RETENTION_JOB_TIME,  # in the event's zone (the Defaults' tzinfo)
        name=RETENTION_JOB,
        # A purge that is late (the machine slept, the loop was busy) is still owed: run it
        # however late, once. APScheduler's default of one second would skip the day.
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )


def register(application: Application) -> None:
    # All private only (bot.features.permissions.private_only): in a group, the answer would
    # show a person's data to the group.
    application.add_handler(CommandHandler("privacy", privacy_command))
    application.add_handler(CommandHandler("mydata", mydata_command))
    application.add_handler(CommandHandler("forget", forget_command))
    application.add_handler(button_handler(PrivacyButton, privacy_button, private=True))
