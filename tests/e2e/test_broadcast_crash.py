"""Crash safety of an organiser broadcast: the bot runs as its own process (``python -m bot run``,
see :mod:`tests.e2e.botproc`), an organiser starts a broadcast to everyone through the emulator,
and the bot is killed with SIGKILL at random moments while it sends, then started again, until
the broadcast is out. The emulator (flood limits on) outlives every bot process, behind a relay
that gives every send a 100 ms round trip, and its delivery log is the witness.

Checked: nobody is lost, and a kill duplicates only the copies in flight at that moment (rows
still ``sending`` whose message the emulator had already recorded), so never more than the
sender's ``max_in_flight`` (4) per kill; the restarted bot also finishes the organiser's progress
message with the final report. Exactly-once is not possible at this boundary: ``sendMessage`` has
no idempotency key, so a process that dies between the request and writing down the answer
cannot know whether the copy went out.

``CONFBOT_BROADCAST_CRASH_N`` (default 400) sets the number of recipients,
``CONFBOT_BROADCAST_CRASH_KILLS`` (3) the number of kills, ``CONFBOT_BROADCAST_CRASH_SEED`` the
random kill moments. The issue's full run is ``CONFBOT_BROADCAST_CRASH_N=3000
CONFBOT_BROADCAST_CRASH_KILLS=8`` (about two minutes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.store import Store
from botapi_emulator import BotApiEmulator, SentMessage
from scheduler.sender import DEFAULT_RATE
from tests.e2e.botproc import BotProcess, DelayedAnswers, Kill, SkippableClock, seed_users
from tests.e2e.conftest import copy_content
from tests.waiting import wait_until

N = int(os.environ.get("CONFBOT_BROADCAST_CRASH_N", "400"))
KILLS = int(os.environ.get("CONFBOT_BROADCAST_CRASH_KILLS", "3"))
SEED = int(os.environ.get("CONFBOT_BROADCAST_CRASH_SEED", "20220725"))
MAX_IN_FLIGHT = 4  # OutboxSender's default, as bot/app.py builds it
ORGANISER = 9001
SEEN_AT = dt.datetime(2022, 7, 24, 9, 0, tzinfo=dt.UTC)  # when the seeded users last wrote
FIRST_USER = 800_000
MESSAGE = "The closing panel moves to Room B"
LATENCY = 0.1  # a Bot API round trip, so that kills find copies delivered but not acknowledged


def content_keeping_data_today(tmp_path: Path) -> Path:
    """The bundled content with a retention period not over today. This test runs the 2022
    event at today's date, when the bundled ``retention_days`` is long past and the bot would
    rightly delete the seeded users at start-up."""
    folder = copy_content(tmp_path)
    event = folder / "event.yaml"
    days = (dt.date.today() - dt.date(2022, 7, 29)).days + 365
    text = event.read_text(encoding="utf-8")
    assert text.count("retention_days: 90\n") == 1
    event.write_text(text.replace("retention_days: 90\n", f"retention_days: {days}\n"))
    return folder


@asynccontextmanager
async def broadcast_rig(
    tmp_path: Path, db: Path
) -> AsyncIterator[tuple[BotApiEmulator, DelayedAnswers, BotProcess, SkippableClock]]:
    """The emulator with Telegram's flood limits (on a clock that can skip their waits), a relay
    giving each sendMessage a round trip, and ``python -m bot run`` against them with the
    organiser configured, stopped and killed by the test as it likes."""
    limits_clock = SkippableClock()
    async with (
        BotApiEmulator(limits=True, clock=limits_clock) as emu,
        DelayedAnswers(emu.base_url, LATENCY, ["sendMessage"]) as relay,
        BotProcess(
            api_url=relay.api_url,
            file_url=emu.file_url,
            db_path=db,
            log_path=tmp_path / "bot.log",
            content_dir=content_keeping_data_today(tmp_path),
            extra_env={"CONFBOT_ORGANISERS": str(ORGANISER)},
        ) as bot,
    ):
        yield emu, relay, bot, limits_clock


async def start_broadcast(emu: BotApiEmulator, limits_clock: SkippableClock) -> SentMessage:
    """The organiser's conversation: compose, everyone, preview, send now. The progress message."""
    await emu.send_from_user(ORGANISER, "/broadcast")
    await emu.wait_for_messages(ORGANISER, timeout=15)
    await emu.send_from_user(ORGANISER, MESSAGE)
    [menu] = await emu.wait_for_messages(ORGANISER, timeout=15)
    await emu.press_button(ORGANISER, ORGANISER, menu.message_id, button_text="Everyone")
    _preview, confirm = await emu.wait_for_messages(ORGANISER, count=2, timeout=30)
    # The organiser reads the preview for a couple of seconds, and their chat's flood-limit
    # bucket (three messages, then one a second) refills meanwhile.
    limits_clock.skip(2.0)
    await emu.press_button(ORGANISER, ORGANISER, confirm.message_id, button_text="Send now")
    return await emu.wait_for_edit(ORGANISER, confirm.message_id, timeout=15)


