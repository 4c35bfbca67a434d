"""An async client for the emulator's HTTP control API, mirroring the in-process methods.

Every method has the name, parameters and return type of the :class:`BotApiEmulator` method it
calls, so helpers written against one work with the other.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from botapi_emulator.emulator import FaultKind
from botapi_emulator.records import CallbackAnswer, DeliveryLogEntry, EmulatorStats, SentMessage

__all__ = ["ControlError", "EmulatorClient"]


class ControlError(RuntimeError):
    """The emulator refused a control call (bad arguments, unknown message or button)."""


class EmulatorClient:
    """Drive an emulator over HTTP: ``EmulatorClient("http://127.0.0.1:8081")``."""

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, name: str, wait: float = 0.0, **kwargs: Any) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        body = {key: value for key, value in kwargs.items() if value is not None}
        timeout = aiohttp.ClientTimeout(total=self._timeout + wait)
        async with self._session.post(
            f"{self.base_url}/_control/{name}", json=body, timeout=timeout
        ) as response:
            payload = await response.json()
        if response.status == 408:
            raise TimeoutError(payload.get("description"))
        if not payload.get("ok"):
            message = payload.get("description", "")
            if message.startswith("LookupError"):
                raise LookupError(message)
            raise ControlError(message)
        return payload["result"]

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
        result: dict[str, Any] = await self._call(
            "send_from_user",
            user_id=user_id,
            text=text,
            chat_id=chat_id,
            chat_type=chat_type,
            chat_title=chat_title,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            reply_to_message_id=reply_to_message_id,
        )
        return result

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
        return str(
            await self._call(
                "press_button",
                user_id=user_id,
                chat_id=chat_id,
                message_id=message_id,
                data=data,
                button_text=button_text,
                strict=strict,
                first_name=first_name,
                username=username,
                language_code=language_code,
            )
        )

    async def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        result = await self._call("callback_answer", query_id=query_id)
        return CallbackAnswer(**result) if result else None

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the wait itself is the API
    ) -> CallbackAnswer:
        result = await self._call(
            "wait_for_callback_answer", wait=timeout, query_id=query_id, timeout=timeout
        )
        return CallbackAnswer(**result)

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
        await self._call(
            "register_chat",
            chat_id=chat_id,
            chat_type=chat_type,
            title=title,
            first_name=first_name,
            last_name=last_name,
            username=username,
        )

    async def register_chats(self, chat_ids: list[int]) -> None:
        await self._call("register_chats", chat_ids=chat_ids)

    async def block_bot(self, user_id: int, notify: bool = True) -> None:
        await self._call("block_bot", user_id=user_id, notify=notify)

    async def unblock_bot(self, user_id: int, notify: bool = True) -> None:
        await self._call("unblock_bot", user_id=user_id, notify=notify)

    async def delete_chat(self, chat_id: int) -> None:
        await self._call("delete_chat", chat_id=chat_id)

    async def messages(self, chat_id: int, *, include_deleted: bool = True) -> list[SentMessage]:
        result = await self._call("messages", chat_id=chat_id, include_deleted=include_deleted)
        return [SentMessage.from_json(item) for item in result]

    async def last_message(self, chat_id: int) -> SentMessage | None:
        result = await self._call("last_message", chat_id=chat_id)
        return SentMessage.from_json(result) if result else None

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the wait itself is the API
        *,
        after_message_id: int | None = None,
    ) -> list[SentMessage]:
        result = await self._call(
            "wait_for_messages",
            wait=timeout,
            chat_id=chat_id,
            count=count,
            timeout=timeout,
            after_message_id=after_message_id,
        )
        return [SentMessage.from_json(item) for item in result]

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int,
        *,
        edits: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the wait itself is the API
    ) -> SentMessage:
        result = await self._call(
            "wait_for_edit",
            wait=timeout,
            chat_id=chat_id,
            message_id=message_id,
            edits=edits,
            timeout=timeout,
        )
        return SentMessage.from_json(result)

    async def commands(
        self, *, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        result: list[dict[str, str]] = await self._call(
            "commands", scope=scope, language_code=language_code
        )
        return result

    async def pending_update_count(self) -> int:
        return int(await self._call("pending_update_count"))

    async def webhook_url(self) -> str:
        return str(await self._call("webhook_url"))

    async def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        result: dict[str, Any] = await self._call("menu_button", chat_id=chat_id)
        return result

    async def inject_fault(
        self,
        kind: FaultKind,
        *,
        count: int = 1,
        methods: list[str] | None = None,
        status: int = 502,
        delay: float = 1.0,
    ) -> None:
        await self._call(
            "inject_fault", kind=kind, count=count, methods=methods, status=status, delay=delay
        )

    async def clear_faults(self) -> None:
        await self._call("clear_faults")

    async def set_limits(self, enabled: bool) -> None:
        await self._call("set_limits", enabled=enabled)

    async def stats(self) -> EmulatorStats:
        return EmulatorStats.from_json(await self._call("stats"))

    async def reset_stats(self) -> None:
        await self._call("reset_stats")

    async def delivery_log(self, since: int = 0) -> list[DeliveryLogEntry]:
        result = await self._call("delivery_log", since=since)
        return [DeliveryLogEntry(**item) for item in result]

    async def clear_delivery_log(self) -> None:
        await self._call("clear_delivery_log")
