"""End-to-end fixtures: the real python-telegram-bot Application, polling the local Bot API
emulator, on the bundled content (or a copy a test changed) and a fresh SQLite file.

Every test here fails if the bot logged an error while it ran (see :mod:`tests.e2e.bot_errors`):
the ``bot_errors`` fixture is autouse. A test that provokes an error on purpose is marked
``@pytest.mark.expect_bot_errors`` and asserts, through ``bot_errors``, the error it expects.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.clock import Clock, FixedClock
from bot.content import Content, load_content_or_raise
from bot.domain.outbox import OutboxRow
from bot.local import running_bot
from bot.runtime import BotData
from bot.store import Store
from botapi_emulator import BotApiEmulator, SentMessage
from tests.conftest import CONTENT_DIR, TEST_TIMES
from tests.e2e.bot_errors import BotErrors, describe, set_current
from tests.waiting import wait_until

ATTENDEE = 1001
OTHER_ATTENDEE = 1002
ORGANISER = 9001
STAFF = 9002
CASABLANCA = dt.timezone(dt.timedelta(hours=1))  # Africa/Casablanca in July 2022
DURING_EVENT = dt.datetime(2022, 7, 25, 10, 30, tzinfo=CASABLANCA)


@dataclass
class Chat:
    """One user talking to the running bot."""

    emu: BotApiEmulator
    app: Application  # type: ignore[type-arg]
    user_id: int = ATTENDEE

    @property
    def services(self) -> BotData:
        svc = self.app.bot_data
        assert isinstance(svc, BotData)
        return svc

    async def say(self, text: str, replies: int = 1, **user: Any) -> list[SentMessage]:
        """Send a message and wait for ``replies`` messages from the bot."""
        await self.emu.send_from_user(self.user_id, text, **user)
        return await self.emu.wait_for_messages(self.user_id, count=replies, timeout=10)

    async def press(self, message: SentMessage, text: str) -> SentMessage:
        """Press the button labelled ``text`` (or containing it); the message as edited."""
        before = len(message.edits)
        await self.emu.press_button(
            self.user_id, self.user_id, message.message_id, button_text=text
        )
        return await self.emu.wait_for_edit(
            self.user_id, message.message_id, edits=before + 1, timeout=10
        )

    async def press_data(self, message_id: int, data: str) -> str:
        return await self.emu.press_button(
            self.user_id, self.user_id, message_id, data, strict=False
        )


# How long a negative test watches for a message that must not come. No bounded wait can prove
# that nothing will ever be sent; this one catches what a bug would send at once (the bot
# answers within a few milliseconds here), which is what those tests are about.
QUIET_PERIOD = 1.0


async def assert_no_message(
    emu: BotApiEmulator, chat_id: int, within: float = QUIET_PERIOD
) -> None:
    """Fail if the bot sends the chat a message (not yet seen by a wait) within ``within`` s."""
    try:
        unexpected = await emu.wait_for_messages(chat_id, timeout=within)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected message to {chat_id}: {unexpected[0].plain_text!r}")


def move_clock(chat: Chat, to: dt.datetime) -> None:
    """Set the bot's FixedClock to ``to`` and wake the sender, as time passing would.

    The sender sleeps until the next due time by the clock it was given; a FixedClock that
    jumps does not wake it, hence the nudge.
    """
    clock = chat.services.clock
    assert isinstance(clock, FixedClock), "move_clock needs the FixedClock fixture"
    assert to >= clock.now(), "the clock only moves forward"
    clock.advance(to - clock.now())
    assert chat.services.sender is not None
    chat.services.sender.wake()


async def wait_for_rows(
    store: Store, kind: str, done: Callable[[list[OutboxRow]], bool], within: float = 10.0
) -> list[OutboxRow]:
    """Outbox rows of a kind once ``done`` holds for them (the sender records a final state
    just after Telegram answered, so a test that saw the message may look a moment early)."""
    last: list[OutboxRow] = []

    async def finished() -> list[OutboxRow] | None:
        nonlocal last
        last = await store.outbox_rows(kind)
        return last if done(last) else None

    return await wait_until(
        finished,
        within,
        f"the {kind} rows to reach the expected states",
        explain=lambda: "\n".join(f"{r.key}: {r.state}" for r in last),
    )


BOT_ERRORS = pytest.StashKey[BotErrors]()


@pytest.fixture(autouse=True)
def bot_errors(request: pytest.FixtureRequest) -> Iterator[BotErrors]:
    """Errors the bot logs during the test. Set up before (and so torn down after) the bot,
    so that errors while it shuts down are caught too."""
    collector = BotErrors()
    request.node.stash[BOT_ERRORS] = collector
    set_current(collector)
    try:
        with collector.watching():
            yield collector
    finally:
        set_current(None)
    late = collector.take_unreported()
    if late and request.node.get_closest_marker("expect_bot_errors") is None:
        pytest.fail(describe(late, "after the test, while it was torn down"), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Fail the test itself (not its teardown) on errors logged while it ran, so that
    ``xfail`` applies, and name them first when they are the likely cause of a failure."""
    collector = item.stash.get(BOT_ERRORS, None)
    expected = item.get_closest_marker("expect_bot_errors") is not None
    try:
        result = yield
    except Exception as failure:
        errors = collector.take_unreported() if collector and not expected else []
        if errors:
            raise AssertionError(describe(errors, "during the test")) from failure
        raise
    errors = collector.take_unreported() if collector and not expected else []
    if errors:
        raise AssertionError(describe(errors, "during the test"))
    return result


