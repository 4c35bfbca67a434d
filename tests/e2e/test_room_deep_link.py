"""A room's door QR code, ``/start r_<room id>``, through the real bot and the emulator."""

from __future__ import annotations

from tests.e2e.conftest import Chat


async def test_room_deep_link_opens_the_room_card(chat: Chat) -> None:
    (reply,) = await chat.say("/start r_registration-desk")
    assert reply.plain_text.startswith("🚪 Registration Desk")
    assert "Collect your badge here." in reply.plain_text
    assert "Sessions here" in reply.plain_text


async def test_room_deep_link_to_an_unknown_room_lists_the_rooms(chat: Chat) -> None:
    (reply,) = await chat.say("/start r_gone")
    assert "Main Auditorium 1/2" in reply.plain_text
    assert "vn:t:rooms" in reply.button_data()


async def test_session_deep_link_and_plain_start_are_unchanged(chat: Chat) -> None:
    (session,) = await chat.say("/start s_gov-1")
    assert session.plain_text.startswith("👥 IASIA Board of Management meeting")
    (menu,) = await chat.say("/start")
    assert "IASIA 2022 · UN DESA" in menu.plain_text
