"""Programme changes: /reload and its notices, and a reload that fails validation."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from bot.clock import Clock, FixedClock
from bot.features.staff import TEXT_RELOAD_FAILED
from tests.e2e.conftest import (
    ATTENDEE,
    CASABLANCA,
    OTHER_ATTENDEE,
    Chat,
    assert_no_message,
    wait_for_rows,
)
from tests.waiting import wait_until

BEFORE_EVENT = dt.datetime(2022, 7, 24, 9, 0, tzinfo=CASABLANCA)
OLD_SLOT = '    start: "13:00"\n    end: "14:00"\n    room: auditorium-3'
NEW_SLOT = '    start: "15:00"\n    end: "16:00"\n    room: auditorium-3'


@pytest.fixture
def clock() -> Clock:
    return FixedClock(BEFORE_EVENT)


async def choose(chat: Chat, session_id: str) -> None:
    (card,) = await chat.say(f"/start s_{session_id}")
    await chat.press(card, "Add to my agenda")


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


async def test_moved_session_notifies_its_subscribers_only_and_replans(
    chat: Chat, organiser: Chat, content_dir: Path
) -> None:
    other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
    await choose(chat, "wg-m")
    await choose(other, "gov-1")
    edit(content_dir, "sessions.yaml", OLD_SLOT, NEW_SLOT)
    (done,) = await organiser.say("/reload")
    assert done.plain_text.startswith("✅ Content reloaded: 7 sessions")
    (notice,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert notice.plain_text.splitlines()[0] == "📣 Change to a session in your agenda"
    assert "Sun 24 Jul 13:00–14:00 → Sun 24 Jul 15:00–16:00" in notice.plain_text
    await assert_no_message(chat.emu, OTHER_ATTENDEE)
    reminders = await wait_for_rows(
        chat.services.store,
        "reminder",
        lambda rows: sum(r.chat_id == ATTENDEE and "wg-m" in r.key for r in rows) == 2,
    )
    mine = [r for r in reminders if r.chat_id == ATTENDEE and "wg-m" in r.key]
    states = sorted((r.state, r.due_at.astimezone(CASABLANCA).strftime("%H:%M")) for r in mine)
    assert states == [("cancelled", "12:45"), ("pending", "14:45")]
    # The same reload again announces nothing new.
    await organiser.say("/reload")
    await assert_no_message(chat.emu, ATTENDEE)


async def test_cancelled_session_tells_its_subscribers(
    chat: Chat, organiser: Chat, content_dir: Path
) -> None:
    await choose(chat, "undesa-panel")
    sessions = content_dir / "sessions.yaml"
    text = sessions.read_text()
    sessions.write_text(text[: text.index("  - id: undesa-panel")])
    await organiser.say("/reload")
    (notice,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert notice.plain_text.startswith("❌ Cancelled: Innovative governance")
    rows = await wait_for_rows(
        chat.services.store,
        "reminder",
        lambda rows: all(r.state == "cancelled" for r in rows if "undesa-panel" in r.key),
    )
    assert [r.state for r in rows if "undesa-panel" in r.key] == ["cancelled"]


async def test_failed_reload_keeps_the_previous_content_and_lists_errors(
    chat: Chat, organiser: Chat, content_dir: Path
) -> None:
    edit(content_dir, "sessions.yaml", "    room: vip-meeting-room", "    room: the-moon")
    edit(content_dir, "venue.yaml", "  - id: auditorium-3", "  - id: auditorium-3\n    seats: 9")
    (refused,) = await organiser.say("/reload")
    assert refused.plain_text.startswith(TEXT_RELOAD_FAILED.strip())
    assert "sessions.yaml:" in refused.plain_text and "the-moon" in refused.plain_text
    assert "venue.yaml:" in refused.plain_text and "seats" in refused.plain_text
    (card,) = await chat.say("/session board of management")
    assert "VIP Meeting Room" in card.plain_text  # still the old, valid content


async def test_sighup_reloads_the_content(chat: Chat, content_dir: Path) -> None:
    edit(
        content_dir,
        "sessions.yaml",
        '"IASIA Board of Management meeting"',
        '"IASIA Board meeting (moved agenda)"',
    )
    old = chat.services.event.content

    os.kill(os.getpid(), signal.SIGHUP)

    await wait_until(lambda: chat.services.event.content is not old, 10, "the content to reload")
    assert chat.services.event.content.sessions_by_id["gov-1"].title == (
        "IASIA Board meeting (moved agenda)"
    )
