"""Fixtures: a running emulator and a real python-telegram-bot ``Bot`` pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot

from botapi_emulator import BotApiEmulator

TOKEN = "123456789:TEST-emulator-token"
BOT_ID = 123456789


class FakeClock:
    """A monotonic clock the tests move by hand, so flood limits need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def limited_emu(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(limits=True, clock=clock) as emulator:
        yield emulator


def make_bot(emulator: BotApiEmulator) -> Bot:
    return Bot(TOKEN, base_url=emulator.api_url, base_file_url=emulator.file_url)


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with make_bot(emu) as telegram_bot:
        yield telegram_bot


@pytest.fixture
async def limited_bot(limited_emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with make_bot(limited_emu) as telegram_bot:
        yield telegram_bot


async def raw_call(emulator: BotApiEmulator, method: str, **params: Any) -> tuple[int, Any]:
    """POST a JSON Bot API request, bypassing PTB, for exact status and description checks."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{emulator.api_url}{TOKEN}/{method}", json=params) as response,
    ):
        return response.status, await response.json()
