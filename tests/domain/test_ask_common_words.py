"""Common words of a language (wordfreq's lists) and dates said the way people say them: a
weekday with its number, and a part of the day told by a meal or by noon."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import lexicon
from bot.domain.ask import Answer, Answerer, Target, fold
from tests.domain.asking import RABAT, best_of, example, example_answerer

SUNDAY_10 = dt.datetime(2022, 7, 24, 10, 0, tzinfo=RABAT)


def at_the_hackathon(question: str, hour: int = 10) -> Answer:
    """The hackathon example's answer to ``question`` on its Saturday at ``hour``."""
    content = example("hackathon")
    saturday = dt.datetime(2027, 3, 13, hour, 0, tzinfo=content.tz)
    return example_answerer("hackathon").answer(question, saturday)


@pytest.mark.parametrize(
    ("word", "language"),
    [("paar", "de"), ("temos", "pt"), ("boissons", "fr"), ("crear", "es"), ("عندنا", "ar")],
)
def test_is_common_word_knows_everyday_words(word: str, language: str) -> None:
    assert lexicon.is_common_word(lexicon.normalise(word), (language,))


@pytest.mark.parametrize("word", ["katzenpost", "registraton", "wifii"])
def test_is_common_word_refuses_names_and_typos(word: str) -> None:
    assert not lexicon.is_common_word(word, lexicon.LANGUAGES)


def test_common_words_are_folded_as_questions_are() -> None:
    # wordfreq writes "témoins"; questions arrive without their accents.
    assert lexicon.is_common_word("temoins", ("fr",))
    assert not lexicon.is_common_word("temoins", ("en",))


def test_common_word_is_not_corrected_into_a_content_word() -> None:
    # "paar" and "zeilen" were corrected into "pagar" and "eileen", words of the camp's content.
    answerer = example_answerer("camp2019")
    text = "k8s exploits mit ein paar zeilen script"
    query = answerer._parse(fold(text).split(), ("de", "en"))
    # ("paar" is now a German stop word: dropped before any correction.)
    assert "zeilen" in query.words
    assert not {"pagar", "eileen"} & set(query.words)
    assert "zeilen" in query.common


def test_typo_is_still_corrected() -> None:
    answerer = example_answerer("hackathon")
    query = answerer._parse(fold("where is the jury deliberaton").split(), ("en",))
    assert "deliberaton" not in query.words
    assert not query.common


@pytest.mark.parametrize(
    ("question", "language", "target"),
    [
        # "saco" is not corrected and weighs little: the sleeping FAQ is the answer.
        ("precisa de saco de dormir", "pt", (Target.faq, "sleeping")),
        ("como hacer videojuegos en un fin de semana", "es", None),
    ],
)
def test_common_words_weigh_little_in_the_score(
    question: str, language: str, target: tuple[Target, str] | None
) -> None:
    name = "hackathon" if target is not None else "camp2019"
    content = example(name)
    now = dt.datetime.combine(content.days()[0], dt.time(10), tzinfo=content.tz)
    answer = example_answerer(name).answer(question, now)
    if target is not None:
        assert best_of(answer) == target
    else:
        # The weekend game jam talk, not a lookalike of "hacer".
        assert answer.best is not None and answer.best.target is Target.session
        title = content.sessions_by_id[answer.best.ref].title.casefold()
        assert "game" in title or "spiel" in title


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("agenda del domingo 24 a la tarde", "listing:2022-07-24:afternoon"),
        ("dimanche 24 il y a quoi comme sessions", "listing:2022-07-24:day"),
        ("what's on monday the 25", "listing:2022-07-25:day"),
    ],
)
def test_weekday_with_its_number_is_that_date(answerer: Answerer, question: str, ref: str) -> None:
    answer = answerer.answer(question, SUNDAY_10)
    assert answer.best is not None
    assert f"{answer.best.target.value}:{answer.best.ref}" == ref


def test_number_beside_a_weekday_that_no_day_has_is_no_date(answerer: Answerer) -> None:
    query = answerer._parse(fold("domingo 31 que hay").split(), ("es", "en"))
    assert query.explicit_day is None


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("what's on after dinner", "evening"),
        ("ce soir apres le souper", "evening"),
        ("anything before dinner", "afternoon"),
        ("what's happening monday before noon", "morning"),
        ("after lunch what's on", "afternoon"),
    ],
)
def test_meal_or_noon_tells_the_part_of_the_day(question: str, part: str) -> None:
    answer = at_the_hackathon(question)
    assert answer.best is not None and answer.best.target is Target.listing
    assert answer.best.ref.endswith(f":{part}")


