"""Injected faults: 5xx, slow answers and dropped connections."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import NetworkError

USER = 42


@pytest.fixture
async def chat(emu) -> int:
    await emu.register_chat(USER)
    return USER


@pytest.mark.parametrize(("status", "description"), [(502, "Bad Gateway"), (500, "Internal")])
async def test_error_fault_surfaces_as_network_error(emu, bot, chat, status, description) -> None:
    await emu.inject_fault("error", status=status)

    with pytest.raises(NetworkError, match=description):
        await bot.send_message(chat, "lost")

    assert await emu.messages(chat) == []
    assert (await bot.send_message(chat, "fine")).text == "fine"
    assert (await emu.stats()).faults_injected == 1


async def test_drop_fault_surfaces_as_network_error_and_sends_nothing(emu, bot, chat) -> None:
    await emu.inject_fault("drop")

    with pytest.raises(NetworkError):
        await bot.send_message(chat, "lost")

    assert await emu.delivery_log() == []


async def test_drop_after_fault_delivers_but_bot_sees_error(emu, bot, chat) -> None:
    await emu.inject_fault("drop_after", methods=["sendMessage"])

    with pytest.raises(NetworkError):
        await bot.send_message(chat, "delivered anyway")

    assert [e.text for e in await emu.delivery_log()] == ["delivered anyway"]


async def test_fault_applies_only_to_named_methods_and_count(emu, bot, chat) -> None:
    await emu.inject_fault("error", count=2, methods=["sendMessage"])

    assert await bot.send_chat_action(chat, "typing") is True
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(chat, "x")
    assert (await bot.send_message(chat, "third")).text == "third"


async def test_slow_fault_delays_the_answer(emu, bot, chat) -> None:
    await emu.inject_fault("slow", delay=0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()

    await bot.send_message(chat, "slow")

    assert loop.time() - started >= 0.3


async def test_clear_faults_removes_pending_faults(emu, bot, chat) -> None:
    await emu.inject_fault("error", count=5)

    await emu.clear_faults()

    assert (await bot.send_message(chat, "ok")).text == "ok"
