"""Pure planning: from the content, the attendees' choices and settings and a clock, which
reminders are due when, and what a programme change means for whom. No I/O, no Telegram.

Every planned delivery has a stable key, so planning again (after a restart, a reload or a
changed setting) finds the same rows in the outbox instead of creating second copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from bot.content import Content, Session
from bot.domain.outbox import Delivery, OutboxKind
from bot.store import ReminderPreference

LEAD_CHOICES = (5, 10, 15, 30, 60)
DEFAULT_LEAD_MINUTES = 15


def reminder_key(session: Session, user_id: int, starts_at: dt.datetime) -> str:
    # The start time is part of the key: a moved session is a new reminder, and the old,
    # unsent one is cancelled by planning.
    return (
        f"{OutboxKind.REMINDER}:{session.id}:{user_id}:{starts_at.astimezone(dt.UTC):%Y%m%dT%H%M}"
    )


def plan_reminders(
    content: Content,
    choices: Mapping[int, Collection[str]],
    preferences: Iterable[ReminderPreference],
    now: dt.datetime,
) -> list[Delivery]:
    """Reminders for sessions that have not started yet, one row per person and session.

    A reminder is due ``lead`` minutes before the start and useless once the session has
    started (``not_after``). Sessions marked ``for_everyone`` are reminded to every user who
    has not turned those off. Rows due at the same moment for one person are merged into one
    message by the sender, so they never arrive as a burst.
    """
    everyone = [s for s in content.sessions if s.for_everyone]
    planned: list[Delivery] = []
    for pref in preferences:
        if pref.lead_minutes is None:
            continue
        lead = dt.timedelta(minutes=pref.lead_minutes)
        chosen = {
            i: content.sessions_by_id[i]
            for i in choices.get(pref.user_id, ())
            if i in content.sessions_by_id
        }
        if pref.everyone_reminders:
            chosen.update((s.id, s) for s in everyone)
        for session in chosen.values():
            if session.cancelled:
                continue
            starts_at = content.starts_at(session)
            # A session whose time is to be announced is reminded once a reload gives it one.
            if starts_at is None or starts_at <= now:
                continue
            planned.append(
                Delivery(
                    key=reminder_key(session, pref.user_id, starts_at),
                    kind=OutboxKind.REMINDER,
                    chat_id=pref.user_id,
                    payload={"session": session.id},
                    due_at=starts_at - lead,
                    not_after=starts_at,
                )
            )
    planned.sort(key=lambda d: (d.due_at, d.chat_id, d.key))
    return planned


@dataclass(frozen=True)
class SessionChange:
    """What a reload changed in a session that attendees chose."""

    session_id: str
    title: str
    cancelled: bool
    old_start: dt.datetime | None
    """None when the time was to be announced."""
    new_start: dt.datetime | None
    """None when cancelled, or when the time is (again) to be announced."""
    old_end: dt.datetime | None
    new_end: dt.datetime | None
    old_room: str
    new_room: str | None
    restored: bool = False
    """A cancelled session is back in the programme (announced even at its old time)."""
    old_room_id: str | None = None
    """The room by id, so that the notice can name it in its reader's language; None for an
    online session without a room."""
    new_room_id: str | None = None

    @property
    def moved(self) -> bool:
        return not self.cancelled and (
            self.old_start != self.new_start or self.old_end != self.new_end
        )

    @property
    def scheduled(self) -> bool:
        """Whether a session whose time was to be announced has now been given one."""
        return not self.cancelled and self.old_start is None and self.new_start is not None

    @property
    def room_changed(self) -> bool:
        return not self.cancelled and self.old_room != self.new_room

    def fingerprint(self) -> str:
        if self.cancelled:
            return "cancelled"
        prefix = "restored-" if self.restored else ""
        if self.new_start is None:
            return f"{prefix}tba-{self.new_room}"
        return f"{prefix}{self.new_start.astimezone(dt.UTC):%Y%m%dT%H%M}-{self.new_room}"


def diff_sessions(old: Content, new: Content) -> list[SessionChange]:
    """Sessions that were removed or cancelled, moved in time or moved to another room.

    A session whose status turns to cancelled is announced like a removed one; a session that
    was already cancelled is announced again only if it comes back (its notice says when)."""
    changes: list[SessionChange] = []
    for before in old.sessions:
        after = new.sessions_by_id.get(before.id)
        old_room = old.room_name(before)
        if before.cancelled and (after is None or after.cancelled):
            continue
        if after is None or after.cancelled:
            changes.append(
                SessionChange(
                    before.id,
                    before.title,
                    True,
                    old.starts_at(before),
                    None,
                    old.ends_at(before),
                    None,
                    old_room,
                    None,
                    old_room_id=before.room,
                )
            )
            continue
        change = SessionChange(
            before.id,
            after.title,
            False,
            old.starts_at(before),
            new.starts_at(after),
            old.ends_at(before),
            new.ends_at(after),
            old_room,
            new.room_name(after),
            restored=before.cancelled,
            old_room_id=before.room,
            new_room_id=after.room,
        )
        if change.restored or change.moved or change.room_changed:
            changes.append(change)
    return changes


def plan_change_notices(
    changes: Iterable[SessionChange],
    choosers: Mapping[str, Collection[int]],
    now: dt.datetime,
) -> list[Delivery]:
    """One notice per person who chose a changed session, keyed by the change itself, so the
    same change announced twice (two reloads) reaches nobody twice."""
    planned: list[Delivery] = []
    for change in changes:
        for user_id in choosers.get(change.session_id, ()):
            planned.append(
                Delivery(
                    key=f"{OutboxKind.CHANGE_NOTICE}:{change.session_id}:{user_id}:{change.fingerprint()}",
                    kind=OutboxKind.CHANGE_NOTICE,
                    chat_id=user_id,
                    payload={
                        "session": change.session_id,
                        "title": change.title,
                        "cancelled": change.cancelled,
                        "old_start": change.old_start.isoformat() if change.old_start else None,
                        "new_start": change.new_start.isoformat() if change.new_start else None,
                        "old_end": change.old_end.isoformat() if change.old_end else None,
                        "new_end": change.new_end.isoformat() if change.new_end else None,
                        "old_room": change.old_room,
                        "new_room": change.new_room,
                        # The names above are in the event's language; by id the notice names
                        # the room in its reader's (notices planned before hold names only).
                        "old_room_id": change.old_room_id,
                        "new_room_id": change.new_room_id,
                        "restored": change.restored,
                    },
                    due_at=now,
                )
            )
    return planned
