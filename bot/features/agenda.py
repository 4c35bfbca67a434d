"""The programme: days, sessions of a day, one session in full, and what is on now and next.

Callback data (namespace ``ag``): ``ag:days``, ``ag:d:<YYYYMMDD>:<page>``, ``ag:tba:<page>``,
``ag:s:<session id>``, ``ag:nn``, ``ag:pin:<session id>`` (the map pin of a session's place);
the filters ``ag:trs`` and ``ag:tr:<track id>:<page>`` (tracks), ``ag:lgs`` and
``ag:lg:<language code>:<page>`` (languages), ``ag:on:<page>`` (sessions one can follow online).

The filters are offered only when the programme has what they filter by: at least one track,
sessions in at least two languages, at least one online or hybrid session.

A session whose time is to be announced is listed under its day after the timed ones; one whose
day is also unknown is in a "Date to be announced" entry after the days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from babel.lists import format_list
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.ext import Application, CommandHandler, filters

from bot.content import Content, Session
from bot.content.models import Place, SessionMode
from bot.domain.agenda import (
    online_sessions,
    session_languages,
    sessions_in_language,
    sessions_in_track,
)
from bot.features.callbacks import (
    HOME,
    CallbackData,
    Part,
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
    fmt_number,
    fmt_time,
    local_text,
    session_day,
    session_hours,
    session_start,
    session_where,
    shorten,
)
from bot.features.keyboards import Packed, keyboard, page_of, paged_rows
from bot.features.permissions import in_private
from bot.features.send import reply, show
from bot.i18n import N_, _, babel_locale, isolate, language_name, ngettext, tr
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

TEXT_NO_SESSION = N_("I could not find that session. Here is the programme:")
TEXT_NOTHING_NOW = N_("Nothing is running right now.")
TEXT_NOTHING_NEXT = N_("Nothing else is scheduled after this.")
TEXT_PICK_DAY = N_("📅 <b>Programme</b>: pick a day.")
TEXT_TBC = N_("⚠️ <i>Details to be confirmed: {todo}</i>")
TEXT_CANCELLED = N_("❌ Cancelled")
TEXT_ONLINE_ONLY = N_("💻 Online only")
TEXT_HYBRID = N_("📺 In the room and online")
TEXT_JOIN = N_("💻 Join online")
TEXT_WATCH = N_("📺 Watch online")
TEXT_MAP_PIN = N_("📍 Map pin")
TEXT_BY_TRACK = N_("🧭 By track")
TEXT_BY_LANGUAGE = N_("🗨 By language")
TEXT_ONLINE = N_("💻 Online")
TEXT_PICK_TRACK = N_("🧭 <b>Tracks</b>: pick one.")
TEXT_PICK_LANGUAGE = N_("🗨 <b>Languages</b>: pick one.")
TEXT_ONLINE_TITLE = N_("💻 <b>Sessions you can follow online</b>")
TEXT_OPEN_MAP = N_("Open the map")
TEXT_NO_PIN = N_("The map position of this place has not been published yet.")


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


@dataclass(frozen=True)
class AgendaPin(AgendaButton, action="pin"):
    """``ag:pin:<session id>``: a native map pin of the session's place, as a new message."""

    session_id: str


@dataclass(frozen=True)
class AgendaTracks(AgendaButton, action="trs"):
    """``ag:trs``: the programme's tracks to pick from."""


@dataclass(frozen=True)
class AgendaTrack(AgendaButton, action="tr"):
    """``ag:tr:<track id>:<page>``: one page of a track's sessions, every day."""

    track_id: str
    page: int = 0


# A language code as the content schema allows it (pt, pt-BR); ASCII only, like every part.
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _read_language(text: str) -> str:
    if not _LANGUAGE_CODE.fullmatch(text):
        raise ValueError(f"not a language code: {text!r}")
    return text


@dataclass(frozen=True)
class AgendaLanguages(AgendaButton, action="lgs"):
    """``ag:lgs``: the languages sessions are held in, to pick from."""


