"""Delivery of updates by webhook: the emulator POSTs each update to the URL the bot set, with
the secret token header, tries again until the bot answers 2xx, and keeps each chat's order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from botapi_emulator import BotApiEmulator

SECRET = "s3cret_token-for-tests"
Answer = Callable[[dict[str, Any]], Awaitable[int]]


class Receiver:
    """A bot's webhook listener: records what it is sent and answers what ``answer`` says."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[str | None] = []
        self.answer: Answer | None = None
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.received.append(update)
        self.headers.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        status = 200 if self.answer is None else await self.answer(update)
        return web.Response(status=status)

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    await hook.start()
    try:
        yield hook
    finally:
        await hook.stop()


@pytest.fixture
def fast_retries(emu: BotApiEmulator) -> BotApiEmulator:
    emu.webhook_retry = (0.02, 0.1)
    return emu


async def settle(condition: Callable[[], bool], within: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def drained(emu: BotApiEmulator, within: float = 5.0) -> None:
    """Wait until the bot has taken every queued update."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while await emu.pending_update_count():
        assert loop.time() < deadline, "updates still pending"
        await asyncio.sleep(0.01)


async def test_webhook_posts_updates_with_the_secret_and_empties_the_queue(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token=SECRET, allowed_updates=["message"])
    first = await emu.send_from_user(42, "/start")
    await emu.send_from_user(43, "hello")

    await settle(lambda: len(receiver.received) == 2)
    await drained(emu)

    assert [u["message"]["text"] for u in receiver.received] == ["/start", "hello"]
    assert receiver.received[0]["message"]["message_id"] == first["message_id"]
    assert receiver.headers == [SECRET, SECRET]
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_message) == (
        receiver.url,
        0,
        None,
    )
    assert (await emu.stats()).webhook_deliveries == 2


async def test_webhook_retries_until_2xx_and_reports_the_last_error(
    fast_retries: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    emu = fast_retries
    answers = iter([403, 500])

    async def refuse_twice(update: dict[str, Any]) -> int:
        return next(answers, 200)

    receiver.answer = refuse_twice
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    await emu.send_from_user(42, "/start")

    await settle(lambda: len(receiver.received) == 3)
    await drained(emu)

    assert {u["update_id"] for u in receiver.received} == {receiver.received[0]["update_id"]}
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert (await emu.stats()).webhook_failures == 2


async def test_webhook_keeps_pending_updates_while_the_listener_is_down(
    fast_retries: BotApiEmulator, bot: Bot
) -> None:
    emu = fast_retries
    hook = Receiver()
    await hook.start()
    port = hook.port
    await hook.stop()  # the bot is down: connections are refused
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=SECRET)
    await emu.send_from_user(42, "one")
    await emu.send_from_user(42, "two")
    await asyncio.sleep(0.3)

    info = await bot.get_webhook_info()
    assert info.pending_update_count == 2
    assert info.last_error_message == "Connection refused"

    await hook.start(port)  # the bot is back
    try:
        await settle(lambda: len(hook.received) == 2)
    finally:
        await hook.stop()
    assert [u["message"]["text"] for u in hook.received] == ["one", "two"]


async def test_webhook_keeps_each_chats_order_but_not_across_chats(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    release = asyncio.Event()

    async def slow_for_42(update: dict[str, Any]) -> int:
        if update["message"]["chat"]["id"] == 42:
            await release.wait()
        return 200

    receiver.answer = slow_for_42
    await bot.set_webhook(receiver.url)
    await emu.send_from_user(42, "first of 42")
    await emu.send_from_user(42, "second of 42")
    await emu.send_from_user(43, "only of 43")

    await settle(lambda: len(receiver.received) == 2)
    # 43 is not held up by 42, and 42's second waits for its first to be answered.
    assert [u["message"]["text"] for u in receiver.received] == ["first of 42", "only of 43"]
    release.set()
    await settle(lambda: len(receiver.received) == 3)
    assert receiver.received[2]["message"]["text"] == "second of 42"
    assert receiver.headers[0] is None  # no secret was set, so no header


async def test_delete_webhook_stops_delivery_and_get_updates_takes_over(
    fast_retries: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    emu = fast_retries

    async def refuse(update: dict[str, Any]) -> int:
        return 503

    receiver.answer = refuse
    await bot.set_webhook(receiver.url)
    await emu.send_from_user(42, "kept")
    await settle(lambda: len(receiver.received) >= 1)
    with pytest.raises(Conflict):
        await bot.get_updates()

    await bot.delete_webhook()
    tried = len(receiver.received)
    await asyncio.sleep(0.3)

    assert len(receiver.received) == tried
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "kept"


async def test_set_webhook_refuses_plain_http_elsewhere_and_bad_secrets(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("http://example.org/hook")
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook("https://example.org/hook", secret_token="no spaces")
