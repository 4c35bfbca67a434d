"""Flood limits: 429 with retry_after past a limit, counted, and off when switched off.

The emulator's limit clock is a fake here, so buckets refill only when a test says so.
"""

from __future__ import annotations

import datetime as dtm
import warnings

import pytest
from telegram.error import RetryAfter

from tests_emulator.conftest import FakeClock, raw_call

# PTB itself reads RetryAfter.retry_after when building the exception, which warns in PTB 22.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def seconds(error: RetryAfter) -> float:
    # PTB 22 returns int (with a deprecation warning) or timedelta, per its PTB_TIMEDELTA setting.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_private_chat_burst_of_three_then_429(limited_emu, limited_bot) -> None:
    await limited_emu.register_chat(1)
    for n in range(3):
        await limited_bot.send_message(1, f"m{n}")

    with pytest.raises(RetryAfter) as caught:
        await limited_bot.send_message(1, "too fast")

    assert seconds(caught.value) == 1
    stats = await limited_emu.stats()
    assert (stats.too_many_requests, stats.too_many_requests_by_chat[1]) == (1, 1)
    assert stats.messages_sent == 3


async def test_private_chat_refills_one_per_second(limited_emu, limited_bot, clock: FakeClock):
    await limited_emu.register_chat(1)
    for n in range(3):
        await limited_bot.send_message(1, f"m{n}")

    clock.advance(1.0)
    await limited_bot.send_message(1, "after a second")

    with pytest.raises(RetryAfter):
        await limited_bot.send_message(1, "again too fast")


async def test_global_limit_30_per_second_across_chats(limited_emu, limited_bot) -> None:
    chats = list(range(1, 32))
    await limited_emu.register_chats(chats)
    for chat_id in chats[:30]:
        await limited_bot.send_message(chat_id, "broadcast")

    with pytest.raises(RetryAfter) as caught:
        await limited_bot.send_message(chats[30], "broadcast")

    assert seconds(caught.value) == 1
    assert (await limited_emu.stats()).too_many_requests_by_chat[31] == 1


async def test_paid_broadcast_lifts_global_limit(limited_emu, limited_bot) -> None:
    chats = list(range(1, 41))
    await limited_emu.register_chats(chats)

    for chat_id in chats:
        await limited_bot.send_message(chat_id, "paid", allow_paid_broadcast=True)

    assert (await limited_emu.stats()).messages_sent == 40


async def test_group_limit_20_per_minute(limited_emu, limited_bot, clock: FakeClock) -> None:
    await limited_emu.register_chat(-100, chat_type="supergroup", title="Hall")
    for n in range(20):
        await limited_bot.send_message(-100, f"m{n}")
        clock.advance(0.1)  # keep well under the global limit

    with pytest.raises(RetryAfter) as caught:
        await limited_bot.send_message(-100, "one too many")

    # The bucket is nearly empty and refills one token per 3 s.
    assert 1 <= seconds(caught.value) <= 3


async def test_edits_do_not_count_against_limits(limited_emu, limited_bot) -> None:
    await limited_emu.register_chat(1)
    sent = await limited_bot.send_message(1, "v0")

    for n in range(1, 6):
        await limited_bot.edit_message_text(f"v{n}", chat_id=1, message_id=sent.message_id)

    assert (await limited_emu.stats()).too_many_requests == 0


async def test_limits_off_allow_any_rate(emu, bot) -> None:
    await emu.register_chat(1)

    for n in range(10):
        await bot.send_message(1, f"m{n}")

    stats = await emu.stats()
    assert (stats.messages_sent, stats.too_many_requests) == (10, 0)


async def test_set_limits_switches_them_on_and_off(emu, bot) -> None:
    await emu.register_chat(1)
    await emu.set_limits(True)
    for n in range(3):
        await bot.send_message(1, f"m{n}")
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "limited")

    await emu.set_limits(False)

    assert (await bot.send_message(1, "free")).text == "free"


async def test_rate_limited_response_has_telegram_shape(limited_emu) -> None:
    await limited_emu.register_chat(1)
    for n in range(3):
        await raw_call(limited_emu, "sendMessage", chat_id=1, text=f"m{n}")

    status, body = await raw_call(limited_emu, "sendMessage", chat_id=1, text="late")

    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