@dataclass(frozen=True)
class AgendaLanguage(AgendaButton, action="lg"):
    """``ag:lg:<language code>:<page>``: one page of the sessions held in a language."""

    code: Annotated[str, Part(str, _read_language)]
    page: int = 0


@dataclass(frozen=True)
class AgendaOnline(AgendaButton, action="on"):
    """``ag:on:<page>``: one page of the sessions one can follow online (online or hybrid)."""

    page: int = 0


def session_when_long(session: Session) -> str:
    """``Tuesday 26 July 2022, 09:00–12:30`` with whatever part is to be announced said so."""
    if session.day is None:
        return f"{_(TEXT_DATE_TBA)}, {_(TEXT_TIME_TBA)}"
    return f"{fmt_day_long(session.day)}, {session_hours(session)}"


def session_line(content: Content, session: Session, with_day: bool = False) -> str:
    """One line of a listing: time, title, room; a cancelled session says so first."""
    when = session_hours(session)
    if with_day:
        when = f"{session_day(session)} {when}"
    icon = KIND_ICON.get(session.kind.value, "•")
    room = local_text(content.room_name(session))
    title = local_text(session.title)
    if session.cancelled:
        return f"{_(TEXT_CANCELLED)}: <s>{esc(when)} {esc(title)}</s> · <i>{esc(room)}</i>"
    return f"{icon} <b>{esc(when)}</b> {esc(title)} · <i>{esc(room)}</i>"


def session_button(session: Session, with_day: bool = False) -> InlineKeyboardButton:
    when = session_start(session)
    if with_day:
        when = f"{session_day(session)} {when}"
    title = isolate(shorten(tr(session.title), 40))
    mark = "❌ " if session.cancelled else ""
    return button(f"{mark}{when} {title}", AgendaSession(session.id))


def render_session(content: Content, session: Session) -> str:
    lines = [f"{KIND_ICON.get(session.kind.value, '•')} <b>{esc(local_text(session.title))}</b>"]
    if session.code:
        lines[0] += f" <i>({esc(isolate(session.code))})</i>"
    if session.cancelled:
        lines.append(f"<b>{_(TEXT_CANCELLED)}</b>")
    lines.append(f"🕙 {esc(session_when_long(session))}")
    if session.room is not None:
        lines.append(f"📍 {esc(session_where(content, session))}")
    place = content.place_of(session)
    if content.off_site(session) and place is not None:
        if place.directions:
            lines.append(f"🚶 {esc(tr(place.directions))}")
        if place.map_url:
            lines.append(f'🗺 <a href="{esc(place.map_url)}">{_(TEXT_OPEN_MAP)}</a>')
    if session.mode is SessionMode.online:
        lines.append(_(TEXT_ONLINE_ONLY))
    elif session.mode is SessionMode.hybrid:
        lines.append(_(TEXT_HYBRID))
    track = content.track_of(session)
    if track is not None:
        lines.append(_("🧭 Track: {track}").format(track=esc(local_text(track.name))))
    if session.language:
        lines.append(
            _("🗨 In {languages}").format(languages=esc(isolate(spoken_list(session.language))))
        )
    for role, ids in (("chair", session.chairs), ("speaker", session.speakers)):
        if not ids:
            continue
        people = [content.speakers_by_id[i] for i in ids]
        names = "; ".join(
            speaker_name(p.name, p.honorific, p.position or p.affiliation) for p in people
        )
        if role == "chair":
            label = ngettext("Chair", "Chairs", len(ids))
        else:
            label = _("Speakers")
        lines.append(f"🎙 <b>{label}:</b> {names}")
    if session.description:
        lines.append("")
        lines.append(esc(tr(session.description)))
    if session.running_order:
        lines.append("")
        lines.append(_("<b>Running order</b>"))
        lines.extend(f"{n}. {esc(tr(item))}" for n, item in enumerate(session.running_order, 1))
    if session.tags:
        lines.append("")
        lines.append("🏷 " + ", ".join(esc(tr(t)) for t in session.tags))
    if session.todo:
        lines.append("")
        lines.append(_(TEXT_TBC).format(todo=esc(tr(session.todo))))
    return "\n".join(lines)


