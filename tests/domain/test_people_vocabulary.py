"""The people vocabulary (bot/domain/vocabulary/people.yaml): roles, titles and nationalities
attendees name a speaker by. Checked as data: the answerer reads it like <lang>.yaml, so a
phrase in two rows, a stop word or a language's name would silently change answers."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pytest
import yaml

from bot.domain import lexicon
from bot.domain.ask import OTHER_COMMON_LANGUAGES, country_names
from bot.domain.languages import language_names

ROW_SECTIONS = ("roles", "nationalities", "extra_phrases")

# The words people.yaml leaves out because they name a language (its header comment lists
# them): a question with one of them is about the language of the talks, not a person.
EXCLUDED_LANGUAGE_WORDS = {
    "en": "english french german germans spanish portuguese arabic arab italian dutch russian"
    " chinese japanese turkish polish",
    "fr": "anglais anglaise francais francaise allemand allemande espagnol espagnole portugais"
    " portugaise arabe italien italienne neerlandais neerlandaise russe chinois chinoise"
    " japonais japonaise turc turque polonais polonaise",
    "de": "englisch franzosisch deutsch deutsche deutscher spanisch portugiesisch arabisch araber"
    " italienisch niederlandisch niederlander russisch chinesisch japanisch turkisch polnisch"
    " franzose italiener portugiese russe chinese japaner",
    "pt": "ingles inglesa frances francesa alemao alema espanhol espanhola portugues portuguesa"
    " arabe italiano italiana neerlandes russo russa chines chinesa japones japonesa turco"
    " turca polaco polaca polones polonesa holandes holandesa",
    "es": "ingles inglesa frances francesa aleman alemana espanol espanola portugues portuguesa"
    " arabe italiano italiana neerlandes ruso rusa chino china japones japonesa turco turca"
    " polaco polaca holandes holandesa",
    "ar": "انجليزي إنجليزية انكليزي فرنسي فرنسية ألماني ألمانية إسباني إسبانية برتغالي برتغالية"
    " عربي عربية العربية إيطالي إيطالية هولندي هولندية روسي روسية صيني صينية ياباني يابانية"
    " تركي تركية بولندي بولندية",
}

# Names of a country that are not Babel's but stem like a language's name ("holanda" and
# "holandês"); like the Babel names, a country's name is kept (see the file's header).
OTHER_COUNTRY_NAMES = frozenset({"holanda"})


@cache
def people() -> dict[str, Any]:
    text = (
        resources.files("bot.domain")
        .joinpath("vocabulary", "people.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


@cache
def english_concepts() -> frozenset[str]:
    text = (
        resources.files("bot.domain").joinpath("vocabulary", "en.yaml").read_text(encoding="utf-8")
    )
    return frozenset(str(c) for c in yaml.safe_load(text)["concepts"])


def rows() -> list[tuple[str, str, dict[str, list[str]]]]:
    """(section, concept id, phrases by language) of every row of the file."""
    return [
        (section, str(concept), entries)
        for section in ROW_SECTIONS
        for concept, entries in people()[section].items()
    ]


def phrases(language: str) -> list[tuple[str, str]]:
    """(concept id, phrase as written) of every phrase of the language."""
    return [(concept, str(p)) for _s, concept, entries in rows() for p in entries[language]]


def stems_of(phrase: str, language: str) -> tuple[str, ...]:
    """The phrase as the loader indexes it: the stems of its normalised words."""
    return tuple(lexicon.stem(word, language) for word in lexicon.words_of(phrase))


def test_people_vocabulary_loads_with_its_sections() -> None:
    data = people()

    assert set(data) == {*ROW_SECTIONS, "broader", "honorifics"}
    assert set(data["honorifics"]) == set(lexicon.LANGUAGES)
    assert len(data["roles"]) >= 80
    assert len(data["nationalities"]) >= 90


def test_people_row_has_every_language_with_a_phrase() -> None:
    incomplete = [
        (concept, language)
        for _section, concept, entries in rows()
        for language in lexicon.LANGUAGES
        if not isinstance(entries, dict)
        or not entries.get(language)
        or not all(isinstance(p, str) and lexicon.words_of(p) for p in entries[language])
    ]
    odd_keys = [
        concept for _s, concept, entries in rows() if set(entries) != set(lexicon.LANGUAGES)
    ]

    assert incomplete == []
    assert odd_keys == []


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_people_phrase_belongs_to_one_row_per_language(language: str) -> None:
    # Compared as the loader indexes them (stems of normalised words): "fisica" and "fisico"
    # would be one phrase of two concepts.
    owner: dict[tuple[str, ...], str] = {}
    shared = []
    for concept, phrase in phrases(language):
        key = stems_of(phrase, language)
        if owner.setdefault(key, concept) != concept:
            shared.append((phrase, owner[key], concept))

    assert shared == []


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_people_phrase_is_not_a_stop_word(language: str) -> None:
    stop_words = lexicon.vocabulary(language).stop_words
    stops = [
        phrase
        for _concept, phrase in phrases(language)
        if all(word in stop_words for word in lexicon.words_of(phrase))
    ]

    assert stops == []


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_people_phrase_fits_the_longest_phrase_the_loader_reads(language: str) -> None:
    too_long = [p for _c, p in phrases(language) if len(lexicon.words_of(p)) > lexicon.MAX_PHRASE]

    assert too_long == []


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_people_phrase_is_not_a_language_name(language: str) -> None:
    # The listed words and every name Babel gives the languages the answerer knows as
    # languages, compared by stem too: "espagnole" is stemmed to the language "espagnol". A
    # country's own name is kept even so ("Italien" in German is "italien" in French).
    names = set(EXCLUDED_LANGUAGE_WORDS[language].split())
    for code in (*lexicon.LANGUAGES, *OTHER_COMMON_LANGUAGES):
        names.update(n for n in language_names(code) if len(lexicon.words_of(n)) == 1)
    forbidden = {lexicon.normalise(n) for n in names}
    forbidden_stems = {stems_of(n, language) for n in names}
    kept = set(OTHER_COUNTRY_NAMES)
    for names_of_country in country_names().values():
        kept.update(lexicon.normalise(n) for n in names_of_country)
    found = [
        phrase
        for _concept, phrase in phrases(language)
        if lexicon.normalise(phrase) not in kept
        and (
            lexicon.normalise(phrase) in forbidden or stems_of(phrase, language) in forbidden_stems
        )
    ]

    assert found == []


def test_people_extra_phrases_are_for_existing_concepts() -> None:
    extra = set(people()["extra_phrases"])
    new = set(people()["roles"]) | set(people()["nationalities"])

    assert extra - english_concepts() == set()
    assert new & english_concepts() == set()


def test_people_broader_names_known_concepts() -> None:
    known = english_concepts() | set(people()["roles"]) | set(people()["extra_phrases"])
    broader: dict[str, list[str]] = people()["broader"]
    unknown = [(c, b) for c, parts in broader.items() for b in [c, *parts] if b not in known]

    assert unknown == []


def test_people_nationality_is_a_babel_country_name() -> None:
    # The ids join the country names the answerer takes from Babel for a speaker's country.
    unknown = set(people()["nationalities"]) - set(country_names())

    assert unknown == set()
