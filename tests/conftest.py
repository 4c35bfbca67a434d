"""Shared fixtures: the bundled content, loaded once per test session."""

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
