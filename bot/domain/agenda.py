"""Queries over the programme: what is on a day, now, next, in a room, by a speaker, by tag, in a
track, in a language, online.

Plain Python over :class:`~bot.content.models.Content`; every datetime is aware and compared in the
event's time zone, so "today" means the attendee's day in the venue's city, not the server's.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence

from bot.content.models import Content, Session, SessionMode


def require_aware(moment: dt.datetime, name: str = "now") -> None:
    # A naive datetime is off by hours somewhere in the world; refusing it catches clock bugs.
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"{name} must be timezone-aware")


class Agenda:
    """The programme of one event, indexed once for the questions attendees ask many times."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.tz = content.tz
        # Content keeps sessions sorted by (day, start, end, id); the indexes below rely on it.
        self._sessions: tuple[Session, ...] = content.sessions
        # Now, next and time windows know only what will happen: a cancelled session stays in
        # the listings (marked) but never runs, and one whose time is to be announced has no
        # place on the clock yet.
        self._timed: tuple[Session, ...] = tuple(
            s for s in content.timed_sessions() if not s.cancelled
        )
        self._starts: list[dt.datetime] = [_known(content.starts_at(s)) for s in self._timed]
        self._ends: list[dt.datetime] = [_known(content.ends_at(s)) for s in self._timed]
        # Sessions are short, so the longest one bounds how far back a running session can start.
        self._longest = max(
            (end - start for start, end in zip(self._starts, self._ends, strict=True)),
            default=dt.timedelta(0),
        )
        by_day: dict[dt.date, list[Session]] = defaultdict(list)
        by_room: dict[str, list[Session]] = defaultdict(list)
        by_person: dict[str, list[Session]] = defaultdict(list)
        by_tag: dict[str, list[Session]] = defaultdict(list)
        tag_names: dict[str, str] = {}
        for session in self._sessions:
            if session.day is not None:
                by_day[session.day].append(session)
            if session.room is not None:
                by_room[session.room].append(session)
            for person in dict.fromkeys((*session.chairs, *session.speakers)):
                by_person[person].append(session)
            for tag in session.tags:
                key = tag.casefold()
                tag_names.setdefault(key, tag)
                if not by_tag[key] or by_tag[key][-1] is not session:
                    by_tag[key].append(session)
        self._by_day = dict(by_day)
        self._by_room = dict(by_room)
        self._by_person = dict(by_person)
        self._by_tag = dict(by_tag)
        self._tag_names = tag_names

    def starts_at(self, session: Session) -> dt.datetime | None:
        return self.content.starts_at(session)

    def ends_at(self, session: Session) -> dt.datetime | None:
        return self.content.ends_at(session)

    def days(self) -> list[dt.date]:
        return sorted(self._by_day)

    def sessions_on(self, day: dt.date) -> list[Session]:
        """The day's sessions: timed ones by start, then those whose time is to be announced."""
        return list(self._by_day.get(day, ()))

    def undated(self) -> list[Session]:
        """Sessions whose day is to be announced, in programme order."""
        return self.content.undated_sessions()

    def session(self, session_id: str) -> Session | None:
        """The session with exactly this id (buttons, deep links), or None.

        Stricter than :func:`find_session`, which reads what a person typed: no ``s_`` prefix,
        no case folding, no title words or codes.
        """
        return self.content.sessions_by_id.get(session_id)

    def running_at(self, now: dt.datetime) -> list[Session]:
        require_aware(now)
        now = now.astimezone(self.tz)
        first = bisect.bisect_left(self._starts, now - self._longest)
        last = bisect.bisect_right(self._starts, now)
        return [self._timed[i] for i in range(first, last) if self._ends[i] > now]

    def next_sessions(self, now: dt.datetime, limit: int = 5) -> list[Session]:
        """Sessions starting after ``now``, soonest first."""
        require_aware(now)
        first = bisect.bisect_right(self._starts, now.astimezone(self.tz))
        return list(self._timed[first : first + max(limit, 0)])

    def now_and_next(self, now: dt.datetime, limit: int = 5) -> tuple[list[Session], list[Session]]:
        """What is running at ``now``, and every session sharing the soonest next start time.

        Parallel sessions start together, so "next" is all of them (at most ``limit``), not one
        picked at random.
        """
        running = self.running_at(now)
        first = bisect.bisect_right(self._starts, now.astimezone(self.tz))
        upcoming: list[Session] = []
        if first < len(self._timed):
            soonest = self._starts[first]
            index = first
            while (
                index < len(self._timed)
                and self._starts[index] == soonest
                and len(upcoming) < limit
            ):
                upcoming.append(self._timed[index])
                index += 1
        return running, upcoming

    def sessions_between(self, start: dt.datetime, end: dt.datetime) -> list[Session]:
        """Sessions overlapping the window ``[start, end)``, in programme order."""
        require_aware(start, "start")
        require_aware(end, "end")
        start = start.astimezone(self.tz)
        end = end.astimezone(self.tz)
        if end <= start:
            return []
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_left(self._starts, end)
        return [self._timed[i] for i in range(first, last) if self._ends[i] > start]

    def by_speaker(self, speaker_id: str) -> list[Session]:
        """Sessions where the person chairs or speaks."""
        return list(self._by_person.get(speaker_id, ()))

    def by_room(self, room_id: str) -> list[Session]:
        return list(self._by_room.get(room_id, ()))

    def by_tag(self, tag: str) -> list[Session]:
        return list(self._by_tag.get(tag.strip().casefold(), ()))

    def tags(self) -> list[str]:
        """Every tag once, as first written, sorted case-insensitively."""
        return sorted(self._tag_names.values(), key=str.casefold)


