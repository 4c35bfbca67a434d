"""The outbox sender (scheduler/sender.py): what becomes of each row when Telegram answers badly.

A real python-telegram-bot ``Bot`` (without the Application's AIORateLimiter, so the sender's
own handling of ``RetryAfter`` is what is tested), the local Bot API emulator with its fault
injection, and a real Store in a temporary SQLite file. The sender's clock is a FixedClock: a
test moves it past a retry time and wakes the sender, instead of sleeping through the backoff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram import Bot

from bot.clock import FixedClock, ShiftedClock
from bot.domain.outbox import FINAL_STATES, Delivery, OutboxKind, OutboxRow
from bot.i18n import current_language
from bot.local import LOCAL_TOKEN
from bot.store import Store
from botapi_emulator import BotApiEmulator
from scheduler.sender import MAX_ATTEMPTS, OutboxSender, Rendered
from tests.waiting import wait_until

NOW = dt.datetime(2022, 7, 25, 9, 0, tzinfo=dt.UTC)
CHAT = 4242
KIND = OutboxKind.CHANGE_NOTICE
TEXT = "The panel moves to Room B"
# How long a test watches for a request that must not be made (the sender acts within
# milliseconds of a wake-up; a bounded wait cannot prove "never", only "not at once").
QUIET_PERIOD = 0.5


class EmulatorClock:
    """The emulator's flood-limit clock, moved by hand so that buckets refill without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def render(rows: Sequence[OutboxRow]) -> Rendered:
    return Rendered(text=str(rows[0].payload["text"]))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


@pytest.fixture
def limits_clock() -> EmulatorClock:
    return EmulatorClock()


@pytest.fixture
async def emu(limits_clock: EmulatorClock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(clock=limits_clock) as emulator:
        await emulator.register_chat(CHAT)
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(LOCAL_TOKEN, base_url=emu.api_url) as telegram_bot:
        yield telegram_bot


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def blocked_calls() -> list[int]:
    return []


@pytest.fixture
def sender(bot: Bot, store: Store, clock: FixedClock, blocked_calls: list[int]) -> OutboxSender:
    async def on_blocked(chat_id: int) -> None:
        blocked_calls.append(chat_id)

    return OutboxSender(
        bot,
        store,
        clock,
        {KIND: render},
        # Retries of one chat would otherwise wait a real second each (Telegram's per-chat
        # pace); these tests are about the retries, not the pace.
        per_chat_interval=0.0,
        on_blocked=on_blocked,
    )


@asynccontextmanager
async def sending(sender: OutboxSender) -> AsyncIterator[OutboxSender]:
    await sender.start()
    try:
        yield sender
    finally:
        await sender.stop()


async def enqueue(store: Store, text: str = TEXT, chat_id: int = CHAT) -> None:
    await store.enqueue([Delivery(f"{KIND}:{chat_id}", KIND, chat_id, {"text": text}, NOW)], NOW)


async def row_when(store: Store, condition: Callable[[OutboxRow], bool], what: str) -> OutboxRow:
    """The one outbox row, once ``condition`` holds for it."""
    last: list[OutboxRow] = []

    async def reached() -> OutboxRow | None:
        last[:] = await store.outbox_rows(KIND)
        return last[0] if len(last) == 1 and condition(last[0]) else None

    return await wait_until(reached, 10, what, explain=lambda: repr(last))


async def requests(emu: BotApiEmulator, method: str = "sendMessage") -> int:
    return (await emu.stats()).requests_by_method.get(method, 0)


async def more_requests(emu: BotApiEmulator, than: int) -> bool:
    return await requests(emu) > than


async def assert_no_request(emu: BotApiEmulator, before: int) -> None:
    """Fail if the sender makes another sendMessage request within QUIET_PERIOD."""
    try:
        await wait_until(lambda: more_requests(emu, before), QUIET_PERIOD, "another request")
    except AssertionError:
        return  # timed out: no request, as expected
    raise AssertionError(f"the sender sent again before it was due ({before} requests before)")


async def retry_and_wake(sender: OutboxSender, clock: FixedClock, store: Store) -> dt.timedelta:
    """Move the clock to the row's retry time, wake the sender; the backoff it waited."""
    retry_at = await store.next_pending_due()
    assert retry_at is not None
    backoff = retry_at - clock.now()
    clock.advance(backoff)
    sender.wake()
    return backoff


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("error", 502, "Bad Gateway"),
        ("error", 503, "Service Unavailable"),
        ("drop", 502, "RemoteProtocolError"),
    ],
)
async def test_send_network_error_retried_with_backoff_then_sent(
    emu: BotApiEmulator,
    store: Store,
    clock: FixedClock,
    sender: OutboxSender,
    kind: str,
    status: int,
    error: str,
) -> None:
    await emu.inject_fault(kind, count=2, methods=["sendMessage"], status=status)  # type: ignore[arg-type]
    await enqueue(store)

    async with sending(sender):
        first = await row_when(
            store, lambda r: (r.state, r.attempts) == ("pending", 1), "the first retry"
        )
        await assert_no_request(emu, before=1)  # not again before the backoff
        backoffs = [await retry_and_wake(sender, clock, store)]
        await row_when(store, lambda r: (r.state, r.attempts) == ("pending", 2), "a second retry")
        backoffs.append(await retry_and_wake(sender, clock, store))
        sent = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")

    [message] = await emu.messages(CHAT)
    assert first.error is not None and error in first.error
    assert backoffs == [dt.timedelta(seconds=1), dt.timedelta(seconds=2)]
    assert (sent.state, sent.attempts, sent.message_id, sent.error) == (
        "sent",
        3,
        message.message_id,
        None,
    )
    assert message.plain_text == TEXT
    assert await requests(emu) == 3
    assert (sender.stats.sent, sender.stats.retried, sender.stats.failed) == (1, 2, 0)


