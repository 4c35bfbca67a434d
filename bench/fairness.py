"""Benchmark of fairness: how much one flooding chat delays everyone else's replies.

Run from the repository root: ``.venv/bin/python bench/fairness.py [--quick]``. One local Bot
API emulator with Telegram's flood limits on (about one message a second per private chat,
after a burst of three) runs in this process with the load driver; confbot runs as its own OS
process polling it, exactly as production runs it (``python -m bot run --at "2022-07-25
10:30"``, through ``tests.e2e.botproc.BotProcess``).

Two phases against the same bot, each with chats of its own:

* quiet: 20 other attendees each send a message a second (staggered over the second) for D
  seconds (30; 10 with ``--quick``);
* flood: one attendee first sends 50 messages at once, whose replies Telegram lets through at
  one a second, then the 20 others do exactly as in the quiet phase.

Latency is from a message's injection to the bot's reply in that chat, read from the
emulator's records (every text sent gets exactly one reply, so the i-th reply answers the i-th
message). Prints the others' p50 / p99 / max in both phases and the ratio of the p99s. The
flooder's own backlog is then released (limits off) so that the bot stops promptly. Never
fails on a timing; it does fail if a message went unanswered or the bot logged an error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.updates import (  # noqa: E402
    bot_process,
    errors_in_log,
    log_size,
    percentile,
    start_polling_bot,
)
from botapi_emulator import BotApiEmulator  # noqa: E402
from tests.e2e.botproc import BotProcess  # noqa: E402

FLOOD = 50
OTHERS = 20
STOP_GRACE_S = 30.0
ANSWER_TIMEOUT_S = 180.0
POLL_S = 0.05
QUIET_USERS_BASE = 6_000_000
FLOOD_USERS_BASE = 6_100_000
FLOODER = 6_200_000
WARMUP_USERS_BASE = 6_300_000
# Each of these gets exactly one reply (no map pin), so replies pair with messages in order.
TEXTS = ["wifi password", "/faq", "when is lunch", "/now", "registration hours"]


@dataclass
class Phase:
    name: str
    users: list[int]
    injected: dict[int, list[float]] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    unanswered: int = 0
    extra_replies: int = 0


async def one_user(
    emu: BotApiEmulator, phase: Phase, user: int, start: float, seconds: int
) -> None:
    """Send one message a second, at ``start`` + k + this user's offset within the second."""
    index = phase.users.index(user)
    offset = index / len(phase.users)
    sent = phase.injected.setdefault(user, [])
    for k in range(seconds):
        delay = start + k + offset - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        sent.append(time.time())
        await emu.send_from_user(user, TEXTS[(index + k) % len(TEXTS)])


async def wait_replies(emu: BotApiEmulator, chats: dict[int, int], process: BotProcess) -> int:
    """Wait until each chat has at least its number of replies; returns how many are missing."""
    deadline = time.monotonic() + ANSWER_TIMEOUT_S
    missing = sum(chats.values())
    while time.monotonic() < deadline:
        missing = 0
        for chat, wanted in chats.items():
            missing += max(0, wanted - len(await emu.messages(chat)))
        if not missing:
            return 0
        if not process.running:
            raise RuntimeError(f"the bot process exited:\n{process.log_tail()}")
        await asyncio.sleep(POLL_S)
    return missing


async def run_phase(
    emu: BotApiEmulator, process: BotProcess, phase: Phase, seconds: int, flood: int
) -> None:
    if flood:
        for k in range(flood):
            await emu.send_from_user(FLOODER, TEXTS[k % len(TEXTS)])
    start = time.time() + 0.05
    await asyncio.gather(*(one_user(emu, phase, u, start, seconds) for u in phase.users))
    phase.unanswered = await wait_replies(emu, {u: seconds for u in phase.users}, process)
    for user in phase.users:
        replies = await emu.messages(user)
        phase.extra_replies += max(0, len(replies) - seconds)
        for injected_at, reply in zip(phase.injected[user], replies, strict=False):
            phase.latencies_ms.append((reply.time - injected_at) * 1000.0)


