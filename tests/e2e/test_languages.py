"""Languages end to end: each person is answered in their Telegram app's language when the bot
speaks it (else in the event's), can choose another with /language, and receives reminders in
their own; the command menus exist in each language.

The language is set by the first handler of every update (group -3, bot/features/users.py) and
must reach the handlers of later groups through python-telegram-bot's handling of the update
under the bot's PerChatUpdateProcessor: every answer below is written by a group-0 handler.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import Clock, FixedClock
from bot.i18n import FSI, PDI
from botapi_emulator import SentMessage
from tests.e2e.conftest import ATTENDEE, CASABLANCA, Chat, move_clock

WG_M_START = dt.datetime(2022, 7, 24, 13, 0, tzinfo=CASABLANCA)  # wg-m, Auditorium 3
LEAD = dt.timedelta(minutes=15)


def labels(message: SentMessage) -> list[str]:
    return [button["text"] for row in message.buttons for button in row]


async def test_french_app_gets_the_menu_and_agenda_in_french(chat: Chat) -> None:
    (menu,) = await chat.say("/start", language_code="fr")
    assert "Je peux vous montrer le programme, le lieu et les intervenants." in menu.plain_text
    assert "24 juil." in menu.plain_text
    assert "📅 Agenda" in labels(menu)
    assert "⏱ Maintenant et ensuite" in labels(menu)
    (agenda,) = await chat.say("/agenda", language_code="fr")
    assert agenda.plain_text == "📅 Programme : choisissez un jour."
    assert any(label.startswith("dim. 24 juil. · ") for label in labels(agenda))


async def test_arabic_app_gets_arabic_with_isolated_times(chat: Chat) -> None:
    (menu,) = await chat.say("/start", language_code="ar")
    assert "يمكنني أن أعرض لك البرنامج ومكان الفعالية والمتحدثين." in menu.plain_text
    assert "📅 البرنامج" in labels(menu)
    (agenda,) = await chat.say("/agenda", language_code="ar")
    assert agenda.plain_text == "📅 البرنامج: اختر يومًا."
    first_day = agenda.button_data()[0]
    assert first_day.startswith("ag:d:")
    query = await chat.emu.press_button(
        ATTENDEE, ATTENDEE, agenda.message_id, first_day, language_code="ar"
    )
    await chat.emu.wait_for_callback_answer(query, timeout=10)
    day = await chat.emu.wait_for_edit(ATTENDEE, agenda.message_id, edits=1, timeout=10)
    # Each time range is one isolated unit, so that it reads 09:00–10:30 inside Arabic.
    assert f"{FSI}13:00–14:00{PDI}" in day.plain_text
    assert "English" not in day.plain_text


async def test_unsupported_language_gets_the_event_default(chat: Chat) -> None:
    (menu,) = await chat.say("/start", language_code="ja")
    assert "I can show you the programme, the venue and the speakers." in menu.plain_text
    assert FSI not in menu.plain_text


async def test_language_command_switches_and_is_forgotten_with_the_data(chat: Chat) -> None:
    (picker,) = await chat.say("/language")
    assert labels(picker)[:3] == ["✅ English", "العربية", "Français"]
    query = await chat.emu.press_button(
        ATTENDEE, ATTENDEE, picker.message_id, button_text="Français"
    )
    answer = await chat.emu.wait_for_callback_answer(query, timeout=10)
    assert answer is not None and answer.text == "Je vous parlerai désormais en français."
    picker = await chat.emu.wait_for_edit(ATTENDEE, picker.message_id, edits=1, timeout=10)
    assert "✅ Français" in labels(picker)
    # The choice wins over the app's language (still English), and the menu follows it.
    (menu,) = await chat.say("/start")
    assert "Je peux vous montrer le programme" in menu.plain_text
    mine = await chat.emu.commands(scope={"type": "chat", "chat_id": ATTENDEE})
    assert {"command": "language", "description": "Changer de langue"} in mine
    # /forget deletes the choice with the rest: the next /start is in the app's language.
    (ask,) = await chat.say("/forget")
    query = await chat.emu.press_button(
        ATTENDEE, ATTENDEE, ask.message_id, button_text="Oui, tout supprimer"
    )
    await chat.emu.wait_for_callback_answer(query, timeout=10)
    await chat.emu.wait_for_edit(ATTENDEE, ask.message_id, edits=1, timeout=10)
    assert await chat.services.store.chosen_language(ATTENDEE) is None
    # ... and the menu set for their chat: Telegram shows them their app's again.
    assert await chat.emu.commands(scope={"type": "chat", "chat_id": ATTENDEE}) == []
    (menu,) = await chat.say("/start")
    assert "I can show you the programme" in menu.plain_text


async def test_command_menus_exist_per_language(chat: Chat) -> None:
    await chat.say("/start")
    default = {c["command"]: c["description"] for c in await chat.emu.commands()}
    french = {c["command"]: c["description"] for c in await chat.emu.commands(language_code="fr")}
    arabic = {c["command"]: c["description"] for c in await chat.emu.commands(language_code="ar")}
    assert default["agenda"] == "The programme, day by day"
    assert french["agenda"] == "Le programme, jour par jour"
    assert arabic["agenda"] == "البرنامج، يومًا بيوم"
    assert set(default) == set(french) == set(arabic)


class TestReminderInFrench:
    @pytest.fixture
    def clock(self) -> Clock:
        return FixedClock(WG_M_START - LEAD - dt.timedelta(minutes=1))

    async def test_reminder_reaches_a_french_user_in_french(self, chat: Chat) -> None:
        (card,) = await chat.say("/start s_wg-m", language_code="fr")
        query = await chat.emu.press_button(
            ATTENDEE, ATTENDEE, card.message_id, "my:a:wg-m", language_code="fr"
        )
        await chat.emu.wait_for_callback_answer(query, timeout=10)
        move_clock(chat, WG_M_START - LEAD)
        (reminder,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
        assert reminder.plain_text.splitlines()[0] == "⏰ Commence dans 15 minutes"
        assert "🕙 13:00–14:00" in reminder.plain_text
        assert "📍 Auditorium 3" in reminder.plain_text
        assert "📍 Salle" in labels(reminder)