@pytest.mark.parametrize(
    "question",
    ["einsteiger track sessions", "beginners track", "sessions for beginners"],
)
def test_bilingual_track_name_is_found_by_either_name(question: str) -> None:
    # The track is "Beginners / Einsteiger*innen": each side of the slash is a name of it.
    answer = at_the_hackathon(question)
    assert best_of(answer) == (Target.listing, "track:beginners")


@pytest.mark.parametrize("question", ["when does the programme start", "when do sessions begin"])
def test_track_name_read_as_asking_words_is_not_that_track(question: str) -> None:
    answer = at_the_hackathon(question)
    assert best_of(answer) != (Target.listing, "track:beginners")


@pytest.mark.parametrize(
    "question", ["german language talks list", "y a quoi en allemand comme conferences"]
)
def test_common_words_around_a_language_still_ask_for_its_listing(question: str) -> None:
    content = example("camp2019")
    now = dt.datetime.combine(content.days()[1], dt.time(10), tzinfo=content.tz)
    answer = example_answerer("camp2019").answer(question, now)
    assert best_of(answer) == (Target.listing, "language:de")


def test_german_language_listing_needs_more_than_common_words() -> None:
    # "list" is common but "privacy" is a subject of the content: a search, not the listing.
    content = example("camp2019")
    now = dt.datetime.combine(content.days()[1], dt.time(10), tzinfo=content.tz)
    answer = example_answerer("camp2019").answer("german talks list privacy", now)
    assert best_of(answer) != (Target.listing, "language:de")


@pytest.mark.parametrize(
    ("question", "room"),
    [("main stage location", "main-stage"), ("weg zum kanalblick cafe", "kanalblick")],
)
def test_room_named_with_way_words_is_the_room(question: str, room: str) -> None:
    answer = at_the_hackathon(question)
    assert best_of(answer) == (Target.room, room)


def test_common_word_may_still_begin_a_content_word() -> None:
    # "congress" is common English, so no typo; but it begins the content's "Congressos".
    answerer = example_answerer("lisbon")
    assert answerer._correct("congress", typo=False) is not None
    # "zeilen" would be corrected into "zeiten" as a typo; as a common word it is not.
    assert answerer._correct("zeilen") == "zeiten"
    assert answerer._correct("zeilen", typo=False) is None


@pytest.mark.parametrize(
    ("question", "target"),
    [
        # Found only by the speaker's bio: the talk is what is asked for.
        ("rooftop solar data", (Target.session, "solar-energy")),
        # Asking for a person keeps the person.
        ("who talks about rooftop solar", (Target.speaker, "pedro-matias")),
    ],
)
def test_speaker_found_by_bio_gives_way_to_their_session(
    question: str, target: tuple[Target, str]
) -> None:
    content = example("lisbon")
    now = dt.datetime.combine(content.days()[0], dt.time(10), tzinfo=content.tz)
    assert best_of(example_answerer("lisbon").answer(question, now)) == target


@pytest.mark.parametrize(
    ("word", "language", "cognate"),
    [
        ("segmentierung", "de", "segmentation"),
        ("securite", "fr", "security"),
        ("electroniques", "fr", "electronics"),
        ("mobilidade", "pt", "mobility"),
    ],
)
def test_cognate_is_found_by_its_ending(word: str, language: str, cognate: str) -> None:
    assert example_answerer("camp2019")._cognate(word, (language,)) == cognate


def test_cognate_must_be_a_word_of_the_content() -> None:
    # "libertad" would be "liberty", which the camp's content does not have.
    answerer = example_answerer("camp2019")
    assert "liberty" not in answerer._surface
    assert answerer._cognate("libertad", ("es",)) is None


def test_cognate_reaches_the_session(answerer: Answerer) -> None:
    # "situacoes" is "situations" of the panel's title.
    answer = answerer.answer("painel sobre paises em situacoes especiais", SUNDAY_10)
    assert best_of(answer) == (Target.session, "undesa-panel")


@pytest.mark.parametrize(
    ("word", "language", "cognate"),
    [("tecnologia", "pt", "technology"), ("criptografia", "es", "cryptography")],
)
def test_cognate_spelt_a_little_differently_is_found(
    word: str, language: str, cognate: str
) -> None:
    assert example_answerer("camp2019")._cognate(word, (language,)) == cognate


def test_kind_of_session_at_a_time_with_several_alike_is_the_listing() -> None:
    answer = at_the_hackathon("workshops saturday afternoon")
    assert best_of(answer) == (Target.listing, "2027-03-13:afternoon")


