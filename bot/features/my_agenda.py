"""The personal agenda: choosing sessions, ``/my`` (with an .ics download), ``/settings`` for
reminders, and the words of the reminders and change notices the sender delivers.

Callback data: ``my:a:<session>`` / ``my:r:<session>`` (add, remove), ``my:l`` (the list),
``my:ics``; ``st:l:<minutes|off>``, ``st:e:<0|1>`` (settings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

import icalendar
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.content import Content, Session
from bot.domain.agenda import chosen_sessions, overlaps
from bot.domain.outbox import OutboxRow
from bot.features.agenda import (
    DEEP_LINK_PREFIX,
    AgendaDays,
    AgendaSession,
    online_button,
    render_session,
    session_hours,
    session_line,
    session_markup,
)
from bot.features.callbacks import (
    HOME,
    CallbackData,
    Part,
    Press,
    button,
    button_handler,
    number,
)
from bot.features.fmt import (
    TEXT_DATE_TBA,
    esc,
    fmt_day,
    fmt_day_long,
    fmt_number,
    fmt_time,
    local_text,
    session_day,
    session_start,
    session_where,
)
from bot.features.keyboards import keyboard
from bot.features.permissions import private_only
from bot.features.send import reply, show
from bot.features.venue import VenueRoom
from bot.i18n import N_, _, isolate, ngettext, tr
from bot.runtime import BotData, Context
from bot.services.agenda import set_chosen
from scheduler.plan import DEFAULT_LEAD_MINUTES, LEAD_CHOICES
from scheduler.sender import Rendered

TEXT_PRIVATE = N_("⭐ Your agenda and reminders are personal: see them in a private chat with me.")
TEXT_ADDED = N_("Added to your agenda.")
TEXT_REMOVED = N_("Removed from your agenda.")
TEXT_OVERLAP = N_("⚠️ It overlaps with {titles}.")
TEXT_EMPTY = N_(
    "Your agenda is empty. Open a session (/agenda) and press <b>⭐ Add to my agenda</b>."
)
TEXT_SETTINGS = N_(
    "⚙️ <b>Reminders</b>\n"
    "Before each session in your agenda I send you a reminder.\n"
    "Now: <b>{lead}</b>.\n"
    "Sessions for everyone (opening, plenaries): <b>{everyone}</b>."
)


# --- callback data ---------------------------------------------------------------------------


class MyAgendaButton(CallbackData, prefix="my"):
    pass


@dataclass(frozen=True)
class AddToAgenda(MyAgendaButton, action="a"):
    """``my:a:<session id>``."""

    session_id: str


@dataclass(frozen=True)
class RemoveFromAgenda(MyAgendaButton, action="r"):
    """``my:r:<session id>``."""

    session_id: str


@dataclass(frozen=True)
class MyAgendaList(MyAgendaButton, action="l"):
    """``my:l``: the personal agenda."""


@dataclass(frozen=True)
class MyCalendarFile(MyAgendaButton, action="ics"):
    """``my:ics``: the personal agenda as a calendar file."""


class SettingsButton(CallbackData, prefix="st"):
    pass


def _read_lead(text: str) -> int | None:
    if text == "off":
        return None
    minutes = number(text)
    if minutes not in LEAD_CHOICES:
        raise ValueError(f"not a reminder lead: {text!r}")
    return minutes


@dataclass(frozen=True)
class SettingsShow(SettingsButton, action="show"):
    """``st:show``: the reminder settings."""


@dataclass(frozen=True)
class ReminderLead(SettingsButton, action="l"):
    """``st:l:<minutes>`` (one of ``LEAD_CHOICES``) or ``st:l:off``."""

    minutes: Annotated[
        int | None, Part(lambda minutes: "off" if minutes is None else str(minutes), _read_lead)
    ]


@dataclass(frozen=True)
class EveryoneReminders(SettingsButton, action="e"):
    """``st:e:<1|0>``: turn reminders of sessions for everyone on or off."""

    on: bool


# --- rendering --------------------------------------------------------------------------------


def render_my(content: Content, sessions: Sequence[Session]) -> tuple[str, InlineKeyboardMarkup]:
    if not sessions:
        return _(TEXT_EMPTY), keyboard(
            [[button(_("📅 Agenda"), AgendaDays()), button(_("⚙️ Reminders"), SettingsShow())]]
        )
    lines = [_("⭐ <b>My agenda</b>")]
    day: dt.date | bool | None = False
    for session in sessions:
        if session.day != day:
            day = session.day
            heading = fmt_day_long(session.day) if session.day is not None else _(TEXT_DATE_TBA)
            lines += ["", f"<b>{esc(heading)}</b>"]
        clash = " " + _("⚠️ overlap") if overlaps(content, session, sessions) else ""
        lines.append(session_line(content, session) + clash)
    rows: list[list[InlineKeyboardButton]] = [
        [
            button(
                f"{session_day(s)} {session_start(s)} {isolate(tr(s.title))}"[:60],
                AgendaSession(s.id),
            )
        ]
        for s in sessions[:20]
    ]
    rows.append(
        [
            button(_("📆 Calendar file (.ics)"), MyCalendarFile()),
            button(_("⚙️ Reminders"), SettingsShow()),
        ]
    )
    return "\n".join(lines), keyboard(rows)


def build_ics(content: Content, sessions: Sequence[Session]) -> bytes:
    """An iCalendar file phones import; times carry the event's zone (TZID).

    A session with a day but no time yet is an all-day item on its day (so the day is held in
    the phone's calendar); one with no day is left out."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//confbot//personal agenda//EN")
    calendar.add("version", "2.0")
    calendar.add(
        "x-wr-calname",
        _("{event}: my agenda").format(event=tr(content.event.short_name)),
    )
    calendar.add("x-wr-timezone", content.event.timezone)
    for session in sessions:
        if session.day is None:
            continue
        entry = icalendar.Event()
        entry.add("uid", f"{session.id}@{content.event.id}.confbot")
        starts_at, ends_at = content.starts_at(session), content.ends_at(session)
        if starts_at is None or ends_at is None:
            entry.add(
                "summary",
                _("{title} (time to be announced)").format(title=tr(session.title)),
            )
            entry.add("dtstart", session.day)
            entry.add("dtend", session.day + dt.timedelta(days=1))
        else:
            entry.add("summary", tr(session.title))
            entry.add("dtstart", starts_at)
            entry.add("dtend", ends_at)
        entry.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
        entry.add("dtstamp", dt.datetime.now(dt.UTC))
        place = content.place_of(session)
        if place is None:
            entry.add("location", session.online_url or _("Online"))
        else:
            room = content.room_of(session)
            parts = [tr(p) for p in (room.name if room else None, place.name, place.address) if p]
            entry.add("location", ", ".join(dict.fromkeys(p for p in parts if p)))
            if place.coordinates is not None:
                entry.add("geo", (place.coordinates.latitude, place.coordinates.longitude))
        if session.online_url:
            entry.add("url", session.online_url)
        if session.description:
            entry.add("description", tr(session.description))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def lead_label(minutes: int | None) -> str:
    if minutes is None:
        return _("off")
    return ngettext("{minutes} minute before", "{minutes} minutes before", minutes).format(
        minutes=fmt_number(minutes)
    )


def render_settings(lead: int | None, everyone: bool) -> tuple[str, InlineKeyboardMarkup]:
    text = _(TEXT_SETTINGS).format(
        lead=lead_label(lead), everyone=_("on") if everyone else _("off")
    )
    choices: list[tuple[str, int | None]] = [(_("Off"), None)] + [
        (_("{minutes} min").format(minutes=fmt_number(m)), m) for m in LEAD_CHOICES
    ]
    row = [
        button(("✅ " if lead == minutes else "") + label, ReminderLead(minutes))
        for label, minutes in choices
    ]
    markup = keyboard(
        [
            row[:3],
            row[3:],
            [
                button(
                    ("✅ " if everyone else "☐ ") + _("Sessions for everyone"),
                    EveryoneReminders(not everyone),
                )
            ],
            [button(_("⭐ My agenda"), MyAgendaList()), button(_("🏠 Menu"), HOME)],
        ]
    )
    return text, markup


# --- what the sender delivers -----------------------------------------------------------------


def render_reminder(
    content: Content, rows: Sequence[OutboxRow], now: dt.datetime
) -> Rendered | None:
    """One message for all reminders of one person due at one moment."""
    sessions = []
    for row in rows:
        session = content.sessions_by_id.get(str(row.payload.get("session")))
        # Skip a reminder whose session vanished or moved since it was planned.
        if (
            session is not None
            and not session.cancelled
            and content.starts_at(session) == row.not_after
        ):
            sessions.append(session)
    if not sessions:
        return None
    sessions.sort(key=lambda s: (s.start or dt.time.max, s.title))
    # Every session kept above starts at its row's not_after, a planned (never None) moment.
    first_start = content.starts_at(sessions[0]) or now
    minutes = max(0, round((first_start - now).total_seconds() / 60))
    if minutes > 1:
        starting = ngettext(
            "⏰ <b>Starting in {minutes} minute</b>",
            "⏰ <b>Starting in {minutes} minutes</b>",
            minutes,
        ).format(minutes=fmt_number(minutes))
    else:
        starting = _("⏰ <b>Starting now</b>")
    lines = [starting]
    for session in sessions:
        lines += [
            "",
            f"<b>{esc(local_text(session.title))}</b>",
            f"🕙 {esc(session_hours(session))}",
            f"📍 {esc(session_where(content, session))}",
        ]
    rows_markup = []
    for session in sessions[:3]:
        buttons = [button("ℹ️ " + tr(session.title)[:30], AgendaSession(session.id))]
        if session.room is not None:
            buttons.append(button(_("📍 Room"), VenueRoom(session.room)))
        online = online_button(session)
        if online is not None:
            buttons.append(online)
        rows_markup.append(buttons)
    return Rendered("\n".join(lines), keyboard(rows_markup))


def render_change_notice(content: Content, rows: Sequence[OutboxRow]) -> Rendered | None:
    row = rows[0]
    p = row.payload
    tz = content.tz

    def when(start: str | None, end: str | None) -> str:
        if start is None or end is None:
            return _("time to be announced")
        s = dt.datetime.fromisoformat(start).astimezone(tz)
        e = dt.datetime.fromisoformat(end).astimezone(tz)
        next_day = " (+1)" if e.date() > s.date() else ""
        return f"{fmt_day(s.date())} {isolate(f'{fmt_time(s)}–{fmt_time(e)}{next_day}')}"

    def room(which: str) -> str:
        """The old or new room: by id from the content in use, in the reader's language, while
        the room exists; "Online" for a session without one; else the planned name."""
        name = p.get(f"{which}_room")
        id_key = f"{which}_room_id"
        room_id = p.get(id_key)
        found = content.rooms.get(str(room_id)) if room_id is not None else None
        if found is not None:
            name = tr(found.name)
        elif id_key in p and room_id is None and name is not None:
            name = _("Online")  # planned by a content without a room for it: "Online"
        return esc(isolate(str(name or "")))

    # The title in the reader's language when the session is still in the programme; the
    # planned title (the event's language) when it is not.
    session = content.sessions_by_id.get(str(p.get("session")))
    title = esc(local_text(session.title) if session is not None else isolate(p.get("title", "")))
    if p.get("cancelled"):
        text = _("❌ <b>Cancelled</b>: {title}\n(was {when}, {room})").format(
            title=title, when=esc(when(p["old_start"], p["old_end"])), room=room("old")
        )
        return Rendered(text, keyboard([[button(_("⭐ My agenda"), MyAgendaList())]]))
    old_when, new_when = when(p["old_start"], p["old_end"]), when(p["new_start"], p["new_end"])
    if p.get("restored"):
        # Back from cancelled: say where and when it now is, whether or not that changed.
        lines = [_("✅ <b>Back in the programme</b>: {title}").format(title=title)]
        lines.append(f"🕙 <b>{esc(new_when)}</b>")
        lines.append(f"📍 <b>{room('new')}</b>")
        markup = keyboard([[button(_("ℹ️ Details"), AgendaSession(str(p["session"])))]])
        return Rendered("\n".join(lines), markup)
    lines = [_("📣 <b>Change to a session in your agenda</b>") + f"\n{title}"]
    if p.get("old_start") is None and p.get("new_start") is not None:
        lines.append(_("🕙 Now scheduled for <b>{when}</b>").format(when=esc(new_when)))
    elif old_when != new_when:
        lines.append(f"🕙 <s>{esc(old_when)}</s> → <b>{esc(new_when)}</b>")
    if p.get("old_room") != p.get("new_room"):
        lines.append(f"📍 <s>{room('old')}</s> → <b>{room('new')}</b>")
    markup = keyboard([[button(_("ℹ️ Details"), AgendaSession(str(p["session"])))]])
    return Rendered("\n".join(lines), markup)


# --- handlers ---------------------------------------------------------------------------------


async def reminder_settings(svc: BotData, user_id: int) -> tuple[int | None, bool]:
    """(lead minutes or None when off, reminders of sessions for everyone on)."""
    found = await svc.store.reminder_preferences(user_id)
    if not found:  # not stored yet (or blocked): what a newcomer gets
        return DEFAULT_LEAD_MINUTES, True
    return found[0].lead_minutes, found[0].everyone_reminders


def private_start(pressed: MyAgendaButton) -> str | None:
    """Where a press in a group leads in private: ⭐ on a session opens that session there."""
    if isinstance(pressed, AddToAgenda | RemoveFromAgenda):
        return f"{DEEP_LINK_PREFIX}{pressed.session_id}"
    return None


async def my_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    user = update.effective_user
    if user is None or not await private_only(update, "/my", text=TEXT_PRIVATE):
        return
    content = svc.event.content
    sessions = chosen_sessions(content, await svc.store.choices_of(user.id))
    await reply(update, *render_my(content, sessions))


async def settings_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    user = update.effective_user
    if user is None or not await private_only(update, "/settings", text=TEXT_PRIVATE):
        return
    lead, everyone = await reminder_settings(svc, user.id)
    await reply(update, *render_settings(lead, everyone))


async def my_button(update: Update, context: Context, press: Press[MyAgendaButton]) -> None:
    user = update.effective_user
    svc = context.bot_data
    content = svc.event.content
    if user is None:
        await press.stale()
        return
    match press.data:
        case AddToAgenda(session_id) | RemoveFromAgenda(session_id) if (
            session := content.sessions_by_id.get(session_id)
        ) and not (isinstance(press.data, AddToAgenda) and session.cancelled):
            adding = isinstance(press.data, AddToAgenda)
            clashes = await set_chosen(svc, user.id, session, adding)
            if adding:
                note = _(TEXT_ADDED)
                if clashes:
                    titles = ", ".join(local_text(c.title) for c in clashes)
                    note += " " + _(TEXT_OVERLAP).format(titles=titles)
                await press.answer(note[:200], show_alert=bool(clashes))
            else:
                await press.answer(_(TEXT_REMOVED))
            await show(
                update,
                render_session(content, session),
                session_markup(content, session, chosen=adding),
            )
        case MyAgendaList():
            sessions = chosen_sessions(content, await svc.store.choices_of(user.id))
            await show(update, *render_my(content, sessions))
        case MyCalendarFile():
            await press.answer()
            sessions = chosen_sessions(content, await svc.store.choices_of(user.id))
            if update.effective_chat is not None:
                await update.effective_chat.send_document(
                    build_ics(content, sessions),
                    filename="my-agenda.ics",
                    caption=_("📆 Open this file to add your sessions to your phone's calendar."),
                )
        case _:
            await press.stale()


async def settings_button(update: Update, context: Context, press: Press[SettingsButton]) -> None:
    user = update.effective_user
    svc = context.bot_data
    if user is None:
        await press.stale()
        return
    match press.data:
        case ReminderLead(minutes):
            await svc.store.set_lead_minutes(user.id, minutes)
        case EveryoneReminders(on):
            await svc.store.set_everyone_reminders(user.id, on)
    await press.answer()
    await svc.replan(user.id)
    lead, everyone = await reminder_settings(svc, user.id)
    await show(update, *render_settings(lead, everyone))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("my", my_command))
    application.add_handler(CommandHandler("settings", settings_command))
    # A person's agenda and settings are theirs: in a group, a pointer to the private chat,
    # and the group's message is left as it is.
    application.add_handler(button_handler(MyAgendaButton, my_button, private=private_start))
    application.add_handler(button_handler(SettingsButton, settings_button, private=True))
