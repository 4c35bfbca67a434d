"""The bot's own HTTP listener: the webhook, ``GET /healthz``, ``GET /metrics`` and the
programme grid's page and API under ``/app/`` (:mod:`bot.miniapp.api`).

One aiohttp ``web.Application`` (routes only, no second framework), started and stopped by
:func:`bot.runner.running` in both modes: in webhook mode it takes Telegram's updates at the
path of ``CONFBOT_WEBHOOK_URL``; in polling mode it serves only /healthz and /metrics, and only
when ``CONFBOT_LISTEN`` is set.

When an update is answered 200. Telegram retries a delivery until it gets a 2xx, so the 200 is
the bot's receipt, and it is given **after the update was processed by the Application** (its
handlers ran to the end, through the same per-chat processor as polling), not after it was
written down somewhere. Why:

- a crash before the answer leads to a redelivery, and the restarted bot handles the update
  then; a durable inbox of updates would need a table, a replay at start and its own cleanup,
  for the same outcome;
- Telegram sends a chat's next update only once the previous one was answered, so answering
  after the handling keeps each chat's order across the network as well as inside the bot;
- the handlers' own writes (the store) and sends (the outbox) are already what must survive a
  crash; an update recorded but not yet handled would be a second queue to keep right.

The price is at-least-once handling at the edge: a bot killed after a handler replied but
before the 200 went out handles that update again after the restart (one reply twice), the
same window a polling bot has between handling and confirming the offset.

Duplicates. A redelivery of an update still being handled, or handled recently, is not handled
again: the ids of the last :data:`RECENT_UPDATES` updates are kept in memory with their
handling, and a second request with the same ``update_id`` waits for the first handling and is
answered 200 without handling anything. Memory only: after a restart an update is redelivered
only if the dead process never answered it, which is the case that must be handled.

Security. Every webhook request must carry the ``X-Telegram-Bot-Api-Secret-Token`` set with
setWebhook (compared in constant time); without it or with another one the answer is 403 and
the body is not even read. /healthz and /metrics are meant for the private network behind the
proxy, which should not forward them.

Stopping. :meth:`WebListener.stop_taking` makes new webhook requests answer 503 (Telegram
keeps them and retries later, so the next process gets them), :meth:`WebListener.drain` waits
for the updates under way (bounded; one cut short is not answered 200, so it comes again).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections import OrderedDict
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update

from bot.metrics import BotMetrics
from bot.miniapp.api import MiniApp
from bot.runtime import BotApplication

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# How many recent update ids are remembered to answer a redelivery without handling it again.
RECENT_UPDATES = 10_000
# How long stopping waits for the updates being handled.
DRAIN_SECONDS = 10.0
DATABASE_TIMEOUT = 2.0


class WebListener:
    def __init__(
        self,
        application: BotApplication,
        host: str,
        port: int,
        *,
        webhook_path: str | None = None,
        secret: str | None = None,
    ) -> None:
        if webhook_path is not None and not secret:
            raise ValueError("a webhook needs its secret token")
        self.application = application
        self.host = host
        self.port = port
        self.webhook_path = webhook_path
        self._secret = (secret or "").encode()
        self.taking = False  # whether webhook updates are taken now (else 503)
        self._recent: OrderedDict[int, asyncio.Task[None]] = OrderedDict()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None

    @property
    def metrics(self) -> BotMetrics:
        return self.application.bot_data.metrics

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        # The programme grid (a Telegram Mini App) and its API, under /app/.
        MiniApp(self.application).add_routes(app)
        if self.webhook_path is not None:
            app.router.add_post(self.webhook_path, self._webhook)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])
        log.info(
            "listening on %s:%d (%s/healthz, /metrics)",
            self.host,
            self.port,
            f"webhook at {self.webhook_path}, " if self.webhook_path else "",
        )

    def take_updates(self) -> None:
        self.taking = True

    def stop_taking(self) -> None:
        self.taking = False

    async def drain(self, within: float = DRAIN_SECONDS) -> None:
        """Wait for the updates being handled; cancel what is left after ``within`` seconds."""
        if not self._in_flight:
            return
        _done, late = await asyncio.wait(set(self._in_flight), timeout=within)
        for task in late:
            task.cancel()
        if late:
            log.warning("%d updates were still being handled when stopping", len(late))
            await asyncio.gather(*late, return_exceptions=True)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- the webhook --------------------------------------------------------------------------

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self.metrics.webhook_requests.labels("forbidden").inc()
            return web.Response(status=403, text="forbidden")
        self.metrics.health.ok()  # Telegram reached us: Telegram works
        if not self.taking:
            self.metrics.webhook_requests.labels("unavailable").inc()
            return web.Response(status=503, text="stopping")
        try:
            data = json.loads(await request.read())
            update_id = int(data["update_id"])
        except (ValueError, TypeError, KeyError):
            self.metrics.webhook_requests.labels("invalid").inc()
            return web.Response(status=400, text="not an update")
        handling = self._recent.get(update_id)
        outcome = "duplicate"
        if handling is None or handling.cancelled():
            outcome = "accepted"
            handling = asyncio.create_task(self._handle(data), name=f"update-{update_id}")
            self._remember(update_id, handling)
        try:
            # Shielded: a client that goes away does not stop the handling it started.
            await asyncio.shield(handling)
        except asyncio.CancelledError:
            if handling.cancelled():  # cut short by the stop: not taken, Telegram sends again
                return web.Response(status=503, text="stopping")
            raise
        self.metrics.webhook_requests.labels(outcome).inc()
        return web.json_response({"ok": True})

    def _remember(self, update_id: int, handling: asyncio.Task[None]) -> None:
        self._recent[update_id] = handling
        self._recent.move_to_end(update_id)
        while len(self._recent) > RECENT_UPDATES:
            self._recent.popitem(last=False)
        self._in_flight.add(handling)
        handling.add_done_callback(self._in_flight.discard)

    async def _handle(self, data: dict[str, Any]) -> None:
        application = self.application
        try:
            update = Update.de_json(data, application.bot)
        except Exception:
            # Not something Telegram sends; answered 200 so that it does not come back forever.
            log.exception("could not read update %s", data.get("update_id"))
            return
        # The same road as a polled update: the per-chat processor, then the handlers; errors
        # of the handlers go to the error handler inside process_update.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )

    # --- operations -----------------------------------------------------------------------------

    async def _healthz(self, request: web.Request) -> web.Response:
        data = self.application.bot_data
        database = "failing"
        if data.started:
            try:
                if await asyncio.wait_for(data.store.ping(), DATABASE_TIMEOUT):
                    database = "ok"
            except Exception:
                log.warning("health check: the database does not answer", exc_info=True)
        health = data.metrics.health
        telegram = "ok" if health.healthy() else "failing"
        since = health.seconds_since_ok()
        healthy = database == "ok" and telegram == "ok"
        body = {
            "status": "ok" if healthy else "failing",
            "database": database,
            "telegram": telegram,
            "last_telegram_ok_s": None if since is None else round(since, 1),
        }
        return web.json_response(body, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        data = self.application.bot_data
        if data.started:
            started = time.monotonic()
            try:
                await asyncio.wait_for(data.metrics.read_store(data.store), DATABASE_TIMEOUT)
            except Exception:
                log.warning("metrics: could not read the store", exc_info=True)
            log.debug("store figures read in %.3f s", time.monotonic() - started)
        body = generate_latest(data.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
