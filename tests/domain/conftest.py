"""Fixtures for the domain tests: the bundled event, loaded the way the bot loads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_content_or_raise
from bot.content.models import Content
from bot.domain.ask import Answerer
from tests.conftest import with_test_times

# The programme with places, online sessions, tracks and languages (tests/places.py).
from tests.places import places as places

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def read_content(directory: Path = CONTENT_DIR) -> Content:
    content, _warnings = load_content_or_raise(directory)
    return content


@pytest.fixture(scope="session")
def content() -> Content:
    # The workshop and panel are to be announced in the bundled content; most domain tests are
    # about timed sessions, so they get test times (tests/conftest.py).
    return with_test_times(read_content())


@pytest.fixture(scope="session")
def answerer(content: Content) -> Answerer:
    """The answerer of the bundled event (with its test times)."""
    return Answerer(content)
