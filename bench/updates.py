"""Benchmark of update throughput: confbot against a bare python-telegram-bot echo bot.

Run from the repository root: ``.venv/bin/python bench/updates.py [--quick]``. One local Bot
API emulator (flood limits off: this measures the bot, not Telegram) runs in this process with
the load driver, and each bot runs as its own OS process polling it, one after the other, with
its own chats, so the bot has a core of its own and the emulator's work (parsing every message's
HTML, recording it) and the driver's are not counted against it:

* the baseline, ``bench/echo_bot.py``: a bare ``Application`` with one ``MessageHandler``
  echoing plain text, started with ``run_polling``;
* confbot exactly as production runs it, ``python -m bot run --at "2022-07-25 10:30"`` (a clock
  starting on Monday 25 July 2022, 10:30 in Rabat), on the bundled content and a temporary
  SQLite file, configured through the environment (``tests.e2e.botproc.BotProcess``).

M simulated attendees send N updates in waves: every attendee injects one update, the wave
ends when the bot has answered all of them, then the next wave starts (a button can only be
pressed once the message carrying it is there). Confbot gets a mix of free-text questions,
commands and presses on the buttons of its own agenda messages; the bare bot gets plain text.
Throughput is N over the time from the first injection to the last answer; latency is from an
update's injection to the bot's first answer to it (a message, or the callback answer), read
from the emulator's records. Both still depend on how fast this process serves the bot, so the
fairest figure is the CPU time the bot process itself spent over the measured phase (utime +
stime from ``/proc/<pid>/stat``) per update, also given for this process (emulator + driver).
Prints the figures, the ratios confbot/bare and one summary line. Never fails on a timing; it
does fail if an update went unanswered, the emulator refused one of confbot's requests or a bot
logged an error.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from botapi_emulator import BotApiEmulator, EmulatorStats  # noqa: E402
from tests.e2e.botproc import BotProcess  # noqa: E402

ECHO_BOT = ROOT / "bench" / "echo_bot.py"
EVENT_MOMENT = dt.datetime(2022, 7, 25, 10, 30)  # the --at given to confbot (event time zone)
START_TIMEOUT_S = 60.0
STOP_GRACE_S = 10.0
WAVE_TIMEOUT_S = 120.0
POLL_S = 0.005
# One emulator serves both bots, so each crowd has chats of its own.
BARE_USERS_BASE = 1_000_000
BOT_USERS_BASE = 2_000_000
WARMUP_USERS_BASE = 3_000_000
BARE_WARMUP_USERS_BASE = 4_000_000
CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")

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
    first_error: str = ""
    bot_cpu_s: float = float("nan")  # the bot process, over the measured phase
    driver_cpu_s: float = 0.0  # this process (emulator + driver), over the measured phase

    @property
    def per_s(self) -> float:
        return len(self.sent) / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        return self.bot_cpu_s * 1000.0 / len(self.sent) if self.sent else float("nan")


# --- the bot processes ----------------------------------------------------------------------


class EchoBotProcess(BotProcess):
    """``bench/echo_bot.py`` in a child process, configured and stopped as confbot's is."""

    async def start(self, at: dt.datetime | None = None) -> None:
        if self.running:
            raise RuntimeError("the bot process is already running")
        self.runs += 1
        with self.log_path.open("a", encoding="utf-8") as log:
            self.started_at = time.monotonic()
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(ECHO_BOT),
                cwd=ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )


def pid_of(process: BotProcess) -> int:
    # BotProcess keeps its asyncio process private; the pid is all this benchmark needs of it.
    proc = process._proc
    if proc is None or proc.returncode is not None:
        raise RuntimeError(f"the bot process is not running:\n{process.log_tail()}")
    return proc.pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its threads so far (Linux ``/proc``)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")
    # The command name (field 2) is in parentheses and may hold spaces; utime and stime are
    # fields 14 and 15, i.e. the 12th and 13th after it.
    after_name = stat.rsplit(")", 1)[1].split()
    return (int(after_name[11]) + int(after_name[12])) / CLOCK_TICKS_PER_S


def errors_in_log(path: Path, since: int) -> tuple[int, str]:
    """ERROR records the bot logged after byte ``since`` of its log, and the first of them."""
    if not path.exists():
        return 0, ""
    with path.open("rb") as log:
        log.seek(since)
        lines = log.read().decode("utf-8", "replace").splitlines()
    errors = [line for line in lines if " ERROR " in line]
    return len(errors), (errors[0][:300] if errors else "")


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


