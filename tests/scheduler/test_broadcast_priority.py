"""A broadcast in progress does not starve reminders: the one sender gives deadline rows their
wave and fills only the rest of its capacity with bulk rows (real sender, real emulator)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from telegram import Bot

from bot.clock import SystemClock
from bot.domain.outbox import Delivery, OutboxKind, OutboxRow
from bot.local import LOCAL_TOKEN
from bot.store import Store
from botapi_emulator import BotApiEmulator
from scheduler.sender import OutboxSender, Rendered

BULK = 120
REMINDERS = 20


async def render(rows: Sequence[OutboxRow]) -> Rendered:
    return Rendered(text=f"{rows[0].kind} {rows[0].key}")


async def test_reminders_due_during_broadcast_sent_on_time(tmp_path: Path) -> None:
    clock = SystemClock()
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
    async with BotApiEmulator(limits=True) as emu:
        await emu.register_chats(
            [*range(10_000, 10_000 + BULK), *range(20_000, 20_000 + REMINDERS)]
        )
        async with Bot(LOCAL_TOKEN, base_url=emu.api_url) as bot:
            sender = OutboxSender(
                bot,
                store,
                clock,
                {OutboxKind.BROADCAST: render, OutboxKind.REMINDER: render},
                coalesce=frozenset(),
            )
            await sender.start()
            try:
                for _ in range(200):
                    counts = await store.outbox_counts()
                    if counts.get("pending", 0) + counts.get("sending", 0) == 0:
                        break
                    await asyncio.sleep(0.1)
            finally:
                await sender.stop()
        log = await emu.delivery_log()
        stats = await emu.stats()
    rows = await store.outbox_rows()
    await store.close()

    reminder_rows = [r for r in rows if r.kind == "reminder"]
    last_reminder = max(r.finished_at for r in reminder_rows if r.finished_at)
    order = [e.text.split()[0] for e in log if e.text]
    assert {r.state for r in rows} == {"sent"}
    assert sent_in_batch(rows, str(broadcast.id)) == BULK
    # Every reminder left by its due time (to the second the store keeps), the broadcast after.
    assert last_reminder <= due.replace(microsecond=0) + dt.timedelta(seconds=1)
    assert order.index("broadcast") < order.index("reminder")  # the broadcast was under way
    assert order[-1] == "broadcast"
    assert stats.too_many_requests == 0


def sent_in_batch(rows: Sequence[OutboxRow], batch: str) -> int:
    return sum(1 for r in rows if r.batch == batch and r.state == "sent")
