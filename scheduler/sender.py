"""The one sender: takes due rows from the outbox and delivers them through python-telegram-bot.

It owns everything that is hard about sending on the bot's own initiative, so that no feature
has to: the overall flood limit (paced evenly, not in bursts), one message per second per chat,
``RetryAfter``, network retries with backoff, blocked users, and a final state for every row.

Waves. Rows with a deadline (priority 0: reminders, notices, feedback prompts) are planned
backwards from their due times: if 5,000 reminders fall due at 10:00 and the rate is 29 per
second, sending has to start about three minutes early, and does. Bulk rows (priority 1:
broadcasts) fill the time no deadline needs, so reminders are never starved by a broadcast.

Timing. When there is nothing to send yet, the sender asks python-telegram-bot's JobQueue
(APScheduler) to wake it at the next moment something is due. The outbox in SQLite stays the
source of truth: a lost wake-up only delays work until the periodic sweep, it never loses it.

Crash safety. A row is marked ``sending`` before its request and given its final state after
the answer. On start-up, rows left ``sending`` are sent again (see ``Store.recover_in_flight``):
delivery is at-least-once, and a crash can duplicate at most the ``max_in_flight`` messages
that were in flight at that moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import JobQueue
from telegram.warnings import PTBDeprecationWarning

from bot.clock import Clock
from bot.domain.outbox import DeliveryState, OutboxKind, OutboxRow
from bot.i18n import current_language, use_language
from bot.store import Store

log = logging.getLogger(__name__)

# Telegram allows about 30 messages per second overall; staying a little under it leaves room
# for the replies the bot sends to people talking to it at the same time. 29/s (97%): at 28.5 a
# broadcast could not reach 95% of the limit once its start-up is counted, and 1/s plus
# Telegram's burst allowance of about 30 still covers the replies of a busy moment.
DEFAULT_RATE = 29.0
# How late a send may start and still be made up by the next ones (~7 messages at 29/s).
PACER_SLACK = 0.1
PAID_BROADCAST_RATE = 900.0
PER_CHAT_INTERVAL = 1.0
WAVE_SAFETY = 1.1  # plan waves as if the rate were 10% lower, and start this much earlier
WAVE_MARGIN = dt.timedelta(seconds=3)
HORIZON = dt.timedelta(hours=1)
BATCH = 64
SWEEP_SECONDS = 30.0
MAX_ATTEMPTS = 5
COALESCE_WINDOW = dt.timedelta(seconds=59)
ROUND_TRIP_SMOOTHING = 0.1
PROBE_SECONDS = 60.0


@dataclass(frozen=True)
class Rendered:
    """What to send for one or more outbox rows of one chat."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: str | None = None  # file_id or URL; ``text`` is then the caption
    document: str | None = None
    allow_paid_broadcast: bool = False


# A renderer turns rows (of one chat and one kind) into a message, or None to skip them
# (for example a reminder of a session that has been cancelled since it was planned).
Renderer = Callable[[Sequence[OutboxRow]], Awaitable[Rendered | None]]
# The language of each of some chats, in one look-up (each delivery is rendered in its
# recipient's language).
LanguageLookup = Callable[[Sequence[int]], Awaitable[Mapping[int, str]]]


@dataclass
class SenderStats:
    sent: int = 0
    blocked: int = 0
    not_found: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    retry_after: int = 0
    lateness: list[float] = field(default_factory=list)  # seconds past due, per sent message