async def test_send_network_error_every_time_fails_after_max_attempts(
    emu: BotApiEmulator, store: Store, clock: FixedClock, sender: OutboxSender
) -> None:
    await emu.inject_fault("error", count=MAX_ATTEMPTS + 1, methods=["sendMessage"])
    await enqueue(store)

    backoffs = []
    async with sending(sender):
        for attempt in range(1, MAX_ATTEMPTS):
            await row_when(
                store,
                lambda r, n=attempt: (r.state, r.attempts) == ("pending", n),  # type: ignore[misc]
                f"retry {attempt}",
            )
            backoffs.append((await retry_and_wake(sender, clock, store)).total_seconds())
        failed = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")
        await assert_no_request(emu, before=MAX_ATTEMPTS)  # and no attempt after the last

    assert MAX_ATTEMPTS == 5
    assert backoffs == [1.0, 2.0, 4.0, 8.0]
    assert (failed.state, failed.attempts, failed.message_id) == ("failed", MAX_ATTEMPTS, None)
    assert failed.error is not None and "Bad Gateway" in failed.error
    assert await requests(emu) == MAX_ATTEMPTS
    assert await emu.messages(CHAT) == []
    assert (sender.stats.failed, sender.stats.retried, sender.stats.sent) == (1, 4, 0)


async def test_send_answer_lost_after_delivery_sent_again_at_least_once(
    emu: BotApiEmulator, store: Store, clock: FixedClock, sender: OutboxSender
) -> None:
    # Telegram delivered the message but the connection dropped before the answer: the sender
    # cannot know, retries, and the user gets it twice. At-least-once is the design.
    await emu.inject_fault("drop_after", methods=["sendMessage"])
    await enqueue(store)

    async with sending(sender):
        await row_when(store, lambda r: (r.state, r.attempts) == ("pending", 1), "the retry")
        await retry_and_wake(sender, clock, store)
        sent = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")

    copies = await emu.messages(CHAT)
    assert [m.plain_text for m in copies] == [TEXT, TEXT]
    assert (sent.state, sent.attempts, sent.message_id) == ("sent", 2, copies[1].message_id)