async def test_broadcast_killed_repeatedly_loses_nobody_and_duplicates_only_in_flight(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    users = list(range(FIRST_USER, FIRST_USER + N))
    db = tmp_path / "bot.sqlite3"
    await seed_users(db, users, SEEN_AT)
    store = await Store.open(db)  # read-only use, beside the bot process (WAL)

    async def delivered() -> Counter[int]:
        log = await emu.delivery_log()
        return Counter(e.chat_id for e in log if e.text == MESSAGE and e.chat_id != ORGANISER)

    async def reported() -> bool:
        [broadcast] = await store.recent_broadcasts(1)
        return broadcast.finished_at is not None

    kills: list[Kill] = []
    try:
        async with broadcast_rig(tmp_path, db) as (emu, relay, bot, limits_clock):
            await emu.register_chats(users)
            await bot.start()
            progress = await start_broadcast(emu, limits_clock)
            log_before = 0
            while True:

                async def sending(log_before: int = log_before) -> bool:
                    return len(await delivered()) > log_before

                await bot.wait_until(sending, 30, "the first copy of the run")
                first_send = time.monotonic()
                remaining = N - len(await delivered())
                longest = min(5.0, remaining / DEFAULT_RATE - 0.5)
                if len(kills) == KILLS or longest < 1.0:
                    break
                sent_before = sum((await delivered()).values())
                # A random moment of the run to kill it at: the experiment, not a wait for
                # something to happen.
                await asyncio.sleep(rng.uniform(0.5, longest))
                await bot.kill()
                killed = time.monotonic()
                # Requests the bot sent before it died still reach the emulator; count after.
                await wait_until(relay.settled, 10, "the relay to pass on the last requests")
                seen = await delivered()
                in_flight = [
                    r for r in await store.outbox_rows("broadcast") if r.state == "sending"
                ]
                kills.append(
                    Kill(
                        after_first_send=killed - first_send,
                        sent_in_run=sum(seen.values()) - sent_before,
                        in_flight=len(in_flight),
                        in_flight_delivered=sum(1 for r in in_flight if seen[r.chat_id]),
                    )
                )
                log_before = len(seen)
                await bot.start()
            await bot.wait_until(reported, 60 + N / DEFAULT_RATE, "the final report")
            await bot.stop()
            final = await delivered()
            stats = await emu.stats()
            [report] = [
                m for m in await emu.messages(ORGANISER) if m.message_id == progress.message_id
            ]
        rows = await store.outbox_rows("broadcast")
    finally:
        await store.close()

    duplicates = sum(final.values()) - len(final)
    predicted = sum(k.in_flight_delivered for k in kills)
    print(
        f"\nbroadcast crash test: n={N} kills={len(kills)} duplicates={duplicates} "
        f"predicted={predicted} bound={len(kills) * MAX_IN_FLIGHT} "
        f"lost={len(set(users) - set(final))} r429={stats.too_many_requests}"
    )
    for number, kill in enumerate(kills, 1):
        print(
            f"  kill {number}: {kill.after_first_send:.2f} s into the run, "
            f"{kill.sent_in_run} sent in the run, in flight {kill.in_flight}, "
            f"of which already delivered {kill.in_flight_delivered}"
        )

    assert len(kills) == KILLS
    assert set(final) == set(users)  # nobody lost
    assert Counter(r.state for r in rows) == {"sent": N + 1}  # and the organiser's own copy
    assert all(k.in_flight <= MAX_IN_FLIGHT for k in kills)
    assert duplicates == predicted
    assert duplicates <= len(kills) * MAX_IN_FLIGHT
    assert f"Delivered: {N + 1}" in report.plain_text


STOPS = 2


async def test_broadcast_stopped_with_sigterm_neither_loses_nor_doubles(tmp_path: Path) -> None:
    """SIGTERM, the orderly stop of a deployment: the sender finishes the sends under way and
    leaves no row ``sending``, so the restarted bot sends nobody a second copy."""
    n = max(N // 2, 100)
    users = list(range(FIRST_USER, FIRST_USER + n))
    db = tmp_path / "bot.sqlite3"
    await seed_users(db, users, SEEN_AT)
    store = await Store.open(db)
    in_flight_at_stop: list[int] = []
    exit_codes: list[int | None] = []
    try:
        async with broadcast_rig(tmp_path, db) as (emu, _relay, bot, limits_clock):

            async def delivered() -> Counter[int]:
                log = await emu.delivery_log()
                return Counter(
                    e.chat_id for e in log if e.text == MESSAGE and e.chat_id != ORGANISER
                )

            async def reported() -> bool:
                [broadcast] = await store.recent_broadcasts(1)
                return broadcast.finished_at is not None

            await emu.register_chats(users)
            await bot.start()
            await start_broadcast(emu, limits_clock)
            for _ in range(STOPS):
                before = len(await delivered())

                async def sending(before: int = before) -> bool:
                    return len(await delivered()) >= before + 20

                await bot.wait_until(sending, 30, "copies of this run")
                exit_codes.append(await bot.stop())
                in_flight_at_stop.append(
                    sum(1 for r in await store.outbox_rows("broadcast") if r.state == "sending")
                )
                await bot.start()
            await bot.wait_until(reported, 60 + n / DEFAULT_RATE, "the final report")
            await bot.stop()
            final = await delivered()
        rows = await store.outbox_rows("broadcast")
    finally:
        await store.close()

    assert exit_codes == [0] * STOPS
    assert in_flight_at_stop == [0] * STOPS  # every send under way was finished
    assert set(final) == set(users)  # nobody lost
    assert sum(final.values()) == n  # nobody doubled
    assert Counter(r.state for r in rows) == {"sent": n + 1}
