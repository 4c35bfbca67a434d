"""Benchmark of update throughput: confbot against a bare python-telegram-bot echo bot.

Run from the repository root: ``.venv/bin/python bench/updates.py [--quick]``. Both bots poll
the local Bot API emulator (flood limits off: this measures the bot, not Telegram) in this
process, one after the other, each on a fresh emulator and with its own chats:

* the baseline, a bare ``Application`` with one ``MessageHandler`` echoing plain text;
* confbot itself (``bot.local.running_bot``) on the bundled content, a temporary SQLite file
  and a clock standing still on Monday 25 July 2022, 10:30 in Rabat.

M simulated attendees send N updates in waves: every attendee injects one update, the wave
ends when the bot has answered all of them, then the next wave starts (a button can only be
pressed once the message carrying it is there). Confbot gets a mix of free-text questions,
commands and presses on the buttons of its own agenda messages; the bare bot gets plain text.
Throughput is N over the time from the first injection to the last answer; latency is from an
update's injection to the bot's first answer to it (a message, or the callback answer), read
from the emulator's records. Prints the figures, the ratio confbot/bare and one summary line.
Never fails on a timing; it does fail if an update went unanswered or the emulator refused
one of confbot's requests.
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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.content.loader import load_content_or_raise  # noqa: E402
from bot.emulator import BotApiEmulator, EmulatorStats  # noqa: E402
from bot.local import LOCAL_TOKEN, running_bot  # noqa: E402

CONTENT_DIR = ROOT / "content"
WAVE_TIMEOUT_S = 120.0
POLL_S = 0.005
BARE_USERS_BASE = 1_000_000
BOT_USERS_BASE = 2_000_000
WARMUP_USERS_BASE = 3_000_000

QUESTIONS = [
    "where is the workshop",
    "wifi password",
    "who chairs the opening",
    "when is lunch",
    "what's on now",
    "how do I get there",
    "is there interpretation",
    "where is the venue",
    "who is speaking at the panel",
    "registration hours",
    "do I get a certificate",
    "whats next",
]
COMMANDS = ["/now", "/venue", "/faq", "/start s_plen-1", "/agenda"]
NAV_DAY = "ag:d:20220725:0"
NAV_SESSION = "ag:s:plen-1"
NAV_DAYS = "ag:days"
# What one attendee does, over and over: a question, a step through the agenda buttons, a
# command, ... so that about a third of the updates are each kind.
INTENTS = ["ask", "nav", "command", "nav", "ask", "nav", "command", "ask", "nav"]


@dataclass
class Sent:
    """One injected update and what will show it was answered."""

    chat_id: int
    kind: str  # "message" or "press"
    label: str
    injected_at: float
    messages_before: int
    messages_expected: int = 1
    message_id: int = 0  # pressed message
    edits_before: int = 0
    query_id: str = ""


@dataclass
class Attendee:
    user_id: int
    step: int
    rng: random.Random
    nav_message: int = 0
    nav_state: str = ""  # "", "days", "day", "session"
    nav_toggle: int = 0
    pending_nav: str = ""


@dataclass
class RunResult:
    name: str
    sent: list[Sent] = field(default_factory=list)
    elapsed_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    unanswered: int = 0
    stats: EmulatorStats | None = None
    errors_logged: int = 0

    @property
    def per_s(self) -> float:
        return len(self.sent) / self.elapsed_s if self.elapsed_s > 0 else 0.0


class ErrorCounter(logging.Handler):
    """Counts ERROR records (the bot's error handler logs every exception it sees)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if not self.first:
            self.first = record.getMessage()[:300]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def is_answered(emu: BotApiEmulator, item: Sent) -> bool:
    messages = await emu.messages(item.chat_id)
    if item.kind == "message":
        return len(messages) - item.messages_before >= item.messages_expected
    answer = await emu.callback_answer(item.query_id)
    if answer is None:
        return False
    pressed = next((m for m in messages if m.message_id == item.message_id), None)
    edited = pressed is not None and len(pressed.edits) > item.edits_before
    return edited or len(messages) > item.messages_before


async def wait_answered(emu: BotApiEmulator, wave: list[Sent]) -> int:
    """Wait until every update of the wave is answered; returns how many were not (timeout)."""
    pending = list(wave)
    deadline = time.monotonic() + WAVE_TIMEOUT_S
    while pending and time.monotonic() < deadline:
        # The bot handles updates in order, so checking from the front and stopping at the
        # first unanswered one keeps this loop cheap: it shares the event loop with the bot.
        while pending and await is_answered(emu, pending[0]):
            pending.pop(0)
        if pending:
            await asyncio.sleep(POLL_S)
    return len(pending)


async def first_answer_at(emu: BotApiEmulator, item: Sent) -> float | None:
    if item.kind == "press":
        answer = await emu.callback_answer(item.query_id)
        if answer is not None:
            return answer.time
        pressed = next(
            (m for m in await emu.messages(item.chat_id) if m.message_id == item.message_id), None
        )
        return pressed.edited_at if pressed is not None else None
    fresh = [m.time for m in await emu.messages(item.chat_id) if m.time >= item.injected_at]
    return min(fresh) if fresh else None


async def measure(
    emu: BotApiEmulator,
    name: str,
    attendees: list[Attendee],
    total: int,
    inject: Callable[[Attendee], Awaitable[Sent]],
    after_wave: Callable[[Attendee, Sent], Awaitable[None]] | None = None,
) -> RunResult:
    result = RunResult(name)
    started = time.time()
    while len(result.sent) < total:
        wave_attendees = attendees[: total - len(result.sent)]
        wave = [await inject(attendee) for attendee in wave_attendees]
        result.unanswered += await wait_answered(emu, wave)
        result.sent.extend(wave)
        if after_wave is not None:
            for attendee, item in zip(wave_attendees, wave, strict=True):
                await after_wave(attendee, item)
    result.elapsed_s = time.time() - started
    for item in result.sent:
        at = await first_answer_at(emu, item)
        if at is not None:
            result.latencies_ms.append((at - item.injected_at) * 1000.0)
    result.stats = await emu.stats()
    return result


# --- the bare echo bot ----------------------------------------------------------------------


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def run_bare(total: int, users: int, warmup: int) -> RunResult:
    async with BotApiEmulator(limits=False) as emu:
        application = ApplicationBuilder().token(LOCAL_TOKEN).base_url(emu.api_url).build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        await application.initialize()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        try:

            async def inject(attendee: Attendee) -> Sent:
                text = f"hello {attendee.step}"
                attendee.step += 1
                before = len(await emu.messages(attendee.user_id))
                await emu.send_from_user(attendee.user_id, text)
                return Sent(attendee.user_id, "message", "text", time.time(), before)

            warm = [Attendee(WARMUP_USERS_BASE + i, 0, random.Random(i)) for i in range(warmup)]
            await measure(emu, "warm-up", warm, warmup, inject)
            await emu.reset_stats()
            crowd = [Attendee(BARE_USERS_BASE + i, 0, random.Random(i)) for i in range(users)]
            return await measure(emu, "bare", crowd, total, inject)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


# --- confbot --------------------------------------------------------------------------------


def nav_press(attendee: Attendee) -> str:
    """The next button on the attendee's agenda message; each one changes what it shows."""
    if attendee.nav_state == "days":
        return NAV_DAY
    if attendee.nav_state == "session":
        return NAV_DAY
    attendee.nav_toggle += 1
    return NAV_SESSION if attendee.nav_toggle % 2 else NAV_DAYS


NEXT_NAV_STATE = {NAV_DAY: "day", NAV_SESSION: "session", NAV_DAYS: "days"}


class ConfbotDriver:
    def __init__(self, emu: BotApiEmulator, expected: dict[str, int]) -> None:
        self.emu = emu
        self.expected = expected

    async def send_text(self, attendee: Attendee, text: str, label: str) -> Sent:
        before = len(await self.emu.messages(attendee.user_id))
        await self.emu.send_from_user(attendee.user_id, text)
        return Sent(
            attendee.user_id,
            "message",
            label,
            time.time(),
            before,
            messages_expected=self.expected.get(text, 1),
        )

    async def inject(self, attendee: Attendee) -> Sent:
        intent = INTENTS[attendee.step % len(INTENTS)]
        attendee.step += 1
        if intent == "ask":
            return await self.send_text(attendee, attendee.rng.choice(QUESTIONS), "question")
        if intent == "command":
            text = attendee.rng.choice(COMMANDS)
            if text == "/agenda":
                attendee.pending_nav = "days"
            return await self.send_text(attendee, text, "command")
        if not attendee.nav_state:
            attendee.pending_nav = "days"
            return await self.send_text(attendee, "/agenda", "command")
        data = nav_press(attendee)
        messages = await self.emu.messages(attendee.user_id)
        pressed = next(m for m in messages if m.message_id == attendee.nav_message)
        query_id = await self.emu.press_button(
            attendee.user_id, attendee.user_id, pressed.message_id, data
        )
        attendee.pending_nav = NEXT_NAV_STATE[data]
        return Sent(
            attendee.user_id,
            "press",
            "button",
            time.time(),
            len(messages),
            message_id=pressed.message_id,
            edits_before=len(pressed.edits),
            query_id=query_id,
        )

    async def after_wave(self, attendee: Attendee, item: Sent) -> None:
        """Follow where the attendee's agenda message now is (a fresh /agenda starts anew)."""
        if not attendee.pending_nav:
            return
        if item.kind == "message":
            messages = await self.emu.messages(attendee.user_id)
            attendee.nav_message = messages[item.messages_before].message_id
        attendee.nav_state = attendee.pending_nav
        attendee.pending_nav = ""


async def calibrate(emu: BotApiEmulator) -> dict[str, int]:
    """How many messages each text gets (``/venue`` and "where" questions add a map pin).

    Sends every distinct text once, each from its own warm-up attendee, and counts the replies
    once the bot has been quiet for a while. Doubles as the warm-up.
    """
    texts = QUESTIONS + COMMANDS
    for index, text in enumerate(texts):
        await emu.send_from_user(WARMUP_USERS_BASE + index, text)
    chats = [WARMUP_USERS_BASE + index for index in range(len(texts))]
    deadline = time.monotonic() + WAVE_TIMEOUT_S
    last_total, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        counts = [len(await emu.messages(chat)) for chat in chats]
        total = sum(counts)
        if total != last_total:
            last_total, quiet_since = total, time.monotonic()
        elif all(counts) and time.monotonic() - quiet_since > 1.0:
            break
        await asyncio.sleep(0.05)
    return {text: max(1, count) for text, count in zip(texts, counts, strict=True)}


async def warm_up_buttons(emu: BotApiEmulator, driver: ConfbotDriver, count: int) -> None:
    crowd = [Attendee(WARMUP_USERS_BASE + 100 + i, 1, random.Random(i)) for i in range(count)]
    await measure(emu, "warm-up", crowd, count * 4, driver.inject, driver.after_wave)


async def run_confbot(total: int, users: int, warmup: int) -> tuple[RunResult, dict[str, int]]:
    content, _ = load_content_or_raise(CONTENT_DIR)
    clock = FixedClock(dt.datetime(2022, 7, 25, 10, 30, tzinfo=content.tz))
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        emu = BotApiEmulator(limits=False)
        await emu.start()
        try:
            async with running_bot(
                content,
                db_path=Path(tmp) / "bench.sqlite3",
                content_dir=CONTENT_DIR,
                clock=clock,
                emulator=emu,
            ):
                expected = await calibrate(emu)
                driver = ConfbotDriver(emu, expected)
                await warm_up_buttons(emu, driver, max(1, warmup // 4))
                await emu.reset_stats()
                errors.count = 0
                crowd = [
                    Attendee(BOT_USERS_BASE + i, i % len(INTENTS), random.Random(i))
                    for i in range(users)
                ]
                result = await measure(
                    emu, "confbot", crowd, total, driver.inject, driver.after_wave
                )
                result.errors_logged = errors.count
                if errors.first:
                    print(f"first error logged: {errors.first}")
        finally:
            await emu.stop()
            logging.getLogger().removeHandler(errors)
    return result, expected


def report(result: RunResult) -> None:
    p50, p99 = percentile(result.latencies_ms, 0.5), percentile(result.latencies_ms, 0.99)
    print(
        f"{result.name:8} N={len(result.sent)} elapsed={result.elapsed_s:.2f} s "
        f"rate={result.per_s:.1f} updates/s latency p50={p50:.1f} ms p99={p99:.1f} ms "
        f"max={max(result.latencies_ms, default=float('nan')):.1f} ms"
    )
    if result.stats is not None:
        methods = dict(sorted(result.stats.requests_by_method.items()))
        print(f"{'':8} requests: {methods}")


async def run(total: int, users: int, warmup: int) -> None:
    bare = await run_bare(total, users, warmup)
    report(bare)
    bot, expected = await run_confbot(total, users, warmup)
    report(bot)
    kinds: dict[str, int] = {}
    for item in bot.sent:
        kinds[item.label] = kinds.get(item.label, 0) + 1
    print(
        f"{'':8} mix: {kinds}; texts answered by 2 messages: "
        f"{sorted(t for t, n in expected.items() if n > 1)}"
    )

    ratio = bot.per_s / bare.per_s if bare.per_s else float("nan")
    print(f"ratio confbot/bare: {ratio:.3f} (target >= 0.5)")
    problems = []
    for result in (bare, bot):
        if result.unanswered:
            problems.append(f"{result.name}: {result.unanswered} updates unanswered")
        if len(result.latencies_ms) < len(result.sent):
            missing = len(result.sent) - len(result.latencies_ms)
            problems.append(f"{result.name}: {missing} updates without a recorded answer")
    stats = bot.stats
    assert stats is not None
    refused = stats.bad_requests + stats.forbidden + stats.too_many_requests
    if refused:
        problems.append(
            f"confbot: emulator refused {refused} requests (400: {stats.bad_requests}, "
            f"403: {stats.forbidden}, 429: {stats.too_many_requests})"
        )
    if bot.errors_logged:
        problems.append(f"confbot: {bot.errors_logged} errors logged")
    for problem in problems:
        print(f"WARNING: {problem}")
    p99 = percentile(bot.latencies_ms, 0.99)
    print(
        f"bench updates: bot_per_s={bot.per_s:.1f} bare_per_s={bare.per_s:.1f} "
        f"ratio={ratio:.3f} p99_ms={p99:.1f}"
    )
    if problems:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller run, under a minute")
    parser.add_argument("-n", type=int, help="updates per bot (default 3000, quick 500)")
    parser.add_argument("--users", type=int, default=200, help="simulated attendees")
    args = parser.parse_args()
    total = args.n or (500 if args.quick else 3000)
    logging.basicConfig(level=logging.WARNING)
    print(f"updates per bot: N={total} from {args.users} attendees, in waves of one each")
    asyncio.run(run(total, args.users, warmup=50 if args.quick else 200))


if __name__ == "__main__":
    main()
