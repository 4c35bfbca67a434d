"""The per-chat update processor: order within a chat, chats side by side, the slot cap, and no
per-chat state left behind. Updates are real ``telegram.Update`` objects; each one's work is a
coroutine that records what happened and waits for an event the test sets."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from telegram import Chat, Message, Update

from bot.updates import PerChatUpdateProcessor
from tests.waiting import wait_until

WITHIN = 5.0


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP)
    message = Message(update_id, dt.datetime(2022, 7, 25, tzinfo=dt.UTC), chat, text="hi")
    return Update(update_id, message=message)


class Work:
    """What the processor ran: which updates started, finished, and a gate per update."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.finished: list[int] = []
        self.gates: dict[int, asyncio.Event] = {}

    async def of(self, update_id: int) -> None:
        self.started.append(update_id)
        await self.gates.setdefault(update_id, asyncio.Event()).wait()
        self.finished.append(update_id)

    def release(self, update_id: int) -> None:
        self.gates.setdefault(update_id, asyncio.Event()).set()


def submit(
    processor: PerChatUpdateProcessor, work: Work, chat_id: int, update_id: int
) -> asyncio.Task[None]:
    """As python-telegram-bot's Application does: one task per update, in arrival order."""
    return asyncio.create_task(
        processor.process_update(update_in(chat_id, update_id), work.of(update_id))
    )


async def test_updates_of_one_chat_run_in_order_one_at_a_time() -> None:
    processor, work = PerChatUpdateProcessor(8), Work()
    tasks = [submit(processor, work, 42, n) for n in range(1, 6)]
    await wait_until(lambda: work.started == [1], WITHIN, "the first update to start")
    for n in range(1, 6):
        await wait_until(lambda n=n: work.started[-1] == n, WITHIN, f"update {n} to start")
        assert work.started == list(range(1, n + 1))  # the next waits for this one
        work.release(n)
    await asyncio.gather(*tasks)
    assert work.finished == [1, 2, 3, 4, 5]


async def test_updates_of_different_chats_run_side_by_side() -> None:
    processor, work = PerChatUpdateProcessor(8), Work()
    tasks = [submit(processor, work, chat, chat) for chat in (1, 2, 3)]
    await wait_until(lambda: sorted(work.started) == [1, 2, 3], WITHIN, "all three to start")
    for chat in (1, 2, 3):
        work.release(chat)
    await asyncio.gather(*tasks)


async def test_concurrency_cap_applies_to_running_updates() -> None:
    processor, work = PerChatUpdateProcessor(2), Work()
    tasks = [submit(processor, work, chat, chat) for chat in (1, 2, 3)]
    await wait_until(lambda: work.started == [1, 2], WITHIN, "two updates to start")
    await asyncio.sleep(0.05)  # a chance for a third to start, which must not be taken
    assert work.started == [1, 2]
    assert processor.current_concurrent_updates == 2
    work.release(1)
    await wait_until(lambda: work.started == [1, 2, 3], WITHIN, "the third to start")
    work.release(2)
    work.release(3)
    await asyncio.gather(*tasks)
    assert processor.current_concurrent_updates == 0


async def test_updates_queued_in_a_busy_chat_hold_no_slot() -> None:
    """Chat 1 has one update stuck and nine queued; with two slots, chat 2 still gets one."""
    processor, work = PerChatUpdateProcessor(2), Work()
    busy = [submit(processor, work, 1, n) for n in range(1, 11)]
    await wait_until(lambda: work.started == [1], WITHIN, "the busy chat's first update")
    other = submit(processor, work, 2, 100)
    await wait_until(lambda: 100 in work.started, WITHIN, "the other chat's update to start")
    assert processor.current_concurrent_updates == 2
    work.release(100)
    await other
    assert work.started == [1, 100]  # the busy chat is still on its first update
    for n in range(1, 11):
        work.release(n)
    await asyncio.gather(*busy)
    assert work.finished[1:] == list(range(1, 11))


async def test_chat_state_is_dropped_when_the_chat_is_idle() -> None:
    processor, work = PerChatUpdateProcessor(8), Work()
    tasks = [submit(processor, work, chat, n) for n, chat in enumerate((1, 1, 2, 3), start=1)]
    await wait_until(lambda: len(work.started) == 3, WITHIN, "one update per chat to start")
    assert processor.chats_in_progress == 3
    for n in (1, 3, 4):
        work.release(n)
    await wait_until(lambda: processor.chats_in_progress == 1, WITHIN, "chats 2 and 3 dropped")
    work.release(2)
    await asyncio.gather(*tasks)
    assert processor.chats_in_progress == 0


async def test_failed_or_cancelled_update_frees_its_chat_and_slot() -> None:
    processor, work = PerChatUpdateProcessor(1), Work()

    async def fails() -> None:
        raise RuntimeError("handler failed")

    failing = asyncio.create_task(processor.process_update(update_in(7, 1), fails()))
    stuck = submit(processor, work, 7, 2)
    queued = submit(processor, work, 7, 3)
    with pytest.raises(RuntimeError):
        await failing
    await wait_until(lambda: work.started == [2], WITHIN, "the next update to start")
    queued.cancel()  # cancelled while waiting for its turn: never runs
    with pytest.raises(asyncio.CancelledError):
        await queued
    work.release(2)
    await stuck
    assert work.started == [2]
    assert processor.chats_in_progress == 0
    assert processor.current_concurrent_updates == 0


async def test_update_without_a_chat_runs_without_a_turn() -> None:
    processor, work = PerChatUpdateProcessor(8), Work()
    task = asyncio.create_task(processor.process_update(object(), work.of(1)))
    await wait_until(lambda: work.started == [1], WITHIN, "the update to start")
    assert processor.chats_in_progress == 0
    work.release(1)
    await task
