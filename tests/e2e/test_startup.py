"""Start-up and polling through Telegram's hiccups, and the token kept secret."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.content import Content
from bot.features.staff import TEXT_RELOAD_FAILED, reload_and_tell_organisers
from bot.local import LOCAL_TOKEN, running_bot
from bot.polling import MAX_DELAY
from bot.redaction import PLACEHOLDER
from botapi_emulator import BotApiEmulator
from tests.e2e.bot_errors import BotErrors
from tests.e2e.conftest import ATTENDEE, ORGANISER, STAFF, Chat

STAFF_CHAT = -100123


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.mark.parametrize("method", ["getMe", "setMyCommands", "deleteWebhook", "getUpdates"])
async def test_start_survives_a_502_on(
    method: str, emu: BotApiEmulator, content: Content, content_dir: Path, tmp_path: Path
) -> None:
    await emu.inject_fault("error", count=1, methods=[method], status=502)
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=content_dir,
        organisers=frozenset({ORGANISER}),
        emulator=emu,
    ) as (_, app):
        (welcome,) = await Chat(emu, app).say("/start")
        assert welcome.plain_text
        assert (await emu.stats()).faults_injected == 1
        # A menu refused at start-up is set when someone writes.
        assert await emu.commands() != []


async def test_polling_recovers_quickly_and_logs_the_blip_once(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    await chat.emu.inject_fault("error", count=4, methods=["getUpdates"], status=502)
    start = time.monotonic()
    (welcome,) = await chat.say("/start")
    # Waits of 0.5, 1, 2 and 3 s (python-telegram-bot's own: 1, 1.5, 2.25 and 3.4 s), then
    # the poll that answers (up to a second of the test's long polling).
    assert time.monotonic() - start < 6.5 + 1 + 2
    assert welcome.plain_text
    polling = [r for r in caplog.records if r.name == "bot.polling"]
    assert [(r.levelname, r.exc_info) for r in polling] == [("WARNING", None), ("INFO", None)]
    assert "after 4 failed polls" in polling[1].getMessage()


async def test_polling_waits_at_most_the_cap_between_tries(chat: Chat) -> None:
    await chat.emu.inject_fault("error", count=1000, methods=["getUpdates"], status=503)
    await chat.emu.send_from_user(ATTENDEE, "/start")
    # Long enough for python-telegram-bot's own wait to pass the cap (1, 1.5, 2.25, 3.4, 5 s).
    await asyncio.sleep(9)
    await chat.emu.clear_faults()
    back = time.monotonic()
    await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert time.monotonic() - back < MAX_DELAY + 1.5


async def test_refused_reload_by_signal_tells_the_organisers(
    organiser: Chat, content_dir: Path
) -> None:
    await organiser.emu.register_chat(ORGANISER)  # they have opened the bot
    (content_dir / "sessions.yaml").write_text("sessions: [unclosed\n")
    result = await reload_and_tell_organisers(organiser.app)
    assert result.content is None
    (told,) = await organiser.emu.wait_for_messages(ORGANISER, timeout=10)
    assert told.plain_text.startswith(TEXT_RELOAD_FAILED.strip())
    assert "sessions.yaml" in told.plain_text


async def test_token_stays_out_of_logs_on_network_errors(
    emu: BotApiEmulator,
    content: Content,
    content_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await emu.inject_fault("error", count=1, methods=["getMe"], status=502)
    await emu.inject_fault("drop", count=2, methods=["getUpdates"])
    async with running_bot(
        content, db_path=tmp_path / "bot.sqlite3", content_dir=content_dir, emulator=emu
    ) as (_, app):
        await Chat(emu, app).say("/start")
    assert "Telegram cannot be reached" in caplog.text
    assert f"bot{PLACEHOLDER}/getUpdates" in caplog.text  # httpx's request lines, redacted
    assert LOCAL_TOKEN not in caplog.text
    assert LOCAL_TOKEN.split(":")[1] not in caplog.text


@pytest.mark.expect_bot_errors
async def test_token_stays_out_of_the_staff_chat_report(
    emu: BotApiEmulator,
    content: Content,
    content_dir: Path,
    tmp_path: Path,
    bot_errors: BotErrors,
) -> None:
    await emu.register_chat(STAFF_CHAT, chat_type="supergroup", title="Staff")
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=content_dir,
        staff=frozenset({STAFF}),
        staff_chat_id=STAFF_CHAT,
        emulator=emu,
    ) as (_, app):
        error = NetworkError(f"could not reach {emu.api_url}{LOCAL_TOKEN}/sendMessage")
        await app.process_error(None, error)
        (report,) = await emu.wait_for_messages(STAFF_CHAT, timeout=10)
    assert LOCAL_TOKEN not in report.text
    assert f"{emu.api_url}{PLACEHOLDER}/sendMessage" in report.plain_text
    (logged,) = bot_errors.errors
    assert logged.exception == "NetworkError"
    assert LOCAL_TOKEN not in logged.text
