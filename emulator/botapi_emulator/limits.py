"""Telegram's flood limits for sending, modelled as token buckets.

Telegram does not publish exact algorithms, only guidance ("about 30 messages per second
overall, about one per second in a private chat with short bursts, 20 per minute in a group").
The emulator models each as a token bucket so bursts behave the way they do in practice:

* global: capacity 30, refilling 30/s; with ``allow_paid_broadcast`` a separate bucket of
  capacity 1000 refilling 1000/s is used instead;
* private chat: capacity 3, refilling 1/s (so three quick replies pass, a fourth waits);
* group / supergroup / channel: capacity 20, refilling 20 per 60 s.

A request is checked against its chat bucket and the global bucket together and consumes
tokens only when both allow it, so a refused request costs nothing. ``retry_after`` is the
whole number of seconds until both buckets have a token again (at least 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter", "TokenBucket"]

GLOBAL_RATE = 30.0
PAID_BROADCAST_RATE = 1000.0
PRIVATE_CAPACITY = 3.0
PRIVATE_RATE = 1.0
GROUP_CAPACITY = 20.0
GROUP_RATE = 20.0 / 60.0


@dataclass
class TokenBucket:
    capacity: float
    rate: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def wait_time(self) -> float:
        """Seconds until one token is available (after :meth:`refill`)."""
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate


class RateLimiter:
    """Flood control for one bot: a global bucket plus one bucket per chat."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        now = clock()
        self._global = TokenBucket(GLOBAL_RATE, GLOBAL_RATE, GLOBAL_RATE, now)
        self._paid = TokenBucket(PAID_BROADCAST_RATE, PAID_BROADCAST_RATE, PAID_BROADCAST_RATE, now)
        self._chats: dict[int, TokenBucket] = {}

    def acquire(self, chat_id: int, chat_type: str, *, paid: bool = False) -> int:
        """Take a token for one message; return 0 on success, else ``retry_after`` seconds."""
        now = self._clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_type == "private":
                chat = TokenBucket(PRIVATE_CAPACITY, PRIVATE_RATE, PRIVATE_CAPACITY, now)
            else:
                chat = TokenBucket(GROUP_CAPACITY, GROUP_RATE, GROUP_CAPACITY, now)
            self._chats[chat_id] = chat
        overall = self._paid if paid else self._global
        chat.refill(now)
        overall.refill(now)
        wait = max(chat.wait_time(), overall.wait_time())
        if wait > 0:
            return max(1, math.ceil(wait))
        chat.tokens -= 1.0
        overall.tokens -= 1.0
        return 0
