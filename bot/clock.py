"""Injectable clocks: "now", "next" and reminders can be tested and previewed at any moment."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ShiftedClock:
    """Runs at real speed from a chosen moment: the preview of a past event lives "on the day"."""

    def __init__(self, start_at: dt.datetime) -> None:
        if start_at.tzinfo is None:
            raise ValueError("start_at must be timezone-aware")
        self._start_at = start_at
        self._started = time.monotonic()

    def now(self) -> dt.datetime:
        return self._start_at + dt.timedelta(seconds=time.monotonic() - self._started)


class FixedClock:
    """Stands still until moved; for tests and benchmarks, the bot itself never uses it."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta


def parse_event_moment(text: str, tz: dt.tzinfo) -> dt.datetime:
    """A wall-clock moment of the event, as typed on a command line, in the event's zone."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    raise ValueError(f"expected a moment like '2022-07-25 09:55' (event time zone), got {text!r}")
