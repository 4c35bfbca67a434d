"""Places away from the venue, online sessions, tracks and languages, end to end: the real
Application through the emulator, on a copy of the bundled content edited by tests/places.py
(tracks, a room with a place in rooms.yaml, a session with its own place, an online session, a
hybrid one with its stream, sessions in Portuguese and French)."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from tests.e2e.conftest import ATTENDEE, Chat, copy_content
from tests.places import KASBAH, OPEN_DATA_LINK, TERRACE, WG_M_STREAM, add_places_and_online


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return add_places_and_online(copy_content(tmp_path))


def link_buttons(message_buttons: list[list[dict[str, str]]]) -> dict[str, str]:
    return {b["text"]: b["url"] for row in message_buttons for b in row if "url" in b}


async def test_off_site_session_map_pin_sends_the_place_as_a_venue(chat: Chat) -> None:
    (card,) = await chat.say("/session gala-dinner")
    assert "Terrace (Restaurant Dar Naji, Avenue Mohammed V, Rabat)" in card.plain_text
    assert "Ten minutes' walk from the faculty" in card.plain_text
    await chat.emu.press_button(ATTENDEE, ATTENDEE, card.message_id, button_text="📍 Map pin")
    (pin,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert pin.method == "sendVenue"
    assert pin.venue is not None
    assert pin.venue["title"] == "Restaurant Dar Naji"
    assert pin.venue["address"] == "Avenue Mohammed V, Rabat"
    location = pin.venue["location"]
    assert (location["latitude"], location["longitude"]) == pytest.approx(TERRACE)


async def test_session_with_its_own_place_pins_that_place(chat: Chat) -> None:
    (card,) = await chat.say("/session kasbah-walk")
    await chat.emu.press_button(ATTENDEE, ATTENDEE, card.message_id, button_text="📍 Map pin")
    (pin,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert pin.venue is not None
    assert pin.venue["title"] == "Kasbah des Oudayas"
    location = pin.venue["location"]
    assert (location["latitude"], location["longitude"]) == pytest.approx(KASBAH)


async def test_room_away_from_the_venue_pins_its_place(chat: Chat) -> None:
    (card,) = await chat.say("/session gala-dinner")
    room = await chat.press(card, "📍 Room & venue")
    assert "at Restaurant Dar Naji" in room.plain_text
    await chat.emu.press_button(ATTENDEE, ATTENDEE, room.message_id, button_text="📍 Map pin")
    (pin,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert pin.venue is not None and pin.venue["address"] == "Avenue Mohammed V, Rabat"


async def test_off_site_session_in_the_calendar_file_has_address_and_geo(chat: Chat) -> None:
    (card,) = await chat.say("/session gala-dinner")
    await chat.press(card, "⭐ Add to my agenda")
    (mine,) = await chat.say("/my")
    await chat.emu.press_button(ATTENDEE, ATTENDEE, mine.message_id, "my:ics")
    (document,) = await chat.emu.wait_for_messages(ATTENDEE, timeout=10)
    assert document.media is not None
    (event,) = icalendar.Calendar.from_ical(document.media.data).walk("VEVENT")
    assert str(event["location"]) == "Terrace, Restaurant Dar Naji, Avenue Mohammed V, Rabat"
    assert (event["geo"].latitude, event["geo"].longitude) == pytest.approx(TERRACE)


async def test_online_session_has_a_join_link_and_no_room_button(chat: Chat) -> None:
    (card,) = await chat.say("/session open-data")
    assert "💻 Online only" in card.plain_text
    assert "🧭 Track: Security" in card.plain_text
    assert link_buttons(card.buttons) == {"💻 Join online": OPEN_DATA_LINK}
    assert not any(d.startswith("vn:r:") for d in card.button_data())


async def test_hybrid_session_has_a_watch_link_and_its_room(chat: Chat) -> None:
    (card,) = await chat.say("/session wg-m")
    assert "📺 In the room and online" in card.plain_text
    assert "🗨 In Portuguese and English" in card.plain_text
    assert link_buttons(card.buttons) == {"📺 Watch online": WG_M_STREAM}
    assert "vn:r:auditorium-3" in card.button_data()


async def test_track_filter_lists_the_track_sessions(chat: Chat) -> None:
    (days,) = await chat.say("/agenda")
    tracks = await chat.press(days, "🧭 By track")
    security = await chat.press(tracks, "Security · 2 sessions")
    assert "Chairs and Project Directors" in security.plain_text
    assert "Open data for cities" in security.plain_text
    assert "Board of Management" not in security.plain_text
    back = await chat.press(security, "« Tracks")
    assert "Policy · 1 session" in [b["text"] for row in back.buttons for b in row]


async def test_language_filter_lists_the_sessions_in_that_language(chat: Chat) -> None:
    (days,) = await chat.say("/agenda")
    languages = await chat.press(days, "🗨 By language")
    portuguese = await chat.press(languages, "Portuguese · 2 sessions")
    assert portuguese.button_data()[:2] == ["ag:s:wg-m", "ag:s:gov-1"]
    card = await chat.press(portuguese, "Board of Management")
    assert "🗨 In Portuguese" in card.plain_text


async def test_online_filter_lists_online_and_hybrid_sessions(chat: Chat) -> None:
    (days,) = await chat.say("/agenda")
    online = await chat.press(days, "💻 Online")
    assert online.button_data()[:3] == ["ag:s:wg-m", "ag:s:gov-1", "ag:s:open-data"]


async def test_sessions_in_portuguese_typed_as_text_lists_them(chat: Chat) -> None:
    (reply,) = await chat.say("sessions in portuguese")
    assert reply.plain_text.startswith("🗨 In Portuguese")
    # The listing's buttons, then the organisers' FAQ answer about languages as an alternative.
    assert reply.button_data() == [
        "ag:s:wg-m",
        "ag:s:gov-1",
        "ag:lgs",
        "m:home",
        "fq:q:language",
        "iq:n:1",  # 🙋 Not what I asked
    ]
