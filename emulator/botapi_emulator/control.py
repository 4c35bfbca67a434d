"""HTTP control endpoints: ``POST /_control/<name>`` with a JSON object of keyword arguments.

Each endpoint calls the emulator method of the same name, so a bot in another process (crash
tests, the standalone server) can be driven exactly like an in-process one. Answers are
``{"ok": true, "result": ...}``; a wait that times out answers 408, a bad call 400.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from botapi_emulator.records import CallbackAnswer, DeliveryLogEntry, EmulatorStats, SentMessage

if TYPE_CHECKING:
    from botapi_emulator.emulator import BotApiEmulator

__all__ = ["CONTROL_METHODS", "add_control_routes"]

CONTROL_METHODS = frozenset(
    {
        "send_from_user",
        "press_button",
        "callback_answer",
        "wait_for_callback_answer",
        "register_chat",
        "register_chats",
        "block_bot",
        "unblock_bot",
        "delete_chat",
        "messages",
        "last_message",
        "wait_for_messages",
        "wait_for_edit",
        "commands",
        "pending_update_count",
        "webhook_url",
        "menu_button",
        "inject_fault",
        "clear_faults",
        "set_limits",
        "stats",
        "reset_stats",
        "delivery_log",
        "clear_delivery_log",
    }
)


def to_json(value: Any) -> Any:
    """Control results as JSON: records via their own ``to_json``, lists element-wise."""
    if isinstance(value, SentMessage | EmulatorStats):
        return value.to_json()
    if isinstance(value, CallbackAnswer | DeliveryLogEntry):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [to_json(item) for item in value]
    return value


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    async def handle(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in CONTROL_METHODS:
            return _answer({"ok": False, "description": f"unknown control method {name}"}, 404)
        try:
            kwargs = await request.json() if request.can_read_body else {}
        except ValueError:
            return _answer({"ok": False, "description": "body must be a JSON object"}, 400)
        if not isinstance(kwargs, dict):
            return _answer({"ok": False, "description": "body must be a JSON object"}, 400)
        try:
            result = await getattr(emulator, name)(**kwargs)
        except TimeoutError as error:
            return _answer({"ok": False, "description": str(error)}, 408)
        except (LookupError, ValueError, TypeError) as error:
            return _answer({"ok": False, "description": f"{type(error).__name__}: {error}"}, 400)
        return _answer({"ok": True, "result": to_json(result)})

    app.router.add_post("/_control/{name}", handle)


def _answer(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(body), status=status, content_type="application/json")
