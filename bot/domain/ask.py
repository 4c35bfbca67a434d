"""Answers the free-text questions attendees type: sessions, FAQ, speakers, rooms, venue, times.

Questions may be in English, French, German, Portuguese, Spanish or Arabic, on any event. How a
question is answered:

1. The text is normalised and split in words (:mod:`bot.domain.lexicon`: case, accents, Arabic
   letter forms), cut to a sane length, and its likely languages are detected (Arabic script;
   else a vote of stop words and vocabulary; when unsure, several candidates are kept).
2. Unknown words are split when they are a German compound of two known words, else corrected
   against the event's words and the general vocabulary with rapidfuzz (typos on a phone
   keyboard), or completed when they are a prefix of a known word. An unknown Arabic-script
   word may be a name: it meets the Latin name with the same consonant skeleton.
3. Words become *terms*: a concept of the general vocabulary (``bot/domain/vocabulary/``:
   "déjeuner", "Mittagessen" and "lunch" are the concept ``lunch``) or the word's stem in its
   language. Terms are sorted into roles: question words give the *aspect*
   (when/where/who/what), day and time words a time window ("tonight", "day 2", "the last day",
   "after lunch"), generic words ("session", "programme") only hint, the rest is what the
   question is about.
4. A question with nothing left to look up but a time becomes a listing, and so does one that
   names only a language ("sessions in Portuguese"), a track or asks what is online: refs
   ``language:<code>``, ``track:<id>`` and ``online``. A room with "now" or "next" is the
   session running or coming next there. Otherwise every indexed item (session, FAQ entry,
   speaker, room, venue topic) is scored by the IDF-weighted share of the question's terms it
   contains, field weights applied, plus a small bonus when one of its phrasings reads like the
   whole question (rapidfuzz ratio) and when its kind fits the aspect.
5. A short follow-up ("how do I get there", "when does it end", "who is speaking") is resolved
   against the previous answer (:class:`AnswerContext`) for :data:`FOLLOW_UP_WINDOW`.
6. When the best two are close and neither is clearly right, no best is given: the
   alternatives are offered instead (thresholds measured on the tuning sets, bench/answers.py).

Everything that depends only on the content is computed once in :class:`Answerer`; the words
of the event come from its content (titles, descriptions, ``keywords:``), never from this code.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Literal

from babel import Locale
from rapidfuzz import fuzz, process

from bot.content.models import Content, Localized, Session
from bot.domain import lexicon
from bot.domain.agenda import (
    Agenda,
    online_sessions,
    require_aware,
    session_languages,
    sessions_in_language,
    sessions_in_track,
)
from bot.domain.languages import language_name, language_names

Aspect = Literal["when", "where", "who", "what"]


class Target(StrEnum):
    session = "session"
    faq = "faq"
    speaker = "speaker"
    room = "room"
    venue = "venue"
    listing = "listing"


@dataclass(frozen=True)
class Match:
    target: Target
    ref: str
    score: float
    label: str


@dataclass(frozen=True)
class Answer:
    best: Match | None
    alternatives: tuple[Match, ...]
    aspect: Aspect | None
    listing: tuple[Session, ...] = ()
    window: tuple[dt.datetime, dt.datetime] | None = None
    follow_up: bool = False
    """The question was read as a follow-up of the previous answer ("how do I get there")."""
    language: str = "en"
    """The likeliest language of the question."""


@dataclass(frozen=True)
class AnswerContext:
    """What the previous answer was about: a follow-up question within
    :data:`FOLLOW_UP_WINDOW` refers to it. Holds no text of the question and nothing personal."""

    target: Target
    ref: str
    aspect: Aspect | None
    at: dt.datetime

    @classmethod
    def of(cls, answer: Answer, now: dt.datetime) -> AnswerContext | None:
        """The context a later follow-up can refer to; None when the answer names no one thing."""
        best = answer.best
        if best is None or best.target is Target.listing:
            return None
        return cls(best.target, best.ref, answer.aspect, now)

    def fresh(self, now: dt.datetime) -> bool:
        return dt.timedelta(0) <= now - self.at <= FOLLOW_UP_WINDOW


class RecentAnswers:
    """The last answer's context per user, for follow-ups: in memory only, bounded, each
    forgotten after :data:`FOLLOW_UP_WINDOW` (nothing of it is written anywhere)."""

    def __init__(self, limit: int = 2000) -> None:
        self.limit = limit
        self._contexts: dict[int, AnswerContext] = {}

    def remember(self, user_id: int, context: AnswerContext | None) -> None:
        self._contexts.pop(user_id, None)
        if context is None:
            return
        self._contexts[user_id] = context
        while len(self._contexts) > self.limit:
            # Dicts keep insertion order: the first is the least recently answered.
            del self._contexts[next(iter(self._contexts))]

    def recall(self, user_id: int, now: dt.datetime) -> AnswerContext | None:
        context = self._contexts.get(user_id)
        if context is not None and not context.fresh(now):
            del self._contexts[user_id]
            return None
        return context

    def __len__(self) -> int:
        return len(self._contexts)


# --- tuning -------------------------------------------------------------------------------------

# Longer input is never a real question; cutting it bounds the work per message.
MAX_CHARS = 300
MAX_TOKENS = 24
LABEL_CHARS = 40
# Below this a guess is worse than saying "I don't know" and offering the menu.
MIN_SCORE = 42.0
MIN_ALTERNATIVE_SCORE = 36.0
# A best below MIN_SCORE is still the answer when it is this far ahead of the runner-up (the
# question's other words were fillers the content does not have).
LEAD_MIN_SCORE = 30.0
LEAD_MARGIN = 15.0
# Unsure: a best below UNSURE_SCORE with a runner-up within UNSURE_MARGIN is not given as the
# answer; the two or three guesses are offered as buttons instead (bench/answers.py measures it).
UNSURE_SCORE = 55.0
UNSURE_MARGIN = 1.0
# Only the best candidates by term coverage get the (costlier) whole-phrase comparison.
RERANK = 48
# A short question refers to the previous answer for this long.
FOLLOW_UP_WINDOW = dt.timedelta(minutes=5)
# A session's description counts less than its title, but a question only its description
# answers ("DNS over HTTPS" for "DoH or Don't") must still reach the answer.
DESCRIPTION_WEIGHT = 0.6
# ... but its first paragraph, when short, is the subtitle of an imported talk.
SUBTITLE_CHARS = 100
SUBTITLE_WEIGHT = 0.85
# Shorter words are too often cognates by chance.
COGNATE_SHORTEST = 6
# A cognate's form this close (rapidfuzz ratio) to a content word is that word.
COGNATE_RATIO = 88.0
# A session's running order (the anthem, the welcome addresses) is what happens in it:
# nearly as telling as its keywords ("the Quran reading and the anthem" is the opening).
RUNNING_ORDER_WEIGHT = 0.7
# A speaker's bio counts less than anything else about them.
BIO_WEIGHT = 0.4
# In a question in another language than the content's, a word neither the content nor the
# vocabulary knows is more often a filler than the subject: it lowers the score less.
FOREIGN_UNKNOWN_SHARE = 0.3
UNKNOWN_SHARE = 0.7
# ... and a common word of the question's language the content lacks ("paar", "zeilen",
# "temos") even less: it says how, rarely what (tuning sets: 0 and 0.25 do as well, 1 worse).
COMMON_UNKNOWN_SHARE = 0.25
# The most letters a common word may be completed by when it begins a word of the content.
COMMON_COMPLETION = 3
FOREIGN_CONCEPT_SHARE = 0.5
# Content about a concept also answers its broader concept, at this share of the field weight.
BROADER_WEIGHT = 0.7

# An Arabic-script word unknown to the vocabulary and the index may be a Latin name written in
# Arabic letters: it meets a name whose consonant skeleton is the same (at least this long), or
# close (rapidfuzz ratio, for skeletons at least SKELETON_FUZZY_MIN long).
SKELETON_MIN = 2
SKELETON_FUZZY_MIN = 5
SKELETON_CUTOFF = 80.0

# A question naming only the event or its city ("where is the camp") asks where the event is: the
# words count at this share for anything but the venue.
EVENT_NAME_SHARE = 0.5

# Languages that write compounds as one word ("Haushaltsdaten"), and the shortest part.
COMPOUND_LANGUAGES = frozenset({"de"})
COMPOUND_PART = 4
# What a part of a compound of the content weighs, beside the whole word.
COMPOUND_SHARE = 0.8
# German umlauts spelt out on keyboards without them ("Qualitaet", "grossartig", "Buero").
UMLAUT_SPELLING = re.compile(r"[aou]e")
# The shortest word of a general concept in the content also indexed as written.
WRITTEN_SHORTEST = 5
# Longer is not a word ("xxxxxxxx..."): never split, which bounds the work.
COMPOUND_LONGEST = 30

# What a venue topic's words (taxi, tram, airport...) weigh in the FAQ entry on that topic.
FAQ_TOPIC_WEIGHT = 0.9
# How much "the venue" in a question counts for each venue topic (map, Wi-Fi...).
VENUE_TOPIC_VENUE_WEIGHT = 0.5

# An FAQ entry whose id names a subject of the question ("online") is about it.
NAMED_AFTER_BONUS = 4.0

# A question naming what a person is ("the president of IASIA") is about a speaker: this is
# what their position or bio weighs against a session whose title has the word.
PERSON_BONUS = 25.0
# How much more a word of a speaker's name weighs than its rarity alone says.
NAME_WEIGHT = 1.6
# The shortest word of the content typed as written that weighs as a name when one item has it.
DISTINCT_SHORTEST = 5
# What a word read as a correction of what was typed weighs, against one typed as the content
# has it.
GUESS_SHARE = 0.6

# What separates the names of a room written in one ("Werkstatt (Workshop room 1)").
ROOM_NAME_PARTS = re.compile(r"[()/,;:|\u2013\u2014]| - ")

# "Who gives the X talk" is answered with the speaker up to this many people; beyond, with
# the session, whose card names them all.
MAX_SPEAKERS_NAMED = 2

# The most spellings a track's two-concept name gets from the vocabulary ("Open data").
MAX_NAME_VARIANTS = 200

# Sessions this close to the best are one series for "when does it end/start".
SERIES_MARGIN = 1.5

# Languages attendees ask for sessions in besides the six the answerer reads.
OTHER_COMMON_LANGUAGES = ("it", "nl", "ru", "zh", "ja", "tr", "pl")

# Arabic letters naming rooms, in abjad order (normalised: alef and ha forms unified).
ABJAD_LETTERS = {"ا": "a", "ب": "b", "ج": "c", "د": "d", "ه": "e", "و": "f"}

# Endings that make a German language name an adjective: "deutschsprachige Vorträge".
GERMAN_LANGUAGE_ADJECTIVE = ("sprachig", "sprachige", "sprachigen", "sprachiger")

# What a topic's word as typed adds, as a share of its weight, to the items that have it
# (it is not part of the question's total: it orders, it does not dilute; tuning sets: 0.5 over
# 0.25 and 0.75).
WRITTEN_SHARE = 0.5

# Words that say a track is meant ("the climate theme", "alles zum Thema Klima").
TRACK_WORDS = frozenset({"track", "theme"})
# "Einsteiger*innen", "Teilnehmer:innen": German gender-inclusive endings.
GENDER_ENDING = re.compile(r"[*:_/](?:innen|in)\b", re.IGNORECASE)

# Concepts that ask for the way to a place named in the question.
WAY_TERMS = frozenset({"transport", "map", "address", "venue"})

# How many runners-up the unsure rule looks at (more than the guesses shown).
RIVALS_LOOKED_AT = 8

# The most a title made only of the question's words adds (orders near ties).
SPECIFIC_TITLE_BONUS = 2.0

# Roles of the vocabulary's structural concepts (ids in bot/domain/vocabulary/*.yaml).
WHEN_TERMS = frozenset({"when", "time", "start", "end", "long"})
WHERE_TERMS = frozenset({"where", "room", "how"})
WHO_TERMS = frozenset({"who", "chair", "speaker"})
WHAT_TERMS = frozenset({"what"})
ROLE_TERMS = frozenset({"chair", "speaker"})
GENERIC_SESSION_TERMS = frozenset({"session"})
# A time of day as typed, folded: "13h", "13h30", "3pm", "11am" (and, joined by the parser,
# "13 uhr", "13 00" for "13:00", "9 pm").
CLOCK_WORD = re.compile(r"(\d{1,2})(?:h(\d{2})?|hs|uhr|(am|pm)|hrs|horas|heures)")
CLOCK_UNITS = frozenset({"h", "uhr", "am", "pm", "hrs", "horas", "heures", "hs"})
# Parts of the day after an hour that put it after noon ("3 de la tarde").
LATER_PARTS = frozenset({"afternoon", "evening", "night", "tonight"})
# A bare hour before this, with nothing saying morning, is read after noon ("at 3").
EARLIEST_HOUR = 8
# A day of the month as typed: "24", "24th", "1st", "1er", "2e", "25º" (folded "25o").
DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|re|e|eme|o|a)?")
# Ages a question may give alone ("ich bin 16"): those that age limits are about.
AGES = (10, 21)
# Kinds of session a question may ask for by the kind alone ("workshops this afternoon").
SESSION_KIND_TERMS = frozenset({"workshop", "panel", "keynote"})
LISTING_TERMS = frozenset({"programme", "day", "weekend"})
DAY_TERMS = frozenset({"today", "tomorrow", "overmorrow", "tonight", "yesterday"})
PART_TERMS = frozenset({"morning", "afternoon", "evening", "night", "noon"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINAL_TERMS = {"first": 1, "second": 2, "third": 3, "last": -1}
RELATIVE_TERMS = frozenset({"after", "before"})
MEAL_TERMS = frozenset({"lunch", "breakfast", "dinner", "coffee"})
HINT_TERMS = frozenset({"cancelled", "there", "required"})
TIME_TERMS = DAY_TERMS | PART_TERMS | frozenset(WEEKDAYS) | {"now", "next"}
QUESTION_TERMS = WHEN_TERMS | WHERE_TERMS | WHO_TERMS | WHAT_TERMS
# What a follow-up may consist of: it asks about the previous answer, names nothing new.
FOLLOW_UP_TERMS = QUESTION_TERMS | HINT_TERMS | {"transport", "online", "language", "session"}
# What may surround a language, a track or "online" in a question asking for that listing.
FILTER_HINTS = LISTING_TERMS | GENERIC_SESSION_TERMS | {"what"}
FILTER_FILLER = (
    FILTER_HINTS
    | {"language", "online", "track", "required", "there"}
    | SESSION_KIND_TERMS
    | QUESTION_TERMS
)
# A typed language name this close to a known one (rapidfuzz ratio) is that name: "portugese".
LANGUAGE_TYPO_CUTOFF = 85.0
PARTS: dict[str, tuple[dt.time, dt.time | None]] = {
    "morning": (dt.time(0, 0), dt.time(12, 0)),
    "afternoon": (dt.time(12, 0), dt.time(18, 0)),
    "evening": (dt.time(18, 0), None),
    "day": (dt.time(0, 0), None),
}
PART_OF_TERM = {"night": "evening", "noon": "afternoon", "tonight": "evening"}
# The part of the day before or after a meal (any other meal: as lunch).
MEAL_PARTS = {
    ("after", "lunch"): "afternoon",
    ("before", "lunch"): "morning",
    ("after", "dinner"): "evening",
    ("before", "dinner"): "afternoon",
    ("after", "breakfast"): "morning",
    ("before", "breakfast"): "morning",
}

VENUE_TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    # topic: (label, concepts of the general vocabulary that ask for it)
    "address": ("Address", ("address", "venue", "where is the venue")),
    "map": ("Map", ("map",)),
    "wifi": ("Wi-Fi", ("wifi", "password", "wifi password")),
    "transport": (
        "Getting there",
        ("transport", "taxi", "bus", "tram", "train", "metro", "airport", "parking"),
    ),
    "emergency": (
        "Emergency numbers",
        ("emergency", "police", "ambulance", "first aid", "doctor", "emergency number"),
    ),
    "help-desk": ("Help desk", ("help", "help desk", "lost", "staff")),
    "accessibility": ("Accessibility", ("accessibility", "wheelchair", "lift")),
}


# Locales whose month names differ from their language's ("ar": Egypt's and the Gulf's).
REGIONAL_MONTH_LOCALES = ("ar_MA", "ar_DZ", "ar_LB")

_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")


def fold(text: str) -> str:
    """Lower-case words of any script: Latin accents dropped, Arabic normalised."""
    return lexicon.normalise(text[:MAX_CHARS])


def truncate(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def translations(text: str | None, default: str) -> list[tuple[str, str]]:
    """(text, language) of every translation of a content text; a plain text is in the event's
    language."""
    if not text:
        return []
    if isinstance(text, Localized) and text.translations:
        return [(t, code.split("-")[0]) for code, t in text.translations.items() if t]
    return [(str(text), default)]


def names_in_every_language(name: str | None) -> str | None:
    """A name read as words of every language, each with its own stems and concepts: the
    "Centro de Congressos" is met by the French "centre", the "Faculté des Sciences" by
    "faculdade" (a name is as often in the venue's language as in the event's)."""
    if not name or (isinstance(name, Localized) and name.translations):
        return name
    return Localized(name, dict.fromkeys(lexicon.LANGUAGES, str(name)))


@cache
def month_names() -> dict[str, int]:
    """Month names and abbreviations in the six languages, from Babel (CLDR)."""
    names: dict[str, int] = {}
    for code in lexicon.LANGUAGES:
        months = Locale.parse(code).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    for word in fold(name).split():
                        if len(word) >= 3:
                            names.setdefault(word, number)
    # Arabic names its months differently in the Maghreb ("يوليوز", "جويلية") and the Levant
    # ("تموز"); only one-word names: "كانون الثاني" would make "الثاني" a month.
    for code in REGIONAL_MONTH_LOCALES:
        for number, name in Locale.parse(code).months["format"]["wide"].items():
            words = fold(name).split()
            if len(words) == 1 and len(words[0]) >= 3:
                names.setdefault(words[0], number)
    return names


@cache
def country_names() -> dict[str, tuple[str, ...]]:
    """A country's English name (folded) -> its names in the six languages, from Babel."""
    english = Locale.parse("en").territories
    found: dict[str, tuple[str, ...]] = {}
    for code, name in english.items():
        if not code.isalpha():
            continue
        names = [Locale.parse(lang).territories.get(code, "") for lang in lexicon.LANGUAGES]
        found[fold(name)] = tuple(dict.fromkeys(n for n in names if n))
    return found


