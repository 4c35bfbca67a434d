"""An attendee's conversation with the real bot through the local Bot API emulator."""

from __future__ import annotations

import pytest

from bot.features.agenda import TEXT_NO_SESSION
from bot.features.ask import TEXT_NO_MATCH
from bot.features.callbacks import TEXT_STALE
from bot.features.menu import ATTENDEE_COMMANDS, ORGANISER_COMMANDS
from bot.features.permissions import TEXT_REFUSED
from botapi_emulator import BotApiEmulator
from tests.e2e.bot_errors import BotErrors
from tests.e2e.conftest import ATTENDEE, ORGANISER, Chat
from tests.waiting import wait_until


async def test_start_shows_the_event_and_the_main_menu(chat: Chat) -> None:
    (reply,) = await chat.say("/start")
    assert "IASIA 2022 · UN DESA" in reply.plain_text
    assert "Rabat, Morocco" in reply.plain_text
    assert reply.button_data()[:4] == ["ag:days", "ag:nn", "sp:l:0", "vn:t:overview"]


async def test_help_lists_the_commands_and_example_questions(chat: Chat) -> None:
    (reply,) = await chat.say("/help")
    for command in ("/agenda", "/now", "/next", "/session", "/speakers", "/venue", "/faq", "/my"):
        assert command in reply.plain_text
    assert "where is the workshop?" in reply.plain_text


@pytest.mark.bundled_as_is
async def test_agenda_days_then_day_then_session_by_buttons(chat: Chat) -> None:
    (days,) = await chat.say("/agenda")
    # The bundled workshop and panel have no date yet: their own entry after the days.
    assert days.button_data()[:3] == ["ag:d:20220724:0", "ag:d:20220725:0", "ag:tba:0"]
    day = await chat.press(days, "Mon 25 Jul")
    assert "Monday 25 July 2022" in day.plain_text
    assert "Opening Ceremony" in day.plain_text and "Registration" in day.plain_text
    session = await chat.press(day, "10:00 Opening Ceremony")
    assert session.message_id == days.message_id  # navigation edits one message in place
    assert "Main Auditorium 1/2" in session.plain_text
    assert "Dr. Mohammed Rhachi" in session.plain_text
    back = await chat.press(session, "« Mon 25 Jul")
    assert "Monday 25 July 2022" in back.plain_text


@pytest.mark.bundled_as_is
async def test_undated_session_is_listed_and_shown_as_to_be_announced_and_can_be_chosen(
    chat: Chat,
) -> None:
    (days,) = await chat.say("/agenda")
    undated = await chat.press(days, "Date to be announced · 2 sessions")
    assert "Date to be announced" in undated.plain_text
    assert "time to be announced" in undated.plain_text
    card = await chat.press(undated, "TBA Building back better")
    assert "Date to be announced, 🕒 time to be announced" in card.plain_text
    chosen = await chat.press(card, "⭐ Add to my agenda")
    assert "my:r:undesa-workshop" in chosen.button_data()


async def test_now_lists_what_runs_at_the_clock_and_what_is_next(chat: Chat) -> None:
    (reply,) = await chat.say("/now")  # the clock is Mon 25 July 10:30 in Rabat
    now_part, next_part = reply.plain_text.split("Next")
    assert "Mon 25 Jul, 10:30" in now_part
    assert "Opening Ceremony" in now_part and "Registration" in now_part
    assert "Building back better" in next_part


async def test_next_lists_upcoming_sessions_with_buttons(chat: Chat) -> None:
    (reply,) = await chat.say("/next")
    assert "Building back better" in reply.plain_text
    assert "Opening Ceremony" not in reply.plain_text
    assert "ag:s:undesa-workshop" in reply.button_data()


async def test_session_command_finds_a_session_by_its_words(chat: Chat) -> None:
    (reply,) = await chat.say("/session board meeting")
    assert "IASIA Board of Management meeting" in reply.plain_text
    assert "VIP Meeting Room" in reply.plain_text


async def test_session_command_without_a_match_offers_the_programme(chat: Chat) -> None:
    (reply,) = await chat.say("/session quantum basket weaving")
    assert TEXT_NO_SESSION in reply.plain_text
    assert "ag:d:20220725:0" in reply.button_data()


async def test_speakers_list_then_one_speaker_with_sessions(chat: Chat) -> None:
    (reply,) = await chat.say("/speakers")
    assert "Abdellatif Miraoui" in reply.plain_text
    page = await chat.press(reply, "Abdellatif Miraoui")
    assert "Minister of Higher Education" in page.plain_text
    assert "Opening Ceremony" in page.plain_text


async def test_venue_sends_the_address_and_a_native_map_pin(chat: Chat) -> None:
    text, pin = await chat.say("/venue", replies=2)
    assert "Université Mohammed V de Rabat" in text.plain_text
    assert "vn:t:wifi" in text.button_data()
    assert pin.method == "sendVenue"
    assert pin.venue is not None
    assert pin.venue["location"]["latitude"] == pytest.approx(34.0209)


async def test_venue_wifi_button_shows_placeholder_plainly(chat: Chat) -> None:
    text, _pin = await chat.say("/venue", replies=2)
    wifi = await chat.press(text, "Wi-Fi")
    assert "Network: Not published yet." in wifi.plain_text
    assert "TODO" not in wifi.plain_text


