"""People named among other words, titles of several words, and words as people spell them on
phones: umlauts written out, a weekday's "morgen", a track by a broader word of its name."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.ask import Answerer, Target, compound_parts, fold
from tests.domain.asking import MONDAY_9, best_of, example, example_answerer, example_at


def at(name: str, when: str, question: str) -> tuple[Target, str] | None:
    """The best answer of example event ``name`` to ``question`` at local time ``when``."""
    answerer, now = example_at(name, when)
    return best_of(answerer.answer(question, now))


@pytest.mark.parametrize("question", ["policy track", "alles vom policy track"])
def test_track_is_found_by_a_broader_word_of_its_name(question: str) -> None:
    # The track is "Digital Policy", read as one concept (tech policy) whose broader one is
    # politics, which is what "policy" alone means.
    assert at("lisbon", "2026-10-23T10:00", question) == (Target.listing, "track:policy")


@pytest.mark.parametrize(
    "question",
    ["was ist am sonntagmorgen alles", "was ist am sonntag morgen", "q hay el domingo x la mañana"],
)
def test_weekday_before_the_word_for_tomorrow_is_that_morning(question: str) -> None:
    assert at("hackathon", "2027-03-13T10:00", question) == (Target.listing, "2027-03-14:morning")


@pytest.mark.parametrize("question", ["was ist morgen", "q hay mañana", "morgen sonntag was ist"])
def test_word_for_tomorrow_alone_is_still_tomorrow(question: str) -> None:
    assert at("hackathon", "2027-03-13T10:00", question) == (Target.listing, "2027-03-14:day")


def test_spanish_x_for_por_is_no_subject() -> None:
    assert at("camp2019", "2019-08-22T10:00", "q hay el sabado x la noche") == (
        Target.listing,
        "2019-08-24:evening",
    )


@pytest.mark.parametrize(
    "question",
    ["la doctora maron de q institucion viene", "Dr Maron de l'IISA elle fait quoi ici"],
)
def test_speaker_named_among_other_words_is_that_speaker(answerer: Answerer, question: str) -> None:
    assert best_of(answerer.answer(question, MONDAY_9)) == (Target.speaker, "maron")


def test_name_weighs_more_only_as_typed_in_latin_letters() -> None:
    # "للجان" (for the committees) reads as "jan", a speaker's first name; it is no name here.
    answerer = example_answerer("lisbon")
    query = answerer._parse(fold("حماية المعطيات الشخصية للجان الأحياء").split(), ("ar",))
    assert not query.names
    typed = answerer._parse(fold("jan novak talk").split(), ("en",))
    assert typed.names == {"jan", "novak"}


@pytest.mark.parametrize(
    "question",
    [
        "rabat mayor",
        "la maire de rabat",
        "bürgermeisterin von rabat",
        "la alcaldesa de rabat",
        "a presidente da camara de rabat",
    ],
)
def test_mayor_is_the_president_of_the_communal_council(answerer: Answerer, question: str) -> None:
    assert best_of(answerer.answer(question, MONDAY_9)) == (Target.speaker, "rhlalou")


def test_president_of_the_university_is_not_the_mayor(answerer: Answerer) -> None:
    assert best_of(answerer.answer("president of the university of rabat", MONDAY_9)) == (
        Target.speaker,
        "rhachi",
    )


def test_common_word_is_not_completed_into_a_longer_word() -> None:
    # "komm" (come) began "kommandozeile", read as the command line.
    answerer = example_answerer("lisbon")
    query = answerer._parse(fold("wie komm ich nach marvila").split(), ("de", "en"))
    assert "command-line" not in query.words


def test_umlaut_written_out_is_the_umlaut() -> None:
    assert at("lisbon", "2026-10-23T10:00", "luftqualitaet sensoren balkon") == (
        Target.session,
        "air-quality",
    )


def test_umlaut_spelling_is_left_alone_outside_german() -> None:
    answerer = example_answerer("lisbon")
    assert answerer._umlauts_spelt_out("luftqualitaet", ("en",)) == "luftqualitaet"
    assert answerer._umlauts_spelt_out("luftqualitaet", ("de", "en")) == "luftqualitat"
    # Nothing the index knows without the "e": unchanged.
    assert answerer._umlauts_spelt_out("neue", ("de",)) == "neue"


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("vigilancia da policia no 5g", "224c916eec10"),
        ("5G überwachung polizei", "224c916eec10"),
        ("piratage du systeme de paiement des distributeurs de boissons", "282765f8622d"),
    ],
)
def test_german_compound_of_the_content_is_found_by_its_parts(question: str, ref: str) -> None:
    # "Die 5G-Überwachungsstandards ... Polizeibehörden", "Mit dem Getränkeautomaten in die
    # Cloud": the index holds the parts of these compounds too.
    assert at("camp2019", "2019-08-22T10:00", question) == (Target.session, ref)


def test_compound_parts_need_words_of_the_vocabulary() -> None:
    assert compound_parts("polizeibehorden")[0] == "police"
    assert compound_parts("verstecken") == ()
    assert compound_parts("kurz") == ()


@pytest.mark.parametrize("question", ["everything about koffein", "stuff about koffein and coffee"])
def test_word_of_another_languages_vocabulary_is_found_as_written(question: str) -> None:
    # "Koffein" is German vocabulary (caffeine); an English question does not read it so.
    assert at("camp2019", "2019-08-22T10:00", question) == (Target.session, "7da4f2062223")


@pytest.mark.parametrize(
    "question",
    [
        "is german required",
        "as palestras sao em alemao? preciso falar alemao",
        "ist deutsch pflicht",
    ],
)
def test_language_asked_as_a_requirement_is_the_organisers_answer(question: str) -> None:
    answer = example_answerer("hackathon").answer(
        question, dt.datetime(2027, 3, 13, 10, 0, tzinfo=example("hackathon").tz)
    )
    assert best_of(answer) == (Target.faq, "language")
    # The sessions in German stay one button away.
    assert (Target.listing, "language:de") in [(m.target, m.ref) for m in answer.alternatives]


@pytest.mark.parametrize(
    ("question", "ref"), [("necesito el wifi", "wifi"), ("q tengo q traer", "what-to-bring")]
)
def test_word_of_need_is_no_subject_of_its_own(question: str, ref: str) -> None:
    assert at("hackathon", "2027-03-13T10:00", question) == (Target.faq, ref)


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("what's on the day after tomorrow", "2026-10-25:day"),
        ("e depois de amanha?", "2026-10-25:day"),
        ("q hay pasado mañana por la tarde", "2026-10-25:afternoon"),
        ("übermorgen programm", "2026-10-25:day"),
        ("apres demain matin", "2026-10-25:morning"),
        ("شنو كاين بعد غدا", "2026-10-25:day"),
        # With the article, "الغدا" is lunch: after lunch, today.
        ("شنو كاين بعد الغدا", "2026-10-23:afternoon"),
    ],
)
def test_day_after_tomorrow_is_two_days_on(question: str, ref: str) -> None:
    assert at("lisbon", "2026-10-23T10:00", question) == (Target.listing, ref)


@pytest.mark.parametrize("question", ["qui est le président du programme", "مين رئيس البرنامج"])
def test_president_of_the_programme_is_its_chair(question: str) -> None:
    assert at("lisbon", "2026-10-23T10:00", question) == (Target.speaker, "hugo-baptista")


@pytest.mark.parametrize(
    ("name", "question", "ref"),
    [
        ("camp2019", "hardware und basteln track", "track:hardware-making"),
        ("camp2019", "تراك الهاردوير والتصنيع", "track:hardware-making"),
        ("lisbon", "جلسات track المجتمع والتكنولوجيا المدنية", "track:community"),
    ],
)
def test_track_named_in_part_with_its_other_words_said_otherwise(
    name: str, question: str, ref: str
) -> None:
    assert at(name, "2019-08-22T10:00" if name == "camp2019" else "2026-10-23T10:00", question) == (
        Target.listing,
        ref,
    )


def test_track_word_with_more_other_words_than_the_name_is_no_track() -> None:
    # One word of the "Hardware & Making" track among three of a talk's subject.
    found = at("camp2019", "2019-08-22T10:00", "hardware track pacemakers recalled stock")
    assert found != (Target.listing, "track:hardware-making")


def test_word_read_as_a_typo_weighs_less_than_words_typed_as_written() -> None:
    # "retrospective" reads as a typo of "perspective"; "katzenpost" is the talk's own word.
    answerer = example_answerer("camp2019")
    question = "katzenpost retrospective"
    query = answerer._parse(fold(question).split(), ("en",))
    assert query.guessed and "katzenpost" not in query.guessed
    assert at("camp2019", "2019-08-22T10:00", question) == (Target.session, "1a2140fd3444")


@pytest.mark.parametrize("question", ["wer ist die Epidemiologin", "la epidemióloga"])
def test_person_of_a_discipline_is_found_by_its_ending_in_any_language(question: str) -> None:
    # The speaker's position is "Epidemiologist".
    assert at("lisbon", "2026-10-23T10:00", question) == (Target.speaker, "catarina-rocha")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("q hay a las 3 de la tarde", (Target.listing, "2026-10-23:afternoon")),
        ("what's on at 3", (Target.listing, "2026-10-23:afternoon")),
        ("room b at 11", (Target.session, "dados-autarquias")),
        ("was läuft um 11 in room b", (Target.session, "dados-autarquias")),
    ],
)
def test_bare_hour_after_a_word_of_time_is_a_clock_time(
    question: str, expected: tuple[Target, str]
) -> None:
    assert at("lisbon", "2026-10-23T10:00", question) == expected


def test_number_of_a_room_is_no_hour() -> None:
    answerer = example_answerer("lisbon")
    assert answerer._parse(fold("where is room 3").split(), ("en",)).clock is None
    assert answerer._parse(fold("a las 3 de la tarde").split(), ("es",)).clock == dt.time(15, 0)
    assert answerer._parse(fold("at 9 in the morning").split(), ("en",)).clock == dt.time(9, 0)


@pytest.mark.parametrize("question", ["directions to the stage", "كيف اوصل للمسرح"])
def test_way_to_a_room_named_in_part_is_the_room(question: str) -> None:
    assert at("hackathon", "2027-03-13T10:00", question) == (Target.room, "main-stage")


def test_way_to_the_venue_is_still_the_transport() -> None:
    found = at("hackathon", "2027-03-13T10:00", "how do i get to the venue from the airport")
    assert found is not None and found[0] is not Target.room


def test_word_of_the_vocabulary_is_no_typo_of_a_language_name() -> None:
    # "البلدية" (the municipality) is two letters from "البولندية" (Polish).
    answerer = example_answerer("lisbon")
    assert answerer._find(["البلديه"], ("البولنديه",)) is None
    assert answerer._find(["portugese"], ("portuguese",)) == 0


@pytest.mark.parametrize(
    "question",
    [
        "when is the help desk open",
        "ate q horas o help desk ta aberto",
        "مكتب المساعدة وقتاش مفتوح",
    ],
)
def test_hours_of_the_help_desk_are_the_help_desk_not_open_data(question: str) -> None:
    assert at("lisbon", "2026-10-23T10:00", question) == (Target.venue, "help-desk")


def test_arabic_name_with_a_joined_preposition_is_the_name() -> None:
    # "فكوري": "ف" (in, Darija) joined to "كوري" (Curie, a stage of the camp).
    answerer = example_answerer("camp2019")
    assert answerer._transliterated("فكوري") == answerer._transliterated("كوري") is not None


@pytest.mark.parametrize(
    ("name", "question", "ref"),
    [
        ("camp2019", "آنا روت فين عندها التوك", "p-1864"),
        ("camp2019", "شكون هي آن روث", "p-1864"),
    ],
)
def test_whole_name_in_arabic_letters_is_that_speaker(name: str, question: str, ref: str) -> None:
    # "روت" alone is as near Ruedi or Reddy as Roth; with "آنا" it is Anne Roth.
    assert at(name, "2019-08-22T14:00", question) == (Target.speaker, ref)


def test_two_arabic_words_writing_one_latin_name(answerer: Answerer) -> None:
    assert best_of(answerer.answer("رائد بن شمس", MONDAY_9)) == (Target.speaker, "benshams")


def test_piece_of_a_subject_the_event_lacks_is_no_time() -> None:
    # "segunda mão" (second-hand) read word by word gave "segunda", Monday.
    answerer = example_answerer("lisbon")
    query = answerer._parse(fold("aspiradores robo em segunda mao").split(), ("pt",))
    assert not query.time_words


@pytest.mark.parametrize("question", ["direccion de la facultad", "endereço da faculdade"])
def test_venue_named_in_another_language_is_its_address(answerer: Answerer, question: str) -> None:
    # The venue is the "Faculté des Sciences Juridiques...", read in French as a faculty.
    assert best_of(answerer.answer(question, MONDAY_9)) == (Target.venue, "address")


@pytest.mark.parametrize(
    "question", ["airport shuttle?", "how do i get to the venue from the train station"]
)
def test_organisers_answer_on_a_venue_topic_is_asked_with_the_topics_words(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question, MONDAY_9)
    assert best_of(answer) == (Target.faq, "transport")
    # The venue's own card of it stays a button away.
    assert (Target.venue, "transport") in [(m.target, m.ref) for m in answer.alternatives]


def test_word_of_a_full_name_is_the_name_not_the_concept() -> None:
    # "Freude" is joy in German; beside "Alvar" it is Alvar C.H. Freude.
    assert at("camp2019", "2019-08-22T10:00", "alvar freude") == (Target.speaker, "p-4555")
    query = example_answerer("camp2019")._parse(["freude"], ("de",))
    assert "freude" not in query.words


def test_topic_words_as_typed_tell_apart_talks_of_one_topic() -> None:
    # "IMSI catcher" and "SDR devices" are both mobile networks; "IMSI" is the catcher talk's.
    assert at("camp2019", "2019-08-22T10:00", "كشف أجهزة IMSI catcher") == (
        Target.session,
        "fb5f92a63aa0",
    )


@pytest.mark.parametrize(
    "question",
    ["rediseño de la interfaz de noscript", "refonte de l'interface de noscript"],
)
def test_word_only_one_talk_has_weighs_as_a_name(question: str) -> None:
    assert at("camp2019", "2019-08-22T10:00", question) == (Target.session, "c398498fee74")


def test_common_word_only_one_item_has_is_no_name() -> None:
    answerer = example_answerer("hackathon")
    query = answerer._parse(fold("locker needs a coin").split(), ("en",))
    assert "coin" not in query.names


@pytest.mark.parametrize(
    "question", ["واش كاين محاضرات بالبرتغالية", "is there anything in portuguese"]
)
def test_language_named_with_a_joined_preposition_is_its_listing(question: str) -> None:
    assert at("lisbon", "2026-10-23T10:00", question) == (Target.listing, "language:pt")


def test_two_languages_named_with_joined_prepositions_ask_about_languages(
    answerer: Answerer,
) -> None:
    # No session of the bundled event is in Arabic: a question about its languages.
    assert best_of(answerer.answer("الورشة بالعربي ولا بالانجليزي", MONDAY_9)) == (
        Target.faq,
        "language",
    )
