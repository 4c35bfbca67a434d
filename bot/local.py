"""Runs the real bot against the local Bot API emulator, in this process.

Used by the terminal preview, the end-to-end tests and the benchmarks, so that all three drive
exactly the ``Application`` that production runs, started and stopped by the same
:func:`bot.runner.running`, only with a different Bot API address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import build_application
from bot.clock import Clock
from bot.config import Settings
from bot.content import Content
from bot.runner import running
from bot.runtime import BotApplication
from botapi_emulator import BotApiEmulator

# Not a secret: the emulator accepts any token; this one only has Telegram's shape.
LOCAL_TOKEN = "123456789:LOCAL-emulator-token-not-a-secret"


@asynccontextmanager
async def running_bot(
    content: Content,
    *,
    db_path: Path | str,
    content_dir: Path | str = "content",
    clock: Clock | None = None,
    organisers: frozenset[int] = frozenset(),
    staff: frozenset[int] = frozenset(),
    staff_chat_id: int | None = None,
    emulator: BotApiEmulator | None = None,
    limits: bool = False,
    feedback_secret: str | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    listen: tuple[str, int] | None = None,
) -> AsyncIterator[tuple[BotApiEmulator, BotApplication]]:
    """Start an emulator (unless given one) and the bot polling it (or, with ``webhook_url``,
    taking its updates by webhook on ``listen``); stop both on exit."""
    own_emulator = emulator is None
    emu = emulator or BotApiEmulator(limits=limits)
    if own_emulator:
        await emu.start()
    try:
        settings = Settings(
            token=LOCAL_TOKEN,
            api_url=emu.api_url,
            file_url=emu.file_url,
            content_dir=Path(content_dir),
            db_path=Path(db_path),
            organisers=organisers,
            staff=staff,
            staff_chat_id=staff_chat_id,
            feedback_secret=feedback_secret,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            listen=listen,
        )
        application = build_application(settings, content, clock=clock)
        # Exactly what ``python -m bot run`` does, with a short poll so that stopping is quick.
        async with running(application, poll_timeout=1):
            yield emu, application
    finally:
        if own_emulator:
            await emu.stop()
