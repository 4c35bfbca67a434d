"""Personal agenda and reminders, end to end: the real bot, its outbox and sender, the emulator.

Time: the bot's clock is a FixedClock a minute before a reminder is due; a test checks that
nothing is sent yet, then moves the clock to the due time (``move_clock``) and waits for the
reminder. Nothing depends on how fast the machine is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from bot.clock import Clock, FixedClock
from bot.content import Content
from bot.local import running_bot
from botapi_emulator import BotApiEmulator, SentMessage
from tests.e2e.conftest import (
    ATTENDEE,
    CASABLANCA,
    OTHER_ATTENDEE,
    Chat,
    assert_no_message,
    move_clock,
    wait_for_rows,
)

WG_M_START = dt.datetime(2022, 7, 24, 13, 0, tzinfo=CASABLANCA)  # wg-m, Auditorium 3
TWO_PM = dt.datetime(2022, 7, 24, 14, 0, tzinfo=CASABLANCA)  # gov-1 and reg-0 both start
LEAD = dt.timedelta(minutes=15)
# Where each test's clock starts: before the reminder is due, and before the sender would
# start its wave (a few seconds early), so that nothing may be sent yet.
EARLY = dt.timedelta(minutes=1)


def before_due(start: dt.datetime, lead: dt.timedelta = LEAD) -> FixedClock:
    return FixedClock(start - lead - EARLY)


async def choose(chat: Chat, session_id: str) -> SentMessage:
    (card,) = await chat.say(f"/start s_{session_id}")
    return await chat.press(card, "Add to my agenda")


class TestOnTime:
    @pytest.fixture
    def clock(self) -> Clock:
        return before_due(WG_M_START)

    async def test_reminder_arrives_when_due_saying_what_where_when(self, chat: Chat) -> None:
        await choose(chat, "wg-m")
        await assert_no_message(chat.emu, ATTENDEE)  # a minute before it is due
        move_clock(chat, WG_M_START - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert reminder.plain_text.splitlines()[0] == "⏰ Starting in 15 minutes"
        assert "Chairs and Project Directors of IASIA Working Groups' meeting" in (
            reminder.plain_text
        )
        assert "🕙 13:00–14:00" in reminder.plain_text
        assert "📍 Auditorium 3" in reminder.plain_text
        assert reminder.button_data() == ["ag:s:wg-m", "vn:r:auditorium-3"]
        rows = await wait_for_rows(
            chat.services.store, "reminder", lambda rows: all(r.state != "sending" for r in rows)
        )
        assert [(r.state, r.message_id, r.finished_at) for r in rows if "wg-m" in r.key] == [
            ("sent", reminder.message_id, WG_M_START - LEAD)
        ]

    async def test_removed_session_is_not_reminded(self, chat: Chat) -> None:
        card = await choose(chat, "wg-m")
        await chat.press(card, "In my agenda")
        rows = await chat.services.store.outbox_rows("reminder")
        assert [r.state for r in rows if "wg-m" in r.key] == ["cancelled"]


class TestLeadTime:
    @pytest.fixture
    def clock(self) -> Clock:
        return before_due(WG_M_START, dt.timedelta(minutes=5))

    async def test_lead_time_setting_moves_the_reminder(self, chat: Chat) -> None:
        (settings,) = await chat.say("/settings")
        assert "15 minutes before" in settings.plain_text
        settings = await chat.press(settings, "5 min")
        assert "Now: 5 minutes before." in settings.plain_text
        await choose(chat, "wg-m")
        move_clock(chat, WG_M_START - dt.timedelta(minutes=5))
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert reminder.plain_text.splitlines()[0] == "⏰ Starting in 5 minutes"

    async def test_reminders_off_sends_nothing(self, chat: Chat) -> None:
        (settings,) = await chat.say("/settings")
        await chat.press(settings, "Off")
        await choose(chat, "wg-m")
        assert await chat.services.store.outbox_counts(kind="reminder") == {"cancelled": 1}


class TestCoalesce:
    @pytest.fixture
    def clock(self) -> Clock:
        return before_due(TWO_PM)

    async def test_two_reminders_due_together_arrive_as_one_message(self, chat: Chat) -> None:
        await choose(chat, "gov-1")
        (card,) = await chat.say("/start s_reg-0")
        query = await chat.emu.press_button(ATTENDEE, ATTENDEE, card.message_id, "my:a:reg-0")
        await chat.emu.wait_for_callback_answer(query, timeout=10)
        await assert_no_message(chat.emu, ATTENDEE)  # a minute before they are due
        move_clock(chat, TWO_PM - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert "IASIA Board of Management meeting" in reminder.plain_text
        assert "Registration" in reminder.plain_text
        rows = await wait_for_rows(
            chat.services.store, "reminder", lambda rows: all(r.state != "sending" for r in rows)
        )
        two_pm = [r for r in rows if "gov-1" in r.key or "reg-0" in r.key]
        assert {(r.state, r.message_id) for r in two_pm} == {("sent", reminder.message_id)}
        assert len(two_pm) == 2
        await assert_no_message(chat.emu, ATTENDEE)  # and not a second time

    async def test_adding_an_overlapping_session_warns(self, chat: Chat) -> None:
        await choose(chat, "gov-1")
        (card,) = await chat.say("/start s_reg-0")
        query = await chat.emu.press_button(ATTENDEE, ATTENDEE, card.message_id, "my:a:reg-0")
        answer = await chat.emu.wait_for_callback_answer(query, timeout=10)
        assert answer.show_alert is True
        assert answer.text is not None and "overlaps with IASIA Board" in answer.text

    async def test_blocked_user_is_marked_and_skipped(self, chat: Chat) -> None:
        await choose(chat, "gov-1")
        # A block the bot was not told of (its my_chat_member update lost): met by the sender.
        await chat.emu.block_bot(ATTENDEE, notify=False)
        move_clock(chat, TWO_PM - LEAD)
        store = chat.services.store
        rows = await wait_for_rows(
            store,
            "reminder",
            # The block is recorded first, then what was planned for the user is cancelled.
            lambda rows: (
                any(r.state == "blocked" for r in rows)
                and not any(r.state in ("pending", "sending") for r in rows)
            ),
        )
        # The reminder that met the block is recorded as such; the one planned for the
        # opening (for everyone) is cancelled, since nobody sends to a user who blocked.
        assert sorted((r.key.split(":")[1], r.state) for r in rows) == [
            ("gov-1", "blocked"),
            ("plen-1", "cancelled"),
        ]
        user = await store.user(ATTENDEE)
        assert user is not None and user.blocked
        assert await store.reminder_preferences() == []


class TestForEveryone:
    @pytest.fixture
    def clock(self) -> Clock:
        return before_due(dt.datetime(2022, 7, 25, 10, 0, tzinfo=CASABLANCA))

    async def test_opening_is_reminded_to_everyone_who_kept_it_on(self, chat: Chat) -> None:
        other = Chat(chat.emu, chat.app, OTHER_ATTENDEE)
        await chat.say("/start")
        (settings,) = await other.say("/settings")
        await other.press(settings, "Sessions for everyone")
        move_clock(chat, dt.datetime(2022, 7, 25, 10, 0, tzinfo=CASABLANCA) - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert "Opening Ceremony" in reminder.plain_text
        await assert_no_message(chat.emu, OTHER_ATTENDEE)


async def test_my_agenda_lists_choices_by_day_and_exports_ics(chat: Chat) -> None:
    await choose(chat, "undesa-panel")
    await choose(chat, "wg-m")
    (mine,) = await chat.say("/my")
    text = mine.plain_text
    assert (
        text.index("Sunday 24 July")
        < text.index("Chairs and Project")
        < text.index("Tuesday 26 July")
        < text.index("Innovative governance")
    )
    await chat.emu.press_button(ATTENDEE, ATTENDEE, mine.message_id, "my:ics")
    (document,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert document.media is not None and document.media.filename == "my-agenda.ics"
    calendar = icalendar.Calendar.from_ical(document.media.data)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == [
        "Chairs and Project Directors of IASIA Working Groups' meeting",
        "Innovative governance to leave no one behind",
    ]
    start = events[0].decoded("dtstart")
    assert start == WG_M_START
    assert str(start.tzinfo) == "Africa/Casablanca"


async def test_restart_after_downtime_sends_useful_reminders_and_skips_late_ones(
    tmp_path: Path, content: Content, content_dir: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emu:
        async with running_bot(
            content,
            db_path=db,
            content_dir=content_dir,
            clock=FixedClock(WG_M_START - dt.timedelta(hours=2)),
            emulator=emu,
        ) as (_, app):
            chat = Chat(emu, app)
            await choose(chat, "wg-m")  # reminder due 12:45, session at 13:00
            await choose(chat, "gov-1")  # reminder due 13:45, session at 14:00
        # The bot was down from 11:00 to 12:50: the wg-m reminder is late but still useful.
        async with running_bot(
            content,
            db_path=db,
            content_dir=content_dir,
            clock=FixedClock(WG_M_START - dt.timedelta(minutes=10)),
            emulator=emu,
        ):
            (reminder,) = await emu.wait_for_messages(ATTENDEE, timeout=10)
            assert "Starting in 10 minutes" in reminder.plain_text
            assert "Working Groups" in reminder.plain_text
        # Down again until 14:05: the gov-1 reminder is useless now: skipped, not sent.
        async with running_bot(
            content,
            db_path=db,
            content_dir=content_dir,
            clock=FixedClock(TWO_PM + dt.timedelta(minutes=5)),
            emulator=emu,
        ) as (_, app):
            store = app.bot_data.store
            rows = await wait_for_rows(
                store, "reminder", lambda rows: any(r.state == "skipped" for r in rows)
            )
            assert sorted((r.key.split(":")[1], r.state) for r in rows) == [
                ("gov-1", "skipped"),
                ("plen-1", "pending"),
                ("wg-m", "sent"),
            ]
        log = await emu.delivery_log()
    reminders = [e for e in log if e.chat_id == ATTENDEE and "Starting" in (e.text or "")]
    assert len(reminders) == 1
