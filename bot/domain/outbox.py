"""What the outbox holds, as plain values: the kinds of message the bot sends on its own
initiative, the states a delivery goes through, and the rows themselves.

Defined once here, below the store and the scheduler, so that the store, planning, the sender
and the features speak of the same kinds and states without importing one another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class OutboxKind(StrEnum):
    REMINDER = "reminder"
    CHANGE_NOTICE = "change"
    FEEDBACK = "feedback"
    BROADCAST = "broadcast"
    INBOX_REPLY = "inbox_reply"  # a staff member's reply to a question passed on


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its moment (or for a retry)
    SENDING = "sending"  # claimed by the sender; left so by a crash, it is sent again
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot
    NOT_FOUND = "not_found"  # the chat does not exist (any more)
    FAILED = "failed"  # Telegram refused it, or the attempts ran out
    SKIPPED = "skipped"  # too late to be useful, or nothing left to say
    CANCELLED = "cancelled"  # no longer planned, or stopped by an organiser


OPEN_STATES = frozenset({DeliveryState.PENDING, DeliveryState.SENDING})
FINAL_STATES = frozenset(set(DeliveryState) - OPEN_STATES)


@dataclass(frozen=True)
class Delivery:
    """A message the bot will send on its own initiative, identified by a stable key."""

    key: str
    kind: OutboxKind
    chat_id: int
    payload: dict[str, Any]
    due_at: dt.datetime
    not_after: dt.datetime | None = None  # past this moment it is no longer useful: skipped
    priority: int = 0  # 0: has a deadline (reminders, notices); 1: bulk (broadcasts)
    batch: str | None = None


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    kind: OutboxKind
    chat_id: int
    priority: int
    payload: dict[str, Any]
    due_at: dt.datetime
    not_after: dt.datetime | None
    state: DeliveryState
    attempts: int
    batch: str | None
    finished_at: dt.datetime | None
    message_id: int | None
    error: str | None
