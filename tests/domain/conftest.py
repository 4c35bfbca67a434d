"""Fixtures for the domain tests: the bundled event, loaded the way the bot loads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_content_or_raise
from bot.content.models import Content

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def read_content(directory: Path = CONTENT_DIR) -> Content:
    content, _warnings = load_content_or_raise(directory)
    return content


@pytest.fixture(scope="session")
def content() -> Content:
    return read_content()
