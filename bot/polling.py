"""Long polling that rides out Telegram's hiccups quietly and comes back quickly.

python-telegram-bot's polling loop (``Updater`` through ``network_retry_loop``) logs every
failed ``getUpdates`` with a traceback and waits 1.5 times longer after each failure, up to
30 seconds, so after an outage of a minute the bot stayed deaf for up to half a minute more
once Telegram answered again. The loop's waits are not adjustable, but the request it polls
through is (``ApplicationBuilder.get_updates_request``, public API): :class:`PollingRequest`
retries a failed ``getUpdates`` itself, waiting at most :data:`MAX_DELAY` seconds between
tries, and logs the outage once when it starts (WARNING) and once when it ends (INFO). The
updater sees either an answer or an error that is not the network's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus

from telegram._utils.types import ODVInput  # the type of the signature overridden
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

FIRST_DELAY = 0.5
MAX_DELAY = 3.0


def retry_delays(first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> Iterator[float]:
    """The waits between tries: doubling from ``first``, never above ``cap``."""
    delay = first
    while True:
        yield min(delay, cap)
        delay = min(delay * 2, cap)


class PollingRequest(HTTPXRequest):
    """The request ``getUpdates`` goes through; see the module's docstring.

    A failure is a network error (the connection refused or dropped) or a 5xx answer; a
    timeout goes back to the updater, which polls again at once, and so does any other answer
    (429 with its ``retry_after``, 401, 409 ...), which it handles. It keeps trying only while
    ``keep_trying()`` holds (the updater is running): the last ``getUpdates`` of a shutdown,
    which only confirms the updates received, fails at once.
    """

    def __init__(
        self,
        keep_trying: Callable[[], bool] = lambda: True,
        on_answer: Callable[[bool], None] | None = None,
    ) -> None:
        # The pool size python-telegram-bot gives its own getUpdates request.
        super().__init__(connection_pool_size=1)
        self.keep_trying = keep_trying
        # Told whether each try was answered (True) or failed (False): /healthz's view.
        self.on_answer = on_answer
        self.failing_since: float | None = None
        self.failures = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        delays = retry_delays()
        while True:
            try:
                code, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            except TimedOut:
                self._tell(False)
                raise
            except NetworkError as exc:
                self._tell(False)
                if not self.keep_trying():
                    raise
                problem = str(exc)
            else:
                self._tell(code < HTTPStatus.INTERNAL_SERVER_ERROR)
                if code < HTTPStatus.INTERNAL_SERVER_ERROR:
                    self._answered()
                    return code, payload
                if not self.keep_trying():
                    return code, payload
                problem = f"HTTP {code}"
            self._failed(problem)
            await asyncio.sleep(next(delays))

    def _tell(self, answered: bool) -> None:
        if self.on_answer is not None:
            self.on_answer(answered)

    def _failed(self, problem: str) -> None:
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            log.warning(
                "Telegram cannot be reached (%s); polling again every few seconds until it answers",
                problem,
            )

    def _answered(self) -> None:
        if self.failing_since is None:
            return
        log.info(
            "Telegram answers again, after %d failed polls in %.0f s",
            self.failures,
            time.monotonic() - self.failing_since,
        )
        self.failing_since, self.failures = None, 0