@cache
def concept_phrases() -> dict[str, frozenset[tuple[str, ...]]]:
    """Every phrase of the vocabularies (six languages) by the concept it is."""
    found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for language in lexicon.LANGUAGES:
        for words, concept in lexicon.vocabulary(language).exact.items():
            found[concept].add(words)
    return {concept: frozenset(phrases) for concept, phrases in found.items()}


def concept_variants(words: tuple[str, ...], language: str) -> set[tuple[str, ...]]:
    """A short name made only of concepts written in each language's words ("Security" ->
    "seguranca", "sicherheit"...); empty when the name has a word of its own, is longer than
    two concepts, or would have too many variants."""
    # Names are often English on a German event: any language's vocabulary may know them.
    languages = (language, *(lang for lang in lexicon.LANGUAGES if lang != language))
    terms = lexicon.terms(list(words), languages)
    if not terms or not all(t.concept for t in terms):
        return set()
    # "Klima / Climate" is one concept written twice.
    concepts = list(dict.fromkeys(t.key for t in terms))
    if len(concepts) > 2:
        return set()
    choices = [concept_phrases().get(c, frozenset()) for c in concepts]
    if len(choices) > 1 and math.prod(len(c) for c in choices) > MAX_NAME_VARIANTS:
        return set()
    return {tuple(w for part in combo for w in part) for combo in itertools.product(*choices)}


@cache
def room_kinds() -> frozenset[str]:
    """ "room" and the kinds of room of the vocabulary ("auditorium", "stage")."""
    broader = lexicon.broader_concepts()
    return frozenset({"room", *(c for c, wider in broader.items() if "room" in wider)})


@cache
def compound_parts(word: str) -> tuple[str, ...]:
    """The index keys of a German compound of the content made of vocabulary words
    ("Überwachungsstandards": surveillance + standard; "Getränkeautomaten": drinks +
    "automat"): one part a concept, the other a concept or a common word; () if none. The
    question's own compounds are split against the index instead (``_split_compound``)."""
    if not 2 * COMPOUND_PART <= len(word) <= COMPOUND_LONGEST:
        return ()

    def read(part: str) -> lexicon.Term | None:
        found = lexicon.terms([part], ("de",))
        return found[0] if len(found) == 1 else None

    for cut in range(len(word) - COMPOUND_PART, COMPOUND_PART - 1, -1):
        tail = read(word[cut:])
        if tail is None:
            continue
        head_word = word[:cut]
        for link in ("", "s", "es", "n", "en"):
            if link and not head_word.endswith(link):
                continue
            stem = head_word[: len(head_word) - len(link)]
            head = read(stem) if len(stem) >= COMPOUND_PART else None
            if head is None or not (head.concept or tail.concept):
                continue
            if all(t.concept or lexicon.is_common_word(t.word, ("de",)) for t in (head, tail)):
                return (head.key, tail.key)
    return ()


def designator_keys(words: list[str], terms: list[lexicon.Term]) -> list[str]:
    """ "Room A", "sala B", "Halle 2": a letter or number after a room word names the room,
    whatever the language of the room word (the letter alone is a stop word: "a")."""
    keys = []
    for term in terms:
        if term.key in room_kinds() and term.concept and term.position + 1 < len(words):
            after = words[term.position + 1]
            after = str(lexicon.number_words().get(after, after))  # "auditorium three"
            if len(after) <= 2:
                # Rooms lettered in Arabic follow the abjad: "قاعة ب" is room B.
                keys.append(f"room:{ABJAD_LETTERS.get(after, after)}")
    return keys


def ordinal_days(terms: list[lexicon.Term]) -> list[lexicon.Term]:
    """ "Today" followed by an ordinal is the event's Nth day: Arabic writes "the second day"
    "اليوم الثاني" with the word that alone is "today"."""
    out = list(terms)
    for i, term in enumerate(out[:-1]):
        after = out[i + 1]
        if (
            term.key == "today"
            and after.key in ORDINAL_TERMS
            and after.concept
            and after.position == term.position + 1
        ):
            out[i] = lexicon.Term("day", term.word, True, term.position)
    return out


@dataclass(frozen=True)
class _Item:
    target: Target
    ref: str
    label: str
    phrases: tuple[str, ...]  # term strings compared with the whole question
    prior: float  # small per-kind adjustment in score points


@dataclass(frozen=True)
class _Filter:
    """A listing a question can ask for by name: a language or a track."""

    words: tuple[str, ...]  # the folded name
    ref: str  # ``language:<code>`` or ``track:<id>``
    label: str
    sessions: tuple[Session, ...]
    needs_hint: bool  # a track's name alone is as likely a session's subject


@dataclass(frozen=True)
class _Query:
    words: tuple[str, ...]  # index keys of the content terms, order kept
    written: tuple[str, ...]  # a topic's words as typed, where the content has them: a bonus
    aspect: Aspect | None
    concepts: frozenset[str]  # structural concepts seen (time, role, hints)
    time_words: frozenset[str]
    weekday: int | None
    explicit_day: dt.date | None
    event_day: int | None  # "day 2" = 2, "the last day" = -1
    listing_hint: bool
    session_hint: bool
    role_hint: bool
    person_share: float  # share of the question's subject terms that name what a person is
    room_hint: bool  # the question says "room", "hall", "salle": a room is what it asks for
    canon: str
    language: str
    # Words of the question the content lacks that are common words of its language: more
    # often how it is said than what it is about.
    common: frozenset[str] = frozenset()
    clock: dt.time | None = None  # "um 13 uhr", "at 3pm", "à 14h30": a time of day
    # Words of a speaker's name, or words only one item has ("noscript"), typed as the content
    # spells them (not read from Arabic letters, where "للجان" is no Jan).
    names: frozenset[str] = frozenset()
    # Words read as a correction of a typo or a completion ("mixnets" as "mines"): a guess.
    guessed: frozenset[str] = frozenset()


