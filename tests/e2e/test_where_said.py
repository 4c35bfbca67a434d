"""Where things may be said, end to end: staff results and personal answers stay in private
chats, people seen only in groups are not recorded, blocks and unblocks are followed."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.clock import Clock, FixedClock
from bot.features.feedback import rating_row
from bot.features.permissions import TEXT_PRIVATE_ONLY
from bot.features.reports import ReportList
from botapi_emulator import SentMessage
from tests.e2e.conftest import (
    ATTENDEE,
    CASABLANCA,
    ORGANISER,
    STAFF,
    Chat,
    assert_no_message,
    move_clock,
    wait_for_rows,
)
from tests.waiting import wait_until

GROUP = -1001234567890
GROUP_ONLY = 1003
BOT_LINK = "https://t.me/confbot_test_bot"
OPENING = dt.datetime(2022, 7, 25, 10, 0, tzinfo=CASABLANCA)  # plen-1, for everyone
LEAD = dt.timedelta(minutes=15)


async def say_in_group(chat: Chat, text: str, user_id: int | None = None) -> SentMessage:
    """``user_id`` (the chat's user by default) writes ``text`` in the group; the bot's one
    reply there."""
    await chat.emu.send_from_user(
        user_id or chat.user_id,
        text,
        chat_id=GROUP,
        chat_type="supergroup",
        chat_title="IASIA 2022 attendees",
    )
    (answer,) = await chat.emu.wait_for_messages(GROUP, timeout=10)
    return answer


async def post_in_group(chat: Chat, markup: InlineKeyboardMarkup) -> SentMessage:
    """A message of the bot's in the group with these buttons (as an older version posted)."""
    sent = await chat.app.bot.send_message(
        GROUP, "Buttons posted here earlier", reply_markup=markup
    )
    (message,) = await chat.emu.wait_for_messages(GROUP, timeout=10)
    assert message.message_id == sent.message_id
    return message


def url_buttons(message: SentMessage) -> list[str]:
    assert message.reply_markup is not None
    return [b["url"] for row in message.reply_markup["inline_keyboard"] for b in row if "url" in b]


@pytest.mark.parametrize(
    ("user_id", "command"),
    [
        (STAFF, "/stats"),
        (STAFF, "/report"),
        (STAFF, "/report plen-1"),
        (STAFF, "/export"),
        (ORGANISER, "/broadcast"),
        (ORGANISER, "/broadcasts"),
        (ORGANISER, "/reload"),
    ],
)
async def test_staff_command_in_group_refused_with_no_result_posted(
    chat: Chat, user_id: int, command: str
) -> None:
    answer = await say_in_group(chat, command, user_id)

    assert answer.plain_text == TEXT_PRIVATE_ONLY
    assert url_buttons(answer) == [BOT_LINK]
    await assert_no_message(chat.emu, GROUP)  # no report, file or draft follows
    assert await chat.emu.messages(user_id) == []


async def test_staff_command_in_private_still_works(chat: Chat) -> None:
    staff = Chat(chat.emu, chat.app, STAFF)
    (answer,) = await staff.say("/stats")
    assert "used the bot" in answer.plain_text


async def test_staff_button_in_group_refused(chat: Chat) -> None:
    await say_in_group(chat, "/agenda")  # the group exists
    posted = await post_in_group(
        chat,
        InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data=ReportList(1).pack())]]),
    )

    query = await chat.emu.press_button(STAFF, GROUP, posted.message_id, ReportList(1).pack())
    answer = await chat.emu.wait_for_callback_answer(query, timeout=10)

    assert (answer.text, answer.show_alert) == (TEXT_PRIVATE_ONLY, True)
    await assert_no_message(chat.emu, GROUP)
    after = await chat.emu.last_message(GROUP)
    assert after is not None and after.edits == []


async def test_feedback_command_in_group_answered_with_private_link(chat: Chat) -> None:
    answer = await say_in_group(chat, "/feedback")

    assert "Feedback is personal" in answer.plain_text
    assert url_buttons(answer) == [f"{BOT_LINK}?start=fb"]
    await assert_no_message(chat.emu, GROUP)


