"""Organiser broadcasts, the pure part: who an audience is, who of them receives the message,
when a scheduled broadcast goes out, and how far a running one has got. No I/O, no Telegram.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.content import Content
from bot.domain.feedback import GROUP_LABELS, NO_GROUP
from bot.domain.outbox import OPEN_STATES, DeliveryState
from bot.i18n import _, isolate, language_in_text, tr

PAID_STARS_PER_MESSAGE = 0.1  # Telegram's price of a message sent with allow_paid_broadcast
BAR_WIDTH = 12


class AudienceKind(StrEnum):
    EVERYONE = "all"
    SESSION = "s"
    LANGUAGE = "l"
    GROUP = "g"
    FOLLOW_UP = "f"
    STAFF = "st"


# Kinds that need a value (a session id, a language, a group name).
_NEEDS_VALUE = frozenset({AudienceKind.SESSION, AudienceKind.LANGUAGE, AudienceKind.GROUP})


@dataclass(frozen=True)
class Audience:
    """Who a broadcast is for; ``code`` is how it is stored and put in callback data."""

    kind: AudienceKind
    value: str = ""

    @property
    def code(self) -> str:
        return f"{self.kind.value}:{self.value}" if self.kind in _NEEDS_VALUE else self.kind.value

    @classmethod
    def parse(cls, code: str) -> Audience | None:
        """The audience a code names, or None for a malformed or unknown one."""
        kind_text, _sep, value = code.partition(":")
        try:
            kind = AudienceKind(kind_text)
        except ValueError:
            return None
        if (kind in _NEEDS_VALUE) != bool(value):
            return None
        if kind == AudienceKind.LANGUAGE:
            value = primary_language(value)
        return cls(kind, value)

    def describe(self, content: Content) -> str:
        """A label for organisers, in the current language: "everyone", "people who chose
        <session>", ..."""
        match self.kind:
            case AudienceKind.EVERYONE:
                return _("everyone")
            case AudienceKind.SESSION:
                session = content.sessions_by_id.get(self.value)
                title = isolate(tr(session.title)) if session else self.value
                return _("people who chose “{title}”").format(title=title)
            case AudienceKind.LANGUAGE:
                return _("attendees who speak {language}").format(
                    language=isolate(language_in_text(self.value))
                )
            case AudienceKind.GROUP:
                group = _(GROUP_LABELS.get(self.value, self.value))
                return _("stakeholder group “{group}”").format(group=group)
            case AudienceKind.FOLLOW_UP:
                return _("attendees who opted in to the follow-up")
            case AudienceKind.STAFF:
                return _("staff and organisers only (test send)")
        return self.code  # pragma: no cover - the match is exhaustive


def primary_language(code: str | None) -> str:
    """``"pt-BR"`` → ``"pt"``: people are grouped by language, not by region."""
    return re.split(r"[-_]", (code or "").strip().lower(), maxsplit=1)[0]


def language_counts(rows: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    """(Telegram language code, users) rows merged per primary language, biggest first."""
    merged: dict[str, int] = {}
    for code, count in rows:
        language = primary_language(code)
        if language:
            merged[language] = merged.get(language, 0) + count
    return dict(sorted(merged.items(), key=lambda item: (-item[1], item[0])))


def select_recipients(
    audience: Audience, candidates: Iterable[int], staff: Collection[int]
) -> list[int]:
    """The chats one broadcast goes to: each person once, in a stable order.

    ``candidates`` are the users the store found for the audience (people who have not blocked
    the bot); a test send goes to the staff and organisers named in the configuration instead.
    """
    if audience.kind == AudienceKind.STAFF:
        return sorted(set(staff))
    return sorted(set(candidates))


def group_members(
    respondents: Mapping[int, str], groups: Mapping[str, str], group: str
) -> list[int]:
    """The users who said they belong to ``group``.

    Feedback keeps groups under a respondent key (a pseudonym), never a user id: ``respondents``
    maps each candidate's user id to their key (``FeedbackService.respondents``) and ``groups``
    each key to its group, so no table ever pairs a user id with a group.
    """
    if group == NO_GROUP:
        return []
    return [u for u, key in respondents.items() if groups.get(key) == group]


# --- scheduling ---------------------------------------------------------------------------------

_CLOCK = re.compile(r"^(\d{1,2})[:.h](\d{2})$")
_DATE_CLOCK = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ t](\d{1,2}):(\d{2})$")
_RELATIVE = re.compile(r"^(?:in\s+|\+)?(\d+)\s*(m|min|mins|minutes?|h|hours?)$")


