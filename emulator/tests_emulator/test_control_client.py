"""The HTTP control client drives the emulator like the in-process API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, NetworkError

from botapi_emulator import EmulatorClient, SentMessage

USER = 42


@pytest.fixture
async def client(emu) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emu.base_url) as control:
        yield control


async def test_client_send_from_user_reaches_get_updates(client, bot) -> None:
    message = await client.send_from_user(USER, "/agenda today", first_name="Ann")

    (update,) = await bot.get_updates()

    assert update.message.text == "/agenda today"
    assert update.message.message_id == message["message_id"]


async def test_client_messages_and_wait_return_sent_messages(client, bot) -> None:
    await client.register_chat(USER)
    waiter = asyncio.create_task(client.wait_for_messages(USER, count=1, timeout=2))
    await bot.send_photo(USER, b"bytes", caption="pic")

    (waited,) = await waiter
    (listed,) = await client.messages(USER)

    assert isinstance(waited, SentMessage)
    assert waited == listed
    assert (listed.caption, listed.media.data) == ("pic", b"bytes")


async def test_client_wait_for_messages_times_out(client) -> None:
    await client.register_chat(USER)

    with pytest.raises(TimeoutError):
        await client.wait_for_messages(USER, timeout=0.05)


async def test_client_press_button_and_read_answer(client, bot) -> None:
    await client.register_chat(USER)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
    sent = await bot.send_message(USER, "ok?", reply_markup=markup)

    query_id = await client.press_button(USER, USER, sent.message_id, button_text="Yes")
    (update,) = await bot.get_updates()
    await update.callback_query.answer("Noted")

    answer = await client.wait_for_callback_answer(query_id, timeout=1)
    assert (answer.text, answer.show_alert) == ("Noted", False)


async def test_client_press_missing_button_raises_lookup_error(client, bot) -> None:
    await client.register_chat(USER)
    sent = await bot.send_message(USER, "no buttons")

    with pytest.raises(LookupError):
        await client.press_button(USER, USER, sent.message_id, "x")


async def test_client_block_faults_stats_and_log(client, bot) -> None:
    await client.register_chats([1, 2])
    await client.block_bot(2)
    await client.inject_fault("error", methods=["sendMessage"])

    with pytest.raises(NetworkError):
        await bot.send_message(1, "a")
    await bot.send_message(1, "b")
    with pytest.raises(Forbidden):
        await bot.send_message(2, "c")

    stats = await client.stats()
    log = await client.delivery_log()
    assert (stats.messages_sent, stats.forbidden, stats.faults_injected) == (1, 1, 1)
    assert stats.requests_by_method["sendMessage"] == 3
    assert [(e.chat_id, e.text) for e in log] == [(1, "b")]
    await client.reset_stats()
    assert (await client.stats()).messages_sent == 0
    assert len(await client.delivery_log()) == 1


async def test_client_set_limits_and_commands(client, emu, bot) -> None:
    await client.set_limits(True)
    assert emu.limits is True
    await bot.set_my_commands([("start", "Start")])

    assert await client.commands() == [{"command": "start", "description": "Start"}]
    assert await client.pending_update_count() == 0