def test_kind_of_session_at_a_time_with_one_of_it_is_that_session(answerer: Answerer) -> None:
    answer = answerer.answer("the workshop tomorrow", SUNDAY_10)
    assert best_of(answer) == (Target.session, "undesa-workshop")


@pytest.mark.parametrize("question", ["reading of the quran and the anthem", "lecture du coran"])
def test_running_order_item_finds_its_session(answerer: Answerer, question: str) -> None:
    assert best_of(answerer.answer(question, SUNDAY_10)) == (Target.session, "plen-1")


@pytest.mark.parametrize(
    "question", ["im 17 can i come", "tengo 16, puedo participar?", "darf ich mit 15 mitmachen"]
)
def test_young_age_alone_asks_for_the_age_limit(question: str) -> None:
    answer = at_the_hackathon(question)
    assert best_of(answer) == (Target.faq, "age")


@pytest.mark.parametrize("question", ["what's on at 15", "talks at 16"])
def test_number_with_a_listing_is_no_age(question: str) -> None:
    answer = at_the_hackathon(question)
    assert best_of(answer) != (Target.faq, "age")


def test_young_age_is_no_subject_where_the_content_has_no_ages(answerer: Answerer) -> None:
    query = answerer._parse(["im", "17", "can", "i", "come"], ("en",))
    assert "age" not in query.words


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("dr okafor", (Target.speaker, "amara-okafor")),
        ("dr okafor who is she", (Target.speaker, "amara-okafor")),
        # A doctor with no name after it is still the doctor of the emergency entry.
        ("i need a doctor", (Target.faq, "emergency")),
    ],
)
def test_title_before_a_name_is_dropped(question: str, target: tuple[Target, str]) -> None:
    assert best_of(at_the_hackathon(question)) == target


@pytest.mark.parametrize("question", ["who chairs the jury", "quien preside el jurado"])
def test_who_chairs_a_session_with_one_chair_and_few_speakers_is_the_chair(question: str) -> None:
    answer = at_the_hackathon(question)
    assert best_of(answer) == (Target.speaker, "claire-dubois")


def test_who_chairs_a_session_with_two_chairs_is_the_session(answerer: Answerer) -> None:
    answer = answerer.answer("who chairs the working group meeting", SUNDAY_10)
    assert best_of(answer) == (Target.session, "wg-m")


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("prize money how much", "prizes"),
        ("how much do the winners get", "prizes"),
        ("how much is a ticket", "cost"),
        ("how much does it cost", "cost"),
    ],
)
def test_how_much_asks_the_amount_of_what_the_question_names(question: str, ref: str) -> None:
    answer = at_the_hackathon(question)
    assert best_of(answer) == (Target.faq, ref)


@pytest.mark.parametrize(
    "question", ["what's on the main stage", "il se passe quoi sur la scene principale"]
)
def test_programme_of_a_room_during_the_event_is_what_is_on_there_now(question: str) -> None:
    content = example("hackathon")
    during = dt.datetime(2027, 3, 13, 14, 0, tzinfo=content.tz)
    answer = example_answerer("hackathon").answer(question, during)
    assert answer.best is not None and answer.best.target is Target.session
    session = content.sessions_by_id[answer.best.ref]
    starts, ends = content.starts_at(session), content.ends_at(session)
    assert session.room == "main-stage"
    assert starts is not None and ends is not None and starts <= during < ends


def test_programme_of_a_room_before_the_event_is_the_room() -> None:
    content = example("hackathon")
    before = dt.datetime(2027, 2, 1, 14, 0, tzinfo=content.tz)
    answer = example_answerer("hackathon").answer("what's on the main stage", before)
    assert best_of(answer) == (Target.room, "main-stage")


def test_stems_come_from_the_compiled_snowball_stemmers() -> None:
    # PyStemmer is a dependency for speed; the pure-Python stemmers give the same stems.
    assert type(lexicon._stemmer("en")).__module__ == "Stemmer"
    assert lexicon.stem("segmentation", "en") == "segment"
    assert lexicon.stem("mobilidade", "pt") == "mobil"


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("sunday 24th afternoon what is on", "listing:2022-07-24:afternoon"),
        ("what's on the 25th of july", "listing:2022-07-25:day"),
        ("dimanche 24e", "listing:2022-07-24:day"),
    ],
)
def test_day_of_month_with_an_ordinal_ending(answerer: Answerer, question: str, ref: str) -> None:
    answer = answerer.answer(question, SUNDAY_10)
    assert answer.best is not None
    assert f"{answer.best.target.value}:{answer.best.ref}" == ref


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("hardware track", "track:hardware-making"),
        ("anything from the hardware track this afternoon", "2019-08-22:afternoon"),
    ],
)
def test_part_of_a_track_name_with_the_word_track(question: str, ref: str) -> None:
    content = example("camp2019")
    thursday = dt.datetime(2019, 8, 22, 10, 0, tzinfo=content.tz)
    answer = example_answerer("camp2019").answer(question, thursday)
    assert best_of(answer) == (Target.listing, ref)


