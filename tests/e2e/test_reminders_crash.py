"""Crash safety of the reminder wave: the bot runs as its own process (``python -m bot run``) and
is killed with SIGKILL at random moments while it sends the opening's reminders, then started
again, until the wave is out. The emulator (flood limits on) keeps running throughout, behind a
relay that gives every send a 100 ms round trip, and its delivery log is the witness.

What the design promises, and what is checked: no reminder is lost (at-least-once), and a kill
duplicates only the messages that were in flight at that moment, so never more than
``max_in_flight`` (4) per kill. The test predicts the duplicates exactly: a row still marked
``sending`` after the kill whose message the emulator had already recorded is the one, and the
only one, that is sent twice. Exactly-once is not achievable at this boundary: Telegram's
``sendMessage`` has no idempotency key, so a process that dies between the request and writing
down the answer cannot know whether the message went out.

``CONFBOT_CRASH_N`` (default 400) sets the size of the wave, ``CONFBOT_CRASH_KILLS`` (3) the
number of kills and ``CONFBOT_CRASH_SEED`` the random kill moments.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
import random
import time
from collections import Counter
from pathlib import Path

from bot.store import Store
from botapi_emulator import BotApiEmulator
from scheduler.sender import DEFAULT_RATE, WAVE_MARGIN, WAVE_SAFETY, wave_start
from tests.e2e.botproc import BotProcess, DelayedAnswers, Kill, seed_users
from tests.e2e.conftest import CASABLANCA
from tests.waiting import wait_until

N = int(os.environ.get("CONFBOT_CRASH_N", "400"))
KILLS = int(os.environ.get("CONFBOT_CRASH_KILLS", "3"))
SEED = int(os.environ.get("CONFBOT_CRASH_SEED", "20220725"))
MAX_IN_FLIGHT = 4  # OutboxSender's default, as bot/app.py builds it
OPENING = dt.datetime(2022, 7, 25, 10, 0, tzinfo=CASABLANCA)  # plen-1, for everyone
DUE = OPENING - dt.timedelta(minutes=15)
FIRST_USER = 700_000
# Each sendMessage is answered this long after the emulator delivered it (a Bot API round trip
# is 50-300 ms), so that a kill finds requests in flight, delivered but not acknowledged, as it
# would in production. Below 4 / 28.5 s, so the sender's four slots keep up with its pace.
LATENCY = 0.1


def first_moment(count: int) -> dt.datetime:
    """The moment the sender starts a wave of ``count`` reminders due at DUE (to the second)."""
    start = wave_start([(DUE, count)], DEFAULT_RATE / WAVE_SAFETY)
    assert start is not None
    start -= WAVE_MARGIN
    return start.replace(microsecond=0) + dt.timedelta(seconds=1)


def later(moment: dt.datetime, seconds: float) -> dt.datetime:
    """``moment`` plus ``seconds`` rounded up, so a restarted bot's clock never runs backwards."""
    return moment + dt.timedelta(seconds=math.ceil(seconds))


async def test_reminder_wave_killed_repeatedly_loses_nothing_and_duplicates_only_in_flight(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    users = list(range(FIRST_USER, FIRST_USER + N))
    db = tmp_path / "bot.sqlite3"
    await seed_users(db, users, DUE - dt.timedelta(days=1))
    store = await Store.open(db)  # read-only use, beside the bot process (WAL)

    async def delivered() -> Counter[int]:
        log = await emu.delivery_log()
        return Counter(e.chat_id for e in log if "Opening Ceremony" in (e.text or ""))

    async def wave_done() -> bool:
        counts = await store.outbox_counts(kind="reminder")
        return counts.get("pending", 0) + counts.get("sending", 0) == 0

    kills: list[Kill] = []
    first_send_delays: list[float] = []
    try:
        async with (
            BotApiEmulator(limits=True) as emu,
            DelayedAnswers(emu.base_url, LATENCY, ["sendMessage"]) as relay,
            BotProcess(
                api_url=relay.api_url,
                file_url=emu.file_url,
                db_path=db,
                log_path=tmp_path / "bot.log",
            ) as bot,
        ):
            await emu.register_chats(users)
            moment = first_moment(N)
            while True:
                log_before = len(await emu.delivery_log())
                await bot.start(at=moment)

                async def sending(log_before: int = log_before) -> bool:
                    return len(await emu.delivery_log()) > log_before

                await bot.wait_until(sending, 30, "the first reminder of the run")
                first_send = time.monotonic()
                first_send_delays.append(first_send - bot.started_at)
                remaining = N - len(await delivered())
                # Kill only while the wave is still going: leave at least half a second of work.
                longest = min(5.0, remaining / DEFAULT_RATE - 0.5)
                if len(kills) == KILLS or longest < 1.0:
                    break
                # A random moment of the wave to kill it at: the experiment, not a wait for
                # something to happen.
                await asyncio.sleep(rng.uniform(1.0, longest))
                await bot.kill()
                killed = time.monotonic()
                # Requests the bot sent before it died still reach the emulator; count after.
                await wait_until(relay.settled, 10, "the relay to pass on the last requests")
                seen = await delivered()
                in_flight = [r for r in await store.outbox_rows("reminder") if r.state == "sending"]
                kills.append(
                    Kill(
                        after_first_send=killed - first_send,
                        sent_in_run=len(await emu.delivery_log()) - log_before,
                        in_flight=len(in_flight),
                        in_flight_delivered=sum(1 for r in in_flight if seen[r.chat_id]),
                    )
                )
                moment = later(moment, time.monotonic() - bot.started_at)
            await bot.wait_until(wave_done, 60 + N / DEFAULT_RATE, "the wave to finish")
            await bot.stop()
            final = await delivered()
            stats = await emu.stats()
        rows = await store.outbox_rows("reminder")
    finally:
        await store.close()

    duplicates = sum(final.values()) - len(final)
    predicted = sum(k.in_flight_delivered for k in kills)
    print(
        f"\ncrash test: n={N} kills={len(kills)} duplicates={duplicates} "
        f"predicted={predicted} bound={len(kills) * MAX_IN_FLIGHT} r429={stats.too_many_requests}"
    )
    for number, kill in enumerate(kills, 1):
        print(
            f"  kill {number}: {kill.after_first_send:.2f} s into sending, "
            f"{kill.sent_in_run} sent in the run, in flight {kill.in_flight}, "
            f"of which already delivered {kill.in_flight_delivered}"
        )
    print(f"  first send after spawn (s): {', '.join(f'{d:.2f}' for d in first_send_delays)}")

    assert len(kills) == KILLS
    assert set(final) == set(users)  # none lost
    assert Counter(r.state for r in rows) == {"sent": N}
    assert all(k.in_flight <= MAX_IN_FLIGHT for k in kills)
    assert duplicates == predicted
    assert duplicates <= len(kills) * MAX_IN_FLIGHT
    assert max(final.values()) <= 2
