"""Names across scripts, Arabic prefixes, German compounds, filler words and the event's own
name: the generic rules of the answerer beyond the vocabulary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content.loader import load_content_or_raise
from bot.domain import lexicon
from bot.domain.ask import Answerer, Match, Target
from tests.domain.asking import MONDAY_9, best_of


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("رحاشي", "rhachi"), ("فاطمة", "fatima"), ("بايثون", "python"), ("الكويز", "quiz")],
)
def test_skeleton_same_name_in_both_scripts_is_equal(arabic: str, latin: str) -> None:
    assert lexicon.skeleton(lexicon.normalise(arabic)) == lexicon.skeleton(latin)


def test_skeleton_initial_vowel_keeps_names_apart() -> None:
    assert lexicon.skeleton("egor") != lexicon.skeleton(lexicon.normalise("كوري"))


def test_answer_arabic_script_name_finds_latin_speaker(answerer: Answerer) -> None:
    assert best_of(answerer.answer("شكون رحاشي", MONDAY_9)) == (Target.speaker, "rhachi")


def test_answer_arabic_word_unlike_any_name_stays_unknown(answerer: Answerer) -> None:
    assert answerer.answer("بطيخ", MONDAY_9).best is None


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def camp() -> tuple[Answerer, dt.datetime]:
    content, _warnings = load_content_or_raise(EXAMPLES / "camp2019")
    now = dt.datetime.combine(content.event.start_date, dt.time(10), tzinfo=content.tz)
    return Answerer(content), now


def test_answer_event_name_alone_is_the_venue(camp: tuple[Answerer, dt.datetime]) -> None:
    answerer, now = camp
    assert best_of(answerer.answer("how do I find the camp", now)) == (Target.venue, "address")


def test_answer_event_name_concept_word_still_names_a_session(answerer: Answerer) -> None:
    # The bundled event's name says "workshop and panel": those words are the sessions'.
    assert best_of(answerer.answer("the panel", MONDAY_9)) == (Target.session, "undesa-panel")


def test_answer_unknown_filler_words_weigh_less_than_the_subject(answerer: Answerer) -> None:
    answer = answerer.answer("vulnerable groups thingy whatchamacallit", MONDAY_9)
    assert best_of(answer) == (Target.session, "undesa-panel")


@pytest.fixture(scope="module")
def lisbon() -> tuple[Answerer, dt.datetime]:
    content, _warnings = load_content_or_raise(EXAMPLES / "lisbon")
    now = dt.datetime.combine(content.event.start_date, dt.time(10), tzinfo=content.tz)
    return Answerer(content), now


def test_answer_german_compound_of_two_known_words_is_split(
    lisbon: tuple[Answerer, dt.datetime],
) -> None:
    answerer, now = lisbon
    answer = answerer.answer("vortrag über gesundheitsdaten", now)
    assert best_of(answer) == (Target.session, "health-data")


def test_split_compound_unknown_parts_are_left_whole(
    lisbon: tuple[Answerer, dt.datetime],
) -> None:
    answerer, _now = lisbon
    assert answerer._split_compound("quxzplorfdaten", ("de",)) is None


@pytest.mark.parametrize(
    ("word", "stem"), [("وللفريق", "فريق"), ("بالفريق", "فريق"), ("والكاميرات", "كامير")]
)
def test_light_stem_arabic_clitics_and_endings_are_removed(word: str, stem: str) -> None:
    assert lexicon.light_stem(lexicon.normalise(word)) == stem


def test_terms_arabic_conjunction_and_preposition_meet_the_concept() -> None:
    # Snowball keeps "للفريق" after the conjunction; the light stem finds "فريق" (team).
    words = lexicon.words_of("وللفريق")
    assert [t.key for t in lexicon.terms(words, ("ar",))] == ["team"]


@pytest.mark.parametrize("text", ["where is the auditorium", "dónde está el auditorio"])
def test_answer_kind_of_room_finds_the_room_named_in_another_language(
    lisbon: tuple[Answerer, dt.datetime], text: str
) -> None:
    # The room is "Auditório Tejo": a Portuguese name in an English event.
    answerer, now = lisbon
    assert best_of(answerer.answer(text, now)) == (Target.room, "auditorio")


def test_answer_main_kind_of_room_in_another_language(answerer: Answerer) -> None:
    # "Main Auditorium 1/2" beside "Auditorium 3".
    answer = answerer.answer("o auditório principal", MONDAY_9)
    assert best_of(answer) == (Target.room, "main-auditorium")


def test_answer_after_without_a_meal_in_a_room_is_what_comes_next(
    lisbon: tuple[Answerer, dt.datetime],
) -> None:
    answerer, _now = lisbon
    plain = answerer.answer("next in the auditorium", _now)
    after = answerer.answer("after that in the auditorium", _now)
    found = best_of(after)
    assert found == best_of(plain)
    assert found is not None
    assert found[0] is Target.session


@pytest.mark.parametrize(
    ("text", "language", "concept"),
    [
        ("conselho", "pt", "board"),
        ("conseil", "fr", "board"),
        ("vorstand", "de", "board"),
        ("relogio", "pt", "clock"),
        ("zeitumstellung", "de", "clock"),
        ("auditorio", "es", "auditorium"),
        ("amphi", "fr", "auditorium"),
        ("palco", "pt", "stage"),
        ("principal", "es", "main"),
    ],
)
def test_terms_new_concepts_meet_across_languages(text: str, language: str, concept: str) -> None:
    assert [t.key for t in lexicon.terms([text], (language,))] == [concept]


def test_sure_enough_fair_best_far_ahead_is_an_answer() -> None:
    ahead = [Match(Target.session, "a", 35.0, "A"), Match(Target.session, "b", 15.0, "B")]
    close = [Match(Target.session, "a", 35.0, "A"), Match(Target.session, "b", 30.0, "B")]
    assert Answerer._sure_enough(ahead)
    assert not Answerer._sure_enough(close)


def test_answer_venue_topic_with_the_venue_word_is_the_venue_card(
    lisbon: tuple[Answerer, dt.datetime],
) -> None:
    answerer, now = lisbon
    assert best_of(answerer.answer("lageplan vom gelände", now)) == (Target.venue, "map")


def test_vocabulary_word_that_is_its_own_stem_keeps_it() -> None:
    # "openness" and "opening" share the stem "open": the concept written "open" owns it.
    # ("opens" is listed as a start: "check-in opens when" asks when it starts.)
    assert [t.key for t in lexicon.terms(["openness"], ("en",))] == ["open"]
    assert [t.key for t in lexicon.terms(["opening"], ("en",))] == ["opening"]


@pytest.fixture(scope="module")
def hackathon() -> tuple[Answerer, dt.datetime]:
    content, _warnings = load_content_or_raise(EXAMPLES / "hackathon")
    now = dt.datetime.combine(content.event.start_date, dt.time(10), tzinfo=content.tz)
    return Answerer(content), now


def test_answer_faq_named_after_the_subject_wins_a_tie(
    hackathon: tuple[Answerer, dt.datetime],
) -> None:
    # "photos" also mentions the stream; the entry with the id "online" is about it.
    answerer, now = hackathon
    assert best_of(answerer.answer("können wir online zuschauen", now)) == (Target.faq, "online")


def test_split_compound_very_long_word_is_not_tried(
    lisbon: tuple[Answerer, dt.datetime],
) -> None:
    answerer, _now = lisbon
    assert answerer._split_compound("gesundheit" * 5, ("de",)) is None


def test_sure_enough_lead_needs_the_content_to_know_half_the_words(answerer: Answerer) -> None:
    assert answerer.answer("quantum basket weaving", MONDAY_9).best is None
