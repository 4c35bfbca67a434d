"""The standalone server prints its URLs and serves a real bot."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from telegram import Bot

from botapi_emulator import EmulatorClient
from tests_emulator.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[1]  # emulator/, where botapi_emulator lives


async def test_main_runs_standalone_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "botapi_emulator",
        "--port",
        "0",
        "--limits",
        "on",
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert first.startswith("Bot API base URL: http://127.0.0.1:")
        api_url = first.split(": ", 1)[1].strip()
        base_url = api_url.removesuffix("/bot")

        async with Bot(TOKEN, base_url=api_url) as bot, EmulatorClient(base_url) as client:
            await client.register_chat(7)
            await bot.send_message(7, "over the wire")
            log = await client.delivery_log()
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 10)

    assert [e.text for e in log] == ["over the wire"]
    assert code == 0
