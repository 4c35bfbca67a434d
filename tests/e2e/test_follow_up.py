"""Follow-up questions end to end: a short question refers to the previous answer for a few
minutes ("how do I get there" after the dinner is the dinner's place, not the main venue), on
a copy of the bundled content with an off-site dinner (tests/places.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.e2e.conftest import Chat, copy_content, move_clock
from tests.places import TERRACE, add_places_and_online


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return add_places_and_online(copy_content(tmp_path))


async def test_how_do_i_get_there_after_the_dinner_is_the_dinners_place(chat: Chat) -> None:
    (first,) = await chat.say("where is the gala dinner")
    assert "Restaurant Dar Naji" in first.plain_text
    card, pin = await chat.say("how do I get there", replies=2)
    assert "📍 Where: Terrace (Restaurant Dar Naji" in card.plain_text
    assert "Ten minutes' walk from the faculty" in card.plain_text
    assert pin.method == "sendVenue" and pin.venue is not None
    assert pin.venue["title"] == "Restaurant Dar Naji"
    location = pin.venue["location"]
    assert (location["latitude"], location["longitude"]) == pytest.approx(TERRACE)


async def test_when_does_it_end_in_french_refers_to_the_previous_session(chat: Chat) -> None:
    await chat.say("gala dinner")
    (reply,) = await chat.say("ça finit quand ?")
    assert "🕙 When:" in reply.plain_text
    assert "Gala dinner" in reply.plain_text


async def test_follow_up_is_forgotten_after_five_minutes(chat: Chat) -> None:
    await chat.say("where is the gala dinner")
    move_clock(chat, chat.services.clock.now() + dt.timedelta(minutes=6))
    replies = await chat.say("how do I get there")
    assert "Gala dinner" not in replies[0].plain_text
    assert "Restaurant Dar Naji" not in replies[0].plain_text


async def test_follow_up_context_is_per_user_and_in_memory_only(chat: Chat) -> None:
    await chat.say("where is the gala dinner")
    assert len(chat.services.recent_answers) == 1
    other = Chat(chat.emu, chat.app, user_id=chat.user_id + 1)
    replies = await other.say("how do I get there")
    assert "Restaurant Dar Naji" not in replies[0].plain_text
