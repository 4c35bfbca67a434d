"""Free-text answers that are listings by language, track or online, rendered like /agenda's
filters."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content import Content
from bot.domain.ask import Answer, Match, Target
from bot.domain.event import EventState
from bot.features.agenda import render_language, render_online, render_track
from bot.features.ask import alternative_button, render_answer
from bot.features.faq import FaqQuestion


@pytest.fixture(scope="module")
def state(places: Content) -> EventState:
    return EventState.build(places)


MONDAY = dt.datetime(2022, 7, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_question_in_a_language_renders_the_language_filter(
    state: EventState, places: Content
) -> None:
    answer = state.answerer.answer("sessions in portuguese", MONDAY)
    text, markup, pin = render_answer(state, answer, set())
    expected = render_language(places, "pt")
    assert expected is not None
    expected_text, expected_markup = expected
    # The organisers' FAQ answer about languages is offered after the listing's own buttons.
    assert text == f"{expected_text}\n\n<i>Did you mean something else?</i>"
    assert markup is not None and expected_markup is not None
    rows = markup.inline_keyboard
    assert rows[: len(expected_markup.inline_keyboard)] == expected_markup.inline_keyboard
    assert [b.callback_data for b in rows[-1]] == [FaqQuestion("language").pack()]
    assert not pin


def test_track_and_online_questions_render_their_filters(
    state: EventState, places: Content
) -> None:
    track = render_answer(state, state.answerer.answer("security track", MONDAY), set())
    assert track[:2] == render_track(places, "security")
    online = render_answer(state, state.answerer.answer("online sessions", MONDAY), set())
    assert online[:2] == render_online(places)


def test_listing_alternatives_become_filter_buttons() -> None:
    buttons = [
        alternative_button(Match(Target.listing, ref, 50.0, "x"))
        for ref in ("track:security", "language:pt", "online", "2022-07-25:day")
    ]
    assert [b.callback_data if b else None for b in buttons] == [
        "ag:tr:security:0",
        "ag:lg:pt:0",
        "ag:on:0",
        None,
    ]


def test_filter_of_a_language_no_longer_used_falls_back_to_a_listing(state: EventState) -> None:
    answer = Answer(Match(Target.listing, "language:de", 100.0, "In German"), (), "what")
    text, _, _ = render_answer(state, answer, set())
    assert text.startswith("🗓 <b>Sessions</b>")
