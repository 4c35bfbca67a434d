"""How updates are processed: one chat at a time, many chats at once.

python-telegram-bot handles updates one after another by default, so one slow reply (a chart,
a file, a slow network) makes every other attendee wait. Processing everything concurrently
would let two quick taps of one person overtake each other (a conversation step, a rating and
its comment). This processor runs updates of different chats concurrently and those of one
chat in the order they came.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_CONCURRENCY = 8


class PerChatUpdateProcessor(BaseUpdateProcessor):
    __slots__ = ("_queues",)

    def __init__(self, max_concurrent_updates: int = DEFAULT_CONCURRENCY) -> None:
        super().__init__(max_concurrent_updates)
        # chat id -> (lock, number of updates holding or waiting for it); dropped at zero so
        # that a conference's worth of chats does not leave a lock each behind.
        self._queues: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._queues.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._queues[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            _, users = self._queues[key]
            if users <= 1:
                del self._queues[key]
            else:
                self._queues[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
