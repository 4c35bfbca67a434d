"""Cancelled sessions and sessions past midnight, end to end through the emulator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.clock import Clock, FixedClock
from botapi_emulator import SentMessage
from tests.e2e.conftest import (
    ATTENDEE,
    CASABLANCA,
    OTHER_ATTENDEE,
    Chat,
    assert_no_message,
    copy_content,
    move_clock,
    wait_for_rows,
)

BEFORE_EVENT = dt.datetime(2022, 7, 24, 9, 0, tzinfo=CASABLANCA)
WG_M = "  - id: wg-m\n"
WG_M_SLOT = '    start: "13:00"\n    end: "14:00"\n    room: auditorium-3'
LATE_SLOT = '    start: "23:30"\n    end: "00:30"\n    room: auditorium-3'


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "sessions.yaml"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))


async def choose(chat: Chat, session_id: str) -> SentMessage:
    (card,) = await chat.say(f"/start s_{session_id}")
    return await chat.press(card, "Add to my agenda")


class TestCancelled:
    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(BEFORE_EVENT)

    async def test_cancelled_by_reload_tells_choosers_once_and_marks_the_session(
        self, chat: Chat, organiser: Chat, content_dir: Path
    ) -> None:
        other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
        await choose(chat, "wg-m")
        edit(content_dir, WG_M, WG_M + "    status: cancelled\n")

        await organiser.say("/reload")

        (notice,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert notice.plain_text.startswith("❌ Cancelled: Chairs and Project Directors")
        rows = await wait_for_rows(
            chat.services.store,
            "reminder",
            lambda rows: all(r.state == "cancelled" for r in rows if "wg-m" in r.key),
        )
        assert [r.state for r in rows if "wg-m" in r.key] == ["cancelled"]
        await organiser.say("/reload")
        await assert_no_message(chat.emu, ATTENDEE)
        (card,) = await other.say("/start s_wg-m")
        assert "❌ Cancelled" in card.plain_text
        assert not any("Add to my agenda" in b["text"] for row in card.buttons for b in row)
        (mine,) = await chat.say("/my")
        assert "❌ Cancelled: 13:00–14:00 Chairs" in mine.plain_text

        # Un-cancelled at the same time and room: the chooser is told it is back.
        edit(content_dir, WG_M + "    status: cancelled\n", WG_M)
        await organiser.say("/reload")

        (back,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert back.plain_text.splitlines() == [
            "✅ Back in the programme: Chairs and Project Directors of IASIA Working Groups'"
            " meeting",
            "🕙 Sun 24 Jul 13:00–14:00",
            "📍 Auditorium 3",
        ]


class TestPastMidnight:
    @pytest.fixture
    def content_dir(self, tmp_path: Path) -> Path:
        folder = copy_content(tmp_path)
        edit(folder, WG_M_SLOT, LATE_SLOT)
        return folder

    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(dt.datetime(2022, 7, 24, 23, 10, tzinfo=CASABLANCA))

    async def test_session_past_midnight_shown_with_plus_one_and_reminded_before_start(
        self, chat: Chat
    ) -> None:
        card = await choose(chat, "wg-m")
        assert "23:30–00:30 (+1)" in card.plain_text
        await assert_no_message(chat.emu, ATTENDEE)

        move_clock(chat, dt.datetime(2022, 7, 24, 23, 15, tzinfo=CASABLANCA))

        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert reminder.plain_text.splitlines()[0] == "⏰ Starting in 15 minutes"
        assert "🕙 23:30–00:30 (+1)" in reminder.plain_text


class TestTimeToBeAnnounced:
    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(BEFORE_EVENT)

    @pytest.mark.bundled_as_is
    async def test_a_time_given_by_reload_is_told_to_choosers_and_reminded(
        self, chat: Chat, organiser: Chat, content_dir: Path
    ) -> None:
        card = await choose(chat, "undesa-panel")
        assert "time to be announced" in card.plain_text
        reminders = await chat.services.store.outbox_rows("reminder")
        assert not any("undesa-panel" in r.key for r in reminders)  # no time: nothing to remind
        edit(
            content_dir,
            "    kind: panel\n",
            '    kind: panel\n    day: 2022-07-26\n    start: "14:00"\n    end: "15:30"\n',
        )

        await organiser.say("/reload")

        (notice,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert "Now scheduled for" in notice.plain_text
        assert "Tue 26 Jul 14:00–15:30" in notice.plain_text
        rows = await wait_for_rows(
            chat.services.store,
            "reminder",
            lambda rows: any("undesa-panel" in r.key for r in rows),
        )
        [reminder] = [r for r in rows if "undesa-panel" in r.key]
        assert reminder.state == "pending"
        await organiser.say("/reload")
        await assert_no_message(chat.emu, ATTENDEE)
