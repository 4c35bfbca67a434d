"""Text formatting for messages: HTML escaping, shortening, and days and times (written as given:
the content's times are in the event's zone)."""

from __future__ import annotations

import datetime as dt
import html

from babel.numbers import format_decimal

from bot.content import Content, Session
from bot.i18n import (
    N_,
    _,
    babel_locale,
    format_clock,
    format_day,
    format_day_long,
    isolate,
    tr,
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def fmt_day(day: dt.date) -> str:
    """``Sun 24 Jul`` in the reader's language (isolated in a right-to-left message)."""
    return format_day(day)


def fmt_day_long(day: dt.date) -> str:
    """``Sunday 24 July 2022`` in the reader's language."""
    return format_day_long(day)


def fmt_time(moment: dt.datetime | dt.time) -> str:
    """``13:05`` in the reader's language. Not isolated: a lone time keeps its order in an
    Arabic line, and a range of two must be isolated as a whole (see :func:`session_hours`)."""
    return format_clock(moment)


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


TEXT_TIME_TBA = N_("🕒 time to be announced")
TEXT_DATE_TBA = N_("Date to be announced")


def session_hours(session: Session) -> str:
    """``20:00–00:30 (+1)``: start and end, marked when the end is on the next day; or that
    the time is to be announced. Isolated as a whole in a right-to-left message, so that the
    range keeps its order."""
    if session.start is None or session.end is None:
        return _(TEXT_TIME_TBA)
    hours = f"{fmt_time(session.start)}–{fmt_time(session.end)}"
    return isolate(hours + " (+1)" if session.past_midnight else hours)


def session_day(session: Session) -> str:
    """``Tue 26 Jul``, or "Date TBA" while the day is to be announced."""
    return fmt_day(session.day) if session.day is not None else _("Date TBA")


def session_start(session: Session) -> str:
    """``09:00``, or "TBA" while the time is to be announced (for short button labels)."""
    return fmt_time(session.start) if session.start is not None else _("TBA")


def session_where(content: Content, session: Session) -> str:
    """Where a session is, as plain text: its room and floor, its place when off-site, or
    "Online"."""
    room = content.room_of(session)
    if room is None:
        return _("Online")
    where = tr(room.name)
    if room.floor:
        where = _("{room}, floor {floor}").format(room=where, floor=isolate(str(room.floor)))
    if content.off_site(session):
        place = content.place_of(session)
        if place is not None and place.label and place.label != room.name:
            where += f" ({tr(place.label)})"
    # A Latin room name in an Arabic line keeps its own order.
    return isolate(where)


def local_text(text: str) -> str:
    """A content text (title, name, room) in the reader's language, isolated when it sits in a
    right-to-left sentence (a Latin title inside Arabic keeps its own order)."""
    return isolate(tr(text))


def fmt_number(number: int) -> str:
    """A count as the reader's locale writes it, isolated in a right-to-left message."""
    return isolate(format_decimal(number, locale=babel_locale()))
