"""The session card, its buttons and the /agenda filters, rendered without Telegram."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.content import Content
from bot.features.agenda import (
    TEXT_HYBRID,
    TEXT_ONLINE_ONLY,
    pinned_place,
    render_days,
    render_language,
    render_languages,
    render_online,
    render_session,
    render_track,
    render_tracks,
    session_markup,
)
from tests.places import KASBAH, OPEN_DATA_LINK, TERRACE, WG_M_STREAM


def labels(markup: InlineKeyboardMarkup) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


def data(markup: InlineKeyboardMarkup) -> list[str]:
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data]


def urls(markup: InlineKeyboardMarkup) -> dict[str, str]:
    return {b.text: b.url for row in markup.inline_keyboard for b in row if b.url}


def card(content: Content, session_id: str) -> tuple[str, InlineKeyboardMarkup]:
    session = content.sessions_by_id[session_id]
    return render_session(content, session), session_markup(content, session, chosen=False)


def test_session_card_names_languages_in_english(places: Content) -> None:
    text, _ = card(places, "wg-m")
    assert "🗨 In Portuguese and English" in text.splitlines()


def test_session_card_unknown_language_code_is_shown_as_the_code(places: Content) -> None:
    session = places.sessions_by_id["plen-1"].model_copy(update={"language": ("xq", "fr")})
    assert "🗨 In xq and French" in render_session(places, session).splitlines()


def test_session_card_has_the_track_line(places: Content) -> None:
    text, _ = card(places, "gov-1")
    assert "🧭 Track: Policy" in text.splitlines()


def test_off_site_session_card_shows_place_directions_and_pin(places: Content) -> None:
    text, markup = card(places, "gala-dinner")
    lines = text.splitlines()
    assert "📍 Terrace (Restaurant Dar Naji, Avenue Mohammed V, Rabat)" in lines
    assert "🚶 Ten minutes' walk from the faculty, down Avenue Mohammed V." in lines
    assert data(markup) == [
        "my:a:gala-dinner",
        "vn:r:terrace",
        "ag:pin:gala-dinner",
        "ag:d:20220725:0",
        "ag:nn",
    ]


def test_session_with_its_own_place_gets_that_place_and_its_pin(places: Content) -> None:
    text, markup = card(places, "kasbah-walk")
    assert "📍 Registration Desk (Kasbah des Oudayas, Rue Jamaa, Rabat)" in text.splitlines()
    assert "ag:pin:kasbah-walk" in data(markup)
    place = pinned_place(places, places.sessions_by_id["kasbah-walk"])
    assert place is not None and place.coordinates is not None
    assert (place.coordinates.latitude, place.coordinates.longitude) == KASBAH
    dinner = pinned_place(places, places.sessions_by_id["gala-dinner"])
    assert dinner is not None and dinner.coordinates is not None
    assert (dinner.coordinates.latitude, dinner.coordinates.longitude) == TERRACE


def test_session_at_the_main_venue_has_no_pin_of_its_own(places: Content) -> None:
    _, markup = card(places, "plen-1")
    assert pinned_place(places, places.sessions_by_id["plen-1"]) is None
    assert "📍 Map pin" not in labels(markup)
    assert "📍 Room & venue" in labels(markup)


def test_online_session_card_has_join_button_and_no_room_button(places: Content) -> None:
    text, markup = card(places, "open-data")
    assert TEXT_ONLINE_ONLY in text.splitlines()
    assert not any(line.startswith("📍") for line in text.splitlines())
    assert urls(markup) == {"💻 Join online": OPEN_DATA_LINK}
    assert "📍 Room & venue" not in labels(markup)
    assert "📍 Map pin" not in labels(markup)


def test_hybrid_session_card_has_watch_and_room_buttons(places: Content) -> None:
    text, markup = card(places, "wg-m")
    assert TEXT_HYBRID in text.splitlines()
    assert urls(markup) == {"📺 Watch online": WG_M_STREAM}
    assert "vn:r:auditorium-3" in data(markup)


def test_cancelled_online_session_has_no_join_button(places: Content) -> None:
    session = places.sessions_by_id["open-data"].model_copy(update={"status": "cancelled"})
    assert urls(session_markup(places, session, chosen=False)) == {}


def test_days_offer_the_filters_the_programme_has(places: Content) -> None:
    _, markup = render_days(places)
    assert data(markup)[-5:] == ["ag:trs", "ag:lgs", "ag:on:0", "ag:nn", "m:home"]


def test_days_without_tracks_or_languages_offer_no_such_filter(bundled: Content) -> None:
    _, markup = render_days(bundled)
    assert "ag:trs" not in data(markup)
    assert "ag:lgs" not in data(markup)


def test_tracks_list_each_track_with_its_count(places: Content) -> None:
    text, markup = render_tracks(places)
    assert "• <b>Security</b>: Keeping public systems safe." in text
    assert labels(markup)[:2] == ["Security · 2 sessions", "Policy · 1 session"]
    assert data(markup)[:2] == ["ag:tr:security:0", "ag:tr:policy:0"]


def test_track_lists_its_sessions_across_days_with_a_way_back(places: Content) -> None:
    rendered = render_track(places, "security")
    assert rendered is not None
    text, markup = rendered
    assert "Sun 24 Jul 13:00–14:00" in text and "Tue 26 Jul 16:00–17:00" in text
    assert data(markup) == ["ag:s:wg-m", "ag:s:open-data", "ag:trs", "m:home"]


def test_unknown_track_renders_nothing(places: Content) -> None:
    assert render_track(places, "nowhere") is None


def test_languages_are_listed_by_name(places: Content) -> None:
    _, markup = render_languages(places)
    assert labels(markup)[:3] == [
        "Portuguese · 2 sessions",
        "English · 4 sessions",
        "French · 1 session",
    ]
    assert data(markup)[:3] == ["ag:lg:pt:0", "ag:lg:en:0", "ag:lg:fr:0"]


def test_language_lists_its_sessions(places: Content) -> None:
    rendered = render_language(places, "pt")
    assert rendered is not None
    text, markup = rendered
    assert text.splitlines()[0] == "🗨 <b>In Portuguese</b>"
    assert data(markup) == ["ag:s:wg-m", "ag:s:gov-1", "ag:lgs", "m:home"]
    assert render_language(places, "de") is None


def test_online_lists_online_and_hybrid_sessions(places: Content) -> None:
    _, markup = render_online(places)
    assert data(markup) == ["ag:s:wg-m", "ag:s:gov-1", "ag:s:open-data", "ag:days", "m:home"]


def test_filtered_listing_pages_like_a_day(places: Content) -> None:
    many = [
        s.model_copy(update={"id": f"talk-{n}", "language": ("pt",)})
        for n, s in enumerate([places.sessions_by_id["plen-1"]] * 10)
    ]
    bigger = Content(
        places.event,
        places.venue,
        [*places.sessions, *many],
        list(places.speakers),
        list(places.faq),
        list(places.tracks.values()),
        [r for r in places.rooms.values() if r not in places.venue.rooms],
    )
    first = render_language(bigger, "pt")
    second = render_language(bigger, "pt", 1)
    assert first is not None and second is not None
    assert "ag:lg:pt:1" in data(first[1])
    assert "ag:lg:pt:0" in data(second[1])
    assert len([d for d in data(second[1]) if d.startswith("ag:s:")]) == 4
