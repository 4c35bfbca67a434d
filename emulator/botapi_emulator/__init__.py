"""A local Telegram Bot API emulator, so that a real bot runs and is tested without Telegram.

An aiohttp server on 127.0.0.1 speaking the Bot API wire format, with Telegram's checks, error
texts and (optionally) flood limits, plus a control API (``POST /_control/<name>``, mirrored by
the ``async`` methods of :class:`BotApiEmulator` and by :class:`EmulatorClient`) through which
tests play the users and read what the bot sent. ``emulator/README.md`` documents the Bot API
methods served, the checks, and every control endpoint with its arguments and result.

Lifecycle::

    async with BotApiEmulator(limits=False) as emu:   # or await emu.start() / emu.stop()
        emu.api_url    # "http://127.0.0.1:PORT/bot"
        emu.file_url   # "http://127.0.0.1:PORT/file/bot"
        emu.base_url   # "http://127.0.0.1:PORT" (give this to EmulatorClient)

Standalone: ``python -m botapi_emulator --host 127.0.0.1 --port 8081 --limits on|off``, or
:func:`main` (``argv``).
"""

from botapi_emulator.client import ControlError, EmulatorClient
from botapi_emulator.emulator import BotApiEmulator, FaultKind
from botapi_emulator.records import (
    CallbackAnswer,
    DeliveryLogEntry,
    EmulatorStats,
    MediaFile,
    MessageVersion,
    SentMessage,
)
from botapi_emulator.server import main

__all__ = [
    "BotApiEmulator",
    "CallbackAnswer",
    "ControlError",
    "DeliveryLogEntry",
    "EmulatorClient",
    "EmulatorStats",
    "FaultKind",
    "MediaFile",
    "MessageVersion",
    "SentMessage",
    "main",
]
