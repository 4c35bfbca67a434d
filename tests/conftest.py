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

from pathlib import Path

import pytest

from bot.content import Content, load_content_or_raise

REPO = Path(__file__).resolve().parent.parent
CONTENT_DIR = REPO / "content"


@pytest.fixture(scope="session")
def bundled() -> Content:
    content, _warnings = load_content_or_raise(CONTENT_DIR)
    return content
