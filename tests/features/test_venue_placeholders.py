"""Venue texts say what the content knows and mark only what it does not."""

from __future__ import annotations

from bot.content import Content, load_content_or_raise
from bot.features.venue import (
    TEXT_APPROXIMATE,
    TEXT_EMERGENCY_UNCONFIRMED,
    TEXT_UNKNOWN,
    _todo,
    render_topic,
)
from tests.content.conftest import BUNDLED


def bundled() -> Content:
    return load_content_or_raise(BUNDLED)[0]


def test_todo_text_that_is_only_a_placeholder_reads_unknown() -> None:
    assert _todo("TODO: Wi-Fi network name") == TEXT_UNKNOWN
    assert _todo("  TODO") == TEXT_UNKNOWN
    assert _todo(None) == TEXT_UNKNOWN


def test_todo_text_partly_known_keeps_known_clauses() -> None:
    assert _todo("Mon 08:00-18:00; later days: TODO") == (
        "Mon 08:00-18:00; later days: <i>not published yet</i>"
    )
    assert _todo("Sat 09:00 TODO confirm; Sun 10:00 & later") == (
        "Sat 09:00 <i>not published yet</i>; Sun 10:00 &amp; later"
    )


def test_help_desk_shows_known_hours_of_bundled_event() -> None:
    text = render_topic(bundled(), "help-desk")

    assert "Hours: Sun 24 July 14:00-18:00; Mon 25 July 08:00-18:00; later days: " in text
    assert text.endswith("<i>not published yet</i>")


def test_emergency_numbers_without_source_are_marked_to_be_confirmed() -> None:
    text = render_topic(bundled(), "emergency")

    assert "• Police: <b>19</b> <i>(to be confirmed)</i>" in text
    assert TEXT_EMERGENCY_UNCONFIRMED in text


def test_approximate_pin_is_said_with_the_address() -> None:
    content = bundled()
    assert content.venue.coordinates is not None and content.venue.coordinates.approximate

    assert TEXT_APPROXIMATE in render_topic(content, "map")