def test_word_track_alone_names_no_track() -> None:
    content = example("camp2019")
    thursday = dt.datetime(2019, 8, 22, 10, 0, tzinfo=content.tz)
    answer = example_answerer("camp2019").answer("track", thursday)
    assert answer.best is None or not answer.best.ref.startswith("track:")


def test_subtitle_of_an_imported_talk_counts_nearly_as_its_title() -> None:
    # "Beyond the Pile of Knobs" has "Redesigning NoScript's UX" as its first paragraph.
    content = example("camp2019")
    now = dt.datetime(2019, 8, 22, 10, 0, tzinfo=content.tz)
    answer = example_answerer("camp2019").answer("redesigning the noscript interface", now)
    assert best_of(answer) == (Target.session, "c398498fee74")


def test_room_named_now_is_not_a_kind_of_session() -> None:
    # "Werkstatt" is a room and the German for workshop: what is on there now.
    content = example("hackathon")
    now = dt.datetime(2027, 3, 13, 10, 0, tzinfo=content.tz)
    answer = example_answerer("hackathon").answer("was ist jetzt in der werkstatt", now)
    assert answer.best is not None and answer.best.target is Target.session
    assert content.sessions_by_id[answer.best.ref].room == "werkstatt"


@pytest.mark.parametrize(
    ("name", "question", "ref"),
    [
        ("hackathon", "when does spreehack start", "opening"),
        ("lisbon", "when does the conference end", "closing"),
    ],
)
def test_when_the_event_starts_or_ends_is_its_opening_or_closing(
    name: str, question: str, ref: str
) -> None:
    content = example(name)
    now = dt.datetime.combine(content.days()[0], dt.time(8), tzinfo=content.tz)
    assert best_of(example_answerer(name).answer(question, now)) == (Target.session, ref)


def test_where_the_event_is_stays_the_venue() -> None:
    content = example("lisbon")
    now = dt.datetime.combine(content.days()[0], dt.time(8), tzinfo=content.tz)
    answer = example_answerer("lisbon").answer("where is the conference", now)
    assert answer.best is not None and answer.best.target is Target.venue


def test_day_number_after_a_day_word_inside_a_phrase() -> None:
    # "programa do dia" is a phrase of the programme; "dia 2" is still the second day.
    content = example("camp2019")
    now = dt.datetime(2019, 8, 21, 10, 0, tzinfo=content.tz)
    answer = example_answerer("camp2019").answer("programa do dia 2", now)
    assert best_of(answer) == (Target.listing, "2019-08-22:day")


@pytest.mark.parametrize(
    ("words", "clock"),
    [
        ("um 13 uhr", dt.time(13)),
        ("at 3pm", dt.time(15)),
        ("a las 15h30", dt.time(15, 30)),
        ("13:00 what", dt.time(13)),
        ("at 9 am", dt.time(9)),
        ("day 2", None),
        ("sunday 24", None),
        ("at 25h", None),
    ],
)
def test_clock_time_as_people_type_it(words: str, clock: dt.time | None) -> None:
    assert Answerer._clock_time(fold(words).split(), set()) == clock


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("was ist um 13 uhr im auditorium 3", "wg-m"),
        ("qu'est-ce qu'il y a à 14h dans la salle vip", "gov-1"),
    ],
)
def test_room_at_a_clock_time_is_the_session_there_then(
    answerer: Answerer, question: str, ref: str
) -> None:
    answer = answerer.answer(question, SUNDAY_10)
    assert best_of(answer) == (Target.session, ref)
    assert [m.target for m in answer.alternatives] == [Target.room]


def test_clock_time_alone_is_that_part_of_the_day(answerer: Answerer) -> None:
    answer = answerer.answer("what's on at 3pm", SUNDAY_10)
    assert best_of(answer) == (Target.listing, "2022-07-24:afternoon")


@pytest.mark.parametrize("question", ["auditorium three how do i find it", "auditorium trois"])
def test_room_numbered_in_words(answerer: Answerer, question: str) -> None:
    assert best_of(answerer.answer(question, SUNDAY_10)) == (Target.room, "auditorium-3")