async def test_send_retry_after_waits_then_sends_without_counting_an_attempt(
    emu: BotApiEmulator,
    bot: Bot,
    store: Store,
    clock: FixedClock,
    sender: OutboxSender,
    limits_clock: EmulatorClock,
) -> None:
    await emu.set_limits(True)
    for n in range(3):  # a private chat's burst: the next message to it must wait a second
        await bot.send_message(CHAT, f"earlier {n}")
    await enqueue(store)

    async with sending(sender):
        waiting = await row_when(
            store, lambda r: r.state == "pending" and r.error is not None, "the 429"
        )
        retry_at = await store.next_pending_due()
        sender.wake()
        await assert_no_request(emu, before=4)  # not before retry_after has passed
        limits_clock.advance(1.0)
        clock.advance(dt.timedelta(seconds=1))
        sender.wake()
        sent = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")

    stats = await emu.stats()
    messages = await emu.messages(CHAT)
    assert waiting.attempts == 0  # a 429 is Telegram's pace, not a failed attempt
    assert waiting.error == "Flood control exceeded. Retry in 1 seconds"
    assert retry_at == NOW + dt.timedelta(seconds=1)
    assert (sent.state, sent.attempts, sent.message_id) == ("sent", 1, messages[-1].message_id)
    assert [m.plain_text for m in messages] == ["earlier 0", "earlier 1", "earlier 2", TEXT]
    assert stats.too_many_requests == 1
    assert (sender.stats.retry_after, sender.stats.sent) == (1, 1)


async def test_send_to_deleted_chat_ends_not_found(
    emu: BotApiEmulator, store: Store, sender: OutboxSender, blocked_calls: list[int]
) -> None:
    await emu.delete_chat(CHAT)
    await enqueue(store)

    async with sending(sender):
        row = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")
        await assert_no_request(emu, before=1)  # not retried

    assert (row.state, row.attempts, row.message_id) == ("not_found", 1, None)
    assert row.error == "Chat not found"
    assert blocked_calls == []
    assert (sender.stats.not_found, sender.stats.failed) == (1, 0)


async def test_send_to_user_who_blocked_the_bot_ends_blocked_and_tells_on_blocked(
    emu: BotApiEmulator, store: Store, sender: OutboxSender, blocked_calls: list[int]
) -> None:
    await store.touch_user(CHAT, "en", NOW)
    await emu.block_bot(CHAT)
    await enqueue(store)

    async with sending(sender):
        row = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")
        await wait_until(lambda: blocked_calls, 10, "on_blocked")
        await assert_no_request(emu, before=1)  # not retried

    user = await store.user(CHAT)
    assert (row.state, row.attempts, row.message_id) == ("blocked", 1, None)
    assert row.error == "Forbidden: bot was blocked by the user"
    assert blocked_calls == [CHAT]
    assert user is not None and user.blocked
    assert sender.stats.blocked == 1


async def test_send_refused_as_bad_request_fails_at_once_and_logs(
    emu: BotApiEmulator, store: Store, sender: OutboxSender, caplog: pytest.LogCaptureFixture
) -> None:
    await enqueue(store, text="x" * 5000)  # over Telegram's 4096

    async with sending(sender):
        row = await row_when(store, lambda r: r.state in FINAL_STATES, "the final state")

    assert (row.state, row.attempts) == ("failed", 1)
    assert row.error == "Message is too long"
    assert await emu.messages(CHAT) == []
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        f"Telegram refused {KIND}:{CHAT}: Message is too long"
    ]


BULK = 120
REMINDERS = 20


