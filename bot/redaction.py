"""Keeping the bot's token out of logs and out of the staff chat.

The token is part of every Bot API URL (``https://api.telegram.org/bot<token>/getMe``), so it
turns up wherever a URL does: httpx logs each request at INFO, and a network error or a
traceback may quote the URL. Whatever the bot writes down or tells the staff chat goes through
:func:`redact` first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

PLACEHOLDER = "<token>"


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` (as written, and as it looks inside a URL) replaced."""
    if not secret:
        return text
    for form in {secret, quote(secret, safe="")}:
        text = text.replace(form, PLACEHOLDER)
    return text


class _RedactingRecords:
    """A log record factory that removes the secrets in use from every record it makes.

    A record factory rather than a handler's filter: it applies to every record of the
    process, whichever logger made it and whichever handlers (pytest's caplog included) will
    write it down.
    """

    def __init__(self, make: Callable[..., logging.LogRecord]) -> None:
        self.make = make
        self.secrets: set[str] = set()

    def __call__(self, *args: object, **kwargs: object) -> logging.LogRecord:
        record: logging.LogRecord = self.make(*args, **kwargs)
        if self.secrets:
            self._redact(record)
        return record

    def _redact(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is the logging module's to report
            return
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            trace = logging.Formatter().formatException(record.exc_info)
            cleaned = self._clean(trace)
            if cleaned != trace:
                # Formatters use exc_text as it is when it is set.
                record.exc_text = cleaned

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = redact(text, secret)
        return text


def hide_in_logs(secret: str) -> None:
    """From now on, no log record of this process contains ``secret``.

    For the life of the process: python-telegram-bot logs the URLs as soon as the bot is built,
    and the token is the process's for all its life.
    """
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _RedactingRecords):
        factory = _RedactingRecords(factory)
        logging.setLogRecordFactory(factory)
    factory.secrets.add(secret)
