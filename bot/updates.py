"""How updates are processed: one chat at a time, many chats at once, a busy chat stalls no other.

python-telegram-bot handles updates one after another by default, so one slow reply (a chart,
a file, a slow network) makes every other attendee wait. Processing everything concurrently
would let two quick taps of one person overtake each other (a conversation step, a rating and
its comment). This processor runs updates of different chats concurrently, at most
``max_concurrent_updates`` at a time, and those of one chat in the order they came, one at a
time.

The order matters: an update first waits for its chat's turn and only then for one of the
slots. python-telegram-bot's ``BaseUpdateProcessor.process_update`` takes the slot first and
then calls ``do_process_update``; waiting for the chat there meant that a chat whose replies
Telegram throttles (about one message a second in a private chat, 20 a minute in a group; the
rate limiter waits and retries inside the handler) held a slot with every update it had queued,
and with eight of them queued every other attendee waited for it (``bench/fairness.py``
measured 46 s for others' replies behind a 50-message flood). So ``process_update`` is
overridden here, although python-telegram-bot marks it final: a chat's queued updates now hold
no slot, and a throttled chat holds at most one (the rest of the delay came from the rate
limiter holding back every chat's requests during one chat's ``RetryAfter``; see
:mod:`bot.ratelimit`).

The per-chat state (a lock and the number of updates holding or waiting for it) is dropped as
soon as a chat has nothing running or queued. Shutdown needs nothing from here:
``Application.stop`` waits until every update it fetched has been processed, queued ones
included (and the webhook listener waits for those it took, see :mod:`bot.web`).

Every update of either mode passes here, so this is where /metrics counts updates by kind and
times their handling (``on_handled``), instead of in each feature.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_CONCURRENCY = 8


class _ChatTurns:
    """Whose turn it is in one chat: the lock, and how many updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # FIFO: waiters are woken in the order they came
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    __slots__ = ("_chats", "on_handled")

    def __init__(
        self,
        max_concurrent_updates: int = DEFAULT_CONCURRENCY,
        on_handled: Callable[[object, float], None] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, _ChatTurns] = {}
        # Told of each update handled and how long its handling took (bot.metrics).
        self.on_handled = on_handled

    @property
    def chats_in_progress(self) -> int:
        """Chats with an update running or queued (the per-chat state kept right now)."""
        return len(self._chats)

    # python-telegram-bot marks process_update final; see the module docstring for why the
    # chat's turn has to come before the slot, which only overriding it allows.
    async def process_update(  # type: ignore[misc]
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        started = False
        try:
            async with self._turn(_chat_key(update)), self._semaphore:
                started = True
                await self.do_process_update(update, coroutine)
        finally:
            if not started and inspect.iscoroutine(coroutine):
                # Cancelled while waiting (the application stopping hard): never run, so
                # close it rather than leave a "never awaited" warning behind.
                coroutine.close()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.monotonic()
        try:
            await coroutine
        finally:
            if self.on_handled is not None:
                self.on_handled(update, time.monotonic() - started)

    @asynccontextmanager
    async def _turn(self, key: int | None) -> AsyncIterator[None]:
        """Wait until it is this chat's turn (at once for updates without a chat)."""
        if key is None:
            yield
            return
        turns = self._chats.get(key)
        if turns is None:
            turns = self._chats[key] = _ChatTurns()
        turns.users += 1
        try:
            async with turns.lock:
                yield
        finally:
            turns.users -= 1
            if turns.users == 0:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: the per-chat state goes when a chat's last update is done."""


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
