"""The programme: days, sessions of a day, one session in full, and what is on now and next.

Callback data (namespace ``ag``): ``ag:days``, ``ag:d:<YYYYMMDD>:<page>``, ``ag:tba:<page>``,
``ag:s:<session id>``, ``ag:nn``.

A session whose time is to be announced is listed under its day after the timed ones; one whose
day is also unknown is in a "Date to be announced" entry after the days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, filters

from bot.content import Content, Session
from bot.features.callbacks import (
    HOME,
    CallbackData,
    Press,
    button,
    button_handler,
)
from bot.features.fmt import (
    TEXT_DATE_TBA,
    TEXT_TIME_TBA,
    esc,
    fmt_day,
    fmt_day_long,
    fmt_time,
    session_day,
    session_hours,
    session_start,
    session_where,
    shorten,
)
from bot.features.keyboards import keyboard, page_of, paged_rows
from bot.features.permissions import in_private
from bot.features.send import reply, show
from bot.runtime import Context
from scheduler.service import replan_feedback

KIND_ICON = {
    "plenary": "🏛",
    "ceremony": "🎉",
    "workshop": "🛠",
    "panel": "🗣",
    "meeting": "👥",
    "registration": "🪪",
    "break": "☕",
    "meal": "🍽",
    "social": "🥂",
    "other": "•",
}

TEXT_NO_SESSION = "I could not find that session. Here is the programme:"
TEXT_NOTHING_NOW = "Nothing is running right now."
TEXT_NOTHING_NEXT = "Nothing else is scheduled after this."
TEXT_PICK_DAY = "📅 <b>Programme</b>: pick a day."
TEXT_TBC = "⚠️ <i>Details to be confirmed: {todo}</i>"
TEXT_CANCELLED = "❌ Cancelled"


# --- callback data ---------------------------------------------------------------------------


class AgendaButton(CallbackData, prefix="ag"):
    pass


@dataclass(frozen=True)
class AgendaDays(AgendaButton, action="days"):
    """``ag:days``: the list of days."""


@dataclass(frozen=True)
class AgendaNowNext(AgendaButton, action="nn"):
    """``ag:nn``: what is on now and next."""


@dataclass(frozen=True)
class AgendaDay(AgendaButton, action="d"):
    """``ag:d:<YYYYMMDD>:<page>``: one page of a day's sessions."""

    day: dt.date
    page: int = 0


@dataclass(frozen=True)
class AgendaUndated(AgendaButton, action="tba"):
    """``ag:tba:<page>``: one page of the sessions whose day is to be announced."""

    page: int = 0


@dataclass(frozen=True)
class AgendaSession(AgendaButton, action="s"):
    """``ag:s:<session id>``: one session in full."""

    session_id: str


def session_when_long(session: Session) -> str:
    """``Tuesday 26 July 2022, 09:00–12:30`` with whatever part is to be announced said so."""
    if session.day is None:
        return f"{TEXT_DATE_TBA}, {TEXT_TIME_TBA}"
    return f"{fmt_day_long(session.day)}, {session_hours(session)}"


def session_line(content: Content, session: Session, with_day: bool = False) -> str:
    """One line of a listing: time, title, room; a cancelled session says so first."""
    when = session_hours(session)
    if with_day:
        when = f"{session_day(session)} {when}"
    icon = KIND_ICON.get(session.kind.value, "•")
    room = content.room_name(session)
    if session.cancelled:
        return f"{TEXT_CANCELLED}: <s>{esc(when)} {esc(session.title)}</s> · <i>{esc(room)}</i>"
    return f"{icon} <b>{esc(when)}</b> {esc(session.title)} · <i>{esc(room)}</i>"


def session_button(session: Session, with_day: bool = False) -> InlineKeyboardButton:
    when = session_start(session)
    if with_day:
        when = f"{session_day(session)} {when}"
    title = shorten(session.title, 40)
    mark = "❌ " if session.cancelled else ""
    return button(f"{mark}{when} {title}", AgendaSession(session.id))


def render_session(content: Content, session: Session) -> str:
    lines = [f"{KIND_ICON.get(session.kind.value, '•')} <b>{esc(session.title)}</b>"]
    if session.code:
        lines[0] += f" <i>({esc(session.code)})</i>"
    if session.cancelled:
        lines.append(f"<b>{TEXT_CANCELLED}</b>")
    lines.append(f"🕙 {esc(session_when_long(session))}")
    lines.append(f"📍 {esc(session_where(content, session))}")
    if session.mode.value != "in-person":
        lines.append(f"🌐 {esc(session.mode.value.capitalize())}")
    if session.language:
        lines.append(f"🗨 In {esc(', '.join(session.language))}")
    for label, ids in (("Chair", session.chairs), ("Speakers", session.speakers)):
        if not ids:
            continue
        people = [content.speakers_by_id[i] for i in ids]
        names = "; ".join(
            speaker_name(p.name, p.honorific, p.position or p.affiliation) for p in people
        )
        label = label + ("s" if label == "Chair" and len(ids) > 1 else "")
        lines.append(f"🎙 <b>{label}:</b> {names}")
    if session.description:
        lines.append("")
        lines.append(esc(session.description))
    if session.running_order:
        lines.append("")
        lines.append("<b>Running order</b>")
        lines.extend(f"{n}. {esc(item)}" for n, item in enumerate(session.running_order, 1))
    if session.tags:
        lines.append("")
        lines.append("🏷 " + ", ".join(esc(t) for t in session.tags))
    if session.todo:
        lines.append("")
        lines.append(TEXT_TBC.format(todo=esc(session.todo)))
    return "\n".join(lines)


