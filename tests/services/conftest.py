"""The services (bot/services/): a fresh SQLite store per test, the bundled content, settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.store import Store

# 11:40 in Casablanca on 25 July 2022: the Opening Ceremony (plen-1, 10:00-11:30) has started,
# the workshops of the 26th have not.
NOW = dt.datetime(2022, 7, 25, 10, 40, tzinfo=dt.UTC)
STAFF = 900
ORGANISER = 901


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "bot.sqlite3",
        feedback_secret="test-secret",
        staff=frozenset({STAFF}),
        organisers=frozenset({ORGANISER}),
    )
