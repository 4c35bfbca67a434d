"""Injectable clocks: "now", "next" and reminders can be tested and previewed at any moment."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ShiftedClock:
    """Runs at real speed from a chosen moment: the preview of a past event lives "on the day".

    The clock counts in UTC: aware arithmetic within one zone is wall-clock arithmetic, so
    adding the elapsed seconds to a Europe/Lisbon moment just before a clock change would run
    an hour off once the change passed. Callers convert to the event's zone for display.
    """

    def __init__(self, start_at: dt.datetime) -> None:
        if start_at.tzinfo is None:
            raise ValueError("start_at must be timezone-aware")
        self._start_at = start_at.astimezone(dt.UTC)
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


_SECOND_OCCURRENCE = re.compile(r"\s*\((?:2nd|second)\)\s*$", re.IGNORECASE)
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def _exists(moment: dt.datetime) -> bool:
    # A wall-clock time skipped by a spring-forward change does not survive a round trip to UTC.
    return moment.astimezone(dt.UTC).astimezone(moment.tzinfo) == moment


def parse_event_moment(text: str, tz: dt.tzinfo) -> dt.datetime:
    """A wall-clock moment of the event, as typed on a command line, in the event's zone.

    An hour that happens twice (autumn clock change) means its first occurrence unless the text
    ends with ``(2nd)`` or carries an explicit UTC offset (``2026-10-25 01:30+00:00``); an hour
    that never happens (spring clock change) is refused.
    """
    raw = text.strip()
    second = _SECOND_OCCURRENCE.search(raw)
    if second:
        raw = raw[: second.start()]
    with_offset: dt.datetime | None = None
    if not second:
        try:
            with_offset = dt.datetime.fromisoformat(raw)
        except ValueError:
            with_offset = None
    if with_offset is not None and with_offset.tzinfo is not None:
        return with_offset.astimezone(tz)
    for fmt in _FORMATS:
        try:
            wall = dt.datetime.strptime(raw, fmt)
        except ValueError:
            continue
        moment = wall.replace(tzinfo=tz, fold=1 if second else 0)
        if not _exists(moment):
            raise ValueError(
                f"{text!r} does not exist in {tz}: the clocks skip that hour; pick another moment"
            )
        if second and moment.utcoffset() == moment.replace(fold=0).utcoffset():
            raise ValueError(f"{text!r}: that time happens only once in {tz}; drop '(2nd)'")
        return moment
    raise ValueError(
        f"expected a moment like '2022-07-25 09:55' (event time zone; '2026-10-25 01:30 (2nd)' "
        f"or '2026-10-25 01:30+00:00' for the second of a repeated hour), got {text!r}"
    )
