"""What /healthz and /metrics report: the bot's own Prometheus registry and Telegram's health.

The registry is the bot's own (not prometheus-client's global one), so that two bots in one
process (the tests) do not mix their figures and nothing imported by accident shows up. Only
the few places that see everything are instrumented: the update processor
(:mod:`bot.updates`: updates by kind, handling time), the error handler, and the webhook
listener (:mod:`bot.web`). What the sender and the store know is read at scrape time instead
(:class:`ScrapeCollector`): the sender's counters (``SenderStats``) and pace, the outbox rows
by state and kind and the broadcasts in progress, with one cheap query each (GROUP BY over the
outbox, kept for a few seconds so that scrapes in a burst cost one).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from telegram import Update

from bot.store import Store
from scheduler.sender import OutboxSender

# "Recently", for /healthz: the last call to Telegram that worked is at most this old (or the
# bot started at most this long ago and has not had an answer yet).
HEALTHY_WITHIN = 120.0
# How long the outbox counts read for a scrape are reused.
CENSUS_TTL = 5.0
HANDLING_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class TelegramHealth:
    """When Telegram last answered the bot: a poll, a send of the outbox, a probe, or a webhook
    request carrying the right secret (Telegram reaching us is Telegram working)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.last_ok: float | None = None
        self.last_failure: float | None = None

    def ok(self) -> None:
        self.last_ok = self.clock()

    def failed(self) -> None:
        self.last_failure = self.clock()

    def tell(self, answered: bool) -> None:
        """What the polling request and the sender report after each request."""
        if answered:
            self.ok()
        else:
            self.failed()

    def seconds_since_ok(self) -> float | None:
        return None if self.last_ok is None else self.clock() - self.last_ok

    def healthy(self, within: float = HEALTHY_WITHIN) -> bool:
        since = self.last_ok if self.last_ok is not None else self.started
        return self.clock() - since <= within


def update_kind(update: object) -> str:
    """``message``, ``callback_query``, ``my_chat_member``...: the field the update carries."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return str(kind)
    return "other"


@dataclass
class StoreFigures:
    """What the store said at the last scrape."""

    outbox: dict[tuple[str, str], int] = field(default_factory=dict)
    broadcasts_in_progress: int = 0
    read_at: float | None = None


class BotMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.health = TelegramHealth()
        self.sender: OutboxSender | None = None  # set once post_init has started it
        self.figures = StoreFigures()
        self.updates = Counter(
            "confbot_updates",
            "Updates handled, by kind (message, callback_query, my_chat_member...)",
            ["kind"],
            registry=self.registry,
        )
        self.handling = Histogram(
            "confbot_update_handling_seconds",
            "Time from the start of an update's handling to its end (its reply included)",
            buckets=HANDLING_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "confbot_errors", "Errors that reached the global error handler", registry=self.registry
        )
        self.webhook_requests = Counter(
            "confbot_webhook_requests",
            "Webhook requests, by outcome (accepted, duplicate, forbidden, unavailable, invalid)",
            ["outcome"],
            registry=self.registry,
        )
        self.registry.register(ScrapeCollector(self))

    def handled(self, update: object, seconds: float) -> None:
        self.updates.labels(update_kind(update)).inc()
        self.handling.observe(seconds)

    async def read_store(self, store: Store) -> None:
        """Refresh the figures read from the store, unless they are only seconds old."""
        now = time.monotonic()
        if self.figures.read_at is not None and now - self.figures.read_at < CENSUS_TTL:
            return
        self.figures = StoreFigures(
            outbox=await store.outbox_census(),
            broadcasts_in_progress=await store.broadcasts_in_progress(),
            read_at=now,
        )


class ScrapeCollector(Collector):
    """The figures others keep, turned into metrics when Prometheus scrapes."""

    def __init__(self, metrics: BotMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        figures = self.metrics.figures
        outbox = GaugeMetricFamily(
            "confbot_outbox_rows", "Outbox rows by state and kind", labels=["state", "kind"]
        )
        for (state, kind), count in sorted(figures.outbox.items()):
            outbox.add_metric([state, kind], count)
        yield outbox
        yield GaugeMetricFamily(
            "confbot_broadcasts_in_progress",
            "Broadcasts started and not finished",
            value=figures.broadcasts_in_progress,
        )
        sender = self.metrics.sender
        results = CounterMetricFamily(
            "confbot_messages",
            "Messages the outbox sender sent, by result (sent, retried, failed, blocked, "
            "not_found, skipped)",
            labels=["result"],
        )
        stats = sender.stats if sender is not None else None
        for result in ("sent", "retried", "failed", "blocked", "not_found", "skipped"):
            results.add_metric([result], getattr(stats, result, 0))
        yield results
        yield CounterMetricFamily(
            "confbot_telegram_429",
            "Sends of the outbox Telegram answered 429 Too Many Requests",
            value=stats.retry_after if stats is not None else 0,
        )
        yield GaugeMetricFamily(
            "confbot_sender_rate",
            "Messages per second the sender paces itself to now (its pace, lower when round "
            "trips to Telegram limit it)",
            value=sender.current_rate() if sender is not None else 0.0,
        )
        since = self.metrics.health.seconds_since_ok()
        yield GaugeMetricFamily(
            "confbot_telegram_last_ok_seconds",
            "Seconds since Telegram last answered (-1: not yet)",
            value=-1.0 if since is None else since,
        )
