"""Shared fixtures: the bundled content, loaded once per test session.

Layout. Tests mirror the source tree, with ``bot/`` as the root of ``tests/``: a module
``bot/<package>/<module>.py`` is tested in ``tests/<package>/test_<module>.py`` (``bot/store/
outbox.py`` in ``tests/store/test_outbox.py``), a bot-level module ``bot/<module>.py`` in
``tests/test_<module>.py`` (``bot/telegram_text.py`` in ``tests/test_telegram_text.py``), and
``scheduler/<module>.py`` in ``tests/scheduler/test_<module>.py``. End-to-end tests, which drive
the whole Application through the emulator, live in ``tests/e2e/``. The one helper for waiting
on a condition is :func:`tests.waiting.wait_until`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content import Content, load_content_or_raise

REPO = Path(__file__).resolve().parent.parent
CONTENT_DIR = REPO / "content"


@pytest.fixture(scope="session")
def bundled() -> Content:
    content, _warnings = load_content_or_raise(CONTENT_DIR)
    return content


# The bundled workshop and panel have no day or time yet (to be announced). Tests of timed
# behaviour (reminders, prompts, now/next, reports) give them the times they used to carry as
# placeholders; here those times are test data, not facts about the event.
TEST_TIMES = {
    "undesa-workshop": (dt.date(2022, 7, 26), dt.time(9, 0), dt.time(12, 30)),
    "undesa-panel": (dt.date(2022, 7, 26), dt.time(14, 0), dt.time(15, 30)),
}


def with_test_times(content: Content) -> Content:
    """The content with every session of :data:`TEST_TIMES` given that day and time."""
    sessions = [
        s.model_copy(update=dict(zip(("day", "start", "end"), TEST_TIMES[s.id], strict=True)))
        if s.id in TEST_TIMES
        else s
        for s in content.sessions
    ]
    return Content(
        content.event, content.venue, sessions, list(content.speakers), list(content.faq)
    )


@pytest.fixture(scope="session")
def bundled_timed(bundled: Content) -> Content:
    return with_test_times(bundled)
