"""Benchmark of a very large event: many attendees with agendas, planned, stored and started.

Run from the repository root: ``.venv/bin/python bench/scale.py [--quick] [--users N]``.

A programme of 1,000 sessions over a week (``bench/eventgen.py``; 300 with ``--quick``), its
opening plenary reminded to everyone, and N attendees (100,000; 10,000 with ``--quick``), each
with 2 to 6 sessions in their agenda, seeded into a fresh SQLite file (users and choices in bulk,
as fixtures, before the bot runs). Then:

1. In this process, with the store open: the re-plan the bot runs at start and after a reload
   (``scheduler.service.replan_deliveries``: every reminder and feedback prompt of everyone),
   once on an empty outbox (the first start, every row written) and once more with nothing
   changed (a restart or a reload: every row compared). ``plan_s`` is the first; the size of
   the database (with its WAL) is read after both.
2. The bot as production runs it, ``python -m bot run --at <the day before>`` in a process of
   its own against the local Bot API emulator (flood limits on): ``start_s`` is the time from
   spawning it until it has answered an attendee's /start (interpreter, imports, content,
   store, the start's re-plan, first poll); its resident memory at rest is read a few seconds
   later, and its peak (``VmHWM``) is that of the start-up re-plan.
3. The same database, the bot started again at the moment the opening's reminder wave has to
   begin (N reminders due at once): after a few seconds of sending, its resident memory during
   the wave and the rate it sends at.

The baseline is the same run's smallest case: the re-plan and memory of a tenth of the
attendees (``--quick``: of 1,000), printed beside the full figures as a ratio, so that one sees
whether they grow linearly. Never fails on a timing; it fails if the bot does not start or
does not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eventgen import generate_content  # noqa: E402
from bot.content import Content, load_content_or_raise  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.base import iso  # noqa: E402
from botapi_emulator import BotApiEmulator  # noqa: E402
from scheduler.sender import DEFAULT_RATE, WAVE_MARGIN, WAVE_SAFETY  # noqa: E402
from scheduler.service import replan_feedback, replan_reminders  # noqa: E402
from tests.e2e.botproc import BotProcess  # noqa: E402

FIRST_USER = 10_000_000
CHOICES = (2, 6)  # sessions in each attendee's agenda, at random between the two
START_TIMEOUT_S = 600.0
WAVE_SECONDS = 15.0  # how long the bot sends the opening's wave before its memory is read
LEAD = dt.timedelta(minutes=15)  # the default reminder lead (users.lead_minutes)


def big_event(n_sessions: int) -> Content:
    """The generated programme, its first session a plenary reminded to everyone (an opening)."""
    content = generate_content(n_sessions=n_sessions, n_faq=50)
    sessions = list(content.sessions)
    sessions[0] = sessions[0].model_copy(update={"for_everyone": True})
    return Content(
        content.event, content.venue, sessions, list(content.speakers), list(content.faq)
    )


def write_content(content: Content, directory: Path) -> None:
    """The programme as the YAML files the bot loads. Chairs and speakers are left out of the
    sessions: the generator does not keep a speaker out of two rooms at once, which the loader
    refuses, and reminders do not depend on them."""

    def plain(model: Any) -> Any:
        return model.model_dump(mode="json", exclude_defaults=True)

    files = {
        "event.yaml": plain(content.event),
        "venue.yaml": plain(content.venue),
        "sessions.yaml": {
            "sessions": [
                {k: v for k, v in plain(s).items() if k not in ("chairs", "speakers")}
                for s in content.sessions
            ]
        },
        "speakers.yaml": {"speakers": [plain(s) for s in content.speakers]},
        "faq.yaml": {"faq": [plain(f) for f in content.faq]},
    }
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


async def seed(db: Path, content: Content, users: list[int], now: dt.datetime) -> int:
    """Users and their agendas, in bulk (fixtures: the bot's own writes are one at a time).
    Returns the number of choices."""
    store = await Store.open(db)  # creates the schema
    await store.close()
    rng = random.Random(13)
    ids = [s.id for s in content.sessions]
    stamp = iso(now)
    choices = [
        (user, session, stamp)
        for user in users
        for session in rng.sample(ids, rng.randint(*CHOICES))
    ]
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO users (user_id, language, first_seen, last_seen, blocked_at)"
            " VALUES (?, 'en', ?, ?, NULL)",
            [(user, stamp, stamp) for user in users],
        )
        conn.executemany(
            "INSERT INTO choices (user_id, session_id, added_at) VALUES (?, ?, ?)", choices
        )
    conn.close()
    return len(choices)


def proc_status(pid: int | str, field: str) -> float:
    """A memory figure of ``/proc/<pid>/status`` (VmRSS, VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    """Start VmHWM afresh from the current resident size (Linux 4.0 and later)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def db_size_mb(db: Path) -> float:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6


async def plan(db: Path, content: Content, now: dt.datetime) -> dict[str, float]:
    """The start's re-plan in this process: on an empty outbox, then again unchanged."""
    store = await Store.open(db)
    try:
        reset_peak()
        before = proc_status("self", "VmRSS")
        started = time.perf_counter()
        reminders, _ = await replan_reminders(store, content, now)
        reminders_s = time.perf_counter() - started
        prompts, _ = await replan_feedback(store, content, now)
        plan_s = time.perf_counter() - started
        peak = proc_status("self", "VmHWM") - before
        started = time.perf_counter()
        await replan_reminders(store, content, now)
        await replan_feedback(store, content, now)
        replan_s = time.perf_counter() - started
    finally:
        await store.close()
    return {
        "reminders": reminders,
        "prompts": prompts,
        "plan_s": plan_s,
        "reminders_s": reminders_s,
        "replan_s": replan_s,
        "plan_peak_mb": peak,
    }


async def run_bot(
    emu: BotApiEmulator, db: Path, content_dir: Path, log: Path, at: dt.datetime, user: int
) -> tuple[BotProcess, float]:
    """Spawn ``python -m bot run --at`` and return it and the seconds until /start answered."""
    bot = BotProcess(
        api_url=emu.api_url,
        file_url=emu.file_url,
        db_path=db,
        log_path=log,
        content_dir=content_dir,
    )
    before = len(await emu.messages(user))
    started = time.perf_counter()
    await bot.start(at=at)

    async def polling() -> bool:
        return (await emu.stats()).requests_by_method["getUpdates"] > 0

    await emu.reset_stats()
    await bot.wait_until(polling, START_TIMEOUT_S, "the bot to poll")
    await emu.send_from_user(user, "/start")

    async def answered() -> bool:
        return len(await emu.messages(user)) > before

    await bot.wait_until(answered, START_TIMEOUT_S, "an answer to /start")
    return bot, time.perf_counter() - started


async def run(n: int, n_sessions: int) -> dict[str, float]:
    content = big_event(n_sessions)
    opening = content.sessions[0]
    opening_at = content.starts_at(opening)
    assert opening_at is not None
    day_before = dt.datetime.combine(
        content.event.start_date - dt.timedelta(days=1), dt.time(12), tzinfo=content.tz
    )
    users = list(range(FIRST_USER, FIRST_USER + n))
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        content_dir = Path(tmp) / "content"
        write_content(content, content_dir)
        loaded, _ = load_content_or_raise(content_dir)
        db = Path(tmp) / "bench.sqlite3"
        seeding = time.perf_counter()
        figures["choices"] = await seed(db, loaded, users, day_before - dt.timedelta(days=30))
        print(
            f"seeded {n} attendees, {figures['choices']:.0f} choices of {len(content.sessions)}"
            f" sessions in {time.perf_counter() - seeding:.1f} s"
        )
        figures.update(await plan(db, loaded, day_before))
        figures["db_mb"] = db_size_mb(db)

        async with BotApiEmulator(limits=True) as emu:
            await emu.register_chats(users)
            bot, start_s = await run_bot(
                emu,
                db,
                content_dir,
                Path(tmp) / "bot.log",
                day_before.replace(tzinfo=None),
                users[0],
            )
            async with bot:
                pid = bot._proc.pid  # type: ignore[union-attr]  # BotProcess keeps it private
                await asyncio.sleep(3.0)
                figures["start_s"] = start_s
                figures["rss_rest_mb"] = proc_status(pid, "VmRSS")
                figures["rss_start_peak_mb"] = proc_status(pid, "VmHWM")
                await bot.stop()

            # The opening's wave: everyone's reminder due at once, LEAD before it starts. The
            # sender plans at DEFAULT_RATE / WAVE_SAFETY and starts WAVE_MARGIN before that.
            due = opening_at - LEAD
            wave_s = n / (DEFAULT_RATE / WAVE_SAFETY)
            wave_begins = due - dt.timedelta(seconds=wave_s) - WAVE_MARGIN
            figures["wave_needs_min"] = wave_s / 60
            log_start = len(await emu.delivery_log())
            bot, _ = await run_bot(
                emu,
                db,
                content_dir,
                Path(tmp) / "bot.log",
                wave_begins.replace(tzinfo=None),
                users[-1],
            )
            async with bot:
                pid = bot._proc.pid  # type: ignore[union-attr]
                sending_from = len(await emu.delivery_log(log_start))
                started = time.perf_counter()
                await asyncio.sleep(WAVE_SECONDS)
                sent = len(await emu.delivery_log(log_start)) - sending_from
                figures["wave_rate"] = sent / (time.perf_counter() - started)
                figures["rss_wave_mb"] = proc_status(pid, "VmRSS")
                await bot.stop()
            figures["db_mb_after"] = db_size_mb(db)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="10,000 attendees (under a minute)")
    parser.add_argument("--users", type=int, help="number of attendees (default 100,000)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    n = args.users or (10_000 if args.quick else 100_000)
    n_sessions = 300 if args.quick else 1000
    base_n = max(100, n // 10)

    print(f"baseline: {base_n} attendees")
    base = asyncio.run(run(base_n, n_sessions))
    print(f"full: {n} attendees")
    full = asyncio.run(run(n, n_sessions))

    def row(label: str, key: str, unit: str) -> None:
        ratio = full[key] / base[key] if base[key] else float("nan")
        print(f"{label:42} {full[key]:10.2f} {unit:4} (x{ratio:.1f} of {base[key]:.2f})")

    print(f"\n{n} attendees against {base_n} (the baseline, in brackets):")
    row("reminders planned", "reminders", "")
    row("feedback prompts planned", "prompts", "")
    row("re-plan on an empty outbox (first start)", "plan_s", "s")
    row("  of which reminders", "reminders_s", "s")
    row("re-plan unchanged (restart, reload)", "replan_s", "s")
    row("memory the re-plan takes (this process)", "plan_peak_mb", "MB")
    row("database with its WAL", "db_mb", "MB")
    row("bot start until /start answered", "start_s", "s")
    row("bot resident memory at rest", "rss_rest_mb", "MB")
    row("bot peak memory (its start's re-plan)", "rss_start_peak_mb", "MB")
    row("bot resident memory in the opening's wave", "rss_wave_mb", "MB")
    row("wave send rate (messages/s)", "wave_rate", "/s")
    row("the opening's wave needs (planned rate)", "wave_needs_min", "min")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} now")
    print(
        f"bench scale: users={n} plan_s={full['plan_s']:.2f} db_mb={full['db_mb']:.1f} "
        f"rss_mb={full['rss_rest_mb']:.0f} start_s={full['start_s']:.2f} "
        f"replan_s={full['replan_s']:.2f} rss_peak_mb={full['rss_start_peak_mb']:.0f} "
        f"rss_wave_mb={full['rss_wave_mb']:.0f} rows={full['reminders'] + full['prompts']:.0f} "
        f"plan_ratio={full['plan_s'] / base['plan_s']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
