"""Errors the bot logged during an end-to-end test, so that the test fails on them.

The bot's global error handler logs an unhandled handler error and apologises to the user
("Sorry, something went wrong..."). That apology is a message like any other, so without this a
test waiting for "a reply" passes over a crash. Every end-to-end test therefore collects the
ERROR records of the bot's loggers (in this process) and the ERROR lines of the log of any bot
process it started (:class:`tests.e2e.botproc.BotProcess`), and fails with their tracebacks (see
``tests/e2e/conftest.py``). A test that provokes an error on purpose says so with
``@pytest.mark.expect_bot_errors`` and asserts the error it expects through the ``bot_errors``
fixture.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# The bot's own packages; python-telegram-bot, which logs "No error handlers are registered"
# and errors of jobs and of polling under telegram.ext; APScheduler, under the JobQueue; and
# asyncio, which reports a task that died with nobody awaiting it.
WATCHED_LOGGERS = ("bot", "scheduler", "telegram.ext", "apscheduler", "asyncio")
# The format ``python -m bot`` logs in: "%(asctime)s %(levelname)s %(name)s: %(message)s".
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>[A-Z]+) (?P<name>[\w.]+): (?P<message>.*)$"
)
RUN_HEADER = "=== run "  # written by BotProcess before each start
FORMAT = logging.Formatter("%(levelname)s %(name)s: %(message)s")


@dataclass(frozen=True)
class BotError:
    """One error the bot logged: where, what it said, and the exception, if any."""

    logger: str
    message: str
    exception: str | None  # the exception's class name, e.g. "Forbidden"
    text: str  # the whole record, traceback included


def is_watched(logger: str) -> bool:
    return any(logger == name or logger.startswith(name + ".") for name in WATCHED_LOGGERS)


def errors_in_log(text: str) -> list[BotError]:
    """The ERROR and CRITICAL records of watched loggers in a bot process's log, with the
    traceback lines that follow each."""
    found: list[BotError] = []
    current: list[str] | None = None
    header: re.Match[str] | None = None

    def close() -> None:
        if current is not None and header is not None:
            found.append(
                BotError(
                    logger=header["name"],
                    message=header["message"],
                    exception=_exception_of(current[1:]),
                    text="\n".join(current),
                )
            )

    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if match is not None or line.startswith(RUN_HEADER):
            close()
            current, header = None, None
            if (
                match is not None
                and match["level"] in ("ERROR", "CRITICAL")
                and is_watched(match["name"])
            ):
                current, header = [line], match
        elif current is not None:
            current.append(line)
    close()
    return found


def _exception_of(traceback_lines: list[str]) -> str | None:
    """The class name in the last line of a traceback ("telegram.error.Forbidden: ...")."""
    for line in reversed(traceback_lines):
        head = line.split(":", 1)[0].strip()
        if head and not line.startswith(" ") and re.fullmatch(r"[\w.]+", head):
            return head.rsplit(".", 1)[-1]
    return None


class BotErrors(logging.Handler):
    """Collects errors from the watched loggers and from the logs of bot processes."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.process_logs: list[Path] = []
        self._reported = 0

    def emit(self, record: logging.LogRecord) -> None:
        if is_watched(record.name):
            self.records.append(record)

    @contextmanager
    def watching(self) -> Iterator[BotErrors]:
        loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
        for logger in loggers:
            logger.addHandler(self)
        try:
            yield self
        finally:
            for logger in loggers:
                logger.removeHandler(self)

    def watch_log(self, path: Path) -> None:
        """Also read the log file of a bot process (see BotProcess)."""
        if path not in self.process_logs:
            self.process_logs.append(path)

    @property
    def errors(self) -> list[BotError]:
        """Everything collected so far, this process's records first."""
        found = [
            BotError(
                logger=record.name,
                message=record.getMessage(),
                exception=record.exc_info[0].__name__
                if record.exc_info and record.exc_info[0]
                else None,
                text=FORMAT.format(record),
            )
            for record in self.records
        ]
        for path in self.process_logs:
            if path.exists():
                found += errors_in_log(path.read_text(encoding="utf-8", errors="replace"))
        return found

    def take_unreported(self) -> list[BotError]:
        """Errors not yet handed out by an earlier call."""
        errors = self.errors
        fresh = errors[self._reported :]
        self._reported = len(errors)
        return fresh


def describe(errors: list[BotError], when: str) -> str:
    return f"the bot logged {len(errors)} error(s) {when}:\n\n" + "\n\n".join(
        e.text for e in errors
    )


_current: BotErrors | None = None


def current() -> BotErrors | None:
    """The collector of the test that is running (so that a BotProcess can add its log)."""
    return _current


def set_current(collector: BotErrors | None) -> None:
    global _current
    _current = collector
