"""Text formatting for messages: HTML escaping, shortening, and days and times (written as given:
the content's times are in the event's zone)."""

from __future__ import annotations

import datetime as dt
import html


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
