"""Reloading the content on a real store, with a stand-in for the running bot. No Telegram."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.config import Settings
from bot.content import Content
from bot.domain.event import EventState
from bot.domain.outbox import OutboxKind
from bot.services.content import reload_content
from bot.store import Store
from tests.conftest import CONTENT_DIR

BEFORE_EVENT = dt.datetime(2022, 7, 24, 8, 0, tzinfo=dt.UTC)
OLD_SLOT = '    start: "13:00"\n    end: "14:00"\n    room: auditorium-3'
NEW_SLOT = '    start: "15:00"\n    end: "16:00"\n    room: auditorium-3'


@dataclass
class Running:
    """What reload_content needs of the running bot, and a record of the re-plans asked for."""

    settings: Settings
    store: Store
    event: EventState
    replans: list[int | None] = field(default_factory=list)

    def now(self) -> dt.datetime:
        return BEFORE_EVENT

    async def replan(self, user_id: int | None = None) -> None:
        self.replans.append(user_id)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CONTENT_DIR, tmp_path / "content"))


@pytest.fixture
def running(store: Store, content_dir: Path, bundled: Content) -> Running:
    return Running(Settings(content_dir=content_dir), store, EventState.build(bundled))


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


async def test_reload_swaps_the_event_notifies_choosers_and_replans(
    running: Running, content_dir: Path, store: Store
) -> None:
    for user, session_id in ((7, "wg-m"), (8, "gov-1")):
        await store.touch_user(user, "en", BEFORE_EVENT)
        await store.add_choice(user, session_id, BEFORE_EVENT)
    old = running.event
    edit(content_dir, "sessions.yaml", OLD_SLOT, NEW_SLOT)

    result = await reload_content(running)

    assert result.content is not None and not result.errors
    assert running.event is not old and running.event.content is result.content
    assert running.event.agenda.content is result.content
    moved = running.event.agenda.session("wg-m")
    assert moved is not None and moved.start == dt.time(15, 0)
    notices = await store.outbox_rows(OutboxKind.CHANGE_NOTICE)
    assert [row.chat_id for row in notices] == [7]
    assert running.replans == [None]


async def test_reload_with_errors_keeps_the_last_good_content(
    running: Running, content_dir: Path, store: Store
) -> None:
    old = running.event
    (content_dir / "sessions.yaml").write_text("sessions: [oops\n")

    result = await reload_content(running)

    assert result.content is None and result.errors
    assert running.event is old
    assert running.replans == []
    assert await store.outbox_rows() == []


async def test_reload_of_unchanged_content_sends_no_notice(running: Running, store: Store) -> None:
    await store.touch_user(7, "en", BEFORE_EVENT)
    await store.add_choice(7, "wg-m", BEFORE_EVENT)
    result = await reload_content(running)
    assert result.content is not None
    assert await store.outbox_rows() == []
    assert running.replans == [None]