def _known(moment: dt.datetime | None) -> dt.datetime:
    # Only for sessions already filtered by Session.timed.
    assert moment is not None
    return moment


def find_session(content: Content, words: str) -> Session | None:
    """A session by what a person typed: its id (any case, with or without the ``s_`` of a
    door link), else the first session in programme order whose title contains the words or
    whose code is the words.

    Not :meth:`Agenda.session`, which takes an exact id only: ``/session`` falls back on the
    answerer instead of title words, ``/feedback`` and ``/report`` use this.
    """
    words = words.strip().lower()
    if words.startswith("s_"):
        words = words[2:]
    if words in content.sessions_by_id:
        return content.sessions_by_id[words]
    for session in content.sessions:
        if words and (words in session.title.lower() or words == (session.code or "").lower()):
            return session
    return None


def overlaps(content: Content, session: Session, others: Sequence[Session]) -> list[Session]:
    """The sessions among ``others`` (not ``session`` itself) whose times overlap it."""
    start, end = content.starts_at(session), content.ends_at(session)
    if session.cancelled or start is None or end is None:
        return []
    found = []
    for o in others:
        o_start, o_end = content.starts_at(o), content.ends_at(o)
        if o.id == session.id or o.cancelled or o_start is None or o_end is None:
            continue
        if o_start < end and start < o_end:
            found.append(o)
    return found


def chosen_sessions(content: Content, ids: Collection[str]) -> list[Session]:
    """The sessions with these ids, in programme order; unknown ids are left out."""
    return [s for s in content.sessions if s.id in ids]


def sessions_in_track(content: Content, track_id: str) -> list[Session]:
    """The track's sessions, in programme order (none for an unknown track)."""
    return [s for s in content.sessions if s.track == track_id]


def sessions_in_language(content: Content, code: str) -> list[Session]:
    """Sessions held in the language (alone or with others), in programme order."""
    return [s for s in content.sessions if code in s.language]


def online_sessions(content: Content) -> list[Session]:
    """Sessions one can follow online (online only or hybrid), in programme order."""
    return [s for s in content.sessions if s.mode is not SessionMode.in_person]


def session_languages(content: Content) -> list[str]:
    """Every language code sessions are held in, once, in the order the programme first uses it."""
    return list(dict.fromkeys(code for s in content.sessions for code in s.language))