def speaker_name(name: str, honorific: str | None, detail: str | None) -> str:
    text = esc(f"{honorific} {name}" if honorific else name)
    if detail:
        text += f" <i>({esc(detail)})</i>"
    return text


def session_markup(session: Session, chosen: bool) -> InlineKeyboardMarkup:
    # my_agenda and venue import this module's renderers; their buttons are imported at call
    # time so that the imports between features keep one direction.
    from bot.features.my_agenda import AddToAgenda, RemoveFromAgenda
    from bot.features.venue import VenueRoom

    # A cancelled session cannot be chosen; whoever chose it before may still take it off.
    toggle = (
        [button("✅ In my agenda (remove)", RemoveFromAgenda(session.id))]
        if chosen
        else []
        if session.cancelled
        else [button("⭐ Add to my agenda", AddToAgenda(session.id))]
    )
    return keyboard(
        [
            *([toggle] if toggle else []),
            *([[button("📍 Room & venue", VenueRoom(session.room))]] if session.room else []),
            [
                button(f"« {fmt_day(session.day)}", AgendaDay(session.day))
                if session.day is not None
                else button(f"« {TEXT_DATE_TBA}", AgendaUndated()),
                button("⏱ Now & next", AgendaNowNext()),
            ],
        ]
    )


def render_days(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [button(f"{fmt_day(day)} · {len(sessions)} sessions", AgendaDay(day))]
        for day, sessions in (
            (d, [s for s in content.sessions if s.day == d]) for d in content.days()
        )
    ]
    undated = content.undated_sessions()
    if undated:
        rows.append([button(f"{TEXT_DATE_TBA} · {len(undated)} sessions", AgendaUndated())])
    rows.append([button("⏱ Now & next", AgendaNowNext()), button("🏠 Menu", HOME)])
    return TEXT_PICK_DAY, keyboard(rows)


