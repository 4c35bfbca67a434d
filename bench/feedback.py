"""Benchmark of feedback: a crowd answering one session's prompt, and building reports and exports.

Run from the repository root: ``.venv/bin/python bench/feedback.py [--quick]``.

Part 1, through the local Bot API emulator (flood limits off) and the real ``Application``: N
attendees (2,000; 250 with ``--quick``) have the Opening Ceremony in their agenda; the feedback
prompts go out through the outbox and the one sender (at its Telegram-safe pace, so this alone
takes N / 28.5 seconds), then every attendee presses a rating at a random moment within one
minute (10 s with ``--quick``). Ack latency is from the press to the bot's callback answer, as
the emulator records them. Then all of them re-rate at once (a burst), which gives the rate at
which the bot stores answers when it is the bottleneck: ``answers_per_s``. The baseline is the
same number of single-row upserts with aiosqlite alone, measured in the same run.

Part 2, without Telegram: 50 sessions and 20,000 answers (8,000 with ``--quick``; with groups,
two questions and comments) in a fresh store; the time to build ``/report`` (gather, summarise,
render every page) and ``/export`` (CSV and XLSX), against the baseline of reading the answer
rows alone.

Prints the figures and one summary line; never fails on a timing, only if answers went missing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiosqlite  # noqa: E402

from bench.eventgen import generate_content  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.content import Content, load_content_or_raise  # noqa: E402
from bot.content.models import FeedbackQuestion, FeedbackSettings, QuestionType  # noqa: E402
from bot.domain.feedback import (  # noqa: E402
    GROUPS,
    build_csv,
    build_xlsx,
    distribution_chart,
    export_table,
    means_chart,
    pseudonym,
)
from bot.domain.outbox import Delivery, OutboxKind  # noqa: E402
from bot.features.reports import render_detail, render_overview  # noqa: E402
from bot.local import running_bot  # noqa: E402
from bot.runtime import BotData  # noqa: E402
from bot.services.feedback import FeedbackService  # noqa: E402
from bot.store import Store  # noqa: E402
from scheduler.feedback import feedback_key  # noqa: E402
from scheduler.service import replan_feedback  # noqa: E402

CONTENT_DIR = ROOT / "content"
SESSION = "plen-1"
FIRST_USER = 500_000


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def wait_until(check: object, timeout: float, what: str) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    assert callable(check)
    while not await check():
        if loop.time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.1)


# --- part 1: a crowd answering through the emulator -------------------------------------------


async def crowd(n_people: int, window_s: float) -> dict[str, float]:
    content, _ = load_content_or_raise(CONTENT_DIR)
    clock = FixedClock(dt.datetime(2022, 7, 25, 11, 40, tzinfo=content.tz))
    users = [FIRST_USER + i for i in range(n_people)]
    rng = random.Random(4)
    with tempfile.TemporaryDirectory(prefix="bench-feedback-") as tmp:
        async with running_bot(
            content, db_path=Path(tmp) / "bench.sqlite3", content_dir=CONTENT_DIR, clock=clock
        ) as (emu, app):
            svc = app.bot_data
            assert isinstance(svc, BotData)
            await emu.register_chats(users)
            now = clock.now()
            for user in users:
                await svc.store.touch_user(user, "en", now)
                await svc.store.add_choice(user, SESSION, now)
            started = time.perf_counter()
            await replan_feedback(svc.store, content, now)
            assert svc.sender is not None
            svc.sender.wake()

            async def all_sent() -> bool:
                counts = await svc.store.outbox_counts(kind=OutboxKind.FEEDBACK)
                return counts.get("sent", 0) + counts.get("failed", 0) >= n_people

            await wait_until(all_sent, n_people / 10 + 60, "prompts were not all sent")
            prompts_s = time.perf_counter() - started
            prompt_ids: dict[int, int] = {}
            for user in users:
                message = await emu.last_message(user)
                assert message is not None and f"fb:{SESSION}:4" in message.button_data()
                prompt_ids[user] = message.message_id
            print(
                f"prompts: {n_people} sent through the outbox in {prompts_s:.1f} s "
                f"({n_people / prompts_s:.1f}/s; the sender's pace is ~28.5/s)"
            )

            # Everyone answers within the window, each at a random moment. Answers are read
            # by polling the emulator's records: thousands of waiters woken on every request
            # would cost the process more than the bot does.
            async def press(user: int, delay: float, rating: int) -> tuple[str, float]:
                await asyncio.sleep(delay)
                pressed = time.time()
                data = f"fb:{SESSION}:{rating}"
                query = await emu.press_button(user, user, prompt_ids[user], data, strict=False)
                return query, pressed

            async def acks_of(presses: list[tuple[str, float]], within: float) -> list[float]:
                loop = asyncio.get_running_loop()
                deadline = loop.time() + within
                found: dict[str, float] = {}
                while len(found) < len(presses):
                    if loop.time() > deadline:
                        raise SystemExit(f"{len(presses) - len(found)} presses unanswered")
                    await asyncio.sleep(0.02)
                    for query, pressed in presses:
                        if query not in found:
                            reply = await emu.callback_answer(query)
                            if reply is not None:
                                found[query] = (reply.time - pressed) * 1000
                return list(found.values())

            began = time.perf_counter()
            presses = await asyncio.gather(
                *(press(u, rng.uniform(0, window_s), rng.randint(1, 5)) for u in users)
            )
            spread_acks = await acks_of(presses, 120)
            spread_s = time.perf_counter() - began
            stored = [a for a in await svc.store.all_feedback_answers() if a.rating]
            if len(stored) != n_people:
                raise SystemExit(f"{n_people - len(stored)} answers were not stored")
            print(
                f"spread: {n_people} ratings within {window_s:.0f} s took {spread_s:.1f} s; "
                f"ack p50={percentile(spread_acks, 0.5):.1f} ms "
                f"p99={percentile(spread_acks, 0.99):.1f} ms "
                f"max={max(spread_acks):.1f} ms"
            )

            # A burst: everyone changes their rating at once; the bot is the bottleneck.
            began = time.perf_counter()
            presses = await asyncio.gather(*(press(u, 0.0, 5) for u in users))
            acks = await acks_of(presses, 300)
            burst_s = time.perf_counter() - began
            stored = [a for a in await svc.store.all_feedback_answers() if a.rating == 5]
            if len(stored) != n_people:
                raise SystemExit(f"{n_people - len(stored)} re-ratings were not stored")
            stats = await emu.stats()
            print(
                f"burst: {n_people} re-ratings at once stored in {burst_s:.2f} s "
                f"({n_people / burst_s:.0f}/s); ack p50={percentile(acks, 0.5):.0f} ms "
                f"p99={percentile(acks, 0.99):.0f} ms; emulator refused "
                f"{stats.bad_requests + stats.forbidden + stats.too_many_requests} requests "
                "(400 'message is not modified' for cards already showing 5 is expected)"
            )
    return {
        "answers_per_s": n_people / burst_s,
        "ack_p99_ms": percentile(spread_acks, 0.99),
        "ack_p50_ms": percentile(spread_acks, 0.5),
    }


async def baseline_upserts(n: int) -> float:
    """Single-row upserts with aiosqlite alone, one statement per answer as the bot does."""
    with tempfile.TemporaryDirectory(prefix="bench-feedback-base-") as tmp:
        db = await aiosqlite.connect(str(Path(tmp) / "b.sqlite3"), isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("CREATE TABLE a (s TEXT, r TEXT, rating INT, PRIMARY KEY (s, r))")
        began = time.perf_counter()
        for i in range(n):
            await db.execute(
                "INSERT INTO a VALUES (?, ?, ?) ON CONFLICT (s, r) DO UPDATE SET"
                " rating = excluded.rating",
                ("s", str(i), i % 5 + 1),
            )
        elapsed = time.perf_counter() - began
        await db.close()
    return n / elapsed


# --- part 2: reports and exports for a large event ---------------------------------------------


def big_event(n_sessions: int) -> Content:
    content = generate_content(n_sessions=n_sessions, n_faq=20)
    feedback = FeedbackSettings(
        questions=[
            FeedbackQuestion(id="useful", text="Was it useful for your work?"),
            FeedbackQuestion(id="again", text="Would you come again?", type=QuestionType.yes_no),
        ]
    )
    event = content.event.model_copy(update={"feedback": feedback})
    return Content(
        event, content.venue, list(content.sessions), list(content.speakers), list(content.faq)
    )


async def reports(n_sessions: int, n_answers: int) -> dict[str, float]:
    content = big_event(n_sessions)
    rng = random.Random(9)
    with tempfile.TemporaryDirectory(prefix="bench-feedback-report-") as tmp:
        store = await Store.open(Path(tmp) / "r.sqlite3")
        settings = Settings(db_path=Path(tmp) / "r.sqlite3", feedback_secret="bench")
        secret = await store.feedback_secret(settings.feedback_secret)
        now = dt.datetime.combine(content.event.end_date, dt.time(20), tzinfo=content.tz)
        sessions = list(content.sessions)
        people = n_answers // 10
        seeded = time.perf_counter()
        deliveries = []
        pairs = [
            (user, session)
            for user in range(people)
            for session in rng.sample(sessions, n_answers // people)
        ]
        for user, session in pairs:
            key = pseudonym(secret, user)
            deliveries.append(
                Delivery(
                    key=feedback_key(session.id, user),
                    kind=OutboxKind.FEEDBACK,
                    chat_id=user,
                    payload={"session": session.id},
                    due_at=now,
                )
            )
            if rng.random() < 0.08:
                await store.save_not_attended(session.id, key, now)
                continue
            await store.save_rating(session.id, key, rng.choice((3, 4, 4, 5, 5, 2, 1)), now)
            await store.save_question_answer(session.id, key, "useful", rng.randint(1, 5), now)
            await store.save_question_answer(
                session.id, key, "again", rng.choice(("yes", "no")), now
            )
            if rng.random() < 0.2:
                comment = rng.choice(
                    ("Great panel 👍", "<b>too</b> long & hot", "ممتاز", "=1+1", "x" * 600)
                )
                await store.save_comment(session.id, key, comment, now)
        for user in range(people):
            group = rng.choice([g for g, _ in GROUPS] + [None])
            await store.set_feedback_group(pseudonym(secret, user), group, now)
        await store.enqueue(deliveries, now)
        rows = await store.outbox_rows(OutboxKind.FEEDBACK)
        ids = [r.id for r in rows]
        await store.claim(ids)
        await store.finish(ids, "sent", now)
        print(
            f"seeded {n_answers} answers ({people} people, {n_sessions} sessions) "
            f"in {time.perf_counter() - seeded:.1f} s"
        )
        began = time.perf_counter()
        raw = await store.all_feedback_answers()
        read_s = time.perf_counter() - began

        began = time.perf_counter()
        # Reports and exports read after every session's feedback has closed, so that the export
        # holds every answer (it holds closed sessions only).
        closed = now + dt.timedelta(days=2)
        summaries = await FeedbackService(store, settings).summaries(content, closed)
        pages = -(-len(summaries) // 6)
        texts = [render_overview(summaries, page)[0] for page in range(pages)]
        report_s = time.perf_counter() - began

        began = time.perf_counter()
        busiest = max(summaries, key=lambda s: s.answers)
        detail = render_detail(busiest, content.event.feedback.min_group_size)
        charts = (
            await asyncio.to_thread(distribution_chart, busiest),
            await asyncio.to_thread(means_chart, summaries),
        )
        detail_s = time.perf_counter() - began

        began = time.perf_counter()
        answers = await store.all_feedback_answers()
        table = export_table(content, answers, closed)
        csv_bytes = await asyncio.to_thread(build_csv, table)
        xlsx_bytes = await asyncio.to_thread(build_xlsx, table, summaries)
        export_s = time.perf_counter() - began
        await store.close()
    print(
        f"baseline: reading the {len(raw)} answer rows alone: {read_s * 1000:.0f} ms; "
        f"/report {report_s * 1000:.0f} ms ({report_s / read_s:.1f}x), "
        f"/export {export_s * 1000:.0f} ms ({export_s / read_s:.1f}x)"
    )
    print(
        f"/report: {pages} pages, {sum(len(t) for t in texts)} chars; /report <session> with two "
        f"charts ({len(charts[0]) + len(charts[1])} bytes of PNG, {len(detail)} chars): "
        f"{detail_s * 1000:.0f} ms"
    )
    print(
        f"/export: {len(table.rows)} rows, CSV {len(csv_bytes) / 1e6:.2f} MB, "
        f"XLSX {len(xlsx_bytes) / 1e6:.2f} MB"
    )
    return {"report_s": report_s, "export_s": export_s, "detail_s": detail_s}


async def run(quick: bool) -> None:
    n_people = 250 if quick else 2000
    window = 10.0 if quick else 60.0
    n_answers = 8_000 if quick else 20_000
    logging.basicConfig(level=logging.WARNING)
    answered = await crowd(n_people, window)
    base = await baseline_upserts(n_people)
    print(
        f"baseline: {base:.0f} bare aiosqlite upserts/s; ratio bot/baseline "
        f"{answered['answers_per_s'] / base:.3f}"
    )
    built = await reports(50, n_answers)
    print(
        f"bench feedback: answers_per_s={answered['answers_per_s']:.1f} "
        f"ack_p99_ms={answered['ack_p99_ms']:.1f} report_s={built['report_s']:.3f} "
        f"export_s={built['export_s']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    args = parser.parse_args()
    asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
