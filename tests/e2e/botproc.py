"""The real bot as a separate process (``python -m bot run``) against an emulator, for tests and
benchmarks that must kill it the way an outage would, which an in-process bot cannot show.

The process is configured only as production is, through the environment, and its output goes
to a log file so that a failing test can show what the bot said. Nothing here knows about any
feature: seed the database with :func:`seed_users`, drive the bot through the emulator, and
put :class:`DelayedAnswers` between the two to give requests a real round trip.
Give the emulator a :class:`SkippableClock` to let its flood limits refill without waiting.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from aiohttp import ClientSession, web

from bot.local import LOCAL_TOKEN
from bot.store import Store
from tests import waiting
from tests.e2e import bot_errors

REPO = Path(__file__).resolve().parents[2]
EVENT_MOMENT = "%Y-%m-%d %H:%M:%S"  # what ``python -m bot run --at`` accepts, to the second


async def seed_users(db_path: Path, user_ids: Iterable[int], now: dt.datetime) -> None:
    """Users who have talked to the bot before, with default settings, as the bot records them."""
    store = await Store.open(db_path)
    try:
        for user_id in user_ids:
            await store.touch_user(user_id, "en", now)
    finally:
        await store.close()


class BotProcess:
    """``python -m bot run [--at MOMENT]`` in a child process; started again after each stop.

    Use as ``async with BotProcess(...) as bot:`` so that the child is killed whatever happens.
    """

    def __init__(
        self,
        *,
        api_url: str,
        file_url: str | None,
        db_path: Path,
        log_path: Path,
        content_dir: Path = REPO / "content",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.log_path = log_path
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TELEGRAM_", "CONFBOT_"))
        }
        self.env.update(
            TELEGRAM_BOT_TOKEN=LOCAL_TOKEN,
            TELEGRAM_API_URL=api_url,
            TELEGRAM_FILE_URL=file_url or "",
            CONFBOT_CONTENT=str(content_dir),
            CONFBOT_DB=str(db_path),
            PYTHONUNBUFFERED="1",
        )
        self.env.update(extra_env or {})
        # The test fails on errors the process logs, as on those of an in-process bot.
        collector = bot_errors.current()
        if collector is not None:
            collector.watch_log(log_path)
        self.started_at = 0.0  # time.monotonic() when the current process was spawned
        self.runs = 0
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def start(self, at: dt.datetime | None = None) -> None:
        """Spawn the bot; ``at`` is a moment of the event (written in the event's zone)."""
        if self.running:
            raise RuntimeError("the bot process is already running")
        argv = [sys.executable, "-m", "bot", "run"]
        if at is not None:
            argv += ["--at", at.strftime(EVENT_MOMENT)]
        self.runs += 1
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"\n=== run {self.runs}: {' '.join(argv[1:])}\n")
            log.flush()
            self.started_at = time.monotonic()
            self._proc = await asyncio.create_subprocess_exec(
                *argv,
                cwd=REPO,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )

    async def kill(self) -> int | None:
        """SIGKILL, as a crash or an OOM kill would: no shutdown code runs. Reaps the child."""
        proc = self._proc
        if proc is None:
            return None
        if proc.returncode is None:
            proc.kill()
        return await proc.wait()

    async def stop(self, grace: float = 15.0) -> int | None:
        """SIGTERM, the orderly stop python-telegram-bot handles; SIGKILL if it hangs."""
        proc = self._proc
        if proc is None:
            return None
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                return await asyncio.wait_for(proc.wait(), grace)
            except TimeoutError:
                pass
        return await self.kill()

    async def wait_until(
        self, condition: Callable[[], Awaitable[bool]], within: float, what: str
    ) -> None:
        """Wait for ``condition``; fail with the bot's log if it exits or time runs out."""
        await waiting.wait_until(
            condition,
            within,
            what,
            give_up=lambda: None if self.running else "the bot exited",
            explain=self.log_tail,
        )

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-lines:])

    async def __aenter__(self) -> BotProcess:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.kill()


class SkippableClock:
    """Monotonic time for the emulator's flood limits, which a test can move forward:
    ``skip(2.0)`` refills the buckets as two seconds would, without waiting them.

    ``BotApiEmulator(clock=...)`` uses its clock for the limits only, so a bot process
    sending through it is unaffected.
    """

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped

    def skip(self, seconds: float) -> None:
        self.skipped += seconds


@dataclass(frozen=True)
class Kill:
    """What the crash tests record at each SIGKILL."""

    after_first_send: float  # seconds the run had been sending when it was killed
    sent_in_run: int  # messages the emulator recorded during the run
    in_flight: int  # rows left 'sending'
    in_flight_delivered: int  # of those, rows whose message the emulator had recorded


class DelayedAnswers:
    """A relay in front of the emulator that passes each request on at once and holds the answer
    back for ``delay`` seconds, as a network round trip does.

    With it, a bot killed mid-request leaves what production would: a message Telegram has
    delivered but the bot never heard about. (The emulator's own "slow" fault waits before
    reading the request, and aiohttp drops the body when the client goes, so it cannot show
    this.) Give the bot ``relay.api_url`` instead of the emulator's.
    """

    def __init__(self, upstream: str, delay: float, methods: Iterable[str]) -> None:
        self.upstream = upstream.rstrip("/")  # the emulator's base_url
        self.delay = delay
        self.methods = frozenset(m.lower() for m in methods)
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._port = 0
        self.in_flight = 0  # requests received and not yet answered
        self.last_request = 0.0  # time.monotonic() when the last request came in

    def settled(self, quiet: float = 0.1) -> bool:
        """No request under way, and none came in for ``quiet`` seconds: after a kill, every
        request the bot had sent has reached the emulator."""
        return self.in_flight == 0 and time.monotonic() - self.last_request >= quiet

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    async def _relay(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        self.in_flight += 1
        self.last_request = time.monotonic()
        try:
            body = await request.read()
            headers = {}
            if "Content-Type" in request.headers:
                headers["Content-Type"] = request.headers["Content-Type"]
            async with self._session.request(
                request.method, self.upstream + request.path_qs, data=body, headers=headers
            ) as answer:
                payload = await answer.read()
                status = answer.status
                content_type = answer.content_type
            if request.path.rsplit("/", 1)[-1].lower() in self.methods:
                await asyncio.sleep(self.delay)  # the round trip this relay is for
            return web.Response(body=payload, status=status, content_type=content_type)
        finally:
            self.in_flight -= 1

    async def __aenter__(self) -> DelayedAnswers:
        self._session = ClientSession()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._relay)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()