def copy_content(tmp_path: Path, *, test_times: bool = True) -> Path:
    """The bundled content, with the sessions of ``TEST_TIMES`` given their test times in the
    YAML itself (so that a reload from these files keeps them) unless ``test_times`` is off."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    if not test_times:
        return target
    sessions = target / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    for session_id, (day, start, end) in TEST_TIMES.items():
        head = f"  - id: {session_id}\n"
        at = text.index(head)
        kind_end = text.index("\n", text.index("    kind: ", at)) + 1
        times = f'    day: {day.isoformat()}\n    start: "{start:%H:%M}"\n    end: "{end:%H:%M}"\n'
        block = (
            text[kind_end:].replace("    start: TBA\n", "", 1)
            if text[kind_end:].startswith("    start: TBA\n")
            else text[kind_end:]
        )
        text = text[:kind_end] + times + block
    sessions.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def clock() -> Clock:
    return FixedClock(DURING_EVENT)


@pytest.fixture
def content_dir(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    # ``@pytest.mark.bundled_as_is``: the bundled content exactly, sessions without a time too.
    as_is = request.node.get_closest_marker("bundled_as_is") is not None
    return copy_content(tmp_path, test_times=not as_is)


@pytest.fixture
def content(content_dir: Path) -> Content:
    loaded, _ = load_content_or_raise(content_dir)
    return loaded


@pytest.fixture
async def running(
    tmp_path: Path, content: Content, content_dir: Path, clock: Clock
) -> AsyncIterator[tuple[BotApiEmulator, Application]]:  # type: ignore[type-arg]
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=content_dir,
        clock=clock,
        organisers=frozenset({ORGANISER}),
        staff=frozenset({STAFF}),
    ) as (emu, app):
        yield emu, app


WEBHOOK_SECRET = "webhook-secret-of-the-e2e-tests"


def free_port() -> int:
    """A port nothing listens on now, for a listener whose URL must be known before it starts
    (the webhook URL is set before the bot listens)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class WebhookBot:
    """The bot in webhook mode: the emulator posts updates to ``url``, the bot listens there."""

    emu: BotApiEmulator
    app: Application  # type: ignore[type-arg]
    base_url: str  # http://127.0.0.1:PORT, for /healthz and /metrics
    url: str  # the webhook URL
    secret: str


@pytest.fixture
async def webhook_running(
    tmp_path: Path, content: Content, content_dir: Path, clock: Clock
) -> AsyncIterator[WebhookBot]:
    """As ``running``, but the bot takes its updates by webhook (the emulator POSTs them)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    async with running_bot(
        content,
        db_path=tmp_path / "bot.sqlite3",
        content_dir=content_dir,
        clock=clock,
        organisers=frozenset({ORGANISER}),
        staff=frozenset({STAFF}),
        webhook_url=f"{base_url}/telegram",
        webhook_secret=WEBHOOK_SECRET,
        listen=("127.0.0.1", port),
    ) as (emu, app):
        yield WebhookBot(emu, app, base_url, f"{base_url}/telegram", WEBHOOK_SECRET)


@pytest.fixture
def chat(running: tuple[BotApiEmulator, Application]) -> Chat:  # type: ignore[type-arg]
    emu, app = running
    return Chat(emu, app)


@pytest.fixture
def organiser(running: tuple[BotApiEmulator, Application]) -> Chat:  # type: ignore[type-arg]
    emu, app = running
    return Chat(emu, app, ORGANISER)


@pytest.fixture
def staff(running: tuple[BotApiEmulator, Application]) -> Chat:  # type: ignore[type-arg]
    emu, app = running
    return Chat(emu, app, STAFF)
