"""Benchmark of an organiser broadcast against Telegram's limit of 30 messages per second.

Run from the repository root: ``.venv/bin/python bench/broadcast.py [--quick] [--paid] [--n N]``.
The real bot (``bot.local.running_bot``) polls the local Bot API emulator in this process with
the emulator's flood limits on (30/s overall, token buckets; a request over them is answered 429).
N people are seeded as earlier users of the bot, the organiser composes a broadcast to everyone
through the conversation, presses "Send now", and the run ends when every outbox row of the
broadcast is final.

Figures: the achieved rate against the 30/s limit as a ratio; the total time, from the press on
"Send now" to the last copy delivered, against the ideal N / 30; the 429s the emulator answered;
the peak resident memory of this process (bot and emulator together). The baseline is the limit
itself: an ideal sender would reach ratio 1.0. Never fails on a timing; it fails if a recipient
did not get exactly one copy.

``--paid``: the bot runs with paid broadcasts on (``CONFBOT_PAID_BROADCAST=1``), the organiser
presses "Send fast (paid)" and the limit is the emulator's paid-broadcast bucket of 1,000
messages per second (20,000 recipients; 2,000 with ``--quick``). At that rate the emulator's
own work matters, so the bot runs as production does, ``python -m bot run`` in a process of its
own (``tests.e2e.botproc.BotProcess``), and its CPU time per message and peak memory are read
from ``/proc``. The baseline of that run is bare python-telegram-bot (``bench/bare_sender.py``,
one process, no outbox, no database, no pacing) sending as many paid messages to as many other
chats of the same emulator, as fast as it can. ``--in-process`` keeps bot and emulator in this
one process instead (the CPU figure is then both, with the share outside the event loop's
thread, aiosqlite's). ``--profile`` (in-process) runs the send under cProfile and prints the
time of each step of a send per message (the sender, python-telegram-bot, httpx, the store,
the emulator); cProfile slows everything down, so its rate is not a result.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import datetime as dt
import json
import logging
import os
import pstats
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.clock import ShiftedClock  # noqa: E402
from bot.content import load_content_or_raise  # noqa: E402
from bot.domain.broadcast import Progress  # noqa: E402
from bot.local import LOCAL_TOKEN, running_bot  # noqa: E402
from bot.runtime import BotData  # noqa: E402
from botapi_emulator import BotApiEmulator, SentMessage  # noqa: E402
from tests.e2e.botproc import BotProcess, seed_users  # noqa: E402

LIMIT = 30.0
PAID_LIMIT = 1000.0  # the emulator's paid-broadcast bucket (allow_paid_broadcast)
ORGANISER = 9001
FIRST_USER = 100_000
MESSAGE = "Buses to the dinner leave at 18:00 from the main entrance"
EVENT_MOMENT = dt.datetime(2022, 7, 25, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


async def seed(svc: BotData, user_ids: list[int]) -> None:
    now = svc.now()
    for user_id in user_ids:
        await svc.store.touch_user(user_id, "en", now)


async def press(emu: BotApiEmulator, message: SentMessage, label: str) -> None:
    await emu.press_button(ORGANISER, ORGANISER, message.message_id, button_text=label)


CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
START_TIMEOUT_S = 60.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its threads so far (Linux ``/proc``)."""
    # utime and stime are fields 14 and 15, the 12th and 13th after the parenthesised name.
    after_name = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(after_name[11]) + int(after_name[12])) / CLOCK_TICKS_PER_S


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a running process (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


BARE_CONCURRENCY = 8


async def run_bare_sender(emu: BotApiEmulator, first: int, count: int) -> dict[str, float]:
    """``bench/bare_sender.py`` in a process of its own against the same emulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CONFBOT_"))}
    env.update(TELEGRAM_BOT_TOKEN=LOCAL_TOKEN, TELEGRAM_API_URL=emu.api_url)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "bare_sender.py"),
        f"--first={first}",
        f"--count={count}",
        f"--concurrency={BARE_CONCURRENCY}",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    result: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def run_process(n: int) -> int:
    """The paid broadcast with the bot in its own process (``python -m bot run``)."""
    limit = PAID_LIMIT
    people = list(range(FIRST_USER, FIRST_USER + n))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        await seed_users(db, [*people, ORGANISER], EVENT_MOMENT - dt.timedelta(days=1))
        async with BotApiEmulator(limits=True) as emu:
            await emu.register_chats(people)
            async with BotProcess(
                api_url=emu.api_url,
                file_url=emu.file_url,
                db_path=db,
                log_path=Path(tmp) / "bot.log",
                extra_env={"CONFBOT_ORGANISERS": str(ORGANISER), "CONFBOT_PAID_BROADCAST": "1"},
            ) as bot:

                async def polling() -> bool:
                    return (await emu.stats()).requests_by_method["getUpdates"] > 0

                await bot.start(at=EVENT_MOMENT.replace(tzinfo=None))
                await bot.wait_until(polling, START_TIMEOUT_S, "the bot to poll")
                pid = bot._proc.pid  # type: ignore[union-attr]  # BotProcess keeps it private
                await emu.send_from_user(ORGANISER, "/broadcast")
                await emu.wait_for_messages(ORGANISER, timeout=10)
                await emu.send_from_user(ORGANISER, MESSAGE)
                [menu] = await emu.wait_for_messages(ORGANISER, timeout=10)
                await press(emu, menu, "Everyone")
                _preview, confirm = await emu.wait_for_messages(ORGANISER, count=2, timeout=30)
                await asyncio.sleep(3.0)  # the organiser reads the preview (see run())
                await emu.reset_stats()
                log_start = len(await emu.delivery_log())
                started = time.time()
                bot_cpu_started = cpu_seconds(pid)
                own_cpu_started = time.process_time()
                await press(emu, confirm, "Send fast (paid)")
                # Every recipient and the organiser, who is a user too. The emulator's log is
                # the measure here: the outbox is the bot's, in another process.
                deadline = time.monotonic() + 60 + 3 * n / limit
                while time.monotonic() < deadline:
                    copies = [e for e in await emu.delivery_log(log_start) if e.text == MESSAGE]
                    if len(copies) >= n + 1 or not bot.running:
                        break
                    await asyncio.sleep(0.5)
                bot_cpu_s = cpu_seconds(pid) - bot_cpu_started
                own_cpu_s = time.process_time() - own_cpu_started
                bot_peak_mb = peak_rss_mb(pid)
                stats = await emu.stats()
                await asyncio.sleep(1.0)  # a copy sent twice would show up now
                copies = [e for e in await emu.delivery_log(log_start) if e.text == MESSAGE]
                await bot.stop()
            # The baseline: bare python-telegram-bot sending as many to chats of its own.
            bare_first = FIRST_USER + n + 1_000
            await emu.register_chats(list(range(bare_first, bare_first + n)))
            await emu.reset_stats()
            bare = await run_bare_sender(emu, bare_first, n)
            bare_r429 = (await emu.stats()).too_many_requests

    per_chat = Counter(e.chat_id for e in copies)
    wrong = [p for p in people if per_chat.get(p, 0) != 1]
    delivered = len(copies)
    total_s = max(e.time for e in copies) - started
    ideal_s = delivered / limit
    rate = delivered / total_s
    ratio = rate / limit
    cpu_ms = 1000 * bot_cpu_s / max(1, delivered)
    bare_rate = bare["sent"] / bare["seconds"]
    bare_cpu_ms = 1000 * bare["cpu_s"] / max(1, bare["sent"])
    print(f"recipients:            {n} (+ the organiser, who is a user too)")
    print(f"delivered:             {delivered}")
    print(f"total (press → last):  {total_s:.2f} s   ideal {ideal_s:.2f} s")
    print(f"rate:                  {rate:.2f}/s against {limit:.0f}/s   ratio {ratio:.3f}")
    print(
        f"bot CPU per message:   {cpu_ms:.3f} ms, {bot_cpu_s / total_s:.2f} cores over the send"
        f" (one process is one core for Python: at most {1000 / cpu_ms:.0f}/s)"
    )
    print(
        f"emulator CPU:          {1000 * own_cpu_s / max(1, delivered):.3f} ms per message,"
        f" {own_cpu_s / total_s:.2f} cores (this process)"
    )
    print(f"peak 1 s window:       {stats.peak_messages_in(1.0)} messages")
    print(f"429 answers:           {stats.too_many_requests}")
    print(f"bot peak RSS:          {bot_peak_mb:.0f} MB")
    print(
        f"baseline, bare python-telegram-bot ({BARE_CONCURRENCY} at a time, no outbox): "
        f"{bare_rate:.0f}/s, {bare_cpu_ms:.3f} ms CPU per message, {bare_r429} 429s;"
        f" confbot reaches {rate / bare_rate:.2f} of its rate"
    )
    print(f"machine:               {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} now")
    print(
        f"bench broadcast: n={n} ratio={ratio:.3f} total_s={total_s:.2f} ideal_s={ideal_s:.2f} "
        f"r429={stats.too_many_requests} peak_mb={bot_peak_mb:.0f} cpu_ms_per_msg={cpu_ms:.3f} "
        f"bare_ratio={bare_rate / limit:.3f} bare_cpu_ms_per_msg={bare_cpu_ms:.3f} paid=1"
    )
    if wrong:
        print(f"FAILED: {len(wrong)} recipients did not get exactly one copy", file=sys.stderr)
        return 1
    return 0


# The steps of one send, by the function that does each (cumulative time: a coroutine counts
# only while it runs, not while it waits, so these add up to CPU, not to waiting).
STEPS = (
    ("sender: one pass (claims, renders, starts sends)", "sender.py", "_pass"),
    ("sender: one delivery (request + finish)", "sender.py", "_deliver"),
    ("  python-telegram-bot: Bot.send_message", "_bot.py", "send_message"),
    ("    httpx: AsyncClient.request", "_client.py", "request"),
    ("    Message.de_json (the answer as objects)", "_message.py", "de_json"),
    ("  store: finish (the row's final state)", "outbox.py", "finish"),
    ("store: claim (the row marked sending)", "outbox.py", "claim"),
    ("emulator: one Bot API request", "emulator.py", "_handle_api"),
    ("waiting in epoll (idle)", "~", "<method 'poll' of 'select.epoll' objects>"),
)


def print_steps(profile: cProfile.Profile, messages: int) -> None:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    print(f"where the event loop's thread spends its time (cProfile, per message of {messages}):")
    for label, file_end, name in STEPS:
        seconds = sum(
            cumtime
            for (filename, _line, func), (_cc, _nc, _tt, cumtime, _callers) in stats.items()
            if filename.endswith(file_end) and func == name
        )
        print(f"  {label:50} {1000 * seconds / max(1, messages):7.3f} ms")
    pstats.Stats(profile).sort_stats("tottime").print_stats(12)


async def run(n: int, paid: bool, profile: cProfile.Profile | None = None) -> int:
    limit = PAID_LIMIT if paid else LIMIT
    content, _ = load_content_or_raise(ROOT / "content")
    people = list(range(FIRST_USER, FIRST_USER + n))
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            BotApiEmulator(limits=True) as emu,
            running_bot(
                content,
                db_path=Path(tmp) / "bench.sqlite3",
                content_dir=ROOT / "content",
                clock=ShiftedClock(EVENT_MOMENT),
                organisers=frozenset({ORGANISER}),
                emulator=emu,
            ) as (_, app),
        ):
            svc = app.bot_data
            assert isinstance(svc, BotData)
            if paid:  # what CONFBOT_PAID_BROADCAST=1 sets
                svc.settings = dataclasses.replace(svc.settings, paid_broadcast=True)
            await seed(svc, people)
            await emu.register_chats(people)

            await emu.send_from_user(ORGANISER, "/broadcast")
            await emu.wait_for_messages(ORGANISER, timeout=10)
            await emu.send_from_user(ORGANISER, MESSAGE)
            [menu] = await emu.wait_for_messages(ORGANISER, timeout=10)
            await press(emu, menu, "Everyone")
            _preview, confirm = await emu.wait_for_messages(ORGANISER, count=2, timeout=30)
            # The organiser reads the preview before pressing; without this pause the copy to
            # the organiser's own chat would be a fourth message to that chat within a second.
            await asyncio.sleep(3.0)
            await emu.reset_stats()
            log_start = len(await emu.delivery_log())
            started = time.time()
            cpu_started = time.process_time()
            loop_cpu_started = time.thread_time()
            if profile is not None:
                profile.enable()
            await press(emu, confirm, "Send fast (paid)" if paid else "Send now")
            await emu.wait_for_edit(ORGANISER, confirm.message_id, timeout=30)

            [broadcast] = await svc.store.recent_broadcasts(1)
            while True:  # the outbox, not the emulator, says when every row is final
                if Progress.of(await svc.store.broadcast_counts(broadcast.id)).finished:
                    break
                await asyncio.sleep(0.5)
            if profile is not None:
                profile.disable()
            cpu_s = time.process_time() - cpu_started
            loop_cpu_s = time.thread_time() - loop_cpu_started
            stats = await emu.stats()
            copies = [e for e in await emu.delivery_log(log_start) if e.text == MESSAGE]

    per_chat = Counter(e.chat_id for e in copies)
    wrong = [p for p in people if per_chat.get(p, 0) != 1]
    delivered = len(copies)
    total_s = max(e.time for e in copies) - started
    ideal_s = delivered / limit
    rate = delivered / total_s
    ratio = rate / limit
    first_to_last = max(e.time for e in copies) - min(e.time for e in copies)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recipients:            {n} (+ the organiser, who is a user too)")
    print(f"delivered:             {delivered}")
    print(f"total (press → last):  {total_s:.2f} s   ideal {ideal_s:.2f} s")
    print(f"first → last copy:     {first_to_last:.2f} s")
    print(f"rate:                  {rate:.2f}/s against {limit:.0f}/s   ratio {ratio:.3f}")
    print(f"CPU per message:       {1000 * cpu_s / max(1, delivered):.3f} ms (bot and emulator)")
    print(
        f"  of which other threads (the database): "
        f"{1000 * (cpu_s - loop_cpu_s) / max(1, delivered):.3f} ms"
    )
    print(f"CPU busy:              {cpu_s / total_s:.2f} cores over the send")
    print(f"peak 1 s window:       {stats.peak_messages_in(1.0)} messages")
    print(f"429 answers:           {stats.too_many_requests}")
    print(f"peak RSS:              {peak_mb:.0f} MB (bot and emulator)")
    print(
        f"bench broadcast: n={n} ratio={ratio:.3f} total_s={total_s:.2f} ideal_s={ideal_s:.2f} "
        f"r429={stats.too_many_requests} peak_mb={peak_mb:.0f} "
        f"cpu_ms_per_msg={1000 * cpu_s / max(1, delivered):.3f} paid={int(paid)}"
    )
    if wrong:
        print(f"FAILED: {len(wrong)} recipients did not get exactly one copy", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="1,000 recipients, 2,000 paid (under a minute)"
    )
    parser.add_argument(
        "--paid", action="store_true", help="paid broadcast against the 1,000/s bucket"
    )
    parser.add_argument("--n", type=int, help="number of recipients (default 10,000; 20,000 paid)")
    parser.add_argument(
        "--in-process", action="store_true", help="with --paid: bot and emulator in one process"
    )
    parser.add_argument(
        "--profile", action="store_true", help="in-process: where the CPU goes (cProfile)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.paid:
        n = args.n or (2_000 if args.quick else 20_000)
    else:
        n = args.n or (1_000 if args.quick else 10_000)
    if args.paid and not (args.in_process or args.profile):
        return asyncio.run(run_process(n))
    profile = cProfile.Profile() if args.profile else None
    code = asyncio.run(run(n, args.paid, profile))
    if profile is not None:
        print_steps(profile, n)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