async def start_polling_bot(emu: BotApiEmulator, process: BotProcess) -> None:
    """Start the bot and wait until it polls (after its start-up calls, e.g. setMyCommands)."""

    async def polling() -> bool:
        return (await emu.stats()).requests_by_method["getUpdates"] > 0

    await emu.reset_stats()
    await process.start(at=EVENT_MOMENT)
    await process.wait_until(polling, START_TIMEOUT_S, "the bot to poll")


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


async def wait_answered(emu: BotApiEmulator, wave: list[Sent], process: BotProcess) -> int:
    """Wait until every update of the wave is answered; returns how many were not (timeout)."""
    pending = list(wave)
    deadline = time.monotonic() + WAVE_TIMEOUT_S
    while pending and time.monotonic() < deadline:
        # The bot handles updates in order, so checking from the front and stopping at the
        # first unanswered one keeps this loop cheap: it shares the event loop with the
        # emulator, which serves the bot.
        while pending and await is_answered(emu, pending[0]):
            pending.pop(0)
        if pending:
            if not process.running:
                raise RuntimeError(f"the bot process exited:\n{process.log_tail()}")
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
    process: BotProcess,
    name: str,
    attendees: list[Attendee],
    total: int,
    inject: Callable[[Attendee], Awaitable[Sent]],
    after_wave: Callable[[Attendee, Sent], Awaitable[None]] | None = None,
) -> RunResult:
    result = RunResult(name)
    pid = pid_of(process)
    log_start = log_size(process.log_path)
    bot_cpu_start, driver_cpu_start = cpu_seconds(pid), time.process_time()
    started = time.time()
    while len(result.sent) < total:
        wave_attendees = attendees[: total - len(result.sent)]
        wave = [await inject(attendee) for attendee in wave_attendees]
        result.unanswered += await wait_answered(emu, wave, process)
        result.sent.extend(wave)
        if after_wave is not None:
            for attendee, item in zip(wave_attendees, wave, strict=True):
                await after_wave(attendee, item)
    result.elapsed_s = time.time() - started
    result.bot_cpu_s = cpu_seconds(pid) - bot_cpu_start
    result.driver_cpu_s = time.process_time() - driver_cpu_start
    result.errors_logged, result.first_error = errors_in_log(process.log_path, log_start)
    for item in result.sent:
        at = await first_answer_at(emu, item)
        if at is not None:
            result.latencies_ms.append((at - item.injected_at) * 1000.0)
    result.stats = await emu.stats()
    return result


# --- the bare echo bot ----------------------------------------------------------------------


def bot_process(
    process_type: type[BotProcess], emu: BotApiEmulator, tmp: Path, name: str
) -> BotProcess:
    return process_type(
        api_url=emu.api_url,
        file_url=emu.file_url,
        db_path=tmp / f"{name}.sqlite3",
        log_path=tmp / f"{name}.log",
    )


async def run_bare(
    emu: BotApiEmulator, tmp: Path, total: int, users: int, warmup: int
) -> RunResult:
    process = bot_process(EchoBotProcess, emu, tmp, "bare")
    try:
        await start_polling_bot(emu, process)

        async def inject(attendee: Attendee) -> Sent:
            text = f"hello {attendee.step}"
            attendee.step += 1
            before = len(await emu.messages(attendee.user_id))
            await emu.send_from_user(attendee.user_id, text)
            return Sent(attendee.user_id, "message", "text", time.time(), before)

        warm = [Attendee(BARE_WARMUP_USERS_BASE + i, 0, random.Random(i)) for i in range(warmup)]
        await measure(emu, process, "warm-up", warm, warmup, inject)
        await emu.reset_stats()
        crowd = [Attendee(BARE_USERS_BASE + i, 0, random.Random(i)) for i in range(users)]
        return await measure(emu, process, "bare", crowd, total, inject)
    finally:
        await process.stop(STOP_GRACE_S)


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


async def warm_up_buttons(
    emu: BotApiEmulator, process: BotProcess, driver: ConfbotDriver, count: int
) -> None:
    crowd = [Attendee(WARMUP_USERS_BASE + 100 + i, 1, random.Random(i)) for i in range(count)]
    await measure(emu, process, "warm-up", crowd, count * 4, driver.inject, driver.after_wave)