async def test_faq_list_then_one_answer(chat: Chat) -> None:
    (reply,) = await chat.say("/faq")
    answer = await chat.press(reply, "Registration hours")
    assert "Sunday 24 July 14:00-18:00" in answer.plain_text


async def test_deep_link_opens_the_session_of_a_door_qr_code(chat: Chat) -> None:
    (reply,) = await chat.say("/start s_gov-1")
    assert reply.plain_text.startswith("👥 IASIA Board of Management meeting")


async def test_deep_link_to_an_unknown_session_offers_the_programme(chat: Chat) -> None:
    (reply,) = await chat.say("/start s_does-not-exist")
    assert TEXT_NO_SESSION in reply.plain_text


async def test_free_text_where_question_leads_with_the_room(chat: Chat) -> None:
    (reply,) = await chat.say("where is the opening ceremony")
    assert reply.plain_text.startswith("📍 Where: Main Auditorium 1/2")


async def test_free_text_with_typos_finds_the_faq(chat: Chat) -> None:
    (reply,) = await chat.say("registraton hours??")
    assert "Registration Desk" in reply.plain_text


async def test_free_text_alternatives_are_buttons_that_work(chat: Chat) -> None:
    (reply,) = await chat.say("who chairs the opening")
    assert reply.plain_text.startswith("🎙 Chaired by Dr. Mohammed Rhachi.")
    alternatives = [d for d in reply.button_data() if d.startswith(("fq:q:", "ag:s:", "sp:p:"))]
    assert alternatives, reply.button_data()


async def test_free_text_without_a_match_says_so_and_offers_the_menu(chat: Chat) -> None:
    (reply,) = await chat.say("what is the capital of peru")
    assert reply.plain_text.startswith(TEXT_NO_MATCH)
    assert "ag:days" in reply.button_data()


@pytest.mark.parametrize(
    "odd", ["<b>hi</b> & <script>", "🙂🙂🙂", "أين ورشة العمل", "x" * 4000, "&amp; <>"]
)
async def test_odd_messages_get_a_reply_never_a_crash(chat: Chat, odd: str) -> None:
    (reply,) = await chat.say(odd)
    assert reply.plain_text


@pytest.mark.parametrize(
    "data", ["ag:s:no-such-session", "ag:d:2022-99-99:0", "zz:1", "ag:d:20220725:x", "fq:q:"]
)
async def test_forged_or_stale_button_gets_a_polite_answer(chat: Chat, data: str) -> None:
    (menu,) = await chat.say("/start")
    query_id = await chat.press_data(menu.message_id, data)
    answer = await chat.emu.wait_for_callback_answer(query_id, timeout=10)
    assert answer.text == TEXT_STALE
    (fresh_menu,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert "ag:days" in fresh_menu.button_data()


async def test_unknown_command_is_answered_with_help(chat: Chat) -> None:
    (reply,) = await chat.say("/frobnicate")
    assert "I don't know that command." in reply.plain_text


async def test_commands_are_registered_per_scope(chat: Chat, organiser: Chat) -> None:
    everyone = await chat.emu.commands(scope={"type": "default"})
    assert [c["command"] for c in everyone] == [c.command for c in ATTENDEE_COMMANDS]
    # Telegram refuses a chat scope before the organiser has opened the bot; once they
    # write, their chat gets the organiser commands.
    assert await chat.emu.commands(scope={"type": "chat", "chat_id": ORGANISER}) == []
    await organiser.say("/start")
    scoped = await chat.emu.commands(scope={"type": "chat", "chat_id": ORGANISER})
    assert {c.command for c in ORGANISER_COMMANDS} <= {c["command"] for c in scoped}
    assert await chat.emu.commands(scope={"type": "chat", "chat_id": ATTENDEE}) == []


async def test_staff_commands_are_refused_to_attendees(chat: Chat) -> None:
    (reply,) = await chat.say("/stats")
    assert reply.plain_text == TEXT_REFUSED
    (reply,) = await chat.say("/reload")
    assert reply.plain_text == TEXT_REFUSED


async def test_staff_sees_usage_figures(staff: Chat, chat: Chat) -> None:
    await chat.say("/start")
    (reply,) = await staff.say("/stats")
    assert "2 people have used the bot" in reply.plain_text


async def test_users_are_remembered_with_their_language(chat: Chat) -> None:
    await chat.say("/start", language_code="fr")
    user = await chat.services.store.user(ATTENDEE)
    assert user is not None and user.language == "fr"


@pytest.mark.expect_bot_errors
async def test_user_who_blocked_the_bot_is_marked_when_a_reply_fails(
    chat: Chat, running: tuple[BotApiEmulator, object], bot_errors: BotErrors
) -> None:
    emu, _ = running
    await chat.say("/start")
    # A block the bot was not told of (its my_chat_member update lost): met when replying.
    await emu.block_bot(ATTENDEE, notify=False)
    await emu.send_from_user(ATTENDEE, "/help")

    async def blocked() -> bool:
        user = await chat.services.store.user(ATTENDEE)
        return user is not None and user.blocked

    await wait_until(blocked, 10, "the user to be marked as blocked")
    # The reply meets the block, and the global error handler logs it, then marks the user.
    assert [(e.logger, e.message, e.exception) for e in bot_errors.errors] == [
        ("bot.features.errors", "error while handling an update", "Forbidden")
    ]
