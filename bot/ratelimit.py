"""The rate limiter of every request the bot makes: a refusal in one chat pauses that chat only.

python-telegram-bot's ``AIORateLimiter`` keeps group chats under 20 messages a minute and
retries a request Telegram refused with ``RetryAfter``; but while it waits out a refusal it
holds back every request of the bot, in every chat. Telegram's limit of about one message a
second in a private chat is not one it knows, so a single attendee sending many messages
quickly gets a refusal for nearly every reply, and each one stalled all the others for a second
(``bench/fairness.py``: others' p99 1.7 s behind one flooding chat, against 15 ms without).

This limiter does the same two things, but a refusal pauses only the chat it came for: later
requests to that chat wait until Telegram's ``retry_after`` has passed, other chats go on.
Requests without a chat (``getUpdates``, callback answers) just wait and retry themselves. The
overall limit of about 30 messages a second is not applied here: it is Telegram's limit for
bulk sending, and the outbox sender paces itself under it (and pauses itself on a refusal it
sees, after the retries here).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from scheduler.sender import retry_after_seconds

log = logging.getLogger(__name__)

GROUP_MAX_RATE = 20  # messages per group chat ...
GROUP_TIME_PERIOD = 60.0  # ... per this many seconds
DEFAULT_MAX_RETRIES = 2
RETRY_MARGIN = 0.1  # seconds added to Telegram's retry_after, as python-telegram-bot does
# Above this many chats with state kept, drop the state no longer needed (a full group
# limiter, a pause that is over) before adding more.
PRUNE_ABOVE = 512

ChatKey = int | str
JSONDict = dict[str, Any]  # a Bot API answer, as python-telegram-bot types it


class PerChatRateLimiter(BaseRateLimiter[int]):
    """Groups under ``group_max_rate`` messages per ``group_time_period``; ``RetryAfter``
    retried ``max_retries`` times (or ``rate_limit_args`` of a call), pausing only its chat."""

    def __init__(
        self,
        group_max_rate: int = GROUP_MAX_RATE,
        group_time_period: float = GROUP_TIME_PERIOD,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self._group_max_rate = group_max_rate
        self._group_time_period = group_time_period
        self._max_retries = max_retries
        self._group_limiters: dict[ChatKey, AsyncLimiter] = {}
        self._paused_until: dict[ChatKey, float] = {}  # event loop time

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    @property
    def chats_with_state(self) -> int:
        """Chats with a group limiter or a pause kept right now."""
        return len(self._group_limiters.keys() | self._paused_until.keys())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        max_retries = rate_limit_args or self._max_retries
        chat = _chat_key(data.get("chat_id"))
        group = chat if chat is not None and _is_group(chat) else None
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            if chat is not None:
                await self._wait_for_pause(chat)
            try:
                if group is not None and self._group_max_rate:
                    async with self._group_limiter(group):
                        return await callback(*args, **kwargs)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= max_retries:
                    raise
                attempt += 1
                seconds = retry_after_seconds(exc) + RETRY_MARGIN
                log.info("%s refused for chat %s: retrying in %.1f s", endpoint, chat, seconds)
                if chat is None:
                    await asyncio.sleep(seconds)
                else:
                    resume = loop.time() + seconds
                    self._prune(loop.time())
                    self._paused_until[chat] = max(self._paused_until.get(chat, 0.0), resume)

    async def _wait_for_pause(self, chat: ChatKey) -> None:
        loop = asyncio.get_running_loop()
        while (until := self._paused_until.get(chat)) is not None:
            now = loop.time()
            if now >= until:
                # Over: whoever sees it first drops it (a later refusal sets a new one).
                if self._paused_until.get(chat) == until:
                    del self._paused_until[chat]
                return
            await asyncio.sleep(until - now)

    def _group_limiter(self, group: ChatKey) -> AsyncLimiter:
        limiter = self._group_limiters.get(group)
        if limiter is None:
            self._prune(asyncio.get_running_loop().time())
            limiter = self._group_limiters[group] = AsyncLimiter(
                self._group_max_rate, self._group_time_period
            )
        return limiter

    def _prune(self, now: float) -> None:
        if len(self._group_limiters) > PRUNE_ABOVE:
            for key, limiter in list(self._group_limiters.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._group_limiters[key]
        if len(self._paused_until) > PRUNE_ABOVE:
            for key, until in list(self._paused_until.items()):
                if until <= now:
                    del self._paused_until[key]


def _chat_key(chat_id: object) -> ChatKey | None:
    if isinstance(chat_id, bool) or chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    with contextlib.suppress(ValueError):
        return int(text)
    return text  # "@channelname"


def _is_group(chat: ChatKey) -> bool:
    # Groups, supergroups and channels have negative ids; a string names a public channel or
    # supergroup. Private chats have positive ids (python-telegram-bot tells them apart so).
    return isinstance(chat, str) or chat < 0