def render_day(
    content: Content, sessions: Sequence[Session], day: dt.date, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    shown, rows = paged_rows(sessions, page, session_button, lambda shown: AgendaDay(day, shown))
    lines = [f"📅 <b>{esc(fmt_day_long(day))}</b>"]
    if not sessions:
        lines.append("Nothing is scheduled on this day.")
    lines.extend(session_line(content, s) for s in shown)
    rows.append([button("« Days", AgendaDays()), button("🏠 Menu", HOME)])
    return "\n".join(lines), keyboard(rows)


def render_undated(
    content: Content, sessions: Sequence[Session], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The sessions whose day is to be announced, paged like a day."""
    shown, rows = paged_rows(sessions, page, session_button, lambda shown: AgendaUndated(shown))
    lines = [f"📅 <b>{TEXT_DATE_TBA}</b>"]
    if not sessions:
        lines.append("Every session has a date now.")
    lines.extend(session_line(content, s) for s in shown)
    rows.append([button("« Days", AgendaDays()), button("🏠 Menu", HOME)])
    return "\n".join(lines), keyboard(rows)


def render_listing(
    content: Content, title: str, sessions: Sequence[Session], empty: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A titled list of sessions (any days) with a button per session, first page only."""
    shown, _, _ = page_of(sessions, 0, size=10)
    multi_day = len({s.day for s in sessions}) > 1
    lines = [title]
    lines.extend(session_line(content, s, with_day=multi_day) for s in shown)
    if not sessions:
        lines.append(empty)
    elif len(sessions) > len(shown):
        lines.append(f"… and {len(sessions) - len(shown)} more: see /agenda.")
    rows = [[session_button(s, with_day=multi_day)] for s in shown]
    rows.append([button("📅 Agenda", AgendaDays()), button("🏠 Menu", HOME)])
    return "\n".join(lines), keyboard(rows)


def render_now_next(
    content: Content, running: Sequence[Session], upcoming: Sequence[Session], now: dt.datetime
) -> tuple[str, InlineKeyboardMarkup]:
    local = now.astimezone(content.tz)
    lines = [
        f"⏱ <b>{esc(fmt_day(local.date()))}, {fmt_time(local)}</b> ({esc(content.event.timezone)})",
        "",
        "<b>Now</b>",
    ]
    lines.extend(session_line(content, s) for s in running)
    if not running:
        lines.append(TEXT_NOTHING_NOW)
    lines += ["", "<b>Next</b>"]
    multi_day = any(s.day != local.date() for s in upcoming)
    lines.extend(session_line(content, s, with_day=multi_day) for s in upcoming)
    if not upcoming:
        lines.append(TEXT_NOTHING_NEXT)
    rows = [[session_button(s, with_day=multi_day)] for s in (*running, *upcoming)][:10]
    rows.append([button("📅 Agenda", AgendaDays()), button("🏠 Menu", HOME)])
    return "\n".join(lines), keyboard(rows)


# --- handlers ------------------------------------------------------------------------------


async def agenda_command(update: Update, context: Context) -> None:
    text, markup = render_days(context.bot_data.event.content)
    await reply(update, text, markup)


async def now_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    now = svc.now()
    running, upcoming = svc.event.agenda.now_and_next(now)
    await reply(update, *render_now_next(svc.event.content, running, upcoming, now))


async def next_command(update: Update, context: Context) -> None:
    svc = context.bot_data
    now = svc.now()
    upcoming = svc.event.agenda.next_sessions(now, limit=5)
    text, markup = render_listing(svc.event.content, "⏭ <b>Next</b>", upcoming, TEXT_NOTHING_NEXT)
    await reply(update, text, markup)


async def session_command(update: Update, context: Context) -> None:
    """``/session`` lists sessions; ``/session <id or words>`` shows the best match."""
    svc = context.bot_data
    state = svc.event
    query = " ".join(context.args or []).strip()
    if not query:
        text, markup = render_listing(
            state.content, "🗂 <b>Sessions</b>", state.content.sessions, "No sessions yet."
        )
        await reply(update, text, markup)
        return
    session = state.agenda.session(query.lower())
    if session is None:
        answer = state.answerer.answer(query, svc.now())
        if answer.best is not None and answer.best.target.value == "session":
            session = state.agenda.session(answer.best.ref)
    if session is None:
        text, markup = render_days(state.content)
        await reply(update, f"{TEXT_NO_SESSION}\n\n{text}", markup)
        return
    await send_session(update, context, session)


async def is_chosen(update: Update, context: Context, session: Session) -> bool:
    user = update.effective_user
    if user is None or not in_private(update):
        # A card in a group is everyone's: it does not show whose agenda holds the session.
        return False
    return session.id in await context.bot_data.store.choices_of(user.id)


async def send_session(update: Update, context: Context, session: Session) -> None:
    content = context.bot_data.event.content
    chosen = await is_chosen(update, context, session)
    await show(update, render_session(content, session), session_markup(session, chosen))


async def agenda_button(update: Update, context: Context, press: Press[AgendaButton]) -> None:
    svc = context.bot_data
    state = svc.event
    match press.data:
        case AgendaDays():
            await show(update, *render_days(state.content))
        case AgendaNowNext():
            now = svc.now()
            running, upcoming = state.agenda.now_and_next(now)
            await show(update, *render_now_next(state.content, running, upcoming, now))
        case AgendaDay(day, page) if day in state.content.days():
            await show(update, *render_day(state.content, state.agenda.sessions_on(day), day, page))
        case AgendaUndated(page):
            await show(update, *render_undated(state.content, state.agenda.undated(), page))
        case AgendaSession(session_id) if session := state.agenda.session(session_id):
            await send_session(update, context, session)
        case _:
            await press.stale()


DEEP_LINK_PREFIX = "s_"


async def deep_link_start(update: Update, context: Context) -> None:
    """``/start s_<session id>``: the door QR code of a session opens it directly."""
    svc = context.bot_data
    arg = (context.args or [""])[0]
    session = svc.event.agenda.session(arg.removeprefix(DEEP_LINK_PREFIX))
    if session is None:
        text, markup = render_days(svc.event.content)
        await reply(update, f"{TEXT_NO_SESSION}\n\n{text}", markup)
        return
    user = update.effective_user
    # Only a person talking to the bot in private is recorded (and later asked for feedback).
    if (
        user is not None
        and in_private(update)
        and await svc.store.record_door_open(user.id, session.id, svc.now())
    ):
        # Whoever came in through the door's QR code is asked for feedback like a chooser.
        await replan_feedback(svc.store, svc.event.content, svc.now(), user.id)
        if svc.sender is not None:
            svc.sender.wake()
    await send_session(update, context, session)


def register(application: Application) -> None:
    # Before the menu's plain /start (registered later), so that a deep link wins.
    application.add_handler(
        CommandHandler(
            "start", deep_link_start, filters.Regex(rf"^/start(@\w+)? {DEEP_LINK_PREFIX}")
        )
    )
    application.add_handler(CommandHandler("agenda", agenda_command))
    application.add_handler(CommandHandler("now", now_command))
    application.add_handler(CommandHandler("next", next_command))
    application.add_handler(CommandHandler("session", session_command))
    application.add_handler(button_handler(AgendaButton, agenda_button))
