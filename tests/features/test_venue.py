"""The room card, rendered without Telegram."""

from __future__ import annotations

from bot.content import Content
from bot.features.venue import render_room


def test_room_away_from_the_venue_shows_its_place_and_pin(places: Content) -> None:
    rendered = render_room(places, "terrace")
    assert rendered is not None
    text, markup = rendered
    lines = text.splitlines()
    assert lines[:4] == [
        "🚪 <b>Terrace</b>",
        "at <b>Restaurant Dar Naji</b>",
        "📍 Avenue Mohammed V, Rabat",
        "🚶 Ten minutes' walk from the faculty, down Avenue Mohammed V.",
    ]
    assert "Université Mohammed V" not in text
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == ["ag:s:gala-dinner", "vn:rp:terrace", "ag:days", "m:home"]


def test_room_of_the_main_venue_names_the_venue_and_has_no_pin_of_its_own(
    places: Content,
) -> None:
    rendered = render_room(places, "auditorium-3")
    assert rendered is not None
    text, markup = rendered
    assert text.splitlines()[1].startswith("at Université Mohammed V de Rabat")
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert not any(str(d).startswith("vn:rp:") for d in data)
