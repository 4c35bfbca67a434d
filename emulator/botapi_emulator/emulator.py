"""The Bot API emulator: an aiohttp server speaking Telegram's wire format, plus its control API.

Bot-side requests arrive at ``/bot<token>/<method>`` exactly as python-telegram-bot sends them
(JSON, url-encoded or multipart form, every value JSON-encoded unless it is a plain string).
Control requests arrive at ``/_control/<name>`` as JSON and call the same ``async`` methods that
in-process tests call directly, so :class:`~botapi_emulator.client.EmulatorClient` mirrors them.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import mimetypes
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import aiohttp
from aiohttp import web
from aiohttp.web_request import FileField

from botapi_emulator.entities import EntityParseError, parse_entities, utf16_len
from botapi_emulator.errors import BLOCKED, CHAT_NOT_FOUND, ApiError, bad_request, too_many_requests
from botapi_emulator.limits import RateLimiter
from botapi_emulator.markup import validate_reply_markup, validate_web_app
from botapi_emulator.records import (
    CallbackAnswer,
    DeliveryLogEntry,
    EmulatorStats,
    MediaFile,
    MessageVersion,
    SentMessage,
)

__all__ = ["BotApiEmulator", "FaultKind"]

_LOG = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
BOT_FIRST_NAME = "Confbot"
BOT_USERNAME = "confbot_test_bot"
DEFAULT_BOT_ID = 7_000_000_001

FaultKind = Literal["error", "slow", "drop", "drop_after"]
T = TypeVar("T")
Handler = Callable[["_Params"], Awaitable[Any]]

# Methods that deliver a new message and so count against flood limits. Edits, deletes and
# callback answers do not: Telegram's broadcast limits are about new messages.
SENDING_METHODS = frozenset(
    {"sendmessage", "sendphoto", "senddocument", "sendvenue", "sendlocation"}
)
# Telegram's secret_token: 1-256 of these characters.
_SECRET_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# Hosts a webhook may be plain HTTP on: a listener on this machine has no certificate.
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Waits between tries of a webhook delivery: doubling from the first, never above the last.
WEBHOOK_FIRST_RETRY = 0.1
WEBHOOK_MAX_RETRY = 2.0
# Without allowed_updates Telegram delivers every type except these.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_SCOPES_WITH_CHAT = frozenset({"chat", "chat_administrators", "chat_member"})
_SCOPES = (
    frozenset({"default", "all_private_chats", "all_group_chats", "all_chat_administrators"})
    | _SCOPES_WITH_CHAT
)
_NO_OP_METHODS = (
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setMyDefaultAdministratorRights",
    "close",
    "logOut",
)
_FAULT_DESCRIPTIONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class _DropConnection(Exception):
    """Raised inside a request to close its connection without an answer."""


@dataclass
class _Chat:
    id: int
    type: str
    info: dict[str, Any]
    next_message_id: int = 1
    messages: dict[int, SentMessage] = field(default_factory=dict)
    sent: list[SentMessage] = field(default_factory=list)  # bot messages in send order
    user_message_ids: set[int] = field(default_factory=set)
    blocked: bool = False
    deleted: bool = False
    read_cursor: int = 0  # how many of ``sent`` wait_for_messages has handed out


@dataclass
class _CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    answer: CallbackAnswer | None = None


@dataclass
class _Fault:
    kind: FaultKind
    remaining: int
    methods: frozenset[str] | None
    status: int
    delay: float


class _Params:
    """Request parameters: form values are strings holding JSON, JSON bodies are native."""

    def __init__(self, method: str, values: dict[str, Any]) -> None:
        self.method = method
        self.values = values

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def string(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, FileField):
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {name} specified") from None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def json_value(self, name: str, error: str | None = None) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error or f"can't parse {name} JSON object") from None

    def file(self, name: str) -> FileField | str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, FileField | str):
            return value
        return str(value)


def _webhook_url_allowed(url: str) -> bool:
    """HTTPS, as Telegram requires; plain HTTP only to this machine (no certificate there)."""
    if url.startswith("https://"):
        return True
    if not url.startswith("http://"):
        return False
    host = url[len("http://") :].split("/", 1)[0].rsplit(":", 1)[0]
    return host in _LOOPBACK_HOSTS or url[len("http://") :].startswith("[::1]")


def _update_order_key(update: dict[str, Any]) -> object:
    """What a webhook keeps the order of: the update's chat (else its user), else nothing."""
    payload = next(value for key, value in update.items() if key != "update_id")
    if isinstance(payload, dict):
        for holder in (payload, payload.get("message")):
            if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
                return ("chat", holder["chat"].get("id"))
        if isinstance(payload.get("from"), dict):
            return ("chat", payload["from"].get("id"))
    return ("update", update["update_id"])


def _canonical_names(names: Iterable[str]) -> dict[str, str]:
    return {name.lower(): name for name in names}


