"""One chat whose replies Telegram throttles does not hold up anyone else's reply.

The emulator applies Telegram's flood limits here: a private chat gets three quick replies, then
about one a second, so an attendee who sends many messages at once has a backlog that takes
seconds to answer. Another attendee's ``/start`` must be answered while that backlog is still
there (before the fix it waited for the whole backlog)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.clock import Clock
from bot.content import Content
from bot.local import running_bot
from botapi_emulator import BotApiEmulator
from tests.e2e.conftest import ATTENDEE, OTHER_ATTENDEE

FLOOD = 30


@pytest.fixture
async def limited(
    tmp_path: Path, content: Content, content_dir: Path, clock: Clock
) -> AsyncIterator[tuple[BotApiEmulator, Application]]:  # type: ignore[type-arg]
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=content_dir,
        clock=clock,
        limits=True,
    ) as (emu, app):
        try:
            yield emu, app
        finally:
            # Release the backlog so that the bot, which answers everything before it stops,
            # stops at once.
            await emu.set_limits(False)


async def test_flooding_chat_does_not_delay_another_users_start(
    limited: tuple[BotApiEmulator, Application],  # type: ignore[type-arg]
) -> None:
    emu, _ = limited
    for _ in range(FLOOD):
        await emu.send_from_user(ATTENDEE, "wifi password")
    # The flood is under way: the first replies are through, the rest are throttled.
    await emu.wait_for_messages(ATTENDEE, count=4, timeout=10)

    await emu.send_from_user(OTHER_ATTENDEE, "/start")
    (welcome,) = await emu.wait_for_messages(OTHER_ATTENDEE, timeout=10)

    flooded = len(await emu.messages(ATTENDEE))
    assert welcome.plain_text
    assert flooded < FLOOD, "the flooding chat was already answered: nothing was shown"
    # Every message of the flood is still answered, in the end, in order.
    await emu.set_limits(False)
    replies = await emu.wait_for_messages(ATTENDEE, count=FLOOD - flooded, timeout=30)
    assert len(await emu.messages(ATTENDEE)) == flooded + len(replies) == FLOOD