async def run_confbot(
    emu: BotApiEmulator, tmp: Path, total: int, users: int, warmup: int
) -> tuple[RunResult, dict[str, int]]:
    process = bot_process(BotProcess, emu, tmp, "confbot")
    try:
        await start_polling_bot(emu, process)
        expected = await calibrate(emu)
        driver = ConfbotDriver(emu, expected)
        await warm_up_buttons(emu, process, driver, max(1, warmup // 4))
        await emu.reset_stats()
        crowd = [
            Attendee(BOT_USERS_BASE + i, i % len(INTENTS), random.Random(i)) for i in range(users)
        ]
        result = await measure(
            emu, process, "confbot", crowd, total, driver.inject, driver.after_wave
        )
    finally:
        await process.stop(STOP_GRACE_S)
    return result, expected


def report(result: RunResult) -> None:
    p50, p99 = percentile(result.latencies_ms, 0.5), percentile(result.latencies_ms, 0.99)
    print(
        f"{result.name:8} N={len(result.sent)} elapsed={result.elapsed_s:.2f} s "
        f"rate={result.per_s:.1f} updates/s latency p50={p50:.1f} ms p99={p99:.1f} ms "
        f"max={max(result.latencies_ms, default=float('nan')):.1f} ms"
    )
    elapsed = result.elapsed_s or float("nan")
    driver_ms = result.driver_cpu_s * 1000.0 / len(result.sent) if result.sent else float("nan")
    print(
        f"{'':8} cpu: bot process {result.bot_cpu_s:.2f} s = {result.cpu_ms_per_update:.3f} "
        f"ms/update ({result.bot_cpu_s / elapsed:.0%} of a core); emulator + driver "
        f"{result.driver_cpu_s:.2f} s = {driver_ms:.3f} ms/update "
        f"({result.driver_cpu_s / elapsed:.0%} of a core)"
    )
    if result.stats is not None:
        methods = dict(sorted(result.stats.requests_by_method.items()))
        print(f"{'':8} requests: {methods}")


async def run(total: int, users: int, warmup: int) -> None:
    # A SIGTERM to the benchmark cancels it, so the bot processes are stopped on the way out
    # (Ctrl-C does the same through asyncio.run).
    this = asyncio.current_task()
    assert this is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, this.cancel)
    cores = len(os.sched_getaffinity(0))
    if cores < 2:
        print(f"WARNING: {cores} core available: the bot shares it with the emulator")
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp_name:
        tmp = Path(tmp_name)
        async with BotApiEmulator(limits=False) as emu:
            bare = await run_bare(emu, tmp, total, users, warmup)
            report(bare)
            bot, expected = await run_confbot(emu, tmp, total, users, warmup)
            report(bot)
    kinds: dict[str, int] = {}
    for item in bot.sent:
        kinds[item.label] = kinds.get(item.label, 0) + 1
    print(
        f"{'':8} mix: {kinds}; texts answered by 2 messages: "
        f"{sorted(t for t, n in expected.items() if n > 1)}"
    )

    ratio = bot.per_s / bare.per_s if bare.per_s else float("nan")
    cpu_ratio = bot.cpu_ms_per_update / bare.cpu_ms_per_update
    print(f"ratio confbot/bare: {ratio:.3f} in updates/s (target >= 0.5)")
    print(
        f"ratio confbot/bare: {cpu_ratio:.2f} in CPU per update of the bot process "
        f"(confbot {bot.cpu_ms_per_update:.3f} ms, bare {bare.cpu_ms_per_update:.3f} ms)"
    )
    problems = []
    for result in (bare, bot):
        if result.unanswered:
            problems.append(f"{result.name}: {result.unanswered} updates unanswered")
        if len(result.latencies_ms) < len(result.sent):
            missing = len(result.sent) - len(result.latencies_ms)
            problems.append(f"{result.name}: {missing} updates without a recorded answer")
        if result.errors_logged:
            problems.append(
                f"{result.name}: {result.errors_logged} errors logged, the first: "
                f"{result.first_error}"
            )
    stats = bot.stats
    assert stats is not None
    refused = stats.bad_requests + stats.forbidden + stats.too_many_requests
    if refused:
        problems.append(
            f"confbot: emulator refused {refused} requests (400: {stats.bad_requests}, "
            f"403: {stats.forbidden}, 429: {stats.too_many_requests})"
        )
    for problem in problems:
        print(f"WARNING: {problem}")
    p99 = percentile(bot.latencies_ms, 0.99)
    print(
        f"bench updates: bot_per_s={bot.per_s:.1f} bare_per_s={bare.per_s:.1f} "
        f"ratio={ratio:.3f} p99_ms={p99:.1f} cpu_ms_per_update={bot.cpu_ms_per_update:.3f} "
        f"bare_cpu_ms_per_update={bare.cpu_ms_per_update:.3f}"
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
    try:
        asyncio.run(run(total, args.users, warmup=50 if args.quick else 200))
    except asyncio.CancelledError:
        print("stopped by SIGTERM", file=sys.stderr)
        raise SystemExit(143) from None


if __name__ == "__main__":
    main()