class BotApiEmulator:
    """A local Telegram Bot API for one bot. See the package docstring for the full tour."""

    def __init__(
        self,
        *,
        limits: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        # ``clock`` drives the flood-limit buckets only, so limit tests need not sleep.
        self.limits = limits
        self.host = host
        self._port = port
        self._clock = clock or time.monotonic
        self._limiter = RateLimiter(self._clock)
        self._runner: web.AppRunner | None = None
        self._closing = False

        self._chats: dict[int, _Chat] = {}
        self._usernames: dict[str, int] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_001)
        self._file_ids = itertools.count(1)
        self._queries: dict[str, _CallbackQuery] = {}
        self._files: dict[str, MediaFile] = {}
        self._files_by_path: dict[str, MediaFile] = {}
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._allowed_updates: frozenset[str] | None = None
        self._webhook_url = ""
        # setChatMenuButton: by chat id, None for the default of every private chat.
        self._menu_buttons: dict[int | None, dict[str, Any]] = {}
        self._webhook_secret: str | None = None
        self._webhook_max_connections = 40
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_last_error: tuple[int, str] | None = None
        # Waits between tries of a failed webhook delivery (seconds); a test may shorten them.
        self.webhook_retry = (WEBHOOK_FIRST_RETRY, WEBHOOK_MAX_RETRY)
        self._poll_generation = 0
        self._faults: list[_Fault] = []
        self._stats = EmulatorStats()
        self._log: list[DeliveryLogEntry] = []
        self._bot_id = DEFAULT_BOT_ID
        # Replaced on every change: waiters hold the current one, so a set() wakes exactly
        # the waiters that looked before the change, and nobody has to poll.
        self._updates_changed = asyncio.Event()
        self._bot_changed = asyncio.Event()

        self._methods: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagecaption": self._edit_message_caption,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "sendvenue": self._send_venue,
            "sendlocation": self._send_location,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "getfile": self._get_file,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getchat": self._get_chat,
            "getchatmenubutton": self._get_chat_menu_button,
            "setchatmenubutton": self._set_chat_menu_button,
        }
        for name in _NO_OP_METHODS:
            self._methods[name.lower()] = self._no_op
        self._method_names = _canonical_names(
            [
                "getMe",
                "getUpdates",
                "sendMessage",
                "editMessageText",
                "editMessageReplyMarkup",
                "editMessageCaption",
                "deleteMessage",
                "answerCallbackQuery",
                "sendChatAction",
                "sendVenue",
                "sendLocation",
                "sendPhoto",
                "sendDocument",
                "getFile",
                "setMyCommands",
                "getMyCommands",
                "deleteMyCommands",
                "setWebhook",
                "deleteWebhook",
                "getWebhookInfo",
                "getChat",
                "getChatMenuButton",
                "setChatMenuButton",
                *_NO_OP_METHODS,
            ]
        )

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self._port}"

    @property
    def api_url(self) -> str:
        """Pass to ``ApplicationBuilder().base_url(...)``."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """Pass to ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.base_url}/file/bot"

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one, readable afterwards)."""
        from botapi_emulator.control import add_control_routes

        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        # access_log=None: one log line per request would dominate the benchmarks.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._port)
        await site.start()
        address = self._runner.addresses[0]
        self._port = int(address[1])
        self._closing = False
        _LOG.debug("Bot API emulator listening on %s", self.base_url)

    async def stop(self) -> None:
        """Stop listening; pending long polls return at once."""
        self._closing = True
        await self._stop_webhook_delivery()
        self._notify_updates()
        self._notify_bot()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- HTTP entry points --------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        raw_method = request.match_info["method"]
        key = raw_method.lower()
        name = self._method_names.get(key, raw_method)
        self._stats.requests_by_method[name] += 1
        self._bot_id = _bot_id_from_token(request.match_info["token"])
        fault = self._take_fault(key)
        try:
            if fault is not None:
                await self._apply_fault_before(fault)
            handler = self._methods.get(key)
            if handler is None:
                raise ApiError(404, "Not Found")
            params = _Params(key, await _read_params(request))
            try:
                result = await handler(params)
            except ApiError as error:
                self._count_error(error, params)
                raise
            if fault is not None and fault.kind == "drop_after":
                raise _DropConnection
            return _json_response({"ok": True, "result": result})
        except ApiError as error:
            return _json_response(error.payload(), status=error.error_code)
        except _DropConnection:
            if request.transport is not None:
                request.transport.close()
            # The transport is closed, so aiohttp has nowhere to write this.
            return web.Response(status=500)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        media = self._files_by_path.get(request.match_info["path"])
        if media is None:
            return _json_response({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return web.Response(
            body=media.data, content_type=media.mime_type or "application/octet-stream"
        )

    def _count_error(self, error: ApiError, params: _Params) -> None:
        chat_id: int | None
        try:
            chat_id = params.integer("chat_id")
        except ApiError:
            chat_id = None
        if error.error_code == 429:
            self._stats.too_many_requests += 1
            if chat_id is not None:
                self._stats.too_many_requests_by_chat[chat_id] += 1
        elif error.error_code == 403:
            self._stats.forbidden += 1
            if chat_id is not None:
                self._stats.forbidden_by_chat[chat_id] += 1
        elif error.error_code == 400:
            self._stats.bad_requests += 1

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.methods is None or method in fault.methods:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                self._stats.faults_injected += 1
                return fault
        return None

    async def _apply_fault_before(self, fault: _Fault) -> None:
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
        elif fault.kind == "drop":
            raise _DropConnection
        elif fault.kind == "error":
            description = _FAULT_DESCRIPTIONS.get(fault.status, "Internal Server Error")
            raise ApiError(fault.status, description)

    # --- shared helpers -----------------------------------------------------------------------

    def _notify_updates(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    def _notify_bot(self) -> None:
        self._bot_changed.set()
        self._bot_changed = asyncio.Event()

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    def _chat_for(self, params: _Params, *, check_blocked: bool = True) -> _Chat:
        raw = params.values.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat: _Chat | None
        if isinstance(raw, str) and raw.startswith("@"):
            chat_id = self._usernames.get(raw[1:].lower())
            chat = self._chats.get(chat_id) if chat_id is not None else None
        else:
            chat = self._chats.get(params.integer("chat_id") or 0)
        if chat is None or chat.deleted:
            raise bad_request(CHAT_NOT_FOUND.removeprefix("Bad Request: "))
        if check_blocked and chat.blocked:
            raise ApiError(403, BLOCKED)
        return chat

    def _parse_body(
        self,
        params: _Params,
        text: str | None,
        *,
        entities_field: str,
        limit: int,
        is_caption: bool,
    ) -> tuple[str, list[dict[str, Any]]]:
        parse_mode = params.string("parse_mode")
        if text is None or text == "":
            if is_caption:
                return "", []
            raise bad_request("message text is empty")
        try:
            parsed = parse_entities(text, parse_mode)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        except LookupError:
            raise bad_request(f"unsupported parse_mode {parse_mode}") from None
        entities = parsed.entities
        if not parse_mode and params.has(entities_field):
            given = params.json_value(entities_field)
            if not isinstance(given, list):
                raise bad_request(f"can't parse {entities_field} JSON object")
            entities = given
        if not parsed.text.strip() and not is_caption:
            raise bad_request("message text is empty")
        if utf16_len(parsed.text) > limit:
            raise bad_request(
                "message caption is too long" if is_caption else "message is too long"
            )
        return parsed.text, entities

    def _reply_markup(self, params: _Params) -> dict[str, Any] | None:
        markup = params.json_value("reply_markup", "can't parse reply keyboard markup JSON object")
        return validate_reply_markup(markup)

    def _check_reply_target(self, chat: _Chat, params: _Params) -> int | None:
        reply = params.json_value("reply_parameters")
        target: int | None
        allow_missing = params.flag("allow_sending_without_reply")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
        else:
            target = params.integer("reply_to_message_id")
        if target is None:
            return None
        exists = target in chat.user_message_ids or (
            target in chat.messages and not chat.messages[target].deleted
        )
        if not exists and not allow_missing:
            raise bad_request("message to be replied not found")
        return target if exists else None

    def _check_flood(self, chat: _Chat, params: _Params) -> None:
        if not self.limits:
            return
        retry_after = self._limiter.acquire(
            chat.id, chat.type, paid=params.flag("allow_paid_broadcast")
        )
        if retry_after:
            raise too_many_requests(retry_after)

    def _options(self, params: _Params) -> dict[str, Any]:
        options: dict[str, Any] = {}
        for name in ("disable_notification", "protect_content", "allow_paid_broadcast"):
            if params.has(name):
                options[name] = params.flag(name)
        for name in ("link_preview_options", "reply_parameters"):
            if params.has(name):
                options[name] = params.json_value(name)
        if params.has("disable_web_page_preview"):
            options["link_preview_options"] = {
                "is_disabled": params.flag("disable_web_page_preview")
            }
        if params.has("message_thread_id"):
            options["message_thread_id"] = params.integer("message_thread_id")
        return options

    def _record(self, chat: _Chat, method: str, **fields: Any) -> SentMessage:
        now = time.time()
        message_id = chat.next_message_id
        chat.next_message_id += 1
        record = SentMessage(
            chat_id=chat.id,
            message_id=message_id,
            method=self._method_names.get(method, method),
            date=int(now),
            time=now,
            **fields,
        )
        chat.messages[message_id] = record
        chat.sent.append(record)
        self._stats.messages_sent += 1
        self._stats.send_times.append(now)
        self._stats.delivery_times_by_chat.setdefault(chat.id, []).append(now)
        text = record.text if record.text is not None else record.caption
        self._log.append(DeliveryLogEntry(chat.id, message_id, now, text, record.method))
        self._notify_bot()
        return record

    def _message_json(self, chat: _Chat, record: SentMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": record.message_id,
            "from": self.bot_user,
            "chat": chat.info,
            "date": record.date,
        }
        if record.edited_at is not None:
            body["edit_date"] = int(record.edited_at)
        if record.text is not None:
            body["text"] = record.plain_text
            if record.entities:
                body["entities"] = record.entities
        if record.media is not None:
            media = record.media
            if media.kind == "photo":
                body["photo"] = [
                    {
                        "file_id": media.file_id,
                        "file_unique_id": media.file_unique_id,
                        "width": 320,
                        "height": 320,
                        "file_size": media.size,
                    }
                ]
            else:
                document: dict[str, Any] = {
                    "file_id": media.file_id,
                    "file_unique_id": media.file_unique_id,
                    "file_size": media.size,
                }
                if media.filename:
                    document["file_name"] = media.filename
                if media.mime_type:
                    document["mime_type"] = media.mime_type
                body["document"] = document
            if record.caption:
                body["caption"] = record.plain_text
                if record.entities:
                    body["caption_entities"] = record.entities
        if record.location is not None:
            body["location"] = record.location
        if record.venue is not None:
            body["venue"] = record.venue
            body["location"] = record.venue["location"]
        if record.reply_markup and "inline_keyboard" in record.reply_markup:
            body["reply_markup"] = record.reply_markup
        return body

    # --- Bot API methods ----------------------------------------------------------------------

    async def _no_op(self, params: _Params) -> bool:
        return True

    async def _get_me(self, params: _Params) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: _Params) -> list[dict[str, Any]]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.integer("offset", 0) or 0
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = max(params.integer("timeout", 0) or 0, 0)
        allowed = params.json_value("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else None
        self._confirm_updates(offset)
        # A newer getUpdates ends an older one, as Telegram does when two pollers compete.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._collect_updates(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing:
                return batch
            changed = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _confirm_updates(self, offset: int) -> None:
        if offset < 0:
            # A negative offset keeps only the last -offset updates.
            while len(self._updates) > -offset:
                self._updates.popleft()
            return
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()

    def _collect_updates(self, limit: int) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for update in self._updates:
            kind = next(key for key in update if key != "update_id")
            wanted = (
                kind not in _OPT_IN_UPDATES
                if self._allowed_updates is None
                else kind in self._allowed_updates
            )
            if wanted:
                batch.append(update)
                if len(batch) >= limit:
                    break
        return batch

    async def _send_message(self, params: _Params) -> dict[str, Any]:
        chat = self._chat_for(params)
        text = params.string("text")
        plain, entities = self._parse_body(
            params, text, entities_field="entities", limit=MAX_TEXT_LENGTH, is_caption=False
        )
        markup = self._reply_markup(params)
        self._check_reply_target(chat, params)
        self._check_flood(chat, params)
        record = self._record(
            chat,
            params.method,
            text=text,
            plain_text=plain,
            parse_mode=params.string("parse_mode"),
            entities=entities,
            reply_markup=markup,
            options=self._options(params),
        )
        return self._message_json(chat, record)

    def _editable(self, params: _Params) -> tuple[_Chat, SentMessage]:
        if params.has("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self._chat_for(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        if message_id in chat.user_message_ids:
            raise bad_request("message can't be edited")
        record = chat.messages.get(message_id)
        if record is None or record.deleted:
            raise bad_request("message to edit not found")
        return chat, record

    def _apply_edit(
        self,
        chat: _Chat,
        record: SentMessage,
        *,
        parse_mode: str | None,
        text: str | None,
        plain: str,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        if (
            plain == record.plain_text
            and entities == record.entities
            and markup == record.reply_markup
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        now = time.time()
        record.edits.append(
            MessageVersion(
                text=record.text if record.media is None else record.caption,
                plain_text=record.plain_text,
                parse_mode=record.parse_mode,
                entities=record.entities,
                reply_markup=record.reply_markup,
                time=record.edited_at or record.time,
                method=record.method if not record.edits else "edit",
            )
        )
        if record.media is None:
            record.text = text
        else:
            record.caption = text
        record.plain_text = plain
        record.entities = entities
        record.parse_mode = parse_mode
        record.reply_markup = markup
        record.edited_at = now
        self._notify_bot()
        return self._message_json(chat, record)

    async def _edit_message_text(self, params: _Params) -> dict[str, Any]:
        chat, record = self._editable(params)
        if record.media is not None or record.text is None:
            raise bad_request("there is no text in the message to edit")
        text = params.string("text")
        plain, entities = self._parse_body(
            params, text, entities_field="entities", limit=MAX_TEXT_LENGTH, is_caption=False
        )
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        markup = self._reply_markup(params)
        return self._apply_edit(
            chat,
            record,
            parse_mode=params.string("parse_mode"),
            text=text,
            plain=plain,
            entities=entities,
            markup=markup,
        )

    async def _edit_message_caption(self, params: _Params) -> dict[str, Any]:
        chat, record = self._editable(params)
        if record.media is None:
            raise bad_request("there is no caption in the message to edit")
        caption = params.string("caption")
        plain, entities = self._parse_body(
            params,
            caption,
            entities_field="caption_entities",
            limit=MAX_CAPTION_LENGTH,
            is_caption=True,
        )
        markup = self._reply_markup(params)
        return self._apply_edit(
            chat,
            record,
            parse_mode=params.string("parse_mode"),
            text=caption,
            plain=plain,
            entities=entities,
            markup=markup,
        )

    async def _edit_message_reply_markup(self, params: _Params) -> dict[str, Any]:
        chat, record = self._editable(params)
        markup = self._reply_markup(params)
        text = record.text if record.media is None else record.caption
        return self._apply_edit(
            chat,
            record,
            parse_mode=record.parse_mode,
            text=text,
            plain=record.plain_text,
            entities=record.entities,
            markup=markup,
        )

    async def _delete_message(self, params: _Params) -> bool:
        chat = self._chat_for(params, check_blocked=False)
        message_id = params.integer("message_id")
        if message_id in chat.user_message_ids:
            chat.user_message_ids.discard(message_id)
            return True
        record = chat.messages.get(message_id or 0)
        if record is None or record.deleted:
            raise bad_request("message to delete not found")
        record.deleted = True
        record.deleted_at = time.time()
        self._notify_bot()
        return True

    async def _answer_callback_query(self, params: _Params) -> bool:
        query = self._queries.get(params.string("callback_query_id") or "")
        if query is None or query.answer is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.string("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = CallbackAnswer(
            query_id=query.id,
            text=text,
            show_alert=params.flag("show_alert"),
            url=params.string("url"),
            cache_time=params.integer("cache_time"),
            time=time.time(),
        )
        self._notify_bot()
        return True

    async def _send_chat_action(self, params: _Params) -> bool:
        self._chat_for(params)
        if params.string("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _coordinates(self, params: _Params) -> dict[str, float]:
        latitude = params.number("latitude")
        longitude = params.number("longitude")
        if latitude is None or longitude is None:
            raise bad_request("wrong latitude or longitude specified")
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            raise bad_request("wrong latitude or longitude specified")
        return {"latitude": latitude, "longitude": longitude}

    async def _send_location(self, params: _Params) -> dict[str, Any]:
        chat = self._chat_for(params)
        location = self._coordinates(params)
        markup = self._reply_markup(params)
        self._check_reply_target(chat, params)
        self._check_flood(chat, params)
        record = self._record(
            chat,
            params.method,
            location=location,
            reply_markup=markup,
            options=self._options(params),
        )
        return self._message_json(chat, record)

    async def _send_venue(self, params: _Params) -> dict[str, Any]:
        chat = self._chat_for(params)
        location = self._coordinates(params)
        title = params.string("title")
        address = params.string("address")
        if not title:
            raise bad_request("venue title is empty")
        if not address:
            raise bad_request("venue address is empty")
        markup = self._reply_markup(params)
        self._check_reply_target(chat, params)
        self._check_flood(chat, params)
        venue: dict[str, Any] = {"location": location, "title": title, "address": address}
        for name in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if params.has(name):
                venue[name] = params.string(name)
        record = self._record(
            chat,
            params.method,
            venue=venue,
            plain_text=title,
            reply_markup=markup,
            options=self._options(params),
        )
        return self._message_json(chat, record)

    def _store_file(self, kind: str, upload: FileField | str | None) -> MediaFile:
        if upload is None or upload == "":
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(upload, str):
            if upload.startswith(("http://", "https://")):
                # There is no internet here; Telegram would have fetched it.
                raise bad_request("failed to get HTTP URL content")
            known = self._files.get(upload)
            if known is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return known
        data = upload.file.read()
        number = next(self._file_ids)
        filename = upload.filename or None
        mime = upload.content_type or (mimetypes.guess_type(filename)[0] if filename else None)
        if kind == "photo":
            mime = mime or "image/jpeg"
        extension = ""
        if filename and "." in filename:
            extension = "." + filename.rsplit(".", 1)[1]
        folder = "photos" if kind == "photo" else "documents"
        media = MediaFile(
            file_id=f"{'AgAC' if kind == 'photo' else 'BQAC'}-emu-{number:08d}",
            file_unique_id=f"AQAD{number:08d}",
            kind=kind,
            filename=filename,
            mime_type=mime,
            size=len(data),
            file_path=f"{folder}/file_{number}{extension}",
            data=data,
        )
        self._files[media.file_id] = media
        self._files_by_path[media.file_path] = media
        return media

    async def _send_media(self, params: _Params, kind: str) -> dict[str, Any]:
        chat = self._chat_for(params)
        caption = params.string("caption")
        plain, entities = self._parse_body(
            params,
            caption,
            entities_field="caption_entities",
            limit=MAX_CAPTION_LENGTH,
            is_caption=True,
        )
        markup = self._reply_markup(params)
        self._check_reply_target(chat, params)
        media = self._store_file(kind, params.file(kind))
        if media.kind != kind:
            raise bad_request(
                "wrong file identifier/HTTP URL specified: can't use file of type "
                f"{media.kind.capitalize()} as {kind.capitalize()}"
            )
        self._check_flood(chat, params)
        record = self._record(
            chat,
            params.method,
            caption=caption or None,
            plain_text=plain,
            parse_mode=params.string("parse_mode"),
            entities=entities,
            media=media,
            reply_markup=markup,
            options=self._options(params),
        )
        return self._message_json(chat, record)

    async def _send_photo(self, params: _Params) -> dict[str, Any]:
        return await self._send_media(params, "photo")

    async def _send_document(self, params: _Params) -> dict[str, Any]:
        return await self._send_media(params, "document")

    async def _get_file(self, params: _Params) -> dict[str, Any]:
        media = self._files.get(params.string("file_id") or "")
        if media is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": media.file_id,
            "file_unique_id": media.file_unique_id,
            "file_size": media.size,
            "file_path": media.file_path,
        }

    def _command_key(self, params: _Params) -> tuple[str, str]:
        scope = params.json_value("scope", "can't parse BotCommandScope JSON object") or {
            "type": "default"
        }
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in _SCOPES_WITH_CHAT:
            scoped = _Params(params.method, {"chat_id": scope.get("chat_id")})
            chat = self._chat_for(scoped, check_blocked=False)
            scope = {**scope, "chat_id": chat.id}
        language = params.string("language_code") or ""
        if language and (len(language) != 2 or not language.isalpha()):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), language

    async def _set_my_commands(self, params: _Params) -> bool:
        commands = params.json_value("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        cleaned: list[dict[str, str]] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = str(item.get("command", ""))
            description = str(item.get("description", ""))
            name = command.removeprefix("/")
            if (
                not 1 <= len(name) <= 32
                or not all(c.isascii() and (c.isalnum() or c == "_") for c in name)
                or name != name.lower()
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request(
                    "command description is empty"
                    if not description
                    else "BOT_COMMAND_DESCRIPTION_INVALID"
                )
            cleaned.append({"command": name, "description": description})
        key = self._command_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: _Params) -> list[dict[str, str]]:
        return list(self._commands.get(self._command_key(params), []))

    async def _delete_my_commands(self, params: _Params) -> bool:
        self._commands.pop(self._command_key(params), None)
        return True

    async def _set_webhook(self, params: _Params) -> bool:
        url = params.string("url") or ""
        if url and not _webhook_url_allowed(url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token") or None
        if secret is not None and (len(secret) > 256 or not set(secret) <= _SECRET_TOKEN_CHARS):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        max_connections = params.integer("max_connections", 40) or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        allowed = params.json_value("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else None
        await self._stop_webhook_delivery()
        self._webhook_url = url
        self._webhook_secret = secret
        self._webhook_max_connections = max_connections
        self._webhook_last_error = None
        if url:
            self._webhook_task = asyncio.create_task(
                self._deliver_by_webhook(url, secret, max_connections), name="webhook-delivery"
            )
        # A long poll in progress must now fail, as it would on Telegram.
        self._poll_generation += 1
        self._notify_updates()
        return True

    async def _delete_webhook(self, params: _Params) -> bool:
        await self._stop_webhook_delivery()
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._webhook_url = ""
        self._webhook_secret = None
        self._webhook_last_error = None
        return True

    async def _get_webhook_info(self, params: _Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook_url:
            info["max_connections"] = self._webhook_max_connections
        if self._webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        if self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    # --- webhook delivery ---------------------------------------------------------------------

    async def _stop_webhook_delivery(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates is None:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed_updates

    async def _deliver_by_webhook(self, url: str, secret: str | None, max_connections: int) -> None:
        """POST every queued update to ``url`` until the webhook is deleted or replaced.

        As on Telegram: at most ``max_connections`` requests at a time, one update of a chat at
        a time and in order (the next waits until the bot answered the previous with a 2xx),
        each tried again with a growing wait until it is taken. An update leaves the queue
        only when the bot answered 2xx.
        """
        in_flight: dict[object, asyncio.Task[None]] = {}
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
            try:
                while True:
                    for update in [u for u in self._updates if not self._wanted(u)]:
                        self._updates.remove(update)  # Telegram never sends what was not asked
                    for update in list(self._updates):
                        if len(in_flight) >= max_connections:
                            break
                        key = _update_order_key(update)
                        if key in in_flight:
                            continue  # this chat's previous update is not taken yet
                        in_flight[key] = asyncio.create_task(
                            self._post_update(session, url, update)
                        )
                    changed = asyncio.ensure_future(self._updates_changed.wait())
                    try:
                        await asyncio.wait(
                            [changed, *in_flight.values()], return_when=asyncio.FIRST_COMPLETED
                        )
                    finally:
                        changed.cancel()
                    for key, task in list(in_flight.items()):
                        if task.done():
                            del in_flight[key]
            finally:
                for task in in_flight.values():
                    task.cancel()
                await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _post_update(
        self, session: aiohttp.ClientSession, url: str, update: dict[str, Any]
    ) -> None:
        first, cap = self.webhook_retry
        delay = first
        while True:
            try:
                async with session.post(url, json=update) as response:
                    await response.read()
                    if 200 <= response.status < 300:
                        with contextlib.suppress(ValueError):
                            self._updates.remove(update)
                        self._stats.webhook_deliveries += 1
                        self._notify_updates()
                        return
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except aiohttp.ClientConnectorError:
                error = "Connection refused"
            except TimeoutError:
                error = "Read timeout expired"
            except aiohttp.ClientError as exc:
                error = f"Connection error: {type(exc).__name__}"
            self._webhook_last_error = (int(time.time()), error)
            self._stats.webhook_failures += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, cap)

    async def _get_chat(self, params: _Params) -> dict[str, Any]:
        chat = self._chat_for(params, check_blocked=False)
        return {
            **chat.info,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_menu_button(self, params: _Params) -> dict[str, Any]:
        chat_id = params.integer("chat_id")
        found = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        return dict(found) if found is not None else {"type": "commands"}

    async def _set_chat_menu_button(self, params: _Params) -> bool:
        chat_id = params.integer("chat_id")
        if chat_id is not None and chat_id not in self._chats:
            raise bad_request("chat not found")
        button = params.json_value("menu_button", "can't parse menu button JSON object")
        if button is None:
            button = {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app":
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            validate_web_app(button.get("web_app"))
        if button["type"] == "default":
            self._menu_buttons.pop(chat_id, None)
        else:
            self._menu_buttons[chat_id] = button
        return True

    # --- control API: users and chats ---------------------------------------------------------

    def _ensure_chat(
        self,
        chat_id: int,
        *,
        chat_type: str = "private",
        title: str | None = None,
        user: dict[str, Any] | None = None,
    ) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is not None:
            chat.deleted = False
            return chat
        if chat_type == "private":
            info: dict[str, Any] = {"id": chat_id, "type": "private"}
            source = user or {"first_name": f"User {chat_id}"}
            for name in ("first_name", "last_name", "username"):
                if source.get(name):
                    info[name] = source[name]
        else:
            if chat_type not in ("group", "supergroup", "channel"):
                raise ValueError(f"unknown chat type {chat_type!r}")
            info = {"id": chat_id, "type": chat_type, "title": title or f"Chat {chat_id}"}
        chat = _Chat(chat_id, chat_type, info)
        self._chats[chat_id] = chat
        if info.get("username"):
            self._usernames[str(info["username"]).lower()] = chat_id
        return chat

    def _user(
        self,
        user_id: int,
        first_name: str | None,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> dict[str, Any]:
        user = self._users.get(user_id) or {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User {user_id}",
        }
        user = dict(user)
        for name, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[name] = value
        self._users[user_id] = user
        if username:
            self._usernames[username.lower()] = user_id
        return user

    def _push_update(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, kind: payload})
        self._notify_updates()
        return update_id

    async def send_from_user(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        chat_title: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """A user sends ``text`` (a leading ``/command`` gets its bot_command entity).

        Private chat by default (chat id = user id); for a group pass ``chat_id`` (negative)
        and ``chat_type="group"`` or ``"supergroup"``. Returns the Message JSON queued as an
        update.
        """
        user = self._user(user_id, first_name, last_name, username, language_code)
        target = user_id if chat_id is None else chat_id
        if chat_type == "private" and target != user_id:
            raise ValueError("a private chat's id is the user's id")
        chat = self._ensure_chat(target, chat_type=chat_type, title=chat_title, user=user)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        chat.user_message_ids.add(message_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user,
            "chat": chat.info,
            "date": int(time.time()),
            "text": text,
        }
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to_message_id is not None:
            replied = chat.messages.get(reply_to_message_id)
            if replied is not None:
                message["reply_to_message"] = self._message_json(chat, replied)
        self._push_update("message", message)
        return message

    async def press_button(
        self,
        user_id: int,
        chat_id: int,
        message_id: int,
        data: str | None = None,
        *,
        button_text: str | None = None,
        strict: bool = True,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> str:
        """A user presses an inline button; returns the callback query id.

        Name the button by ``data`` or by its label (``button_text``). With ``strict`` the
        button must be on the message as it is now, as a real client would require; pass
        ``strict=False`` to simulate a stale button on an old client.
        """
        chat = self._chats.get(chat_id)
        record = chat.messages.get(message_id) if chat else None
        if chat is None or record is None:
            raise LookupError(f"no bot message {message_id} in chat {chat_id}")
        if button_text is not None:
            button = record.find_button(button_text)
            if "callback_data" not in button:
                raise LookupError(f"button {button_text!r} has no callback_data")
            data = button["callback_data"]
        if data is None:
            raise ValueError("give data or button_text")
        if strict and (record.deleted or data not in record.button_data()):
            raise LookupError(
                f"message {message_id} in chat {chat_id} has no button with data {data!r} "
                f"(it has {record.button_data()})"
            )
        user = self._user(user_id, first_name, None, username, language_code)
        query_id = str(next(self._query_ids))
        self._queries[query_id] = _CallbackQuery(query_id, chat_id, message_id)
        self._push_update(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "message": self._message_json(chat, record),
                "chat_instance": _chat_instance(chat_id),
                "data": data,
            },
        )
        return query_id

    async def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        """How the bot answered the callback query, or None if it has not (yet)."""
        query = self._queries.get(query_id)
        if query is None:
            raise LookupError(f"unknown callback query {query_id}")
        return query.answer

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the wait itself is the API
    ) -> CallbackAnswer:
        """Wait until the bot answers the callback query."""
        if query_id not in self._queries:
            raise LookupError(f"unknown callback query {query_id}")
        query = self._queries[query_id]
        return await self._wait_until(
            lambda: query.answer, timeout, f"callback query {query_id} was not answered"
        )

    async def register_chat(
        self,
        chat_id: int,
        *,
        chat_type: str = "private",
        title: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> None:
        """Make a chat known without a message from it (e.g. broadcast targets)."""
        user = None
        if chat_type == "private":
            user = self._user(chat_id, first_name, last_name, username, None)
        self._ensure_chat(chat_id, chat_type=chat_type, title=title, user=user)

    async def register_chats(self, chat_ids: list[int]) -> None:
        """Register many private chats at once."""
        for chat_id in chat_ids:
            self._ensure_chat(chat_id)

    async def block_bot(self, user_id: int, notify: bool = True) -> None:
        """The user blocks the bot: sending to them now gets 403.

        As Telegram does, a ``my_chat_member`` update for the private chat is queued (new
        status ``"kicked"``) when the block is new; ``notify=False`` plays a block whose
        update the bot never got (e.g. it was dropped while the bot was down too long)."""
        chat = self._ensure_chat(user_id)
        if notify and not chat.blocked:
            self._push_member_update(chat, user_id, "member", "kicked")
        chat.blocked = True

    async def unblock_bot(self, user_id: int, notify: bool = True) -> None:
        """The user unblocks the bot (restarts it): a ``my_chat_member`` update with new status
        ``"member"`` is queued when the bot was blocked, unless ``notify=False``."""
        chat = self._ensure_chat(user_id)
        if notify and chat.blocked:
            self._push_member_update(chat, user_id, "kicked", "member")
        chat.blocked = False

    def _push_member_update(self, chat: _Chat, user_id: int, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            found: dict[str, Any] = {"user": self.bot_user, "status": status}
            if status == "kicked":
                found["until_date"] = 0  # for ever
            return found

        self._push_update(
            "my_chat_member",
            {
                "chat": chat.info,
                "from": self._user(user_id, None, None, None, None),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    async def delete_chat(self, chat_id: int) -> None:
        """The chat is gone (deleted account, left group): sending gets "chat not found"."""
        self._ensure_chat(chat_id).deleted = True

    # --- control API: what the bot sent -------------------------------------------------------

    async def messages(self, chat_id: int, *, include_deleted: bool = True) -> list[SentMessage]:
        """Every message the bot sent to the chat, oldest first, in their current state."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.sent if include_deleted or not m.deleted]

    async def last_message(self, chat_id: int) -> SentMessage | None:
        chat = self._chats.get(chat_id)
        return chat.sent[-1] if chat and chat.sent else None

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the wait itself is the API
        *,
        after_message_id: int | None = None,
    ) -> list[SentMessage]:
        """Wait for the next ``count`` bot messages to the chat and return them.

        "Next" means not yet handed out by an earlier ``wait_for_messages`` on this chat, so
        a reply that arrives before the wait begins is not missed. Pass ``after_message_id``
        to wait for messages newer than a given one instead.
        """

        def ready() -> list[SentMessage] | None:
            chat = self._chats.get(chat_id)
            if chat is None:
                return None
            if after_message_id is not None:
                fresh = [m for m in chat.sent if m.message_id > after_message_id]
                return fresh[:count] if len(fresh) >= count else None
            fresh = chat.sent[chat.read_cursor : chat.read_cursor + count]
            if len(fresh) < count:
                return None
            chat.read_cursor += count
            return fresh

        def describe() -> str:
            chat = self._chats.get(chat_id)
            got = [m.plain_text for m in chat.sent[chat.read_cursor :]] if chat else []
            return f"waited {timeout}s for {count} message(s) to chat {chat_id}; got {got!r}"

        return await self._wait_until(ready, timeout, describe)

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int,
        *,
        edits: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the wait itself is the API
    ) -> SentMessage:
        """Wait until the message has been edited ``edits`` times (or deleted)."""

        def ready() -> SentMessage | None:
            chat = self._chats.get(chat_id)
            record = chat.messages.get(message_id) if chat else None
            if record is not None and (len(record.edits) >= edits or record.deleted):
                return record
            return None

        return await self._wait_until(
            ready, timeout, f"message {message_id} in chat {chat_id} was not edited"
        )

    async def _wait_until(
        self,
        ready: Callable[[], T | None],
        timeout: float,  # noqa: ASYNC109 - deadline shared across several waits
        failure: str | Callable[[], str],
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = ready()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                raise TimeoutError(failure() if callable(failure) else failure)
            changed = self._bot_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def commands(
        self, *, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The command list set for a scope and language (exact match, no fallback)."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return list(self._commands.get(key, []))

    async def pending_update_count(self) -> int:
        """Updates queued and not yet confirmed by the bot."""
        return len(self._updates)

    async def webhook_url(self) -> str:
        return self._webhook_url

    async def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        """The menu button set with setChatMenuButton for a chat (None: the default one)."""
        found = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        return dict(found) if found is not None else {"type": "commands"}

    # --- control API: faults, limits, counters ------------------------------------------------

    async def inject_fault(
        self,
        kind: FaultKind,
        *,
        count: int = 1,
        methods: list[str] | None = None,
        status: int = 502,
        delay: float = 1.0,
    ) -> None:
        """The next ``count`` Bot API requests (to ``methods`` only, if given) misbehave.

        ``error``: answer HTTP ``status`` (500/502/503/504) without doing anything; ``slow``:
        wait ``delay`` seconds first; ``drop``: close the connection without doing anything;
        ``drop_after``: do the request (the message *is* sent) but close the connection
        instead of answering, the case that tests exactly-once delivery.
        """
        if kind not in ("error", "slow", "drop", "drop_after"):
            raise ValueError(f"unknown fault kind {kind!r}")
        wanted = frozenset(m.lower() for m in methods) if methods else None
        self._faults.append(_Fault(kind, count, wanted, status, delay))

    async def clear_faults(self) -> None:
        self._faults.clear()

    async def set_limits(self, enabled: bool) -> None:
        """Switch flood limits on or off; switching on starts with full buckets."""
        if enabled and not self.limits:
            self._limiter = RateLimiter(self._clock)
        self.limits = enabled

    async def stats(self) -> EmulatorStats:
        """A snapshot of the counters."""
        return EmulatorStats.from_json(self._stats.to_json())

    async def reset_stats(self) -> None:
        """Zero the counters (the delivery log is kept; see :meth:`clear_delivery_log`)."""
        self._stats = EmulatorStats()

    async def delivery_log(self, since: int = 0) -> list[DeliveryLogEntry]:
        """Every successfully sent message in send order, from index ``since`` on."""
        return self._log[since:]

    async def clear_delivery_log(self) -> None:
        self._log = []


async def _read_params(request: web.Request) -> dict[str, Any]:
    values: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if isinstance(body, dict):
            values.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        values.update(form.items())
    return values


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _bot_id_from_token(token: str) -> int:
    # Telegram tokens start with the bot's id; any other token gets a fixed id.
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() and len(head) < 16 else DEFAULT_BOT_ID


def _command_entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    token = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(token)}]


def _chat_instance(chat_id: int) -> str:
    # Stable across processes (unlike hash() of a str), as Telegram's value is per chat.
    return str((chat_id * 2654435761 + 0x5F3759DF) % (1 << 62))
