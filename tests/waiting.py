"""The one way tests wait for something: poll a condition until it holds, or fail saying what.

Waiting for a condition instead of sleeping "long enough" keeps a test fast when the machine is
idle and correct when it is busy. The emulator's own waits (``wait_for_messages``,
``wait_for_edit``, ``wait_for_callback_answer``) are better still where they fit: they wake on
the event itself. This helper is for everything else (a database row, a process, a flag).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

POLL_INTERVAL = 0.02


async def wait_until(
    condition: Callable[[], Awaitable[T] | T],
    within: float,
    what: str,
    *,
    give_up: Callable[[], str | None] | None = None,
    explain: Callable[[], str] | None = None,
) -> T:
    """Poll ``condition`` (sync or async) until it returns something truthy, and return that.

    Raises AssertionError after ``within`` seconds, or as soon as ``give_up`` returns a reason
    (say, the process being waited on has exited). ``explain`` adds the state worth seeing to
    the failure message (what was there instead, a log tail).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        reason = give_up() if give_up is not None else None
        if reason is None and loop.time() > deadline:
            reason = f"timed out after {within:g} s"
        if reason is not None:
            message = f"{reason} waiting for {what}"
            if explain is not None:
                message += f":\n{explain()}"
            raise AssertionError(message)
        await asyncio.sleep(POLL_INTERVAL)
