"""A local Telegram Bot API emulator, so the real bot runs and is tested without Telegram.

An aiohttp server on 127.0.0.1 speaking the Bot API wire format: a real
``telegram.ext.Application`` works against it unchanged when built with
``ApplicationBuilder().token(any_token).base_url(emu.api_url).base_file_url(emu.file_url)``.
Answers and errors have Telegram's shape and wording (``{"ok": false, "error_code": 400,
"description": "Bad Request: message is too long"}``, 403 for a blocked user, 429 with
``parameters.retry_after``, 409 for getUpdates under a webhook, 404 "Not Found" for unknown
methods).

Bot API methods: getMe, getUpdates (offset/limit/long-poll timeout/allowed_updates),
sendMessage, editMessageText, editMessageReplyMarkup, editMessageCaption, deleteMessage,
answerCallbackQuery, sendChatAction, sendVenue, sendLocation, sendPhoto, sendDocument
(multipart upload or a known file_id), getFile and downloads under ``file_url``,
setMyCommands/getMyCommands/deleteMyCommands (scopes, language_code),
setWebhook/deleteWebhook/getWebhookInfo, getChat, getChatMenuButton, and no-op setChatMenuButton,
setMyDescription, setMyShortDescription, setMyName, setMyDefaultAdministratorRights.

Checks Telegram makes: text length 4096 / caption 1024 in UTF-16 code units of the visible text;
HTML, MarkdownV2 and Markdown parsing (see :mod:`botapi_emulator.entities`); empty text; inline
keyboards (callback data 1-64 UTF-8 bytes, exactly one action per button); unknown or deleted
chat; blocked user; "message is not modified"; stale callback queries. Flood limits are
described in :mod:`botapi_emulator.limits`.

Lifecycle::

    async with BotApiEmulator(limits=False) as emu:   # or await emu.start() / emu.stop()
        emu.api_url    # "http://127.0.0.1:PORT/bot"
        emu.file_url   # "http://127.0.0.1:PORT/file/bot"
        emu.base_url   # "http://127.0.0.1:PORT" (give this to EmulatorClient)

Control API (``async`` methods on :class:`BotApiEmulator`, mirrored by :class:`EmulatorClient`
over ``POST /_control/<name>``):

* ``send_from_user(user_id, text, *, chat_id=None, chat_type="private", chat_title=None,
  first_name=None, last_name=None, username=None, language_code="en",
  reply_to_message_id=None) -> dict``: queue a message update (a leading ``/command`` gets a
  bot_command entity); returns the Message JSON.
* ``press_button(user_id, chat_id, message_id, data=None, *, button_text=None, strict=True)
  -> str``: queue a callback_query update for a button of a bot message; returns its id.
* ``callback_answer(query_id) -> CallbackAnswer | None``;
  ``wait_for_callback_answer(query_id, timeout=5.0) -> CallbackAnswer``.
* ``messages(chat_id, *, include_deleted=True) -> list[SentMessage]``;
  ``last_message(chat_id) -> SentMessage | None``.
* ``wait_for_messages(chat_id, count=1, timeout=5.0, *, after_message_id=None)
  -> list[SentMessage]``: the next ``count`` messages not yet returned by an earlier wait
  (raises ``TimeoutError``); ``wait_for_edit(chat_id, message_id, *, edits=1, timeout=5.0)``.
* ``register_chat(chat_id, *, chat_type="private", title=None, ...)``,
  ``register_chats(chat_ids)``, ``block_bot(user_id)``, ``unblock_bot(user_id)``,
  ``delete_chat(chat_id)``.
* ``inject_fault(kind, *, count=1, methods=None, status=502, delay=1.0)`` with kind
  ``"error"``, ``"slow"``, ``"drop"`` or ``"drop_after"``; ``clear_faults()``.
* ``set_limits(enabled)``; ``stats() -> EmulatorStats``; ``reset_stats()``;
  ``delivery_log(since=0) -> list[DeliveryLogEntry]``; ``clear_delivery_log()``;
  ``commands(*, scope=None, language_code="")``; ``pending_update_count()``; ``webhook_url()``.

Standalone: ``python -m botapi_emulator --host 127.0.0.1 --port 8081 --limits on|off`` or
``botapi_emulator.server.main(argv)``.
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
