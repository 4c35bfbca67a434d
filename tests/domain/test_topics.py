"""The general topic vocabulary (``bot/domain/vocabulary/topics.yaml``): its shape, that its
phrases name one concept per language, and that a question in one language finds a session
written in another through it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.content import Content, load_content_or_raise
from bot.domain import lexicon
from bot.domain.ask import Answerer, Target
from tests.conftest import CONTENT_DIR

TOPICS = Path(lexicon.__file__).parent / "vocabulary" / "topics.yaml"
RABAT = ZoneInfo("Africa/Casablanca")
MONDAY_9 = dt.datetime(2022, 7, 25, 9, 0, tzinfo=RABAT)

# English-only sessions about subjects the bundled event does not have.
TOPIC_SESSIONS = """\
  - id: pacemakers
    title: "Who controls your heart? The security of pacemakers"
    kind: other
    day: 2022-07-25
    start: "15:00"
    end: "15:45"
    room: auditorium-3
    description: "What we found when we read the radio protocol of implanted cardiac devices."
  - id: heat-islands
    title: "Cooling the city: trees against urban heat islands"
    kind: other
    day: 2022-07-25
    start: "16:00"
    end: "16:45"
    room: auditorium-3
    description: "Street temperatures measured by volunteers, and where shade helps most."
  - id: face-recognition
    title: "Facial recognition in public space"
    kind: other
    day: 2022-07-25
    start: "17:00"
    end: "17:45"
    room: auditorium-3
    description: "Cameras that identify people in the street: what the law allows."
"""


def topic_rows() -> dict[str, dict[str, list[str]]]:
    data = yaml.safe_load(TOPICS.read_text(encoding="utf-8"))
    return {str(k): v for k, v in data["concepts"].items()}


def phrases_of(language: str) -> list[tuple[str, str]]:
    """(concept, phrase) of topics.yaml in a language, the English id included."""
    found = []
    for concept, by_language in topic_rows().items():
        if language == "en":
            found.append((concept, concept))
        found += [(concept, str(p)) for p in by_language[language]]
    return found


@pytest.fixture(scope="module")
def topic_answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    directory = tmp_path_factory.mktemp("topics") / "content"
    shutil.copytree(CONTENT_DIR, directory)
    sessions = directory / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    sessions.write_text(text.replace("sessions:\n", "sessions:\n" + TOPIC_SESSIONS, 1))
    content: Content
    content, _ = load_content_or_raise(directory)
    return Answerer(content)


def test_topics_file_has_hundreds_of_concepts() -> None:
    assert len(topic_rows()) >= 250


def test_topics_every_concept_has_all_six_languages() -> None:
    missing = [
        (concept, language)
        for concept, by_language in topic_rows().items()
        for language in lexicon.LANGUAGES
        if not by_language.get(language)
    ]
    assert missing == []


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_topics_phrase_names_one_concept_in_its_language(language: str) -> None:
    # Within topics.yaml: neither the words as written nor their stems name two concepts.
    seen: dict[tuple[str, ...], str] = {}
    clashes = []
    for concept, phrase in phrases_of(language):
        words = tuple(lexicon.words_of(phrase))
        stems = ("stem", *(lexicon.stem(w, language) for w in words))
        for key in (words, stems):
            if seen.setdefault(key, concept) != concept:
                clashes.append((phrase, concept, seen[key]))
    assert clashes == []


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_topics_phrase_is_not_taken_by_the_language_file(language: str) -> None:
    # The language file wins a clash; a topic phrase it takes would be dead, or a topic whose
    # English id is taken would not meet its own translations.
    vocabulary = lexicon.vocabulary(language)
    taken = []
    for concept, phrase in phrases_of(language):
        words = tuple(lexicon.words_of(phrase))
        if vocabulary.exact.get(words) != concept:
            taken.append((phrase, concept, vocabulary.exact.get(words)))
    assert taken == []


# Two-letter abbreviations that are a word in none of the six languages.
SHORT_BUT_PLAIN = frozenset({"tv", "pc", "ux", "vr"})


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_topics_word_is_neither_a_stop_word_nor_two_letters(language: str) -> None:
    vocabulary = lexicon.vocabulary(language)
    stop_words = vocabulary.stop_words
    own = {tuple(lexicon.words_of(c)) for c in lexicon.concept_ids()} if language == "en" else set()
    bad = []
    for concept, phrase in phrases_of(language):
        words = lexicon.words_of(phrase)
        if tuple(words) in own:
            continue  # an id the language files already give ("ai")
        if len(words) == 1 and (
            words[0] in stop_words
            or (len(words[0]) <= 2 and words[0].isalpha() and words[0] not in SHORT_BUT_PLAIN)
        ):
            bad.append((concept, phrase))
    assert bad == []


def test_vocabulary_language_file_wins_over_topics() -> None:
    # "internet" is the Wi-Fi in en.yaml (a venue question), not a topic.
    assert lexicon.vocabulary("en").exact[("internet",)] == "wifi"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("marcapasos", "pacemaker"),
        ("Herzschrittmacher", "pacemaker"),
        ("منظم ضربات القلب", "pacemaker"),
        ("ilhas de calor", "heat-island"),
        ("reconhecimento facial", "recognition"),
    ],
)
def test_terms_topic_phrase_is_its_concept(text: str, concept: str) -> None:
    words = lexicon.words_of(text)
    keys = [t.key for t in lexicon.terms(words, lexicon.detect_languages(text, words))]
    assert concept in keys


@pytest.mark.parametrize(
    ("question", "session"),
    [
        ("quién da la charla sobre marcapasos", "pacemakers"),
        ("محاضرة عن منظم ضربات القلب", "pacemakers"),
        ("Vortrag über Herzschrittmacher", "pacemakers"),
        ("palestra sobre ilhas de calor", "heat-islands"),
        ("îlots de chaleur en ville", "heat-islands"),
        ("reconhecimento facial", "face-recognition"),
        ("التعرف على الوجه", "face-recognition"),
    ],
)
def test_answerer_question_in_another_language_finds_the_english_session(
    topic_answerer: Answerer, question: str, session: str
) -> None:
    answer = topic_answerer.answer(question, MONDAY_9)
    assert answer.best is not None
    assert (answer.best.target, answer.best.ref) == (Target.session, session)


def test_topics_broader_names_known_concepts() -> None:
    data = yaml.safe_load(TOPICS.read_text(encoding="utf-8"))
    known = lexicon.concept_ids()
    unknown = [
        (concept, wider)
        for concept, broader in data["broader"].items()
        for wider in [concept, *broader]
        if wider not in known
    ]
    assert unknown == []


def test_broader_concepts_include_the_topics_relations() -> None:
    assert lexicon.broader_concepts()["pacemaker"] == ("heart", "medical-device", "device")
    assert lexicon.broader_concepts()["lunch"] == ("food",)
