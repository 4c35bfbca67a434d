"""The fictional Lisbon example event (``examples/lisbon``), end to end: the real Application
through the local Bot API emulator, on a copy of the example's content.

The event runs across the night the clocks go back (Sunday 25 October 2026, 02:00 WEST becomes
01:00 WET), so Sunday's sessions are an hour later in UTC than the same wall-clock times on
Saturday. The bot's clock is a FixedClock set from a rehearsal moment (``parse_event_moment``,
what ``python -m bot run --at`` reads) and kept in UTC, so that moving it is moving real time,
not wall-clock time.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.clock import Clock, FixedClock, parse_event_moment
from tests.e2e.conftest import ATTENDEE, Chat, assert_no_message, move_clock, wait_for_rows

LISBON_DIR = Path(__file__).resolve().parents[2] / "examples" / "lisbon"
LISBON = ZoneInfo("Europe/Lisbon")
LEAD = dt.timedelta(minutes=15)  # the default reminder lead time


def rehearsal(moment: str) -> dt.datetime:
    """A moment of the event as typed for ``--at``, as a UTC instant."""
    return parse_event_moment(moment, LISBON).astimezone(dt.UTC)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "lisbon"
    shutil.copytree(LISBON_DIR, target)
    return target


@pytest.fixture
def clock() -> Clock:
    return FixedClock(rehearsal("2026-10-23 10:00"))


class TestClockChangeDay:
    # school-data is at 10:30 on Sunday 25 October, after the clocks went back: 10:30 WET is
    # 10:30 UTC, and its reminder is due at 10:15 UTC. Read as summer time, it would come at
    # 09:15 UTC, an hour early.
    START = dt.datetime(2026, 10, 25, 10, 30, tzinfo=dt.UTC)

    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(rehearsal("2026-10-25 09:14"))

    async def test_reminder_on_the_clock_change_day_arrives_at_the_right_instant(
        self, chat: Chat
    ) -> None:
        assert rehearsal("2026-10-25 10:15") == self.START - LEAD
        (card,) = await chat.say("/start s_school-data")
        await chat.press(card, "Add to my agenda")
        await assert_no_message(chat.emu, ATTENDEE)
        move_clock(chat, self.START - LEAD - dt.timedelta(hours=1))  # 09:15: an hour early
        await assert_no_message(chat.emu, ATTENDEE)
        move_clock(chat, self.START - LEAD - dt.timedelta(minutes=1))
        await assert_no_message(chat.emu, ATTENDEE)
        move_clock(chat, self.START - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)

        assert reminder.plain_text.splitlines()[0] == "⏰ Starting in 15 minutes"
        assert "Dados das escolas: o que os pais querem saber" in reminder.plain_text
        assert "🕙 10:30–11:15" in reminder.plain_text
        rows = await wait_for_rows(
            chat.services.store, "reminder", lambda rows: all(r.state != "sending" for r in rows)
        )
        assert [(r.state, r.finished_at) for r in rows if "school-data" in r.key] == [
            ("sent", self.START - LEAD)
        ]


async def test_dinner_past_midnight_is_listed_with_plus_one_and_its_ics_ends_next_day(
    chat: Chat,
) -> None:
    (days,) = await chat.say("/agenda")
    day = await chat.press(days, "Sat 24 Oct")
    assert "Saturday 24 October 2026" in day.plain_text
    # Saturday has 19 items, 8 a page: the dinner, its last timed one, is on the third page.
    day = await chat.press(day, "Next »")
    day = await chat.press(day, "Next »")
    assert "🍽 20:00–00:30 (+1) Conference dinner · Dining room" in day.plain_text

    (card,) = await chat.say("/start s_dinner")
    assert "Saturday 24 October 2026, 20:00–00:30 (+1)" in card.plain_text
    assert "📍 Dining room (Restaurante Cais da Ribeira, Cais do Sodré 7" in card.plain_text
    await chat.press(card, "Add to my agenda")
    (mine,) = await chat.say("/my")
    assert "Conference dinner" in mine.plain_text
    await chat.emu.press_button(ATTENDEE, ATTENDEE, mine.message_id, "my:ics")
    (document,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)

    assert document.media is not None and document.media.filename == "my-agenda.ics"
    calendar = icalendar.Calendar.from_ical(document.media.data)
    (dinner,) = calendar.walk("VEVENT")
    assert str(dinner["summary"]) == "Conference dinner"
    starts, ends = dinner.decoded("dtstart"), dinner.decoded("dtend")
    assert starts == dt.datetime(2026, 10, 24, 20, 0, tzinfo=LISBON)
    assert ends == dt.datetime(2026, 10, 25, 0, 30, tzinfo=LISBON)
    assert ends.astimezone(dt.UTC) == dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)
    assert str(ends.tzinfo) == "Europe/Lisbon"
    assert "Cais do Sodré 7" in str(dinner["location"])


async def test_cancelled_session_is_marked_and_cannot_be_added(chat: Chat) -> None:
    (days,) = await chat.say("/agenda")
    day = await chat.press(days, "Sat 24 Oct")
    assert "❌ Cancelled: 12:00–12:45 Blockchain for land registries · Room A" in day.plain_text

    card = await chat.press(day, "❌ 12:00 Blockchain for land registries")

    assert card.plain_text.splitlines()[:2] == ["• Blockchain for land registries", "❌ Cancelled"]
    labels = [b["text"] for row in card.buttons for b in row]
    assert not any("⭐" in label or "Add to my agenda" in label for label in labels)
    assert not any(data.startswith("my:") for data in card.button_data())
    assert card.button_data()[0] == "vn:r:room-a"
