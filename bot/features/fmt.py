"""Text formatting for messages: HTML escaping, shortening, and days and times (written as given:
the content's times are in the event's zone)."""

from __future__ import annotations

import datetime as dt
import html

from bot.content import Content, Session


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def fmt_day(day: dt.date) -> str:
    return day.strftime("%a %d %b").replace(" 0", " ")


def fmt_day_long(day: dt.date) -> str:
    return day.strftime("%A %d %B %Y").replace(" 0", " ")


def fmt_time(moment: dt.datetime | dt.time) -> str:
    return moment.strftime("%H:%M")


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


TEXT_TIME_TBA = "🕒 time to be announced"
TEXT_DATE_TBA = "Date to be announced"


def session_hours(session: Session) -> str:
    """``20:00–00:30 (+1)``: start and end, marked when the end is on the next day; or that
    the time is to be announced."""
    if session.start is None or session.end is None:
        return TEXT_TIME_TBA
    hours = f"{fmt_time(session.start)}–{fmt_time(session.end)}"
    return hours + " (+1)" if session.past_midnight else hours


def session_day(session: Session) -> str:
    """``Tue 26 Jul``, or "Date TBA" while the day is to be announced."""
    return fmt_day(session.day) if session.day is not None else "Date TBA"


def session_start(session: Session) -> str:
    """``09:00``, or "TBA" while the time is to be announced (for short button labels)."""
    return fmt_time(session.start) if session.start is not None else "TBA"


def session_where(content: Content, session: Session) -> str:
    """Where a session is, as plain text: its room and floor, its place when off-site, or
    "Online"."""
    room = content.room_of(session)
    if room is None:
        return "Online"
    where = room.name + (f", floor {room.floor}" if room.floor else "")
    if content.off_site(session):
        place = content.place_of(session)
        if place is not None and place.label and place.label != room.name:
            where += f" ({place.label})"
    return where