def report(phase: Phase) -> None:
    values = phase.latencies_ms
    print(
        f"{phase.name:6} others={len(phase.users)} messages={len(values)} "
        f"p50={percentile(values, 0.5):.1f} ms p99={percentile(values, 0.99):.1f} ms "
        f"max={max(values, default=float('nan')):.1f} ms"
    )


async def run(seconds: int) -> None:
    this = asyncio.current_task()
    assert this is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, this.cancel)
    cores = len(os.sched_getaffinity(0))
    if cores < 2:
        print(f"WARNING: {cores} core available: the bot shares it with the emulator")
    quiet = Phase("quiet", [QUIET_USERS_BASE + i for i in range(OTHERS)])
    flood = Phase("flood", [FLOOD_USERS_BASE + i for i in range(OTHERS)])
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-fairness-") as tmp_name:
        tmp = Path(tmp_name)
        async with BotApiEmulator(limits=True) as emu:
            process = bot_process(BotProcess, emu, tmp, "confbot")
            try:
                await start_polling_bot(emu, process)
                log_start = log_size(process.log_path)
                # Warm-up: each text once, from chats of its own.
                for index, text in enumerate(TEXTS):
                    await emu.send_from_user(WARMUP_USERS_BASE + index, text)
                warm = {WARMUP_USERS_BASE + i: 1 for i in range(len(TEXTS))}
                await wait_replies(emu, warm, process)
                await asyncio.sleep(1.0)  # let the global bucket refill
                await run_phase(emu, process, quiet, seconds, flood=0)
                report(quiet)
                await run_phase(emu, process, flood, seconds, flood=FLOOD)
                report(flood)
                flooded = len(await emu.messages(FLOODER))
                print(f"flooder: {flooded} of {FLOOD} replies when the others were all answered")
                # Release the flooder's backlog so that the bot stops without waiting it out.
                await emu.set_limits(False)
                missing = await wait_replies(emu, {FLOODER: FLOOD}, process)
                if missing:
                    problems.append(f"flooder: {missing} replies missing")
                stats = await emu.stats()
                print(f"429 answers: {stats.too_many_requests}")
                errors, first = errors_in_log(process.log_path, log_start)
                if errors:
                    problems.append(f"{errors} errors logged, the first: {first}")
            finally:
                await process.stop(STOP_GRACE_S)
    for phase in (quiet, flood):
        if phase.unanswered:
            problems.append(f"{phase.name}: {phase.unanswered} messages unanswered")
        if phase.extra_replies:
            problems.append(f"{phase.name}: {phase.extra_replies} unexpected extra replies")
    p99 = percentile(flood.latencies_ms, 0.99)
    quiet_p99 = percentile(quiet.latencies_ms, 0.99)
    ratio = p99 / quiet_p99 if quiet_p99 > 0 else float("nan")
    print(f"flood p99 - quiet p99: {(p99 - quiet_p99) / 1000.0:.2f} s (target <= 1 s)")
    for problem in problems:
        print(f"WARNING: {problem}")
    print(
        f"bench fairness: flood={FLOOD} others={OTHERS} p99_ms={p99:.1f} "
        f"quiet_p99_ms={quiet_p99:.1f} ratio={ratio:.2f}"
    )
    if problems:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller run, under a minute")
    parser.add_argument("--seconds", type=int, help="seconds per phase (default 30, quick 10)")
    args = parser.parse_args()
    seconds = args.seconds or (10 if args.quick else 30)
    logging.basicConfig(level=logging.WARNING)
    print(
        f"{OTHERS} attendees sending a message a second for {seconds} s; "
        f"then the same with one attendee flooding {FLOOD} messages first (flood limits on)"
    )
    try:
        asyncio.run(run(seconds))
    except asyncio.CancelledError:
        print("stopped by SIGTERM", file=sys.stderr)
        raise SystemExit(143) from None


if __name__ == "__main__":
    main()