def spoken_list(codes: Sequence[str]) -> str:
    """ "Portuguese and English": the languages' names joined for a sentence, in the reader's
    language."""
    return format_list([language_name(code) for code in codes], locale=babel_locale())


def speaker_name(name: str, honorific: str | None, detail: str | None) -> str:
    text = esc(isolate(f"{tr(honorific)} {tr(name)}" if honorific else tr(name)))
    if detail:
        text += f" <i>({esc(isolate(tr(detail)))})</i>"
    return text


def pinned_place(content: Content, session: Session) -> Place | None:
    """The session's place when it deserves a pin of its own: away from the main venue, with
    coordinates, and not at the main venue's coordinates."""
    place = content.place_of(session)
    if place is None or place.coordinates is None or not content.off_site(session):
        return None
    if place.coordinates == content.venue.coordinates:
        return None
    return place


def online_button(session: Session) -> InlineKeyboardButton | None:
    """The link button to follow a session online; none for a cancelled one."""
    if session.online_url is None or session.cancelled:
        return None
    label = _(TEXT_JOIN) if session.mode is SessionMode.online else _(TEXT_WATCH)
    return InlineKeyboardButton(label, url=session.online_url)


def session_markup(content: Content, session: Session, chosen: bool) -> InlineKeyboardMarkup:
    # my_agenda and venue import this module's renderers; their buttons are imported at call
    # time so that the imports between features keep one direction.
    from bot.features.my_agenda import AddToAgenda, RemoveFromAgenda
    from bot.features.venue import VenueRoom

    # A cancelled session cannot be chosen; whoever chose it before may still take it off.
    toggle = (
        [button(_("✅ In my agenda (remove)"), RemoveFromAgenda(session.id))]
        if chosen
        else []
        if session.cancelled
        else [button(_("⭐ Add to my agenda"), AddToAgenda(session.id))]
    )
    online = online_button(session)
    where = [
        *([button(_("📍 Room & venue"), VenueRoom(session.room))] if session.room else []),
        *(
            [button(_(TEXT_MAP_PIN), AgendaPin(session.id))]
            if pinned_place(content, session)
            else []
        ),
    ]
    return keyboard(
        [
            *([toggle] if toggle else []),
            *([[online]] if online else []),
            where,
            [
                button(f"« {fmt_day(session.day)}", AgendaDay(session.day))
                if session.day is not None
                else button(f"« {_(TEXT_DATE_TBA)}", AgendaUndated()),
                button(_("⏱ Now & next"), AgendaNowNext()),
            ],
        ]
    )


TEXT_OPEN_PROGRAMME = N_("🗓 Open programme")


def programme_button(url: str) -> InlineKeyboardButton:
    """The programme grid (a Telegram Mini App, bot/miniapp/) in a ``web_app`` button."""
    return InlineKeyboardButton(_(TEXT_OPEN_PROGRAMME), web_app=WebAppInfo(url))


def programme_url(update: Update, context: Context) -> str | None:
    """The grid's URL when a ``web_app`` button can carry it here: Telegram opens those in
    private chats only, and only over HTTPS (``Settings.web_app_url``)."""
    if not in_private(update):
        return None
    return context.bot_data.settings.web_app_url