async def test_reminders_due_during_broadcast_sent_on_time(tmp_path: Path) -> None:
    """A broadcast in progress does not starve reminders: the one sender gives deadline rows
    their wave and fills only the rest of its capacity with bulk rows. Real time on purpose:
    the wave planning and the pace are what is tested."""
    clock = ShiftedClock(NOW)
    now = clock.now()
    due = now + dt.timedelta(seconds=6)  # its wave starts about 2 s in
    store = await Store.open(tmp_path / "bot.sqlite3")
    broadcast = await store.create_broadcast(
        created_by=1,
        audience="all",
        audience_label="everyone",
        content_kind="text",
        body="bulk",
        file_id=None,
        paid=False,
        recipients=list(range(10_000, 10_000 + BULK)),
        due_at=now,
        now=now,
    )
    reminders = [
        Delivery(f"reminder:x:{u}", OutboxKind.REMINDER, u, {}, due, priority=0)
        for u in range(20_000, 20_000 + REMINDERS)
    ]
    await store.enqueue(reminders, now)

    async def kind_and_key(rows: Sequence[OutboxRow]) -> Rendered:
        return Rendered(text=f"{rows[0].kind} {rows[0].key}")

    async def all_final() -> bool:
        counts = await store.outbox_counts()
        return counts.get("pending", 0) + counts.get("sending", 0) == 0

    async with BotApiEmulator(limits=True) as emu:
        await emu.register_chats(
            [*range(10_000, 10_000 + BULK), *range(20_000, 20_000 + REMINDERS)]
        )
        async with Bot(LOCAL_TOKEN, base_url=emu.api_url) as bot:
            sender = OutboxSender(
                bot,
                store,
                clock,
                {OutboxKind.BROADCAST: kind_and_key, OutboxKind.REMINDER: kind_and_key},
                coalesce=frozenset(),
            )
            async with sending(sender):
                await wait_until(all_final, 20, "every row to reach a final state")
        log = await emu.delivery_log()
        stats = await emu.stats()
    rows = await store.outbox_rows()
    await store.close()

    reminder_rows = [r for r in rows if r.kind == "reminder"]
    last_reminder = max(r.finished_at for r in reminder_rows if r.finished_at)
    order = [e.text.split()[0] for e in log if e.text]
    assert {r.state for r in rows} == {"sent"}
    assert sum(1 for r in rows if r.batch == str(broadcast.id) and r.state == "sent") == BULK
    # Every reminder left by its due time (to the second the store keeps), the broadcast after.
    assert last_reminder <= due.replace(microsecond=0) + dt.timedelta(seconds=1)
    assert order.index("broadcast") < order.index("reminder")  # the broadcast was under way
    assert order[-1] == "broadcast"
    assert stats.too_many_requests == 0


async def test_each_delivery_is_rendered_in_its_recipients_language(
    bot: Bot, store: Store, clock: FixedClock, emu: BotApiEmulator
) -> None:
    other = CHAT + 1
    await emu.register_chat(other)
    looked_up: list[list[int]] = []

    async def languages(chat_ids: Sequence[int]) -> dict[int, str]:
        looked_up.append(sorted(chat_ids))
        return {CHAT: "fr", other: "ar"}

    async def render_language(rows: Sequence[OutboxRow]) -> Rendered:
        return Rendered(text=f"{rows[0].chat_id} reads {current_language()}")

    sender = OutboxSender(
        bot,
        store,
        clock,
        {KIND: render_language},
        per_chat_interval=0.0,
        languages=languages,
    )
    await enqueue(store, chat_id=CHAT)
    await enqueue(store, chat_id=other)
    async with sending(sender):
        await wait_until(lambda: _both_sent(emu, CHAT, other), 10, "both deliveries")
    assert [m.plain_text for m in await emu.messages(CHAT)] == [f"{CHAT} reads fr"]
    assert [m.plain_text for m in await emu.messages(other)] == [f"{other} reads ar"]
    # One look-up for the batch, not one per row.
    assert looked_up[0] == [CHAT, other]
    assert current_language() == "en"


async def _both_sent(emu: BotApiEmulator, *chats: int) -> bool | None:
    for chat_id in chats:
        if not await emu.messages(chat_id):
            return None
    return True
