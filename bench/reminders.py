"""Benchmark of a reminder wave: n reminders due at one moment, Telegram's flood limits on.

Run from the repository root: ``.venv/bin/python bench/reminders.py [--quick] [--n N] [--rtt S]``.

n attendees (5,000; 500 with ``--quick``) with default settings are seeded into a fresh SQLite
file, so each is owed a reminder of the Opening Ceremony (for everyone, 10:00 on Monday 25 July
2022 in Rabat) at 09:45. The real bot (``bot.local.running_bot``) runs in this process against
the local Bot API emulator with its flood limits on (30 messages/s overall, 1/s per chat), on a
``ShiftedClock`` started just early enough before 09:45 for the sender to plan the whole wave
(the sender works backwards from the due time). Everything is measured from the emulator's
delivery log, the due time being converted to real time.

Prints how many reminders arrived at or before their due time (no tolerance), the lateness of
the rest (median, p99, max), the achieved rate against the 30/s limit and the number of 429s;
then the baseline of the same run's n: the ideal duration at 30/s and the lateness of a naive
sender that starts at the due time at 30/s, whose last message is n/30 s late, and the ratio of
our p99 lateness to the naive one. Ends with one summary line. Never fails on a timing; it does
fail if a reminder was lost.

``--rtt S`` puts a relay in front of the emulator that answers each send S seconds after the
emulator delivered it (a network round trip to Telegram; 0 by default, i.e. localhost).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import logging
import math
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.clock import ShiftedClock  # noqa: E402
from bot.content import load_content_or_raise  # noqa: E402
from bot.local import running_bot  # noqa: E402
from bot.runtime import BotData  # noqa: E402
from bot.store import Store  # noqa: E402
from botapi_emulator import BotApiEmulator  # noqa: E402
from scheduler.sender import DEFAULT_RATE, WAVE_MARGIN, WAVE_SAFETY  # noqa: E402
from tests.e2e.botproc import DelayedAnswers  # noqa: E402

CONTENT_DIR = ROOT / "content"
TELEGRAM_RATE = 30.0  # messages per second overall, the limit the emulator enforces
FIRST_USER = 5_000_000
PLANNING_SLACK = dt.timedelta(seconds=5)  # start the clock this much before the wave must start


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


@dataclass(frozen=True)
class Address:
    """Where the bot finds the Bot API: ``running_bot`` reads only these two of an emulator it
    did not start, so the bot can be pointed at a relay in front of the emulator."""

    api_url: str
    file_url: str


async def seed(db: Path, users: list[int], now: dt.datetime) -> None:
    store = await Store.open(db)
    try:
        for user_id in users:
            await store.touch_user(user_id, "en", now)
    finally:
        await store.close()


MAX_IN_FLIGHT = 4  # OutboxSender's default


async def run(n: int, rtt: float) -> None:
    content, _ = load_content_or_raise(CONTENT_DIR)
    opening = content.starts_at(content.sessions_by_id["plen-1"])
    due = opening - dt.timedelta(minutes=15)
    # The sender plans at DEFAULT_RATE / WAVE_SAFETY, or at what its four concurrent sends
    # allow over the round trip if that is less, and starts WAVE_MARGIN before that. The
    # clock starts just early enough for that plan.
    achievable = min(DEFAULT_RATE, MAX_IN_FLIGHT / rtt) if rtt > 0 else DEFAULT_RATE
    lead = dt.timedelta(seconds=n / (achievable / WAVE_SAFETY)) + WAVE_MARGIN + PLANNING_SLACK
    clock_start = due - lead
    users = list(range(FIRST_USER, FIRST_USER + n))
    print(f"reminder wave: n={n}, due {due:%Y-%m-%d %H:%M:%S %Z}, clock starts {lead} before")
    print(f"Bot API round trip added to each send: {rtt:.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        seeding = time.perf_counter()
        await seed(db, users, clock_start - dt.timedelta(days=1))
        print(f"seeded {n} users in {time.perf_counter() - seeding:.1f} s")
        async with AsyncExitStack() as stack:
            emu = await stack.enter_async_context(BotApiEmulator(limits=True))
            address = Address(emu.api_url, emu.file_url)
            if rtt > 0:
                relay = await stack.enter_async_context(
                    # Every method, as a real network would: getMe too, which the sender
                    # uses to measure the round trip before a wave.
                    DelayedAnswers(emu.base_url, rtt, ["sendMessage", "getMe"])
                )
                address = Address(relay.api_url, emu.file_url)
            await emu.register_chats(users)
            wall_start = time.time()
            clock = ShiftedClock(clock_start)
            due_real = wall_start + (due - clock_start).total_seconds()
            async with running_bot(
                content,
                db_path=db,
                content_dir=CONTENT_DIR,
                clock=clock,
                emulator=cast(BotApiEmulator, address),
            ) as (_, app):
                svc = app.bot_data
                assert isinstance(svc, BotData)
                deadline = time.monotonic() + lead.total_seconds() + 120 + n / TELEGRAM_RATE
                while time.monotonic() < deadline:
                    counts = await svc.store.outbox_counts(kind="reminder")
                    if counts and counts.get("pending", 0) + counts.get("sending", 0) == 0:
                        break
                    await asyncio.sleep(0.2)
                counts = await svc.store.outbox_counts(kind="reminder")
                sender_stats = svc.sender.stats if svc.sender is not None else None
            log = await emu.delivery_log()
            stats = await emu.stats()

    wanted = set(users)
    times = sorted(e.time for e in log if e.chat_id in wanted and "Opening" in (e.text or ""))
    per_chat = Counter(e.chat_id for e in log if e.chat_id in wanted)
    lost = n - len(per_chat)
    duplicates = sum(per_chat.values()) - len(per_chat)
    lateness = [max(0.0, t - due_real) for t in times]
    late = [x for x in lateness if x > 0]
    on_time = len(times) - len(late)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = len(times) / span if span > 0 else 0.0
    naive = [i / TELEGRAM_RATE for i in range(n)]  # starts at the due time, 30/s, no early start
    naive_p99 = percentile(naive, 0.99)
    late_p99 = percentile(lateness, 0.99)

    print(f"outbox states: {dict(sorted(counts.items()))}; lost={lost} duplicates={duplicates}")
    print(
        f"on time (at or before due, tolerance 0 s): {on_time}/{n}; late: {len(late)} "
        f"(median {percentile(late, 0.5):.3f} s, p99 {percentile(late, 0.99):.3f} s, "
        f"max {max(late, default=0.0):.3f} s)"
    )
    if times:
        print(
            f"first sent {due_real - times[0]:.1f} s before due, last {due_real - times[-1]:.1f} s "
            f"before due; sending took {span:.1f} s, longest pause between two sends "
            f"{max((b - a for a, b in itertools.pairwise(times)), default=0.0):.2f} s"
        )
    print(
        f"rate {rate:.2f} msg/s = {rate / TELEGRAM_RATE:.3f} of the {TELEGRAM_RATE:.0f}/s limit "
        f"(sender paces at {DEFAULT_RATE}/s); peak {stats.peak_messages_in(1.0)} in any 1 s; "
        f"429s: {stats.too_many_requests}"
    )
    if sender_stats is not None:
        print(
            f"sender's own count: sent={sender_stats.sent} retry_after={sender_stats.retry_after} "
            f"skipped={sender_stats.skipped} failed={sender_stats.failed}"
        )
    print(
        f"baseline: ideal duration n/30 = {n / TELEGRAM_RATE:.1f} s (ours {span:.1f} s, ratio "
        f"{span / (n / TELEGRAM_RATE):.3f}); naive sender from the due time at 30/s: lateness "
        f"p99 {naive_p99:.1f} s, max {naive[-1]:.1f} s; ratio of our p99 to naive p99 "
        f"{late_p99 / naive_p99 if naive_p99 else 0.0:.4f}"
    )
    print(
        f"bench reminders: n={n} on_time={on_time} late_p99_s={late_p99:.3f} "
        f"rate_ratio={rate / TELEGRAM_RATE:.3f} r429={stats.too_many_requests}"
    )
    if lost:
        raise SystemExit(f"{lost} reminders were never delivered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 reminders, under a minute")
    parser.add_argument("--n", type=int, help="number of reminders (default 5000, 500 quick)")
    parser.add_argument(
        "--rtt",
        type=float,
        default=0.0,
        help="seconds each sendMessage answer is held back, as a network round trip (default 0)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(run(args.n or (500 if args.quick else 5000), args.rtt))


if __name__ == "__main__":
    main()