def render_days(
    content: Content, web_app_url: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    rows: list[list[InlineKeyboardButton]] = (
        [] if web_app_url is None else [[programme_button(web_app_url)]]
    )
    rows += [
        [button(f"{fmt_day(day)} · {plural(len(sessions))}", AgendaDay(day))]
        for day, sessions in (
            (d, [s for s in content.sessions if s.day == d]) for d in content.days()
        )
    ]
    undated = content.undated_sessions()
    if undated:
        rows.append([button(f"{_(TEXT_DATE_TBA)} · {plural(len(undated))}", AgendaUndated())])
    rows.append(filter_row(content))
    rows.append([button(_("⏱ Now & next"), AgendaNowNext()), button(_("🏠 Menu"), HOME)])
    return _(TEXT_PICK_DAY), keyboard(rows)


def plural(count: int) -> str:
    return ngettext("{count} session", "{count} sessions", count).format(count=fmt_number(count))


def filter_row(content: Content) -> list[InlineKeyboardButton]:
    """The filters this programme has something for (an empty row is dropped)."""
    return [
        *([button(_(TEXT_BY_TRACK), AgendaTracks())] if content.tracks else []),
        *(
            [button(_(TEXT_BY_LANGUAGE), AgendaLanguages())]
            if len(session_languages(content)) >= 2
            else []
        ),
        *([button(_(TEXT_ONLINE), AgendaOnline())] if online_sessions(content) else []),
    ]


def render_selection(
    content: Content,
    title: str,
    sessions: Sequence[Session],
    page: int,
    at: Callable[[int], Packed],
    back: InlineKeyboardButton,
    empty: str = N_("No sessions."),
) -> tuple[str, InlineKeyboardMarkup]:
    """Sessions of every day that a filter selected, paged like a day's, with a way back."""
    shown, rows = paged_rows(sessions, page, lambda s: session_button(s, with_day=True), at)
    lines = [title]
    if not sessions:
        lines.append(_(empty))
    lines.extend(session_line(content, s, with_day=True) for s in shown)
    rows.append([back, button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


def render_tracks(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_(TEXT_PICK_TRACK)]
    rows = []
    for track in content.tracks.values():
        count = len(sessions_in_track(content, track.id))
        if track.description:
            lines.append(f"• <b>{esc(local_text(track.name))}</b>: {esc(tr(track.description))}")
        name = isolate(shorten(tr(track.name), 40))
        rows.append([button(f"{name} · {plural(count)}", AgendaTrack(track.id))])
    rows.append([button(_("« Days"), AgendaDays()), button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


def render_track(
    content: Content, track_id: str, page: int = 0
) -> tuple[str, InlineKeyboardMarkup] | None:
    """One page of a track's sessions; None for a track the programme no longer has."""
    track = content.tracks.get(track_id)
    if track is None:
        return None
    title = _("🧭 <b>Track: {track}</b>").format(track=esc(local_text(track.name)))
    if track.description:
        title += f"\n<i>{esc(tr(track.description))}</i>"
    return render_selection(
        content,
        title,
        sessions_in_track(content, track_id),
        page,
        lambda shown: AgendaTrack(track_id, shown),
        button(_("« Tracks"), AgendaTracks()),
        N_("No sessions in this track yet."),
    )


def render_languages(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            button(
                f"{language_name(code)} · {plural(len(sessions_in_language(content, code)))}",
                AgendaLanguage(code),
            )
        ]
        for code in session_languages(content)
    ]
    rows.append([button(_("« Days"), AgendaDays()), button(_("🏠 Menu"), HOME)])
    return _(TEXT_PICK_LANGUAGE), keyboard(rows)


def render_language(
    content: Content, code: str, page: int = 0
) -> tuple[str, InlineKeyboardMarkup] | None:
    """One page of the sessions held in a language; None for a language no session uses."""
    sessions = sessions_in_language(content, code)
    if not sessions:
        return None
    return render_selection(
        content,
        _("🗨 <b>In {language}</b>").format(language=esc(language_name(code))),
        sessions,
        page,
        lambda shown: AgendaLanguage(code, shown),
        button(_("« Languages"), AgendaLanguages()),
    )


def render_online(content: Content, page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    return render_selection(
        content,
        _(TEXT_ONLINE_TITLE),
        online_sessions(content),
        page,
        lambda shown: AgendaOnline(shown),
        button(_("« Days"), AgendaDays()),
        N_("No session can be followed online."),
    )


def render_day(
    content: Content, sessions: Sequence[Session], day: dt.date, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    shown, rows = paged_rows(sessions, page, session_button, lambda shown: AgendaDay(day, shown))
    lines = [f"📅 <b>{esc(fmt_day_long(day))}</b>"]
    if not sessions:
        lines.append(_("Nothing is scheduled on this day."))
    lines.extend(session_line(content, s) for s in shown)
    rows.append([button(_("« Days"), AgendaDays()), button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


def render_undated(
    content: Content, sessions: Sequence[Session], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The sessions whose day is to be announced, paged like a day."""
    shown, rows = paged_rows(sessions, page, session_button, lambda shown: AgendaUndated(shown))
    lines = [f"📅 <b>{_(TEXT_DATE_TBA)}</b>"]
    if not sessions:
        lines.append(_("Every session has a date now."))
    lines.extend(session_line(content, s) for s in shown)
    rows.append([button(_("« Days"), AgendaDays()), button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


def render_listing(
    content: Content, title: str, sessions: Sequence[Session], empty: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A titled list of sessions (any days) with a button per session, first page only."""
    shown, _pages, _page = page_of(sessions, 0, size=10)
    multi_day = len({s.day for s in sessions}) > 1
    lines = [title]
    lines.extend(session_line(content, s, with_day=multi_day) for s in shown)
    if not sessions:
        lines.append(empty)
    elif len(sessions) > len(shown):
        more = len(sessions) - len(shown)
        lines.append(_("… and {count} more: see /agenda.").format(count=fmt_number(more)))
    rows = [[session_button(s, with_day=multi_day)] for s in shown]
    rows.append([button(_("📅 Agenda"), AgendaDays()), button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


def render_now_next(
    content: Content, running: Sequence[Session], upcoming: Sequence[Session], now: dt.datetime
) -> tuple[str, InlineKeyboardMarkup]:
    local = now.astimezone(content.tz)
    lines = [
        f"⏱ <b>{esc(fmt_day(local.date()))}, {isolate(fmt_time(local))}</b>"
        f" ({esc(isolate(content.event.timezone))})",
        "",
        _("<b>Now</b>"),
    ]
    lines.extend(session_line(content, s) for s in running)
    if not running:
        lines.append(_(TEXT_NOTHING_NOW))
    lines += ["", _("<b>Next</b>")]
    multi_day = any(s.day != local.date() for s in upcoming)
    lines.extend(session_line(content, s, with_day=multi_day) for s in upcoming)
    if not upcoming:
        lines.append(_(TEXT_NOTHING_NEXT))
    rows = [[session_button(s, with_day=multi_day)] for s in (*running, *upcoming)][:10]
    rows.append([button(_("📅 Agenda"), AgendaDays()), button(_("🏠 Menu"), HOME)])
    return "\n".join(lines), keyboard(rows)


# --- handlers ------------------------------------------------------------------------------


async def agenda_command(update: Update, context: Context) -> None:
    text, markup = render_days(context.bot_data.event.content, programme_url(update, context))
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
    text, markup = render_listing(
        svc.event.content, _("⏭ <b>Next</b>"), upcoming, _(TEXT_NOTHING_NEXT)
    )
    await reply(update, text, markup)


async def session_command(update: Update, context: Context) -> None:
    """``/session`` lists sessions; ``/session <id or words>`` shows the best match."""
    svc = context.bot_data
    state = svc.event
    query = " ".join(context.args or []).strip()
    if not query:
        text, markup = render_listing(
            state.content, _("🗂 <b>Sessions</b>"), state.content.sessions, _("No sessions yet.")
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
        await reply(update, f"{_(TEXT_NO_SESSION)}\n\n{text}", markup)
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
    await show(update, render_session(content, session), session_markup(content, session, chosen))


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
        case AgendaPin(session_id) if session := state.agenda.session(session_id):
            # Imported here: venue imports this module (see session_markup).
            from bot.features.venue import send_place_pin

            place = pinned_place(state.content, session)
            if place is None:
                await press.answer(_(TEXT_NO_PIN))
                return
            await send_place_pin(update, place, tr(session.title))
        case AgendaTracks():
            await show(update, *render_tracks(state.content))
        case AgendaTrack(track_id, page) if rendered := render_track(state.content, track_id, page):
            await show(update, *rendered)
        case AgendaLanguages():
            await show(update, *render_languages(state.content))
        case AgendaLanguage(code, page) if rendered := render_language(state.content, code, page):
            await show(update, *rendered)
        case AgendaOnline(page):
            await show(update, *render_online(state.content, page))
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
        await reply(update, f"{_(TEXT_NO_SESSION)}\n\n{text}", markup)
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