class Answerer:
    """Answers one event's questions; build once per content version, then call :meth:`answer`."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.agenda = Agenda(content)
        self.tz = content.tz
        self.language = content.event.language.split("-")[0]
        if self.language not in lexicon.LANGUAGES:
            self.language = "en"
        lexicon.load_frequencies()
        self._items: list[_Item] = []
        # key -> {item index: best field weight}
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        surface: set[str] = set(lexicon.all_surface())
        broader = lexicon.broader_concepts()

        def keys_of(text: str, languages: tuple[str, ...]) -> list[tuple[str, float]]:
            words = fold(text).split()
            surface.update(words)
            found: list[tuple[str, float]] = []
            terms = lexicon.terms(words, languages)
            topics = lexicon.topic_concepts()
            for term in terms:
                found.append((term.key, 1.0))
                if term.concept:
                    found += [(b, BROADER_WEIGHT) for b in broader.get(term.key, ())]
                    span = words[term.position : term.position + term.size]
                    if term.key in topics:
                        # The words as written too: a topic groups several subjects ("IMSI
                        # catchers" and "5G" are both mobile networks), its words tell them
                        # apart when the question has them.
                        found += [(w, 1.0) for w in span if len(w) >= 2]
                    elif (
                        term.size == 1
                        and len(term.word) >= WRITTEN_SHORTEST
                        and not lexicon.is_common_word(term.word, lexicon.LANGUAGES)
                    ):
                        # A rare word of one language's vocabulary may be typed in a question
                        # in another ("everything about Koffein"): found as written too.
                        found.append((term.word, 1.0))
                elif term.word != term.key:
                    found.append((term.word, 1.0))
                if not term.concept and COMPOUND_LANGUAGES.intersection(languages):
                    for part in compound_parts(term.word):
                        found.append((part, COMPOUND_SHARE))
                        found += [(b, BROADER_WEIGHT) for b in broader.get(part, ())]
            found += [(key, 1.0) for key in designators(words, terms)]
            # Joined neighbours let "undesa", "wgm" and "livestream" meet "UN DESA", "WG-M"...
            for a, b in itertools.pairwise(terms):
                joined = a.word + b.word
                if (
                    b.position == a.position + 1
                    and not (a.concept and b.concept)
                    and len(joined) <= 12
                    and not lexicon.is_arabic(joined)
                ):
                    surface.add(joined)
                    found.append((joined, 1.0))
            return found

        def designators(words: list[str], terms: list[lexicon.Term]) -> list[str]:
            return designator_keys(words, terms)

        def phrase_of(text: str, language: str) -> str:
            words = fold(text).split()
            return " ".join(t.key for t in lexicon.terms(words, (language,)))

        def add(
            target: Target,
            ref: str,
            label: str,
            fields: Iterable[tuple[str | None, float]],
            phrases: Iterable[str | None],
            prior: float = 0.0,
            spoken: tuple[str, ...] = (),
        ) -> None:
            index = len(self._items)
            phrase_keys = [
                phrase_of(text, lang)
                for p in phrases
                for text, lang in translations(p, self.language)
            ]
            self._items.append(
                _Item(target, ref, truncate(label), tuple(p for p in phrase_keys if p), prior)
            )
            for field, weight in fields:
                for text, lang in translations(field, self.language):
                    # A plain text of a session given in German may well be German.
                    languages = (lang, *(c for c in spoken if c != lang))
                    for key, share in keys_of(text, languages):
                        slot = postings[key]
                        if slot.get(index, 0.0) < weight * share:
                            slot[index] = weight * share

        def subtitled(description: str | None) -> list[tuple[str | None, float]]:
            # An imported programme puts a talk's subtitle first in its description, a short
            # paragraph of its own ("Redesigning NoScript's UX" under "Beyond the Pile of
            # Knobs"): nearly a title.
            head, gap, rest = (description or "").partition("\n\n")
            if gap and rest.strip() and len(head) <= SUBTITLE_CHARS:
                return [(head, SUBTITLE_WEIGHT), (rest, DESCRIPTION_WEIGHT)]
            return [(description, DESCRIPTION_WEIGHT)]

        def joined(texts: Iterable[str | None]) -> list[tuple[str | None, float]]:
            return [(t, 1.0) for t in texts]

        speakers = content.speakers_by_id
        for session in content.sessions:
            room = content.rooms.get(session.room or "")
            track = content.track_of(session)
            people = [
                speakers[p].name for p in (*session.chairs, *session.speakers) if p in speakers
            ]
            add(
                Target.session,
                session.id,
                session.title,
                [
                    (session.title, 1.0),
                    (session.code, 1.0),
                    (session.kind.value, 1.0),
                    *((k, 0.95) for k in session.keywords),
                    *((t, 0.85) for t in session.tags),
                    (" ".join(people), 0.75),
                    (track.name if track else None, 0.5),
                    *((k, 0.45) for k in (track.keywords if track else ())),
                    (room.name if room else None, 0.5),
                    *subtitled(session.description),
                    *((r, RUNNING_ORDER_WEIGHT) for r in session.running_order),
                ],
                [session.title, session.code, session.kind.value, *session.keywords],
                spoken=tuple(
                    code
                    for code in dict.fromkeys(c.split("-")[0] for c in session.language)
                    if code in lexicon.LANGUAGES
                ),
            )
        faq_topics: set[str] = set()
        # index -> keys of an FAQ entry's id: the entry named after a subject is about it.
        self._named_after: dict[int, frozenset[str]] = {}
        # venue topic or FAQ id/tag -> the FAQ entries about it (see the venue topics below).
        faq_items: dict[str, list[int]] = defaultdict(list)
        # FAQ id -> the venue topics it is the organisers' answer on (see _linked).
        self._faq_topics: dict[str, set[str]] = defaultdict(set)
        for entry in content.faq:
            for topic in (entry.id, *(t.casefold() for t in entry.tags)):
                faq_items[topic].append(len(self._items))
            faq_topics.add(entry.id)
            self._named_after[len(self._items)] = frozenset(
                key for key, _share in keys_of(entry.id.replace("-", " "), (self.language, "en"))
            )
            faq_topics.update(t.casefold() for t in entry.tags)
            add(
                Target.faq,
                entry.id,
                entry.questions[0].capitalize(),
                [
                    *((q, 1.0) for q in entry.questions),
                    *((k, 0.95) for k in entry.keywords),
                    *((t, 0.9) for t in entry.tags),
                    (entry.id.replace("-", " "), 0.9),
                    (entry.answer, 0.35),
                ],
                [*entry.questions, *entry.tags, *entry.keywords, entry.id.replace("-", " ")],
            )
        countries = country_names()
        # speaker id -> their item (see _session_of_speaker).
        self._speaker_items: dict[str, int] = {}
        # Every word of a speaker's name, as typed -> the speakers whose name has it (see the
        # honorifics and full names in _parse).
        self._name_owners: dict[str, set[str]] = defaultdict(set)
        # Skeleton of a speaker's whole name -> its words ("آنا روت" is Anne Roth, where "روت"
        # alone is as near Ruedi or Reddy).
        self._full_names: dict[str, list[str]] = {}
        for speaker in content.speakers:
            name_words = fold(speaker.name).split()
            for word in name_words:
                self._name_owners[word].add(speaker.id)
            if len(name_words) >= 2:
                shape = lexicon.skeleton("".join(name_words))
                if len(shape) >= SKELETON_FUZZY_MIN - 1:
                    self._full_names.setdefault(shape, name_words)
            self._speaker_items[speaker.id] = len(self._items)
            country = countries.get(fold(speaker.country or ""), ())
            add(
                Target.speaker,
                speaker.id,
                speaker.name,
                [
                    (speaker.name, 1.0),
                    (speaker.honorific, 0.6),
                    (speaker.position, 0.75),
                    (speaker.affiliation, 0.7),
                    (speaker.country, 0.7),
                    *((name, 0.7) for name in country),
                    (speaker.bio, BIO_WEIGHT),
                ],
                [speaker.name, name_words[-1] if name_words else ""],
            )
        # room id -> its item (see _way_to_a_room).
        self._room_items: dict[str, int] = {}
        for room in content.rooms.values():
            self._room_items[room.id] = len(self._items)
            add(
                Target.room,
                room.id,
                room.name,
                [
                    (room.name, 1.0),
                    *((k, 0.95) for k in room.keywords),
                    (room.floor, 0.5),
                    (room.directions, 0.4),
                    (room.place.name if room.place else None, 0.8),
                ],
                [room.name, *room.keywords],
                # A room's name is often in the venue's language, whatever the event's.
                spoken=lexicon.LANGUAGES,
            )
        venue = content.venue
        event = content.event
        event_names: list[str | None] = [
            " ".join(_LETTERS_OR_DIGITS.findall(fold(str(name)))) if name else None
            for name in (event.short_name, event.name, event.city, venue.city)
        ]
        available = {
            "address": True,
            "map": venue.coordinates is not None or bool(venue.map_url),
            "wifi": venue.wifi is not None,
            "transport": bool(venue.transport),
            "emergency": bool(venue.emergency),
            "help-desk": venue.help_desk is not None,
            "accessibility": bool(venue.accessibility),
        }
        for topic, (label, phrasings) in VENUE_TOPICS.items():
            if not available[topic]:
                continue
            fields: list[tuple[str | None, float]] = [(p, 1.0) for p in phrasings]
            # "Karte vom Gelände": every venue topic is about the venue.
            fields.append(("venue", VENUE_TOPIC_VENUE_WEIGHT))
            # "Metro to the Centro de Congressos": the venue's name too, as "the venue".
            fields.append((venue.name, VENUE_TOPIC_VENUE_WEIGHT))
            if topic == "help-desk" and venue.help_desk is not None:
                # "Until when is the help desk open": its name, and its hours when given.
                fields += [(venue.help_desk.name, 0.9), (venue.help_desk.where, 0.4)]
                if venue.help_desk.hours:
                    fields.append(("open", 0.6))
            if topic == "address":
                fields += [
                    (names_in_every_language(venue.name), 0.6),
                    (venue.address, 0.6),
                    (venue.city, 0.5),
                ]
                # "Where is the camp": the event's own name and city ask where the event is.
                fields += list(zip(event_names, (0.8, 0.6, 0.5, 0.5), strict=False))
            # The organisers' FAQ answer on the same topic is the better reply; the venue card
            # stays as an alternative. It is asked for with the same words ("airport shuttle"
            # is the transport answer, whatever the organisers' entry happens to list).
            prior = -10.0 if topic in faq_topics else 0.0
            for faq_index in faq_items.get(topic, ()):
                self._faq_topics[self._items[faq_index].ref].add(topic)
                for phrasing in (*phrasings, "venue"):
                    for key, share in keys_of(phrasing, ("en",)):
                        slot = postings[key]
                        slot[faq_index] = max(slot.get(faq_index, 0.0), FAQ_TOPIC_WEIGHT * share)
            # Venue phrasings are English concept ids, read as such whatever the event's language.
            saved, self.language = self.language, "en"
            add(Target.venue, topic, label, fields, phrasings, prior)
            self.language = saved

        # Keys of the event's own name and city: in a question they point to the event, and a
        # session that merely has the word in its title ("camp") is a weaker answer.
        # General concepts of the name ("workshop and panel at the conference") name the
        # programme's parts, not the event: only the name's own words count.
        self._event_keys = frozenset(
            key
            for text in event_names
            if text
            for term in lexicon.terms(text.split(), (self.language,))
            if not term.concept
            for key in (term.key, term.word)
        )
        self._filters = self._filter_names(content)
        self._online = tuple(online_sessions(content))

        count = max(len(self._items), 1)
        self._postings: dict[str, tuple[tuple[int, float], ...]] = {
            key: tuple(slot.items()) for key, slot in postings.items()
        }
        self._idf: dict[str, float] = {
            key: math.log(1.0 + count / len(slot)) for key, slot in postings.items()
        }
        # An unknown word lowers every item's share, but less than a rare known word would: it
        # is as often a filler verb ("shared") as the real subject ("peru").
        self._unknown_idf = 0.6 * math.log(1.0 + count)
        self._language_faq = self._faq_about("language")
        self._unlisted_language_names = self._unlisted_languages(content)
        self._track_terms = self._terms_of_tracks()
        self._surface: set[str] = surface
        self._surface_list: list[str] = sorted(surface)
        # Candidates for typo corrections (only Latin-script words are corrected), by their
        # first and by their second letter: a typo keeps one of the two, or shifts them.
        self._by_first: dict[str, list[str]] = defaultdict(list)
        self._by_second: dict[str, list[str]] = defaultdict(list)
        for known in self._surface_list:
            # A typo of a word of four letters or more is not a word of three ("wrong", "ong").
            if len(known) >= 4 and not lexicon.is_arabic(known):
                self._by_first[known[0]].append(known)
                self._by_second[known[1]].append(known)
        self._corrections: dict[tuple[str, bool], str | None] = {}
        self._cognates: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self._event_days = [
            content.event.start_date + dt.timedelta(days=i)
            for i in range((content.event.end_date - content.event.start_date).days + 1)
        ]
        # "The last day": the event's, unless only its final date has no session (a camp's
        # teardown or departure day); a longer gap means the programme covers part of a longer
        # event, whose last day it still is.
        programme_days = content.days()
        self._last_day = self._event_days[-1]
        if programme_days and self._last_day - programme_days[-1] == dt.timedelta(days=1):
            self._last_day = programme_days[-1]
        self._room_names = self._named_rooms(content)
        self._months = month_names()
        self._skeletons = self._name_skeletons(content)
        self._skeleton_list = sorted(self._skeletons)

    def _name_skeletons(self, content: Content) -> dict[str, str]:
        """Consonant skeleton -> index key of the Latin words of names of people, rooms and
        places and of short titles, so that a name written in Arabic script finds them."""
        texts: list[tuple[str | None, int]] = []
        texts += [(s.name, SKELETON_MIN) for s in content.speakers]
        for room in content.rooms.values():
            texts += [(room.name, SKELETON_MIN), *((k, SKELETON_MIN) for k in room.keywords)]
            texts.append((room.place.name if room.place else None, SKELETON_MIN))
        texts += [(content.venue.name, SKELETON_MIN), (content.venue.city, SKELETON_MIN)]
        for session in content.sessions:
            texts.append((session.title, SKELETON_MIN + 1))
        found: dict[str, str] = {}
        stop_words = lexicon.all_stop_words()
        for text, shortest in texts:
            for variant, lang in translations(text, self.language):
                for term in lexicon.terms(fold(variant).split(), (lang,)):
                    word = term.word
                    if lexicon.is_arabic(word) or word in stop_words or word.isdigit():
                        continue
                    shape = lexicon.skeleton(word)
                    key = term.key if term.key in self._postings else word
                    if len(shape) >= shortest and key in self._postings:
                        found.setdefault(shape, key)
        return found

    def _country_of(self, word: str) -> str | None:
        """The index key of the country an Arabic adjective of nationality names, if the
        content has it ("اليابانية", Japanese: a speaker from "اليابان")."""
        for form in lexicon.arabic_nisba_bases(word):
            key = lexicon.stem(form, "ar")
            if key in self._postings:
                return key
        return None

    def _arabic_names(self, words: list[str]) -> list[str]:
        """Two words in Arabic letters that together write a speaker's whole name ("آنا روت",
        Anne Roth) or one Latin word of a name ("بن شمس", Benshams), as the content spells it."""
        out: list[str] = []
        at = 0
        while at < len(words):
            pair = words[at : at + 2]
            if len(pair) == 2 and all(lexicon.is_arabic(w) for w in pair):
                shape = lexicon.skeleton("".join(pair))
                if shape in self._full_names:
                    out += self._full_names[shape]
                    at += 2
                    continue
                if (
                    len(shape) >= SKELETON_FUZZY_MIN
                    and shape in self._skeletons
                    # (Words of the vocabulary are themselves: "بعد غد" is no name.)
                    and not any(t.concept for t in lexicon.terms(pair, ("ar",)))
                ):
                    out.append(self._skeletons[shape])
                    at += 2
                    continue
            out.append(words[at])
            at += 1
        return out

    def _transliterated(self, word: str) -> str | None:
        """The index key of the Latin name an Arabic-script word writes, if one is close; a
        name with a one-letter preposition or conjunction joined ("فكوري", in Curie) too."""
        found = self._transliterated_as_written(word)
        if found is None and len(word) > 3 and word[0] in lexicon.ARABIC_JOINED_LETTERS:
            found = self._transliterated_as_written(word[1:])
        return found

    def _transliterated_as_written(self, word: str) -> str | None:
        shape = lexicon.skeleton(word)
        if len(shape) < SKELETON_MIN:
            return None
        if shape in self._skeletons:
            return self._skeletons[shape]
        # "العمراني" may be written "Elamrani", the article joined.
        with_article = lexicon.skeleton(word, keep_article=True)
        if with_article != shape and with_article in self._skeletons:
            return self._skeletons[with_article]
        if len(shape) < SKELETON_FUZZY_MIN:
            return None
        found = process.extractOne(
            shape,
            [s for s in self._skeleton_list if s[0] == shape[0]],
            scorer=fuzz.ratio,
            score_cutoff=SKELETON_CUTOFF,
        )
        return self._skeletons[found[0]] if found is not None else None

    # --- public -----------------------------------------------------------------------------

    def answer(self, text: str, now: dt.datetime, previous: AnswerContext | None = None) -> Answer:
        """The answer to ``text`` asked at ``now``; ``previous`` is the context of the answer
        given just before, for follow-ups ("when does it end")."""
        require_aware(now)
        now = now.astimezone(self.tz)
        words = fold(text).split()[:MAX_TOKENS]
        languages = lexicon.detect_languages(text[:MAX_CHARS], words, self.language)
        filtered = self._filter_answer(words, languages, now)
        if filtered is not None:
            return filtered
        query = self._parse(words, languages)
        if query.words and query.common.issuperset(query.words):
            # Only common words the content lacks beside the concepts ("dimanche 24, il y a
            # quoi comme sessions"): how the question is said, not a subject.
            query = dataclasses.replace(query, words=())
        if previous is not None and previous.fresh(now):
            followed = self._follow_up(query, previous)
            if followed is not None:
                return followed
        has_time = (
            bool(query.time_words) or query.explicit_day is not None or query.event_day is not None
        )
        if not query.words and "cancelled" in query.concepts:
            cancelled = self._cancelled_answer(query, now)
            if cancelled is not None:
                return cancelled
        # "programa del último día del camp": the event's own name beside a time is the
        # programme of that time, not the venue.
        named_only = bool(query.words) and all(w in self._event_keys for w in query.words)
        if (
            not query.words
            and query.aspect == "who"
            and query.role_hint
            and query.listing_hint
            and not has_time
        ):
            # "Who's the programme chair": a person whose position says so, not the programme.
            titled = sorted((LISTING_TERMS | ROLE_TERMS) & query.concepts & self._postings.keys())
            query = dataclasses.replace(query, words=tuple(titled))
        if named_only and query.aspect == "when" and not has_time and not query.listing_hint:
            # "When does the conference (officially) start": its opening; "end": its close.
            spanned = self._event_span(query)
            if spanned is not None:
                return spanned
        if not query.words or (named_only and (has_time or query.listing_hint)):
            if has_time or query.listing_hint or query.session_hint:
                return self._listing_answer(query, now)
            return Answer(best=None, alternatives=(), aspect=query.aspect, language=query.language)
        matches = self._search(query, now)
        named = self._room_named(words)
        if has_time and matches and named is None and set(query.words) <= SESSION_KIND_TERMS:
            # "Workshops on Saturday afternoon": several alike, the time's programme.
            tied = [m for m in matches if m.score >= matches[0].score - 0.05]
            if sum(m.target is Target.session for m in tied) >= 2:
                return self._listing_answer(query, now)
        in_room = self._room_now_or_next(query, matches, now, named)
        if in_room is not None:
            return in_room
        if named is not None and not has_time and query.aspect in (None, "where"):
            matches = self._named_room_first(query, words, matches, named)
        elif named is None and not has_time:
            matches = self._way_to_a_room(query, matches)
        matches = self._speaker_of_session(query, matches)
        matches = self._session_of_speaker(query, matches)
        matches = self._first_or_last_of_a_series(query, matches)
        unknown = sum(w not in self._postings for w in query.words)
        mostly_known = 2 * unknown <= len(query.words)
        # A runner-up that is the same answer seen from the other side (the talk and its
        # speaker) is no rival: "who speaks about heat islands" is sure of both.
        rivals = [m for m in matches[1:RIVALS_LOOKED_AT] if not self._linked(matches[0], m)]
        ranked = matches[:1] + rivals
        best = matches[0] if matches and self._sure_enough(ranked, mostly_known) else None
        if (
            best is not None
            and rivals
            and best.score < UNSURE_SCORE
            and best.score - rivals[0].score < UNSURE_MARGIN
        ):
            best = None
        rest = matches[1:] if best is not None else matches
        alternatives = tuple(m for m in rest if m.score >= MIN_ALTERNATIVE_SCORE)[:3]
        return Answer(
            best=best, alternatives=alternatives, aspect=query.aspect, language=query.language
        )

    @staticmethod
    def _sure_enough(matches: list[Match], mostly_known: bool = True) -> bool:
        """The best is an answer: a good score, or a fair one far ahead of any other when the
        content knows at least half of the question's words ("quantum basket weaving" is not
        about the one session that mentions leaving)."""
        best = matches[0].score
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        if best >= MIN_SCORE:
            return True
        return mostly_known and best >= LEAD_MIN_SCORE and best - runner_up >= LEAD_MARGIN

    # --- follow-ups -------------------------------------------------------------------------

    def _follow_up(self, query: _Query, previous: AnswerContext) -> Answer | None:
        """The previous answer again, with the aspect the follow-up asks for; None when the
        question names something of its own."""
        # "How do I get there" is the transport concept: a follow-up, or the venue's transport.
        if set(query.words) - {"transport"} or not (query.concepts or query.words):
            return None
        if not query.concepts <= FOLLOW_UP_TERMS | TIME_TERMS:
            return None
        if previous.target not in (Target.session, Target.room, Target.venue, Target.speaker):
            return None
        label = self._label_of(previous.target, previous.ref)
        if label is None:
            return None
        aspect = query.aspect
        if query.concepts & {"transport", "there", "how"} and aspect in (None, "what", "where"):
            aspect = "where"
        if aspect is None and "cancelled" in query.concepts:
            aspect = "when"
        if aspect is None and query.role_hint:
            aspect = "who"
        best = Match(previous.target, previous.ref, 100.0, label)
        return Answer(best, (), aspect, follow_up=True, language=query.language)

    def _faq_about(self, concept: str) -> Match | None:
        """The FAQ entry whose questions, tags or id are about the concept, if one is."""
        for index, weight in self._postings.get(concept, ()):
            item = self._items[index]
            if item.target is Target.faq and weight >= 0.9:
                return Match(Target.faq, item.ref, 90.0, item.label)
        return None

    def _label_of(self, target: Target, ref: str) -> str | None:
        for item in self._items:
            if item.target is target and item.ref == ref:
                return item.label
        return None

    # --- listings by language, track, online ------------------------------------------------

    @staticmethod
    def _filter_names(content: Content) -> tuple[_Filter, ...]:
        filters: list[_Filter] = []
        languages = session_languages(content)
        stop_words = lexicon.all_stop_words()
        # With one language, "sessions in English" is every session (the language FAQ, on
        # interpretation, is one button away); other languages are the FAQ's (see
        # _unlisted_languages).
        for code in languages:
            sessions = tuple(sessions_in_language(content, code))
            for name in language_names(code):
                words = tuple(fold(name).split())
                if words and not all(w in stop_words for w in words):
                    label = f"In {language_name(code)}"
                    filters.append(_Filter(words, f"language:{code}", label, sessions, False))
                    if len(words) == 1:
                        # German writes "in English" as one word: "englischsprachige Talks".
                        for ending in GERMAN_LANGUAGE_ADJECTIVE:
                            filters.append(
                                _Filter(
                                    (words[0] + ending,),
                                    f"language:{code}",
                                    label,
                                    sessions,
                                    False,
                                )
                            )
        for track in content.tracks.values():
            sessions = tuple(sessions_in_track(content, track.id))
            names: set[tuple[str, ...]] = set()
            for name in (track.name, *track.keywords):
                for text, lang in translations(name, content.event.language):
                    words = tuple(fold(text).split())
                    if words:
                        names.add(words)
                        # "Security" is also "segurança", "Sicherheit": the vocabulary's words.
                        names |= concept_variants(words, lang)
            for words in names:
                filters.append(_Filter(words, f"track:{track.id}", track.name, sessions, True))
        # Longest names first: "portuguese brazil" before "portuguese".
        filters.sort(key=lambda f: (-len(f.words), -len(" ".join(f.words))))
        return tuple(filters)

    def _terms_of_tracks(self) -> tuple[tuple[tuple[frozenset[str], ...], _Filter], ...]:
        """Each track filter's name as terms, each term the keys it may be typed as (its
        concept, else the word and its stem in every language)."""
        found = []
        seen: set[tuple[tuple[frozenset[str], ...], str]] = set()
        # "The policy track" for "Digital Policy": a concept of the name may be asked for by
        # its broader one.
        broader = lexicon.broader_concepts()
        for track in self._filters:
            if not track.ref.startswith("track:"):
                continue
            # The filter's words, and each name of a bilingual "Beginners / Einsteiger*innen"
            # on its own (a German gender ending is no word of the name).
            names = [list(track.words)] + [
                fold(GENDER_ENDING.sub("", name)).split() for name in track.label.split("/")
            ]
            for words in names:
                terms = lexicon.terms(words, (self.language, *lexicon.LANGUAGES))
                parts = tuple(
                    frozenset(
                        {t.key, *broader.get(t.key, ())}
                        if t.concept
                        else {t.word, *(lexicon.stem(t.word, c) for c in lexicon.LANGUAGES)}
                    )
                    for t in terms
                )
                if all(part <= FILTER_FILLER | TIME_TERMS for part in parts):
                    # A name read only as words of asking ("Beginners" as "begin") would
                    # answer "when does the programme start".
                    continue
                if (parts, track.ref) not in seen:
                    seen.add((parts, track.ref))
                    found.append((parts, track))
        # Longer names first: "open data" before "data".
        found.sort(key=lambda pt: -len(pt[0]))
        return tuple(found)

    @staticmethod
    def _unlisted_languages(content: Content) -> tuple[tuple[str, ...], ...]:
        """Names of common languages the programme offers no choice of sessions in: "talks in
        Spanish?" then asks what the language FAQ answers (interpretation, the event's
        languages), not for a listing."""
        listed = session_languages(content)
        stop_words = lexicon.all_stop_words()
        names: set[tuple[str, ...]] = set()
        for code in (*lexicon.LANGUAGES, *OTHER_COMMON_LANGUAGES):
            if code in listed:
                continue
            for name in language_names(code):
                words = tuple(fold(name).split())
                if words and not all(w in stop_words for w in words) and len(name) > 2:
                    names.add(words)
        return tuple(sorted(names, key=lambda w: (-len(w), w)))

    @staticmethod
    def _named_rooms(content: Content) -> tuple[tuple[tuple[str, ...], str], ...]:
        """(folded name, room id) of every room's name in every language, longest first. A name
        is also a word of the vocabulary at times ("Werkstatt" is a workshop, "Foyer" a hall),
        so a room typed by its name is found by the name itself, not only by its terms."""
        names: dict[tuple[str, ...], str] = {}
        for room in content.rooms.values():
            texts = [t for t, _lang in translations(room.name, content.event.language)]
            texts += [str(k) for k in room.keywords]
            # "Werkstatt (Workshop room 1)", "Main stage / Hauptbühne": each part is a name.
            parts = [p for t in texts for p in ROOM_NAME_PARTS.split(t)] + texts
            for part in parts:
                words = tuple(fold(part).split())
                # A one-letter or one-digit name ("B") is found with "room B" by the index.
                if words and len("".join(words)) >= 4:
                    names.setdefault(words, room.id)
                    # "Hack-Halle" is typed "hackhalle" too.
                    if len(words) > 1 and len("".join(words)) >= 6:
                        names.setdefault(("".join(words),), room.id)
        return tuple(sorted(names.items(), key=lambda kv: (-len(kv[0]), -len(" ".join(kv[0])))))

    def _room_named(self, words: list[str]) -> tuple[str, tuple[str, ...]] | None:
        """The room whose name the question writes, with that name's words; None if none."""
        for name, room_id in self._room_names:
            if self._find(words, name) is not None:
                return room_id, name
        # "kanalblick cafe" for "Café Kanalblick": a name of several words in another order.
        present = set(words)
        for name, room_id in self._room_names:
            if len(name) > 1 and set(name) <= present:
                return room_id, name
        return None

    @staticmethod
    def _find(words: list[str], name: tuple[str, ...]) -> int | None:
        """Where the name's words are in the question's, in order, typos of long words allowed."""
        if len(name[0]) < 6 and name[0] not in words:
            return None  # a short word is only ever typed exactly
        for at in range(len(words) - len(name) + 1):
            if all(
                typed == known
                or (
                    len(known) >= 6
                    # A word of the vocabulary is itself, not a typo ("البلدية", the
                    # municipality, is not "البولندية", Polish), unless only its ending
                    # differs ("العربي", "العربية").
                    and (
                        typed not in lexicon.all_surface()
                        or known.startswith(typed)
                        or typed.startswith(known)
                    )
                    and fuzz.ratio(typed, known, score_cutoff=LANGUAGE_TYPO_CUTOFF) > 0
                )
                for typed, known in zip(words[at : at + len(name)], name, strict=True)
            ):
                return at
        return None

    def _filter_answer(
        self, words: list[str], languages: tuple[str, ...], now: dt.datetime
    ) -> Answer | None:
        """The listing a question asks for by language, track or "online"; None otherwise."""
        if not words:
            return None
        # "بالبرتغالية" (in Portuguese): a name with the article and a joined preposition.
        words = [
            w[1:]
            if lexicon.is_arabic(w) and w[0] in lexicon.ARABIC_JOINED_LETTERS and w[1:3] == "ال"
            else w
            for w in words
        ]

        def keys(rest: list[str]) -> list[lexicon.Term]:
            return lexicon.terms(rest, languages)

        def only_filler(rest: list[str]) -> bool:
            return all(
                t.key in FILTER_FILLER or t.word == "track" or self._said_only(t)
                for t in keys(rest)
            )

        def hinted(rest: list[str]) -> bool:
            return any(t.key in FILTER_HINTS for t in keys(rest))

        language = languages[0]
        spoken = {
            f.ref
            for f in self._filters
            if f.ref.startswith("language:") and self._find(words, f.words) is not None
        }
        if len(spoken) == 1 and self._language_faq is not None:
            # "Is the workshop in English or in French?" where no session is in French: two
            # languages named are still a question about languages.
            spoken |= {
                " ".join(name)
                for name in self._unlisted_language_names
                if self._find(words, name) is not None
            }
        if len(spoken) >= 2 and self._language_faq is not None:
            # "Are the talks in German or in English?": what the organisers say of languages.
            return Answer(self._language_faq, (), "what", language=language)
        for found in self._filters:
            at = self._find(words, found.words)
            if at is None:
                continue
            rest = words[:at] + words[at + len(found.words) :]
            rest_keys = {t.key for t in keys(rest)}
            if rest_keys & (TIME_TERMS - {"now", "next"}) and hinted(rest):
                # "German talks this afternoon": the time is the listing; the language or
                # track is one of its details.
                query = self._parse(rest, languages)
                if not query.words:
                    return self._listing_answer(query, now)
            if not only_filler(rest):
                continue
            if found.needs_hint and not (hinted(rest) or "track" in rest):
                continue
            best = Match(Target.listing, found.ref, 100.0, truncate(found.label))
            if (
                found.ref.startswith("language:")
                and self._language_faq is not None
                and (
                    "required" in rest_keys
                    or (
                        "speaker" in rest_keys and not rest_keys & (GENERIC_SESSION_TERMS | {"who"})
                    )
                )
            ):
                # "Do I have to speak German?", "is German required": the organisers' answer
                # about languages, with the sessions in German one button away.
                return Answer(self._language_faq, (best,), "what", language=language)
            # The organisers' answer about languages (interpretation...) is one button away.
            others = (
                (self._language_faq,)
                if found.ref.startswith("language:") and self._language_faq is not None
                else ()
            )
            return Answer(best, others, "what", found.sessions, language=language)
        # "the cities and mobility track", "le parcours mobilité et villes": a track's name by
        # its terms, in any order and language, with nothing else than filler and a hint.
        question_terms = keys(words)
        said = {t.key for t in question_terms} | {t.word for t in question_terms}
        for parts, track in self._track_terms:
            if not all(part & said for part in parts):
                continue
            named = set().union(*parts)
            rest_terms = [t for t in question_terms if t.key not in named and t.word not in named]
            if all(t.key in FILTER_FILLER | TRACK_WORDS for t in rest_terms) and any(
                t.key in FILTER_HINTS | TRACK_WORDS for t in rest_terms
            ):
                best = Match(Target.listing, track.ref, 100.0, truncate(track.label))
                return Answer(best, (), "what", track.sessions, language=language)
        # "The hardware track" for "Hardware & Making": with the word "track", part of one
        # track's name is enough (with a time, that time's programme).
        if said & TRACK_WORDS:
            partly = {
                track.ref: (track, set().union(*(p for p in parts if p & said)))
                for parts, track in self._track_terms
                if any(part & said and not part <= FILTER_FILLER for part in parts)
            }
            if len(partly) == 1:
                track, named = next(iter(partly.values()))
                rest_terms = [
                    t for t in question_terms if t.key not in named and t.word not in named
                ]
                rest_keys = {t.key for t in rest_terms}
                if rest_keys & (TIME_TERMS - {"now", "next"}):
                    gone = named | TRACK_WORDS
                    left = [w for w in words if not ({w} | {t.key for t in keys([w])}) & gone]
                    query = self._parse(left, languages)
                    if not query.words:
                        return self._listing_answer(query, now)
                else:
                    # Words beside the name's may be its other words said otherwise
                    # ("تراك الهاردوير والتصنيع" for "Hardware & Making"): at most as many
                    # as the name's words found.
                    said_apart = [t for t in rest_terms if t.key not in FILTER_FILLER | TRACK_WORDS]
                    named_terms = len(question_terms) - len(rest_terms)
                    if len(said_apart) <= named_terms:
                        best = Match(Target.listing, track.ref, 100.0, truncate(track.label))
                        return Answer(best, (), "what", track.sessions, language=language)
        if self._language_faq is not None:
            for name in self._unlisted_language_names:
                at = self._find(words, name)
                if at is None:
                    continue
                rest = words[:at] + words[at + len(name) :]
                if only_filler(rest) and hinted(rest):
                    return Answer(self._language_faq, (), "what", language=language)
        if self._online:
            found_terms = keys(words)
            if any(t.key == "online" for t in found_terms):
                rest_terms = [t for t in found_terms if t.key != "online"]
                # "online" alone is the FAQ's question (can I follow online?); with "sessions" or
                # "anything" it asks for the list.
                if all(t.key in FILTER_FILLER for t in rest_terms) and any(
                    t.key in FILTER_HINTS for t in rest_terms
                ):
                    best = Match(Target.listing, "online", 100.0, "Online sessions")
                    return Answer(best, (), "what", self._online, language=language)
        return None

    def _said_only(self, term: lexicon.Term) -> bool:
        """A word the content lacks ("list", "given", "dictadas"): part of how a listing or
        a way is asked for, since nothing in the content could be its subject."""
        return (
            not term.concept and term.key not in self._postings and term.word not in self._postings
        )

    # --- parsing ----------------------------------------------------------------------------

    def _umlauts_spelt_out(self, word: str, languages: tuple[str, ...]) -> str:
        """A German word written with "ae", "oe", "ue" for the umlaut ("luftqualitaet") as
        folded questions write it ("luftqualitat"), when that is a word or compound the index
        knows; else the word unchanged."""
        if not COMPOUND_LANGUAGES.intersection(languages) or not UMLAUT_SPELLING.search(word):
            return word
        plain = UMLAUT_SPELLING.sub(lambda found: found.group(0)[0], word)
        if self._known(plain, languages) or self._split_compound(plain, languages) is not None:
            return plain
        return word

    def _cognate(self, word: str, languages: tuple[str, ...]) -> str | None:
        """The content's word that ``word`` is a cognate of, told by the ending each language
        gives it ("segmentierung" is "segmentation", "securite" "security"); None if none."""
        if len(word) < COGNATE_SHORTEST:
            return None
        if (word, languages) in self._cognates:
            return self._cognates[word, languages]
        forms = [
            word[: len(word) - len(ending)] + other
            for language in languages
            for ending, others in lexicon.cognate_endings(language)
            if word.endswith(ending)
            for other in others
        ]
        found = next((form for form in forms if form != word and form in self._surface), None)
        if found is None:
            # Spelt a little differently too ("tecnologia", "technology"): a close match.
            for form in forms:
                near = process.extractOne(
                    form, self._typo_candidates(form), scorer=fuzz.ratio, score_cutoff=COGNATE_RATIO
                )
                if near is not None:
                    found = near[0]
                    break
        if len(self._cognates) < 50_000:
            self._cognates[word, languages] = found
        return found

    def _names_someone(self, word: str) -> bool:
        """Whether ``word`` is a word of a speaker's name, in Latin letters or in Arabic."""
        if lexicon.is_arabic(word):
            return self._transliterated(lexicon.strip_article(word)) is not None
        return word in self._name_owners

    def _correct(self, word: str, typo: bool = True) -> str | None:
        """A known word for an unknown one: a typo fixed (unless ``typo`` is False), or a
        prefix completed; None if neither."""
        if (word, typo) in self._corrections:
            return self._corrections[word, typo]
        fixed: str | None = None
        if len(word) >= 4 and not word.isdigit():
            cutoff = 75.0 if len(word) <= 5 else 80.0
            found = (
                process.extractOne(
                    word, self._typo_candidates(word), scorer=fuzz.ratio, score_cutoff=cutoff
                )
                if typo
                else None
            )
            if found is not None:
                fixed = found[0]
            else:
                at = bisect.bisect_left(self._surface_list, word)
                if (
                    at < len(self._surface_list)
                    and self._surface_list[at].startswith(word)
                    # A common word begins a longer one only by an ending ("congress",
                    # "congressos"), not a word of its own ("komm", "kommandozeile").
                    and (typo or len(self._surface_list[at]) - len(word) <= COMMON_COMPLETION)
                ):
                    fixed = self._surface_list[at]
        if len(self._corrections) < 50_000:
            self._corrections[word, typo] = fixed
        return fixed

    def _typo_candidates(self, word: str) -> list[str]:
        """Known words that may be what ``word`` mistypes: those sharing its first letter, or
        its second, or with the two swapped or one of them dropped or doubled ("dcumentation",
        "odcumentation", "sbahn"). About a quarter of the vocabulary, not all of it."""
        first, second = word[0], word[1]
        found = {
            *self._by_first.get(first, ()),
            *self._by_first.get(second, ()),
            *self._by_second.get(first, ()),
            *self._by_second.get(second, ()),
        }
        return sorted(found)

    def _known(self, word: str, languages: tuple[str, ...]) -> bool:
        if word in self._surface or word in self._postings or word in lexicon.all_listed():
            return True
        return any(lexicon.stem(word, lang) in self._postings for lang in languages)

    def _key_of(self, term: lexicon.Term, languages: tuple[str, ...]) -> str | None:
        """The index key of a content term: its stem in one of the languages, or the word. In
        a question in another language than the content's, the word as the content writes it
        comes first: "desa" is UN DESA before it is the Portuguese stem "des" (of French
        text)."""
        if languages[:1] != (self.language,) and term.word in self._postings:
            return term.word
        if term.key in self._postings:
            return term.key
        for candidate in (
            term.word,
            *(lexicon.stem(term.word, lang) for lang in languages),
            lexicon.stem(term.word, self.language),
        ):
            if candidate in self._postings:
                return candidate
        return None

    def _split_compound(self, word: str, languages: tuple[str, ...]) -> list[str] | None:
        """A compound of two known words ("Haushaltsdaten": "haushalt" + "daten"), in the
        languages that write them as one word; the longest known head wins, a linking "s" or
        "n" allowed."""
        if not set(languages) & COMPOUND_LANGUAGES or not (
            2 * COMPOUND_PART <= len(word) <= COMPOUND_LONGEST
        ):
            return None
        for cut in range(len(word) - COMPOUND_PART, COMPOUND_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if not self._known(tail, languages):
                continue
            for link in ("", "s", "es", "n", "en"):
                if link and not head.endswith(link):
                    continue
                stem = head[: len(head) - len(link)]
                if len(stem) >= COMPOUND_PART and self._known(stem, languages):
                    return [stem, tail]
        return None

    def _merge(self, raw: list[str]) -> list[str]:
        """Rejoin what a phone splits: "wi fi", "un desa", "wg m", "live stream"."""
        merged: list[str] = []
        stop_words = lexicon.all_stop_words()
        i = 0
        while i < len(raw):
            pair = raw[i : i + 2]
            if (
                len(pair) == 2
                and pair[0] + pair[1] in self._postings
                and not any(w in stop_words for w in pair)
                and any(len(w) <= 2 or w not in self._surface for w in pair)
                and not self._numbered(pair)
            ) or (
                # "بن شمس" is the name "Benshams": a particle of names written apart.
                len(pair) == 2
                and pair[0] in lexicon.name_particles()
                and lexicon.skeleton(pair[0] + pair[1]) in self._skeletons
            ):
                merged.append(raw[i] + raw[i + 1])
                i += 2
                continue
            merged.append(raw[i])
            i += 1
        return merged

    def _known_phrases(
        self, terms: list[lexicon.Term], words: list[str], languages: tuple[str, ...]
    ) -> list[lexicon.Term]:
        """A topic phrase the content never mentions ("land registry blockchain", "rooftop
        solar") is read word by word: the content may well have the words."""
        out: list[lexicon.Term] = []
        for term in terms:
            if (
                term.concept
                and term.size > 1
                and term.key not in self._postings
                and term.key in lexicon.topic_concepts()
            ):
                # A shorter phrase it begins with may be known ("الذكاء الاصطناعي المسؤول":
                # AI, then "responsible"); the rest word by word.
                span = words[term.position : term.position + term.size]
                parts = [span[:-1], span[-1:]]
                offset = term.position
                for part in parts:
                    for one in lexicon.terms(part, languages):
                        if one.key in TIME_TERMS:
                            # A piece of a subject is no time ("segunda mão" is not Monday).
                            continue
                        out.append(dataclasses.replace(one, position=offset + one.position))
                    offset += len(part)
            else:
                out.append(term)
        return out

    @staticmethod
    def _numbered(pair: list[str]) -> bool:
        """ "tag 1", "auditorium 3": a day or a room by number, which the parser reads as such
        (kept apart even where the content has "Tag 1" written as one key)."""
        if not (pair[1].isdigit() and len(pair[1]) <= 2):
            return False
        terms = lexicon.terms([pair[0]], lexicon.LANGUAGES)
        return (
            bool(terms)
            and terms[0].concept
            and (terms[0].key == "day" or terms[0].key in room_kinds())
        )

    def _parse(self, raw: list[str], languages: tuple[str, ...]) -> _Query:
        explicit_day: dt.date | None = None
        skip: set[int] = set()
        clock = self._clock_time(raw, skip)
        for position, word in enumerate(raw):
            if position in skip:
                continue
            numbered = DAY_OF_MONTH.fullmatch(word)
            if numbered is not None:
                number = int(numbered.group(1))
                month = self._month_near(raw, position)
                if month is not None:
                    explicit_day = self._date_for(number, month[0])
                    skip.update({position, month[1]})
                    continue
                # "domingo 24", "Sunday the 24th": the day of the month that weekday names.
                dated = self._weekday_date(number, raw, position, languages)
                if dated is not None:
                    explicit_day = dated
                    skip.add(position)
        kept = lexicon.without_stop_phrases(
            [w for i, w in enumerate(raw) if i not in skip], languages
        )
        merged = self._arabic_names(self._merge(kept))
        # "Dr Okafor": a title before a word of a speaker's name is no subject of its own.
        honorifics = lexicon.honorifics()
        merged = [
            w
            for i, w in enumerate(merged)
            if not (w in honorifics and i + 1 < len(merged) and self._names_someone(merged[i + 1]))
        ]
        words: list[str] = []
        # Positions of words read as a correction of what was typed.
        guessed_at: set[int] = set()
        for word in merged:
            if not self._known(word, languages) and not lexicon.is_arabic(word):
                word = self._umlauts_spelt_out(word, languages)
            if not self._known(word, languages) and not lexicon.is_arabic(word):
                parts = self._split_compound(word, languages)
                if parts is not None:
                    words += parts
                    continue
                cognate = self._cognate(word, languages)
                if cognate is not None:
                    words.append(cognate)
                    continue
                # A common word of the question's language is no typo, only a word the
                # content lacks; it may still begin a longer word ("congress", "congressos").
                fixed = self._correct(word, typo=not lexicon.is_common_word(word, languages))
                if fixed is not None and fixed != word:
                    guessed_at.add(len(words))
                word = fixed or word
            words.append(word)
        terms = ordinal_days(self._known_phrases(lexicon.terms(words, languages), words, languages))
        content: list[str] = [k for k in designator_keys(words, terms) if k in self._postings]
        canon: list[str] = []
        concepts: set[str] = set()
        time_words: set[str] = set()
        seen_aspects: set[str] = set()
        weekday: int | None = None
        event_day: int | None = None
        listing_hint = session_hint = role_hint = room_kind = False
        written: list[str] = []
        guessed: set[str] = set()
        in_full_name = {
            at
            for at, word in enumerate(words)
            if any(
                self._name_owners.get(word, set()) & self._name_owners.get(other, set())
                for other in words[max(0, at - 1) : at] + words[at + 1 : at + 2]
            )
        }
        # What a person is, as a share of what the question says: "la journaliste de données"
        # asks for a person, "volunteers and civic projects" for a subject.
        subject_terms = [t for t in terms if t.key not in QUESTION_TERMS]
        person_share = sum(t.key in lexicon.person_concepts() for t in subject_terms) / max(
            1, len(subject_terms)
        )
        for term in terms:
            key = term.key
            canon.append(key)
            # "day 2", "نهار 20": a number by the word day (numbers from ten are concepts too).
            if (
                term.word.isdigit()
                and len(term.word) <= 2
                and (
                    "day" in {t.key for t in terms}
                    # "programa do dia 2": the day word inside a phrase of another concept
                    or (
                        term.position > 0
                        and any(
                            t.key == "day"
                            for t in lexicon.terms([words[term.position - 1]], languages)
                        )
                    )
                )
            ):
                event_day = int(term.word)
                continue
            if term.concept and term.size == 1 and term.position in in_full_name:
                # "Alvar Freude": a word of a speaker's name typed beside another of the same
                # name is that name, not the concept it also is ("Freude", joy).
                content.append(term.word)
                continue
            if not term.concept:
                found = self._key_of(term, languages)
                if found is None and lexicon.is_arabic(term.word):
                    found = self._country_of(term.word) or self._transliterated(term.word)
                if found is None and len(term.word) < 2:
                    continue
                content.append(found or term.word)
                if term.position in guessed_at:
                    guessed.add(found or term.word)
                continue
            if key in WHEN_TERMS:
                seen_aspects.add("when")
            if key in WHERE_TERMS:
                seen_aspects.add("where")
            if key in WHO_TERMS:
                seen_aspects.add("who")
            if key in WHAT_TERMS:
                seen_aspects.add("what")
            if key in ROLE_TERMS:
                role_hint = True
                concepts.add(key)
                continue
            if key in ORDINAL_TERMS and "day" in {t.key for t in terms}:
                event_day = ORDINAL_TERMS[key]
                concepts.add(key)
                continue
            if key in TIME_TERMS:
                if (
                    key == "tomorrow"
                    and term.position > 0
                    and term.word in lexicon.mornings_after_weekday()
                    and any(t.key in WEEKDAYS and t.position < term.position for t in terms)
                    and lexicon.terms([words[term.position - 1]], languages)[0].key in WEEKDAYS
                ):
                    # "Sonntag morgen", "domingo mañana": right after a weekday, the word of
                    # tomorrow is that day's morning (not "الاثنين غدوة", Monday tomorrow).
                    key = "morning"
                time_words.add(PART_OF_TERM.get(key, key) if key != "tonight" else key)
                if key in WEEKDAYS:
                    weekday = WEEKDAYS.index(key)
                concepts.add(key)
                continue
            if key in RELATIVE_TERMS:
                concepts.add(key)
                continue
            if key in LISTING_TERMS:
                listing_hint = True
                concepts.add(key)
                continue
            if key in GENERIC_SESSION_TERMS:
                session_hint = True
                concepts.add(key)
                continue
            if key in HINT_TERMS:
                concepts.add(key)
                continue
            if key in QUESTION_TERMS and key != "room":
                concepts.add(key)
                continue
            if key in room_kinds() and key != "room":
                # "the auditorium", "the stage": a kind of room, asked for where it is.
                seen_aspects.add("where")
                room_kind = True
            if key not in self._postings and key != "room":
                # A general concept this event never mentions: the word may still be its own
                # ("Koffein" in a German title), or a name written in Arabic letters ("كوري" is
                # Korean, and the Curie stage).
                # (A phrase is not its first word: "day after tomorrow" is no "day".)
                own = (
                    self._key_of(lexicon.Term(term.word, term.word, False, 0), languages)
                    if term.size == 1
                    else None
                )
                # A subject's or a title's words are words, not names: "المرضى" (patients)
                # is not Marta, "رئيس" (president) not Rocha.
                if (
                    own is None
                    and lexicon.is_arabic(term.word)
                    and term.size == 1
                    and key not in lexicon.topic_concepts()
                    and key not in lexicon.person_concepts()
                ):
                    own = self._transliterated(term.word)
                key = own or key
            content.append(key)
            if term.position in guessed_at:
                guessed.add(key)
            if key in lexicon.topic_concepts():
                # Its words as written, where the content has them (see keys_of): a bonus for
                # the items that share them, never a word the others lack.
                span = words[term.position : term.position + term.size]
                written += [
                    w for w in span if w in self._postings and w not in lexicon.all_stop_words()
                ]
        if clock is not None and not time_words & PART_TERMS:
            # "What's on at 3pm": that part of the day.
            time_words.discard("now")
            time_words.add(
                "morning" if clock.hour < 12 else "afternoon" if clock.hour < 18 else "evening"
            )
        # "I'm 17, can I come", "tengo 16": a young age alone, where the content speaks of
        # ages, is asking about the age limit (not about what happens at 17:00).
        if (
            "age" in self._postings
            and not (time_words or listing_hint or session_hint or seen_aspects & {"when"})
            and explicit_day is None
            and event_day is None
        ):
            ages = [w for w in content if w.isdigit() and AGES[0] <= int(w) <= AGES[1]]
            if ages:
                content = [w for w in content if w not in ages] + ["age"]
        # "after lunch" is the afternoon, "before lunch" the morning, "after dinner" the
        # evening: a time, not a subject.
        meals = set(content) & MEAL_TERMS
        if concepts & RELATIVE_TERMS and len(meals) == 1:
            content = [w for w in content if w not in MEAL_TERMS]
            relation = "after" if "after" in concepts else "before"
            if "next" not in time_words:
                # ("What comes next after lunch" is what comes next.)
                part = MEAL_PARTS.get((relation, meals.pop()), MEAL_PARTS[relation, "lunch"])
                time_words.add(part)
        elif "before" in concepts and "noon" in concepts:
            # "before noon" is the morning (noon alone is read as the afternoon).
            time_words.discard("afternoon")
            time_words.add("morning")
        elif "after" in concepts and not time_words and not set(content) & MEAL_TERMS:
            # "after, in the auditorium": what comes next.
            time_words.add("next")
        if event_day is not None:
            listing_hint = True
        aspect: Aspect | None = None
        candidates: tuple[Aspect, ...] = ("when", "where", "who", "what")
        for candidate in candidates:
            if candidate in seen_aspects:
                aspect = candidate
                break
        if "cancelled" in concepts and aspect in (None, "what"):
            aspect = "when"
        # "room" is usually "which room": only a content word when nothing else is asked.
        room_words = {w for w in content if w == "room"}
        if "room" in content and len(content) > 1:
            content.remove("room")
        return _Query(
            words=tuple(dict.fromkeys(content)),
            written=tuple(w for w in dict.fromkeys(written) if w not in content),
            aspect=aspect,
            concepts=frozenset(concepts),
            time_words=frozenset(time_words),
            weekday=weekday,
            explicit_day=explicit_day,
            event_day=event_day,
            listing_hint=listing_hint,
            session_hint=session_hint,
            role_hint=role_hint,
            person_share=person_share,
            room_hint="room" in room_words or room_kind,
            canon=" ".join(canon)[:120],
            language=languages[0],
            clock=clock,
            common=frozenset(
                w
                for w in content
                if w not in self._postings and lexicon.is_common_word(w, languages)
            ),
            names=frozenset(
                w
                for w in raw
                if w in self._name_owners
                or (
                    # A word only one item has, typed as it writes it ("noscript",
                    # "katzenpost"), names that item as surely as a name names a speaker.
                    len(w) >= DISTINCT_SHORTEST
                    and len(self._postings.get(w, ())) == 1
                    and w not in lexicon.all_surface()
                    and not lexicon.is_common_word(w, lexicon.LANGUAGES)
                )
            ),
            guessed=frozenset(guessed),
        )

    @staticmethod
    def _clock_time(words: list[str], skip: set[int]) -> dt.time | None:
        """A time of day the question gives ("13h", "13h30", "3pm", "13 uhr", "13:00", which
        folds to "13 00"), its words added to ``skip``; None if it gives none."""
        for position, word in enumerate(words):
            found = CLOCK_WORD.fullmatch(word)
            after = words[position + 1] if position + 1 < len(words) else ""
            led = False
            if found is None and word.isdigit() and len(word) <= 2:
                if after in CLOCK_UNITS or (after.isdigit() and len(after) == 2):
                    found = CLOCK_WORD.fullmatch(word + ("h" + after if after.isdigit() else after))
                    if found is not None:
                        skip.add(position + 1)
                elif position > 0 and words[position - 1] in lexicon.clock_leads():
                    # "a las 3 de la tarde", "um 14", "الساعة 2 بعد الظهر": an hour.
                    found = CLOCK_WORD.fullmatch(word + "h")
                    led = found is not None
            if found is None:
                continue
            hour, minute = int(found.group(1)), int(found.group(2) or 0)
            suffix = found.group(3) or ""
            # The part of the day said after a bare hour ("3 de la tarde").
            later = (
                {
                    t.key
                    for t in lexicon.terms(words[position + 1 : position + 5], lexicon.LANGUAGES)
                }
                if led
                else set()
            )
            if (suffix == "pm" or (led and later & LATER_PARTS)) and hour < 12:
                hour += 12
            elif led and hour < EARLIEST_HOUR and not later & {"morning"}:
                # "at 3": a conference's three o'clock is in the afternoon.
                hour += 12
            if hour > 23 or minute > 59:
                skip.discard(position + 1)
                continue
            skip.add(position)
            return dt.time(hour, minute)
        return None

    def _month_near(self, words: list[str], position: int) -> tuple[int, int] | None:
        for other in (position + 1, position - 1, position + 2):
            if 0 <= other < len(words) and words[other] in self._months:
                return self._months[words[other]], other
        return None

    def _weekday_date(
        self, number: int, words: list[str], position: int, languages: tuple[str, ...]
    ) -> dt.date | None:
        """The event's day numbered ``number`` (the word at ``position``) when a weekday stands
        beside it (either side, or two before it: "sunday the 24"); None when no day of the
        event has that number."""
        for other in (position - 1, position + 1, position - 2):
            if not 0 <= other < len(words):
                continue
            terms = lexicon.terms([words[other]], languages)
            if terms and terms[0].concept and terms[0].key in WEEKDAYS:
                return next((d for d in self._event_days if d.day == number), None)
        return None

    def _date_for(self, day: int, month: int) -> dt.date | None:
        year = self.content.event.start_date.year
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None

    def _named_room_first(
        self,
        query: _Query,
        words: list[str],
        matches: list[Match],
        named: tuple[str, tuple[str, ...]],
    ) -> list[Match]:
        """ "How do I get to the Werkstatt": the room, when the question says little else than
        its name (its sessions carry the name too, and "Werkstatt" is also "workshop")."""
        room_id, name = named
        if query.session_hint or query.listing_hint:
            return matches
        name_terms = lexicon.terms(list(name), lexicon.LANGUAGES)
        name_keys = {t.key for t in name_terms} | set(name)
        name_keys |= {self._key_of(t, lexicon.LANGUAGES) or t.key for t in name_terms}
        # "Curie stage", "the Werkstatt room", "directions to Kanalblick": the name and a kind
        # of room or a way of asking for the way. The rest of the question is read without the
        # name, whose words may be split or read as other words ("hackhalle").
        rest = [w for w in words if w not in name]
        allowed = name_keys | room_kinds() | WAY_TERMS | QUESTION_TERMS
        # Common words the content lacks are how the way is asked ("c'est loin à pied").
        rest_terms = [t for t in lexicon.terms(rest, lexicon.LANGUAGES) if not self._said_only(t)]
        if not (set(query.words) <= allowed or {t.key for t in rest_terms} <= allowed):
            return matches
        # Named, so sure: never below the score at which the bot hesitates.
        top = max(matches[0].score if matches else 0.0, UNSURE_SCORE + UNSURE_MARGIN)
        room = Match(Target.room, room_id, top, truncate(self.content.rooms[room_id].name))
        return [room, *(m for m in matches if (m.target, m.ref) != (Target.room, room_id))]

    def _way_to_a_room(self, query: _Query, matches: list[Match]) -> list[Match]:
        """ "Directions to the stage", "كيف اوصل للمسرح", "anexo de Marvila como ir": the way
        to a room named in part is that room (whose card tells the way), not the event's
        transport; only when every other word of the question is one of that room's."""
        asked = set(query.words)
        rest = asked - {"transport"}
        if "transport" not in asked or not rest or query.session_hint or query.listing_hint:
            return matches
        for match in matches[:RIVALS_LOOKED_AT]:
            if match.target is not Target.room:
                continue
            index = self._room_items[match.ref]
            if all(any(i == index for i, _ in self._postings.get(w, ())) for w in rest):
                top = min(100.0, max(matches[0].score, match.score) + UNSURE_MARGIN)
                room = dataclasses.replace(match, score=top)
                return [room, *(m for m in matches if m is not match)]
            return matches
        return matches

    def _first_or_last_of_a_series(self, query: _Query, matches: list[Match]) -> list[Match]:
        """ "When does the hacking end": of sessions that match as well as each other (hacking
        day 1, overnight, final sprint), the one that ends last; "when does it start", the one
        that starts first."""
        ends, starts = "end" in query.concepts, "start" in query.concepts
        if ends == starts or len(matches) < 2 or matches[0].target is not Target.session:
            return matches
        if any(w not in self._postings for w in query.words):
            # A word the content does not know may be what tells the sessions apart.
            return matches
        top = matches[0].score
        series = [
            m for m in matches if m.target is Target.session and top - m.score <= SERIES_MARGIN
        ]
        timed = []
        for match in series:
            session = self.content.sessions_by_id[match.ref]
            moment = self.content.ends_at(session) if ends else self.content.starts_at(session)
            if moment is not None:
                timed.append((moment, match))
        if len(timed) < 2:
            return matches
        chosen = (max if ends else min)(timed, key=lambda tm: tm[0])[1]
        first = Match(chosen.target, chosen.ref, top, chosen.label)
        return [first, *(m for m in matches if (m.target, m.ref) != (chosen.target, chosen.ref))]

    def _linked(self, one: Match, other: Match) -> bool:
        """A session and one of its speakers or chairs, either way round; the organisers' FAQ
        entry on a venue topic and the venue's card of it."""
        pair = {one.target: one.ref, other.target: other.ref}
        if set(pair) == {Target.faq, Target.venue}:
            return pair[Target.venue] in self._faq_topics.get(pair[Target.faq], ())
        if set(pair) != {Target.session, Target.speaker}:
            return False
        session = self.content.sessions_by_id.get(pair[Target.session])
        return session is not None and pair[Target.speaker] in (*session.speakers, *session.chairs)

    def _speaker_of_session(self, query: _Query, matches: list[Match]) -> list[Match]:
        """ "Who gives the caffeine talk": the talk's speaker first, the talk next. "Who
        chairs the jury": its one chair, where few others speak (the opening's card, with
        its chair among six speakers, answers better)."""
        if (
            query.aspect != "who"
            or not query.concepts & ROLE_TERMS
            or not matches
            or matches[0].target is not Target.session
        ):
            return matches
        session = self.content.sessions_by_id.get(matches[0].ref)
        if session is None:
            return matches
        if "chair" in query.concepts and "speaker" not in query.concepts:
            people = session.chairs if len(session.chairs) == 1 else []
            if len(session.speakers) > MAX_SPEAKERS_NAMED:
                return matches
        else:
            people = [*session.speakers, *session.chairs]
        if not people or len(people) > MAX_SPEAKERS_NAMED:
            # "Who speaks at the opening ceremony": its card lists them all; one is not it.
            return matches
        speaker = self.content.speakers_by_id.get(people[0]) if people else None
        if speaker is None:
            return matches
        first = Match(Target.speaker, speaker.id, matches[0].score, truncate(speaker.name))
        return [first, *(m for m in matches if (m.target, m.ref) != (first.target, first.ref))]

    def _event_span(self, query: _Query) -> Answer | None:
        """The session that opens the event (the first of those for everyone when the
        programme marks some) or, asked for its end, closes it (the last to end, or a session
        for everyone ending that same day)."""
        timed = [s for s in self.content.timed_sessions() if not s.cancelled]
        if not timed:
            return None
        plenary = [s for s in timed if s.for_everyone]
        if "end" in query.concepts and "start" not in query.concepts:
            last = max(timed, key=lambda s: self.content.ends_at(s) or dt.datetime.min)
            closing = [s for s in plenary if s.day == last.day]
            chosen = closing[-1] if closing else last
        else:
            chosen = min(
                plenary or timed, key=lambda s: self.content.starts_at(s) or dt.datetime.max
            )
        best = Match(Target.session, chosen.id, 100.0, truncate(chosen.title))
        return Answer(best, (), "when", language=query.language)

    def _session_of_speaker(self, query: _Query, matches: list[Match]) -> list[Match]:
        """ "Rooftop solar data", "gdpr for parish councils": a speaker found only by their
        bio, in a question that asks for no person, gives way to their session (the talk on
        it is what was asked for). Their name, position, affiliation or country in the
        question is asking for them ("die Französin", "the budget guy")."""
        if (
            not matches
            or matches[0].target is not Target.speaker
            or query.aspect == "who"
            or query.role_hint
            or query.person_share > 0
        ):
            return matches
        speaker = matches[0]
        index = self._speaker_items.get(speaker.ref)
        if index is None or any(
            weight > BIO_WEIGHT
            for word in query.words
            for item, weight in self._postings.get(word, ())
            if item == index
        ):
            return matches
        theirs = [
            s.id
            for s in self.content.sessions
            if speaker.ref in (*s.speakers, *s.chairs) and not s.cancelled
        ]
        ranked = [m for m in matches[1:] if m.target is Target.session and m.ref in theirs]
        if ranked:
            first = dataclasses.replace(ranked[0], score=speaker.score)
        elif len(theirs) == 1:
            session = self.content.sessions_by_id[theirs[0]]
            first = Match(Target.session, session.id, speaker.score, truncate(session.title))
        else:
            return matches
        return [first, *(m for m in matches if (m.target, m.ref) != (first.target, first.ref))]

    def _cancelled_answer(self, query: _Query, now: dt.datetime) -> Answer | None:
        """ "Is anything cancelled today": the cancelled sessions, that day's when one is asked."""
        cancelled = [s for s in self.content.sessions if s.cancelled]
        if query.time_words or query.explicit_day or query.event_day:
            day = self._resolve_day(query, now.date())
            cancelled = [s for s in cancelled if s.day == day]
        if not cancelled:
            return None
        matches = [Match(Target.session, s.id, 80.0, truncate(s.title)) for s in cancelled]
        return Answer(matches[0], tuple(matches[1:4]), "when", language=query.language)

    # --- a room now or next -----------------------------------------------------------------

    def _room_now_or_next(
        self,
        query: _Query,
        matches: list[Match],
        now: dt.datetime,
        named: tuple[str, tuple[str, ...]] | None = None,
    ) -> Answer | None:
        """ "what's on in room B now", "what's next in the main hall": the session there."""
        wanted = query.time_words & {"now", "next"}
        if query.clock is not None:
            # "What's in auditorium 3 at 13:00": what is on there then, that day.
            day = self._resolve_day(query, now.date())
            now = dt.datetime.combine(day, query.clock, tzinfo=self.tz)
            wanted = frozenset({"now"})
        elif (
            not wanted
            and not query.time_words
            and (named is not None or (matches and matches[0].target is Target.room))
            and (query.listing_hint or query.aspect == "what")
            and now.date() in self._event_days
        ):
            # "What's happening on the main stage", during the event: what is on there now.
            wanted = frozenset({"now"})
        if not wanted or (query.clock is None and query.time_words & (DAY_TERMS | PART_TERMS)):
            return None
        room = next(
            (m for m in matches[:3] if m.target is Target.room and m.score >= MIN_SCORE), None
        )
        if room is None and named is not None:
            room_id = named[0]
            room = Match(Target.room, room_id, 100.0, truncate(self.content.rooms[room_id].name))
        if room is None:
            return None
        sessions = [
            s for s in self.content.timed_sessions() if s.room == room.ref and not s.cancelled
        ]
        chosen: Session | None = None
        if "now" in wanted:
            chosen = next(
                (
                    s
                    for s in sessions
                    if (start := self.content.starts_at(s)) is not None
                    and (end := self.content.ends_at(s)) is not None
                    and start <= now < end
                ),
                None,
            )
        if chosen is None:
            chosen = next(
                (
                    s
                    for s in sessions
                    if (start := self.content.starts_at(s)) is not None and start > now
                ),
                None,
            )
        if chosen is None:
            return None
        listing = "now" if "now" in wanted else "next"
        best = Match(Target.session, chosen.id, 100.0, truncate(chosen.title))
        others: tuple[Match, ...] = (
            room,
            Match(
                Target.listing, listing, 60.0, "On now" if listing == "now" else "Coming up next"
            ),
        )
        if query.clock is not None:
            others = (room,)  # asked for another time than now
        return Answer(best, others, query.aspect, language=query.language)

    # --- listings ---------------------------------------------------------------------------

    def _resolve_day(self, query: _Query, today: dt.date) -> dt.date:
        if query.explicit_day is not None:
            return query.explicit_day
        if query.event_day is not None and self._event_days:
            number = query.event_day
            if number == -1:
                return self._last_day
            if number > len(self._event_days):
                # "نهار 25", "the day 25": a date of the month, not the 25th day of the event.
                for day in self._event_days:
                    if day.day == number:
                        return day
            return self._event_days[min(max(number, 1), len(self._event_days)) - 1]
        if "tomorrow" in query.time_words:
            return today + dt.timedelta(days=1)
        if "overmorrow" in query.time_words:
            return today + dt.timedelta(days=2)
        if "yesterday" in query.time_words:
            return today - dt.timedelta(days=1)
        if query.weekday is not None:
            # A weekday during the event means that day of the event; otherwise the coming one.
            for day in self._event_days:
                if day.weekday() == query.weekday:
                    return day
            return today + dt.timedelta(days=(query.weekday - today.weekday()) % 7)
        return today

    def _listing_answer(self, query: _Query, now: dt.datetime) -> Answer:
        aspect = query.aspect or "what"
        words = query.time_words
        has_day = (
            bool(words & (DAY_TERMS | set(WEEKDAYS)))
            or query.explicit_day is not None
            or query.event_day is not None
        )
        # "what comes now after that" asks for the next; "now" alone for what runs.
        if "now" in words and "next" not in words and not has_day:
            running, upcoming = self.agenda.now_and_next(now)
            best = Match(Target.listing, "now", 100.0, "On now")
            alternatives = (Match(Target.listing, "next", 60.0, "Coming up next"),)
            return Answer(best, alternatives, aspect, tuple(running), (now, now))
        if "next" in words and not has_day and not words & PART_TERMS:
            _, upcoming = self.agenda.now_and_next(now)
            # Upcoming sessions are timed (Agenda.now_and_next); ``or now`` only satisfies types.
            end = (self.agenda.starts_at(upcoming[-1]) if upcoming else None) or now
            best = Match(Target.listing, "next", 100.0, "Coming up next")
            alternatives = (Match(Target.listing, "now", 60.0, "On now"),)
            return Answer(best, alternatives, aspect, tuple(upcoming), (now, end))
        day = self._resolve_day(query, now.date())
        part = "day"
        if "tonight" in words:
            part = "evening"
        for name in ("morning", "afternoon", "evening"):
            if name in words:
                part = name
        start_time, end_time = PARTS[part]
        start = dt.datetime.combine(day, start_time, tzinfo=self.tz)
        end = (
            dt.datetime.combine(day, end_time, tzinfo=self.tz)
            if end_time is not None
            else dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.tz)
        )
        sessions = tuple(self.agenda.sessions_between(start, end))
        label = f"{day:%a} {day.day} {day:%b}" + ("" if part == "day" else f" · {part}")
        best = Match(Target.listing, f"{day.isoformat()}:{part}", 100.0, truncate(label))
        others: tuple[Match, ...] = ()
        if part != "day":
            whole_day = truncate(f"{day:%a} {day.day} {day:%b}")
            others = (Match(Target.listing, f"{day.isoformat()}:day", 60.0, whole_day),)
        return Answer(best, others, aspect, sessions, (start, end))

    # --- search -----------------------------------------------------------------------------

    def _search(self, query: _Query, now: dt.datetime) -> list[Match]:
        # A word neither the index nor the vocabulary knows is more often a filler than the
        # subject; in a question in another language than the content's, even more often.
        # A concept the content never mentions is a subject the event may not have.
        foreign = query.language != self.language
        concept = self._unknown_idf * (FOREIGN_CONCEPT_SHARE if foreign else 1.0)
        filler = self._unknown_idf * (FOREIGN_UNKNOWN_SHARE if foreign else UNKNOWN_SHARE)
        concepts = lexicon.concept_ids()
        weights = [
            self._idf.get(
                w,
                concept
                if w in concepts
                else filler * (COMMON_UNKNOWN_SHARE if w in query.common else 1.0),
            )
            for w in query.words
        ]
        # A word of a speaker's name is who the question is about, whatever surrounds it ("la
        # doctora Maron, de q institución viene"); so is a word only one item has ("noscript").
        weights = [
            weight * NAME_WEIGHT
            if w in query.names
            else weight * GUESS_SHARE
            if w in query.guessed
            else weight
            for w, weight in zip(query.words, weights, strict=True)
        ]
        total = sum(weights) or 1.0
        coverage: dict[int, float] = defaultdict(float)
        # Only the event's name (and question words): the question is about the event itself.
        about_event = not query.room_hint and all(w in self._event_keys for w in query.words)
        for word, weight in zip(query.words, weights, strict=True):
            share = EVENT_NAME_SHARE if about_event else 1.0
            for index, field_weight in self._postings.get(word, ()):
                if self._items[index].target is not Target.venue:
                    field_weight *= share
                coverage[index] += weight * field_weight
        for word in query.written:
            weight = WRITTEN_SHARE * self._idf.get(word, filler)
            for index, field_weight in self._postings.get(word, ()):
                if index in coverage:
                    coverage[index] += weight * field_weight
        if not coverage:
            return []
        top = heapq.nlargest(RERANK, coverage.items(), key=lambda kv: kv[1])
        window = self._time_window(query, now)
        asked = set(query.words)
        scored: list[tuple[float, int]] = []
        for index, covered in top:
            item = self._items[index]
            score = 88.0 * covered / total + item.prior
            if item.phrases:
                similar = max(fuzz.ratio(query.canon, p) for p in item.phrases)
                score += 12.0 * max(0.0, (similar - 60.0) / 40.0) ** 2
            score += self._aspect_bonus(query, item, window)
            if self._named_after.get(index, frozenset()) & asked:
                score += NAMED_AFTER_BONUS
            scored.append((max(0.0, score), index))
        # Between items that both have the words, the one whose phrasing is more nearly only
        # them: "pitches" is the "Project pitches" more than "Idea pitches and team matching".
        # Small, so only near ties need it.
        best = max(score for score, _ in scored)
        scored = [
            (score + self._specific_bonus(asked, index), index)
            if best - score <= SPECIFIC_TITLE_BONUS
            else (score, index)
            for score, index in scored
        ]
        # Ordered on the whole score (bonuses beyond 100 still break ties), shown up to 100.
        scored.sort(key=lambda si: (-si[0], si[1]))
        matches: list[Match] = []
        seen: set[tuple[Target, str]] = set()
        for score, index in scored:
            item = self._items[index]
            key = (item.target, item.ref)
            if key in seen:
                continue
            seen.add(key)
            matches.append(Match(item.target, item.ref, round(min(100.0, score), 1), item.label))
        return matches

    def _specific_bonus(self, asked: set[str], index: int) -> float:
        phrases = [p.split() for p in self._items[index].phrases]
        shares = [len(asked.intersection(keys)) / len(keys) for keys in phrases if keys]
        return SPECIFIC_TITLE_BONUS * max(shares, default=0.0)

    def _time_window(
        self, query: _Query, now: dt.datetime
    ) -> tuple[dt.datetime, dt.datetime] | None:
        if not query.time_words and query.explicit_day is None and query.event_day is None:
            return None
        if query.time_words & {"now", "next"} and not query.time_words & (DAY_TERMS | PART_TERMS):
            return now, now + dt.timedelta(days=366)
        day = self._resolve_day(query, now.date())
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        end = start + dt.timedelta(days=1)
        # "The hacking night", "the workshop this afternoon": that part of the day.
        parts = [p for p in ("morning", "afternoon", "evening") if p in query.time_words]
        if "tonight" in query.time_words:
            parts = ["evening"]
        if len(parts) == 1:
            part_start, part_end = PARTS[parts[0]]
            start = dt.datetime.combine(day, part_start, tzinfo=self.tz)
            if part_end is not None:
                end = dt.datetime.combine(day, part_end, tzinfo=self.tz)
        return start, end

    def _aspect_bonus(
        self, query: _Query, item: _Item, window: tuple[dt.datetime, dt.datetime] | None
    ) -> float:
        bonus = 0.0
        target = item.target
        if target is Target.session:
            if query.aspect in ("when", "where"):
                bonus += 6.0  # sessions are the things that have a time and a place
            elif query.aspect == "what":
                bonus += 3.0  # "what is the workshop about": its description answers it
            if query.session_hint or query.role_hint:
                bonus += 3.0
            if window is not None:
                session = self.content.sessions_by_id[item.ref]
                starts = self.content.starts_at(session)
                # A session whose time is to be announced is in no time window.
                if starts is not None and window[0] <= starts < window[1]:
                    bonus += 5.0
        elif target is Target.speaker:
            if not query.session_hint:
                share = query.person_share
                bonus += PERSON_BONUS * (1.0 if share >= 0.5 else share)
            if query.aspect == "who":
                bonus += 4.0
            elif query.aspect in ("when", "where"):
                bonus -= 6.0  # a person has no time or place of their own; their session has
        elif target in (Target.room, Target.venue) and query.aspect == "where":
            bonus += 3.0
        if target is Target.room and query.room_hint:
            bonus += 8.0
        return bonus
