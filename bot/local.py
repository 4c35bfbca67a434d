"""Runs the real bot against the local Bot API emulator, in this process.

Used by the terminal preview, the end-to-end tests and the benchmarks, so that all three drive
exactly the ``Application`` that production runs, only with a different Bot API address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.clock import Clock
from bot.config import Settings
from bot.content import Content
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
    emulator: BotApiEmulator | None = None,
    limits: bool = False,
) -> AsyncIterator[tuple[BotApiEmulator, Application]]:
    """Start an emulator (unless given one) and the bot polling it; stop both on exit."""
    own_emulator = emulator is None
    emu = emulator or BotApiEmulator(limits=limits)
    if own_emulator:
        await emu.start()
    settings = Settings(
        token=LOCAL_TOKEN,
        api_url=emu.api_url,
        file_url=emu.file_url,
        content_dir=Path(content_dir),
        db_path=Path(db_path),
        organisers=organisers,
        staff=staff,
    )
    application = build_application(settings, content, clock=clock)
    # The same sequence as Application.run_polling, whose hooks only it calls by itself.
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
    )
    await application.start()
    try:
        yield emu, application
    finally:
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        if own_emulator:
            await emu.stop()