async def test_feedback_button_in_group_leaves_the_message_unchanged(chat: Chat) -> None:
    await say_in_group(chat, "/agenda")
    plen = chat.services.event.content.sessions_by_id["plen-1"]
    posted = await post_in_group(chat, InlineKeyboardMarkup([rating_row(plen)]))

    query = await chat.emu.press_button(ATTENDEE, GROUP, posted.message_id, "fb:plen-1:4")
    answer = await chat.emu.wait_for_callback_answer(query, timeout=10)

    assert answer.url == f"{BOT_LINK}?start=fb_plen-1"
    await assert_no_message(chat.emu, GROUP)
    after = await chat.emu.last_message(GROUP)
    assert after is not None and after.edits == []
    assert after.plain_text == "Buttons posted here earlier"
    assert await chat.services.feedback.answer("plen-1", ATTENDEE) is None


async def test_feedback_deep_link_opens_the_card_in_private(chat: Chat) -> None:
    (card,) = await chat.say("/start fb_plen-1")

    assert "Opening Ceremony" in card.plain_text
    assert "How was it?" in card.plain_text
    rated = await chat.press(card, "4")
    assert "Your rating: ★★★★☆ (4/5)" in rated.plain_text


async def test_feedback_deep_link_without_session_lists_sessions(chat: Chat) -> None:
    (listing,) = await chat.say("/start fb")
    assert "Rate any session that has started" in listing.plain_text


async def test_personal_agenda_in_group_refused_politely(chat: Chat) -> None:
    for command in ("/my", "/settings"):
        answer = await say_in_group(chat, command)
        assert "personal" in answer.plain_text
        assert url_buttons(answer) == [BOT_LINK]
    card = await say_in_group(chat, "/session opening ceremony")
    assert card.reply_markup is not None

    query = await chat.emu.press_button(ATTENDEE, GROUP, card.message_id, "my:a:plen-1")
    answer = await chat.emu.wait_for_callback_answer(query, timeout=10)

    assert answer.url == f"{BOT_LINK}?start=s_plen-1"
    await assert_no_message(chat.emu, GROUP)
    after = await chat.emu.last_message(GROUP)
    assert after is not None and after.edits == []
    assert await chat.services.store.choices_of(ATTENDEE) == set()


class TestWhoIsRecorded:
    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(OPENING - LEAD - dt.timedelta(minutes=1))

    async def test_group_only_user_not_stored_and_not_reminded(self, chat: Chat) -> None:
        await chat.say("/start")
        await say_in_group(chat, "/agenda", GROUP_ONLY)
        store = chat.services.store

        assert await store.user(GROUP_ONLY) is None
        move_clock(chat, OPENING - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert "Opening Ceremony" in reminder.plain_text
        rows = await store.outbox_rows("reminder")
        assert {r.chat_id for r in rows} == {ATTENDEE}
        await assert_no_message(chat.emu, GROUP_ONLY)

    async def test_block_marks_blocked_and_cancels_then_unblock_replans(self, chat: Chat) -> None:
        await chat.say("/start")
        store = chat.services.store
        (planned,) = await store.outbox_rows("reminder")
        assert (planned.chat_id, planned.state) == (ATTENDEE, "pending")

        await chat.emu.block_bot(ATTENDEE)
        await wait_for_rows(store, "reminder", lambda rows: rows[0].state == "cancelled")
        user = await store.user(ATTENDEE)
        assert user is not None and user.blocked

        await chat.emu.unblock_bot(ATTENDEE)
        await wait_for_rows(store, "reminder", lambda rows: rows[0].state == "pending")

        async def unblocked() -> bool:
            found = await store.user(ATTENDEE)
            return found is not None and not found.blocked

        await wait_until(unblocked, 10, "the user to be unblocked")
        move_clock(chat, OPENING - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert "Opening Ceremony" in reminder.plain_text