def parse_send_time(text: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime | None:
    """When a scheduled broadcast should go: ``18:00`` (the next 18:00 in the event's zone),
    ``2022-07-26 09:00``, or ``in 30 min`` / ``+2h``. None when the text is not a time or the
    moment has passed.
    """
    text = text.strip().lower()
    if match := _RELATIVE.match(text):
        amount = int(match.group(1))
        unit = dt.timedelta(hours=1) if match.group(2).startswith("h") else dt.timedelta(minutes=1)
        return now + amount * unit if amount > 0 else None
    try:
        if match := _CLOCK.match(text):
            local_now = now.astimezone(tz)
            moment = dt.datetime.combine(
                local_now.date(), dt.time(int(match.group(1)), int(match.group(2))), tz
            )
            if moment <= now:
                moment = dt.datetime.combine(
                    local_now.date() + dt.timedelta(days=1), moment.timetz()
                )
            return moment
        if match := _DATE_CLOCK.match(text):
            year, month, day, hour, minute = (int(g) for g in match.groups())
            moment = dt.datetime(year, month, day, hour, minute, tzinfo=tz)
            return moment if moment > now else None
    except ValueError:
        return None  # 25:00, 2022-02-30...
    return None


# --- progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a broadcast stands, from the states of its outbox rows."""

    sent: int = 0
    blocked: int = 0
    not_found: int = 0
    failed: int = 0
    cancelled: int = 0
    skipped: int = 0
    open: int = 0  # pending or being sent

    @classmethod
    def of(cls, counts: Mapping[DeliveryState, int]) -> Progress:
        return cls(
            sent=counts.get(DeliveryState.SENT, 0),
            blocked=counts.get(DeliveryState.BLOCKED, 0),
            not_found=counts.get(DeliveryState.NOT_FOUND, 0),
            failed=counts.get(DeliveryState.FAILED, 0),
            cancelled=counts.get(DeliveryState.CANCELLED, 0),
            skipped=counts.get(DeliveryState.SKIPPED, 0),
            open=sum(counts.get(state, 0) for state in OPEN_STATES),
        )

    @property
    def total(self) -> int:
        return self.done + self.open + self.cancelled

    @property
    def done(self) -> int:
        """Rows that reached a final state by being tried (cancelled ones were not)."""
        return self.sent + self.blocked + self.not_found + self.failed + self.skipped

    @property
    def finished(self) -> bool:
        return self.open == 0

    @property
    def fraction(self) -> float:
        wanted = self.done + self.open
        return 1.0 if wanted == 0 else self.done / wanted


def eta_seconds(progress: Progress, elapsed: float, nominal_rate: float) -> float:
    """Seconds until the open rows are out: at the rate seen so far once there is enough of it
    to trust, at the sender's nominal rate before that."""
    if progress.open == 0:
        return 0.0
    rate = nominal_rate
    if progress.done >= 20 and elapsed >= 5.0:
        rate = min(nominal_rate, progress.done / elapsed)
    return progress.open / max(rate, 0.1)


def progress_bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = min(width, max(0, math.floor(fraction * width + 1e-9)))
    return "▓" * filled + "░" * (width - filled)


def format_duration(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        if minutes < 10:
            return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=f"{rest:02d}")
        return _("{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}")


def paid_cost_stars(recipients: int) -> float:
    return round(recipients * PAID_STARS_PER_MESSAGE, 1)
