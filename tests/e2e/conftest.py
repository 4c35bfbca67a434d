"""End-to-end fixtures: the real python-telegram-bot Application, polling the local Bot API
emulator, on the bundled content (or a copy a test changed) and a fresh SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.clock import Clock, FixedClock
from bot.content import Content, load_content_or_raise
from bot.domain.outbox import OutboxRow
from bot.local import running_bot
from bot.runtime import BotData
from bot.store import Store
from botapi_emulator import BotApiEmulator, SentMessage
from tests.conftest import CONTENT_DIR

ATTENDEE = 1001
OTHER_ATTENDEE = 1002
ORGANISER = 9001
STAFF = 9002
CASABLANCA = dt.timezone(dt.timedelta(hours=1))  # Africa/Casablanca in July 2022
DURING_EVENT = dt.datetime(2022, 7, 25, 10, 30, tzinfo=CASABLANCA)


@dataclass
class Chat:
    """One user talking to the running bot."""

    emu: BotApiEmulator
    app: Application  # type: ignore[type-arg]
    user_id: int = ATTENDEE

    @property
    def services(self) -> BotData:
        svc = self.app.bot_data
        assert isinstance(svc, BotData)
        return svc

    async def say(self, text: str, replies: int = 1, **user: Any) -> list[SentMessage]:
        """Send a message and wait for ``replies`` messages from the bot."""
        await self.emu.send_from_user(self.user_id, text, **user)
        return await self.emu.wait_for_messages(self.user_id, count=replies, timeout=10)

    async def press(self, message: SentMessage, text: str) -> SentMessage:
        """Press the button labelled ``text`` (or containing it); the message as edited."""
        before = len(message.edits)
        await self.emu.press_button(
            self.user_id, self.user_id, message.message_id, button_text=text
        )
        return await self.emu.wait_for_edit(
            self.user_id, message.message_id, edits=before + 1, timeout=10
        )

    async def press_data(self, message_id: int, data: str) -> str:
        return await self.emu.press_button(
            self.user_id, self.user_id, message_id, data, strict=False
        )


async def wait_for_rows(
    store: Store, kind: str, done: Callable[[list[OutboxRow]], bool], within: float = 10.0
) -> list[OutboxRow]:
    """Outbox rows of a kind once ``done`` holds for them (the sender records a final state
    just after Telegram answered, so a test that saw the message may look a moment early)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    rows = await store.outbox_rows(kind)
    while not done(rows) and loop.time() < deadline:
        await asyncio.sleep(0.05)
        rows = await store.outbox_rows(kind)
    return rows


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.fixture
def clock() -> Clock:
    return FixedClock(DURING_EVENT)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return copy_content(tmp_path)


@pytest.fixture
def content(content_dir: Path) -> Content:
    loaded, _ = load_content_or_raise(content_dir)
    return loaded


@pytest.fixture
async def running(
    tmp_path: Path, content: Content, content_dir: Path, clock: Clock
) -> AsyncIterator[tuple[BotApiEmulator, Application]]:  # type: ignore[type-arg]
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=content_dir,
        clock=clock,
        organisers=frozenset({ORGANISER}),
        staff=frozenset({STAFF}),
    ) as (emu, app):
        yield emu, app


@pytest.fixture
def chat(running: tuple[BotApiEmulator, Application]) -> Chat:  # type: ignore[type-arg]
    emu, app = running
    return Chat(emu, app)


@pytest.fixture
def organiser(running: tuple[BotApiEmulator, Application]) -> Chat:  # type: ignore[type-arg]
    emu, app = running
    return Chat(emu, app, ORGANISER)


@pytest.fixture
def staff(running: tuple[BotApiEmulator, Application]) -> Chat:  # type: ignore[type-arg]
    emu, app = running
    return Chat(emu, app, STAFF)
