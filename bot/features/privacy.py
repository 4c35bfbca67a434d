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
from bot.features.fmt import esc, fmt_day_long
from bot.features.keyboards import keyboard
from bot.features.permissions import private_only
from bot.features.send import reply, show
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
        "user record",
        "your Telegram user id, language, when you first and last wrote, whether you blocked "
        "the bot, and your reminder settings",
        "to answer you in your language and remind you as you chose",
        "the bot's operators",
    ),
    "choices": DataKind(
        "sessions in your agenda",
        "the sessions you added to your agenda (⭐)",
        "to list them and remind you before them",
        "the bot's operators; organisers can send a message to the people who chose a session "
        "without seeing who they are",
    ),
    "session_openers": DataKind(
        "sessions opened with a door QR code",
        "the sessions you opened with a door QR code",
        "to ask for your feedback on them",
        "the bot's operators",
    ),
    "feedback_follow_up": DataKind(
        "follow-up opt-in",
        "whether you asked for the follow-up recommendations",
        "to send them to you",
        "the bot's operators; organisers can send a message to everyone who opted in",
    ),
    "feedback_pending_comments": DataKind(
        "comment being written",
        f"for {int(COMMENT_WINDOW.total_seconds() // 60)} minutes after you ask to comment on "
        "a session, that your next message is that comment",
        "to take your next message as the comment",
        "the bot's operators",
    ),
    "outbox": DataKind(
        "messages the bot sends you by itself",
        "each message the bot sends you by itself (reminders, change notices, feedback "
        "prompts, organisers' broadcasts) and whether it was delivered",
        "to deliver each once, within Telegram's limits, and count the people prompted for "
        "feedback",
        "the bot's operators; organisers see how many people a broadcast reached",
    ),
    "feedback_answers": DataKind(
        "feedback answers",
        "your ratings, answers and comments, stored under a pseudonym (a keyed hash), not your id",
        "to report to the organisers how each session went",
        "staff, without your name or id; results by group only with enough answers",
    ),
    "feedback_respondents": DataKind(
        "stakeholder group",
        "the group you said you belong to, under the same pseudonym",
        "to report results by group",
        "staff, only as counts of groups large enough",
    ),
    "broadcasts": DataKind(
        "broadcasts you wrote (organisers only)",
        "the messages you sent to attendees as an organiser",
        "to deliver them and show their progress",
        "organisers; when you delete your data, the messages stay without your id",
    ),
}

TEXT_FORGET_ASK = (
    "🗑 <b>Delete all your data?</b>\n"
    "This deletes your agenda, reminder settings, opt-ins, door QR opens, the messages "
    "planned for you, your feedback answers and comments, and your user record, at once. "
    "It cannot be undone.\n\n"
    "Reports the organisers have already received are not changed. You can start again "
    "afterwards with /start, as a newcomer."
)
TEXT_FORGET_DONE = "✅ <b>Your data is deleted.</b>"
TEXT_FORGET_NOTHING = "✅ Nothing about you was stored."
TEXT_FORGET_AFTER = "Send /start if you want to begin again."
TEXT_FORGET_CANCELLED = "Nothing was deleted."


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
    lines = ["🔒 <b>Your data</b>", "", "What I store about you, and why:"]
    for table in PERSONAL_TABLES:
        kind = DATA_KINDS[table.table]
        lines.append(f"• <b>{esc(kind.what)}</b>: {esc(kind.why)}. Seen by: {esc(kind.who)}.")
    ends = retention_ends(event)
    days = event.retention_days
    if retention_over(event, data.now()):
        lines += [
            "",
            f"The event is over and its {days}-day retention period ended on "
            f"<b>{esc(fmt_day_long(ends.date()))}</b>: I delete personal data every day.",
        ]
    else:
        lines += [
            "",
            f"Kept until <b>{esc(fmt_day_long(ends.date()))}</b> ({days} days after the event "
            "ends), then deleted by the bot by itself.",
        ]
    lines += [
        "",
        "/mydata shows everything I store about you, also as a file.",
        "/forget deletes it all now.",
        "Telegram itself carries our messages under its own privacy policy.",
    ]
    return "\n".join(lines)


def render_mydata(tables: Mapping[str, list[dict[str, Any]]]) -> str:
    lines = ["📄 <b>Your data</b>"]
    users = tables.get("users") or []
    if users:
        user = users[0]
        lead = user.get("lead_minutes")
        reminders = "off" if lead is None else f"{lead} minutes before"
        lines += [
            f"User id: <code>{esc(user['user_id'])}</code> · language: "
            f"{esc(user.get('language') or 'unknown')}",
            f"First seen {esc(user['first_seen'])}, last seen {esc(user['last_seen'])}",
            f"Reminders: {esc(reminders)}; sessions for everyone: "
            f"{'on' if user.get('everyone_reminders') else 'off'}",
        ]
    sessions = [str(row["session_id"]) for row in tables.get("choices") or []]
    if sessions:
        lines.append(f"Agenda: {esc(', '.join(sessions))}")
    lines += ["", "<b>Rows stored, by kind</b>"]
    for table in PERSONAL_TABLES:
        lines.append(f"• {esc(DATA_KINDS[table.table].label)}: {len(tables.get(table.table, []))}")
    lines += ["", f"The file {EXPORT_FILENAME} holds every row in full. /forget deletes it all."]
    return "\n".join(lines)


def render_forgotten(counts: Mapping[str, int]) -> str:
    deleted = [
        f"• {esc(DATA_KINDS[table.table].label)}: {counts[table.table]}"
        for table in PERSONAL_TABLES
        if counts.get(table.table)
    ]
    if not deleted:
        return f"{TEXT_FORGET_NOTHING}\n{TEXT_FORGET_AFTER}"
    return "\n".join([TEXT_FORGET_DONE, "Deleted:", *deleted, "", TEXT_FORGET_AFTER])


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
        caption="Everything I store about you, as JSON.",
    )


async def forget_command(update: Update, context: Context) -> None:
    if not await private_only(update, "/forget"):
        return
    await reply(
        update,
        TEXT_FORGET_ASK,
        keyboard(
            [
                [
                    button("🗑 Yes, delete everything", ForgetConfirm()),
                    button("Cancel", ForgetCancel()),
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
            counts = await _service(svc).forget(user.id)
            # Whoever writes next is a newcomer: written down again and planned for afresh.
            svc.last_touch.pop(user.id, None)
            log.info("user data erased on request: %s", counts)
            await show(update, render_forgotten(counts))
        case ForgetCancel():
            await show(update, TEXT_FORGET_CANCELLED)
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