class Pacer:
    """Spaces requests evenly at ``rate`` per second (real time, whatever the event clock says)."""

    def __init__(self, rate: float, slack: float = PACER_SLACK) -> None:
        self.interval = 1.0 / rate
        self.slack = slack
        self._next = time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        if self._next > now:
            await asyncio.sleep(self._next - now)
            now = time.monotonic()
        # Keep to the schedule: a send that starts a little late (the sleep overshoots, a
        # database query ran) is made up by the next ones, else every small delay is lost for
        # good and the rate sags well below ``rate``. A longer gap (idle, a pause for
        # RetryAfter) starts a fresh schedule instead, so it is never followed by a burst.
        if now - self._next > self.slack:
            self._next = now
        self._next += self.interval

    def pause(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


def retry_after_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait. python-telegram-bot 22 gives seconds and warns that a
    timedelta is coming (PTB_TIMEDELTA opts in early); both are read here, without the warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


def telegram_answered(exc: TelegramError) -> bool:
    """Whether Telegram answered (a refusal is an answer), not the network failing or a 5xx.
    BadRequest is a NetworkError in python-telegram-bot, though Telegram sent it."""
    return isinstance(exc, BadRequest) or not isinstance(exc, NetworkError)


def wave_start(buckets: Sequence[tuple[dt.datetime, int]], rate: float) -> dt.datetime | None:
    """The latest moment sending can start so that every bucket is out by its due time.

    Walking back from the last bucket: a bucket must finish by its due time and before the
    next bucket starts, and takes ``count / rate`` seconds.
    """
    start: dt.datetime | None = None
    for due, count in reversed(buckets):
        finish = due if start is None else min(due, start)
        start = finish - dt.timedelta(seconds=count / rate)
    return start


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        store: Store,
        clock: Clock,
        renderers: Mapping[OutboxKind, Renderer],
        *,
        job_queue: JobQueue | None = None,
        rate: float = DEFAULT_RATE,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        max_in_flight: int = 4,
        coalesce: frozenset[OutboxKind] = frozenset({OutboxKind.REMINDER}),
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        languages: LanguageLookup | None = None,
        on_answer: Callable[[bool], None] | None = None,
    ) -> None:
        self.bot = bot
        self.store = store
        self.clock = clock
        self.renderers = dict(renderers)
        self.job_queue = job_queue
        self.rate = rate
        self.max_in_flight = max_in_flight
        # Round trip of a send, smoothed. With at most ``max_in_flight`` requests under way,
        # the sender cannot go faster than max_in_flight / round trip, whatever its pace:
        # far from Telegram's servers that is below the flood limit, and waves must start
        # earlier accordingly. 50 ms until measured.
        self.round_trip = 0.05
        self.per_chat_interval = per_chat_interval
        self.coalesce = coalesce
        self.on_blocked = on_blocked
        self.languages = languages
        # Told whether Telegram answered each request (True, whatever the answer) or could not
        # be reached (False): the health check's view of Telegram.
        self.on_answer = on_answer
        self.stats = SenderStats()
        self._pacer = Pacer(rate)
        self._paid_pacer = Pacer(PAID_BROADCAST_RATE)
        self._slots = asyncio.Semaphore(max_in_flight)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._last_sent: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def current_rate(self) -> float:
        """Messages per second the sender can send now: its pace, or what round trips allow."""
        achievable = self.max_in_flight / max(self.round_trip, 1e-3)
        return min(self.rate, achievable)

    def planning_rate(self) -> float:
        """The rate waves are planned with: the current rate, with slack."""
        return self.current_rate() / WAVE_SAFETY

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        recovered = await self.store.recover_in_flight()
        if recovered:
            log.warning(
                "%d deliveries were in flight at the last stop; sending them again", recovered
            )
        await self.measure_round_trip()
        if self.job_queue is not None:
            for job, seconds, name in (
                (self._wake_job, SWEEP_SECONDS, "outbox:sweep"),
                # Between waves nothing is sent, so nothing tells how far Telegram is; a light
                # request now and then keeps the wave planning honest.
                (self._probe_job, PROBE_SECONDS, "outbox:probe"),
            ):
                self.job_queue.run_repeating(
                    job,
                    interval=seconds,
                    first=seconds,
                    name=name,
                    job_kwargs={"misfire_grace_time": None, "coalesce": True},
                )
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def measure_round_trip(self, probes: int = 3) -> None:
        """Time a few getMe requests; the fastest is the network's round trip."""
        timings = []
        for _ in range(probes):
            started = time.monotonic()
            try:
                await self.bot.get_me()
            except TelegramError as exc:
                self._answered(telegram_answered(exc))
                log.info("round-trip probe failed: %s", exc)
                return
            self._answered(True)
            timings.append(time.monotonic() - started)
        self.round_trip = max(self.round_trip, min(timings))

    async def _probe_job(self, _context: object) -> None:
        if not self._in_flight:
            await self.measure_round_trip(probes=1)

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=10)

    def wake(self) -> None:
        """Something was added to the outbox: look again now."""
        self._wake.set()

    async def _wake_job(self, _context: object) -> None:
        self._wake.set()

    # --- the loop -------------------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping:
            try:
                worked = await self._pass()
            except Exception:
                # A database or rendering fault must not kill the only road out.
                log.exception("outbox pass failed; trying again shortly")
                worked = False
                await asyncio.sleep(1.0)
            if not worked and not self._stopping:
                await self._idle()

    async def _pass(self) -> bool:
        """Send one batch of what is due now; False when there was nothing to send."""
        now = self.clock.now()
        buckets = await self.store.pending_buckets(now + HORIZON, max_priority=0)
        start = wave_start(buckets, self.planning_rate())
        until = now + HORIZON if start is not None and now >= start - WAVE_MARGIN else now
        rows = await self.store.due_rows(until, now, max_priority=0, limit=BATCH)
        if not rows:
            rows = await self.store.due_rows(now, now, max_priority=1, limit=BATCH)
        languages: Mapping[int, str] = {}
        if rows and self.languages is not None:
            languages = await self.languages([r.chat_id for r in rows])
        sent_any = False
        for index, row in enumerate(rows):
            if self._stopping:
                break
            # Bulk rows yield to deadline work as soon as a wave has to start.
            if row.priority > 0 and index % 16 == 15 and await self._deadline_work_due():
                break
            with use_language(languages.get(row.chat_id, current_language())):
                if await self._send_row(row):
                    sent_any = True
        return sent_any

    async def _deadline_work_due(self) -> bool:
        now = self.clock.now()
        buckets = await self.store.pending_buckets(now + HORIZON, max_priority=0)
        start = wave_start(buckets, self.planning_rate())
        return start is not None and now >= start - WAVE_MARGIN

    async def _idle(self) -> None:
        self._wake.clear()
        now = self.clock.now()
        buckets = await self.store.pending_buckets(now + HORIZON, max_priority=0)
        start = wave_start(buckets, self.planning_rate())
        candidates = [
            t
            for t in (await self.store.next_pending_due(), start - WAVE_MARGIN if start else None)
            if t is not None
        ]
        delay = SWEEP_SECONDS
        if candidates:
            delay = max(0.05, min(delay, (min(candidates) - now).total_seconds()))
        if self.job_queue is not None:
            self.job_queue.run_once(
                self._wake_job,
                when=delay,
                name="outbox:wake",
                # A late wake-up is still wanted: the outbox decides what is still useful.
                job_kwargs={
                    "misfire_grace_time": None,
                    "id": "outbox:wake",
                    "replace_existing": True,
                },
            )
        with contextlib.suppress(TimeoutError):
            # The timeout is only a safety net should the JobQueue not be running.
            await asyncio.wait_for(self._wake.wait(), timeout=delay + 1.0)

    async def _send_row(self, row: OutboxRow) -> bool:
        now = self.clock.now()
        if row.not_after is not None and now >= row.not_after:
            if await self.store.claim([row.id]):
                await self.store.finish(
                    [row.id], DeliveryState.SKIPPED, now, error="too late to be useful"
                )
                self.stats.skipped += 1
                log.info("skipped %s: its moment passed while it waited", row.key)
            return False
        last = self._last_sent.get(row.chat_id)
        if last is not None and time.monotonic() - last < self.per_chat_interval:
            return False  # this chat had a message less than a second ago; next pass
        group = [row]
        if row.kind in self.coalesce:
            group = [
                r
                for r in await self.store.pending_for_chat(
                    row.chat_id, row.kind, row.due_at + COALESCE_WINDOW
                )
                if abs((r.due_at - row.due_at).total_seconds()) <= COALESCE_WINDOW.seconds
                and (r.not_after is None or now < r.not_after)
            ] or [row]
        renderer = self.renderers.get(row.kind)
        if renderer is None:
            log.error("no renderer for outbox kind %r; marking %s failed", row.kind, row.key)
            if await self.store.claim([row.id]):
                await self.store.finish([row.id], DeliveryState.FAILED, now, error="no renderer")
            return False
        rendered = await renderer(group)
        pacer = self._paid_pacer if rendered and rendered.allow_paid_broadcast else self._pacer
        await pacer.wait()
        await self._slots.acquire()
        claimed = await self.store.claim([r.id for r in group])
        if not claimed:
            self._slots.release()
            return False
        rows = [r for r in group if r.id in claimed]
        self._last_sent[row.chat_id] = time.monotonic()
        task = asyncio.create_task(self._deliver(rows, rendered))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return True

    async def _deliver(self, rows: Sequence[OutboxRow], rendered: Rendered | None) -> None:
        ids = [r.id for r in rows]
        chat_id = rows[0].chat_id
        try:
            if rendered is None:
                await self.store.finish(
                    ids, DeliveryState.SKIPPED, self.clock.now(), error="nothing to send any more"
                )
                self.stats.skipped += len(ids)
                return
            started = time.monotonic()
            try:
                message_id = await self._request(chat_id, rendered)
            except TelegramError as exc:
                self._answered(telegram_answered(exc))
                raise
            self._answered(True)
            self.round_trip += ROUND_TRIP_SMOOTHING * (time.monotonic() - started - self.round_trip)
            now = self.clock.now()
            await self.store.finish(ids, DeliveryState.SENT, now, message_id=message_id)
            self.stats.sent += 1
            self.stats.lateness.append(
                max(0.0, (now - min(r.due_at for r in rows)).total_seconds())
            )
        except Forbidden as exc:
            await self.store.finish(ids, DeliveryState.BLOCKED, self.clock.now(), error=str(exc))
            self.stats.blocked += 1
            await self.store.mark_blocked(chat_id, self.clock.now())
            if self.on_blocked is not None:
                await self.on_blocked(chat_id)
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            self.stats.retry_after += 1
            self._pacer.pause(seconds)
            await self.store.retry_later(
                ids,
                self.clock.now() + dt.timedelta(seconds=seconds),
                str(exc),
                count_attempt=False,
            )
        except BadRequest as exc:
            state = (
                DeliveryState.NOT_FOUND
                if "chat not found" in str(exc).lower()
                else DeliveryState.FAILED
            )
            await self.store.finish(ids, state, self.clock.now(), error=str(exc))
            if state is DeliveryState.NOT_FOUND:
                self.stats.not_found += 1
            else:
                self.stats.failed += 1
                log.error("Telegram refused %s: %s", rows[0].key, exc)
        except NetworkError as exc:
            attempts = max(r.attempts for r in rows) + 1
            if attempts >= MAX_ATTEMPTS:
                await self.store.finish(ids, DeliveryState.FAILED, self.clock.now(), error=str(exc))
                self.stats.failed += 1
            else:
                backoff = dt.timedelta(seconds=min(60.0, 0.5 * 2**attempts))
                await self.store.retry_later(
                    ids, self.clock.now() + backoff, str(exc), count_attempt=True
                )
                self.stats.retried += 1
        except TelegramError as exc:
            await self.store.finish(ids, DeliveryState.FAILED, self.clock.now(), error=str(exc))
            self.stats.failed += 1
            log.error("could not deliver %s: %s", rows[0].key, exc)
        except Exception:
            log.exception("could not deliver %s", rows[0].key)
            await self.store.finish(
                ids, DeliveryState.FAILED, self.clock.now(), error="internal error"
            )
            self.stats.failed += 1
        finally:
            self._slots.release()
            self._wake.set()

    def _answered(self, answered: bool) -> None:
        if self.on_answer is not None:
            self.on_answer(answered)

    async def _request(self, chat_id: int, rendered: Rendered) -> int:
        paid = True if rendered.allow_paid_broadcast else None
        media = rendered.photo if rendered.photo is not None else rendered.document
        if media is not None:
            # A photo or a document: the same call but for the method, the text as its caption.
            send = self.bot.send_photo if rendered.photo is not None else self.bot.send_document
            message = await send(
                chat_id,
                media,
                caption=rendered.text or None,
                reply_markup=rendered.markup,
                allow_paid_broadcast=paid,
            )
        else:
            message = await self.bot.send_message(
                chat_id,
                rendered.text,
                reply_markup=rendered.markup,
                disable_web_page_preview=True,
                allow_paid_broadcast=paid,
            )
        return message.message_id
