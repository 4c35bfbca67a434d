"""Words of questions in English, French, German, Portuguese, Spanish and Arabic: normalisation,
language detection, stemming and the general vocabulary (``bot/domain/vocabulary/<lang>.yaml``).

Every text, question or content, goes through the same steps:

1. :func:`normalise` folds case, drops Latin accents, and for Arabic drops diacritics and
   tatweel and unifies the alef/hamza forms, ta marbuta and alef maqsura (and the Persian
   keyboard's kaf and ya); the words are what is left of any script (``\\w``).
2. :func:`detect_languages` tells which languages the words may be in: Arabic script is Arabic;
   Latin words vote with each language's stop words and vocabulary, and when the vote is unsure
   every close candidate is kept (matching then tries each).
3. :meth:`Lexicon.terms` turns words into *terms*: a general concept of the vocabulary
   (``lunch``, ``tomorrow``, ``when``; phrases such as "après-midi" or "right now" included)
   written as its English id, else the word's Snowball stem in its language. Arabic writes
   clitics onto words: a vocabulary entry also matches as written with them (conjunction,
   preposition, article, a verb's future or progressive prefix, the dialects' negation
   "ما...ش"), then by its light stem (clitics and endings removed); Snowball's Arabic stems
   only serve phrases and content words, as they collide for single words. Content and questions
   meet on terms, so "déjeuner", "Mittagessen" and "lunch" are one term, and "sensores" meets
   "sensors" through the vocabulary.

:func:`skeleton` writes a word of either script as consonant classes, so that names written
in Arabic letters meet their Latin spelling (the classes are data, ``transliteration.yaml``).

The vocabulary is data, loaded once; no event's words are in code or in these files: an event
adds its own with ``keywords:`` in its YAML. Besides each language's file, ``topics.yaml`` holds
the general subjects of talks in all six languages (read after the language file, which wins a
clash), so that "marcapasos" and "منظم ضربات القلب" meet a talk on pacemakers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import snowballstemmer
import yaml
from wordfreq import get_frequency_dict

LANGUAGES = ("en", "fr", "de", "pt", "es", "ar")
LATIN_LANGUAGES = ("en", "fr", "de", "pt", "es")
SNOWBALL_NAMES = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "pt": "portuguese",
    "es": "spanish",
    "ar": "arabic",
}
# The longest vocabulary phrase, in words.
MAX_PHRASE = 5

_ARABIC_CHARS = re.compile(r"[\u0600-\u06ff]")
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        # Persian and Urdu keyboards write kaf, ya and ha with their own letters.
        "ک": "ك",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ە": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ۀ": "ه",
        # Letters for sounds Arabic has not, as the Maghreb and Egypt type borrowed words:
        # "ڤيديو" is "فيديو", "ڭاع" "كاع", "پيتزا" "بيتزا". Their consonant classes for names are
        # the plain letters' (transliteration.yaml); "چ" (ch) is a sound of its own and stays.
        "ڤ": "ف",
        "ڥ": "ف",
        "گ": "ك",
        "ڭ": "ك",
        "ڨ": "ق",
        "پ": "ب",
        "ژ": "ج",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "؟": " ",
        "،": " ",
        "؛": " ",
    }
)
_ARABIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_NON_WORD = re.compile(r"[^\w]+")
# French and Italian-style elision: "l'atelier", "d'ouverture", "qu'est", "c'est".
_ELISION = re.compile(r"\b(?:c|d|j|l|m|n|s|t|qu)['’](?=\w)")
# Letters that only some of the Latin languages write (checked before accents are dropped).
_MARK_LETTERS = {
    "ß": "de",
    "ä": "de",
    "ö": "de",
    "ü": "de",
    "ñ": "es",
    "¿": "es",
    "¡": "es",
    "ã": "pt",
    "õ": "pt",
    "ç": "fr pt",
    "è": "fr",
    "ê": "fr pt",
    "à": "fr pt",
    "ù": "fr",
    "œ": "fr",
    "î": "fr",
    "û": "fr",
    "ô": "fr pt",
}


def normalise(text: str) -> str:
    """Case folded, Latin accents dropped, Arabic normalised, anything else a space."""
    text = _ELISION.sub(" ", text.casefold())
    if _ARABIC_CHARS.search(text):
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = kept.replace("'", "").replace("’", "").replace("_", " ")
    # NFKD splits Arabic letters with hamza into letter + mark; put the plain forms back.
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", kept)).strip()


def words_of(text: str) -> list[str]:
    return normalise(text).split()


def is_arabic(word: str) -> bool:
    return bool(_ARABIC_CHARS.search(word))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    # With PyStemmer installed (a dependency), snowballstemmer hands out its compiled
    # stemmers: the same Snowball algorithms, about twice as fast to load the vocabulary.
    return snowballstemmer.stemmer(SNOWBALL_NAMES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The word's stem in the language; numbers and short words stay as they are."""
    if word.isdigit() or len(word) <= 2:
        return word
    if language == "ar" or is_arabic(word):
        for article in _ARABIC_ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= 2:
                word = word[len(article) :]
                break
        return _stemmer("ar").stemWord(word) if len(word) > 3 else word
    if language not in SNOWBALL_NAMES:
        language = "en"
    return _stemmer(language).stemWord(word)


# Light Arabic stemming: the clitics and endings most words carry, removed while at least
# LIGHT_ROOT letters are left; Snowball's Arabic stemmer also cuts letters of the root
# ("فريق" -> "ريق"), so both are tried.
_ARABIC_CONJUNCTIONS = ("و", "ف")
_ARABIC_PROCLITICS = ("بال", "كال", "لل", "ال", "ب", "ل")
_ARABIC_ENDINGS = ("ها", "هم", "كم", "نا", "ات", "ون", "ين", "ان", "يه", "وا", "ه", "ي", "و")
_ARABIC_PRONOUNS = ("ها", "هم", "كم", "نا", "ه", "ي", "ك")
# The endings of plurals and of words that end like them ("تليفون"), before which a pronoun is
# told apart from the word (a final "ه" may be the ta marbuta, "موجهة").
_ARABIC_WORD_ENDINGS = ("ات", "ون", "ين", "ان")
LIGHT_ROOT = 3


# Clitics written onto an Arabic word: a conjunction, then a preposition, then the article.
_ARABIC_CLITIC_PREFIXES = ("", "و", "ف")
_ARABIC_BARE_PREFIXES = ("", "ب", "ل", "ك")
# The one-letter words of those two, which Arabic joins to the next ("فكوري", in Curie).
ARABIC_JOINED_LETTERS = frozenset(
    p for p in (*_ARABIC_CLITIC_PREFIXES, *_ARABIC_BARE_PREFIXES) if p
)
# "عال" is "على" + article as spoken in the Levant, the Gulf and Egypt ("عالمسرح").
_ARABIC_ARTICLE_PREFIXES = ("ال", "بال", "لل", "كال", "عال")
# The demonstrative "هذا" + article, spoken there too: "هالمسا" is this evening, "بهالوقت" at
# this time. Only in place of an article the entry is written with.
_ARABIC_DEMONSTRATIVE_PREFIXES = ("هال", "بهال")
_ARABIC_IMPERFECT = "يتنا"
# The future written onto a verb: "س" in Modern Standard, "ح" and "ه" in Egypt, "غا" and "غ" in
# Morocco ("غايبدا", "غنمشيو"; the word "غادي" is a stop word).
_ARABIC_FUTURE_PREFIXES = ("س", "ح", "ه", "غا", "غ")
# A shorter bare word with a clitic is too often another word ("ب" + "نت" is "بنت").
CLITIC_BASE = 3


def arabic_clitic_forms(word: str) -> list[str]:
    """The forms of an Arabic word with the clitics written onto it ("جلسة": "والجلسة",
    "بجلسة", "للجلسة"...), the word itself excluded; none for other or short words."""
    if not is_arabic(word):
        return []
    bare = word[2:] if word.startswith("ال") else word
    if len(bare) < CLITIC_BASE:
        return []
    if word.startswith("ال"):
        # The article is part of the meaning: "الأحد" is Sunday, "أحد" anyone.
        prefixes = [*_ARABIC_ARTICLE_PREFIXES, *_ARABIC_DEMONSTRATIVE_PREFIXES]
    else:
        prefixes = [*_ARABIC_BARE_PREFIXES, *_ARABIC_ARTICLE_PREFIXES]
    if not word.startswith("ال") and bare[0] in _ARABIC_IMPERFECT:
        # A verb: the future prefix written onto it ("سيتحدث", in the dialects "حيتكلم",
        # "هيبدأ"); "ب" (Egyptian, Levantine) and "ك" (Darija) before a verb are the
        # progressive.
        prefixes += _ARABIC_FUTURE_PREFIXES
    forms = [
        conjunction + prefix + bare
        for conjunction in _ARABIC_CLITIC_PREFIXES
        for prefix in prefixes
    ]
    return [form for form in dict.fromkeys(forms) if form != word]


# Written onto a verb of the dialects: the progressive ("ب" in Egypt and the Levant, "ك" in
# Morocco) and the future (above).
_ARABIC_VERB_PREFIXES = ("ب", "ك", *_ARABIC_FUTURE_PREFIXES)
# Imperfect verbs begin with these; "ا" (I) is left out: too many fillers begin with it that
# are no verbs ("انا", "اما"), and with a prefix they would be names ("هانا", "سالي").
_ARABIC_VERB_INITIALS = "يتن"


def arabic_verb_prefixed_forms(word: str) -> list[str]:
    """An Arabic verb in the imperfect ("تكون", "نقدر") with the progressive or future prefix
    written onto it ("بتكون", "كنقدر", "حيكون"): a filler verb stays a filler. Empty for other
    and short words."""
    if not is_arabic(word) or len(word) < CLITIC_BASE or word[0] not in _ARABIC_VERB_INITIALS:
        return []
    return [prefix + word for prefix in _ARABIC_VERB_PREFIXES]


@lru_cache(maxsize=50_000)
def light_stem(word: str) -> str:
    """An Arabic word without its leading conjunction, preposition and article and its most
    common ending ("بالفريق" -> "فريق", "الشركات" -> "شرك"); other words as they are."""
    if not is_arabic(word):
        return word
    for prefixes in (_ARABIC_CONJUNCTIONS, _ARABIC_PROCLITICS):
        for prefix in prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= LIGHT_ROOT:
                word = word[len(prefix) :]
                break
    for pronoun in _ARABIC_PRONOUNS:
        # Before a pronoun the ta marbuta is written "ت": "شنطتي" is "شنطة" + "ي", and
        # "خصوصيتي" is "خصوصية" + "ي", whose ending goes as the noun's does.
        # ("جلساته" is "جلسات" + "ه": a plural's "ات" is no ta marbuta.)
        if (
            word.endswith("ت" + pronoun)
            and not word.endswith("ات" + pronoun)
            and len(word) - len(pronoun) - 1 >= LIGHT_ROOT
        ):
            word = word[: -len(pronoun) - 1] + "ه"
            break
    else:
        # A pronoun after a plural or a word with an ending of its own ("تليفوني", my phone;
        # "جلساته", his sessions): the word's own ending goes too, as it does without one.
        for pronoun in _ARABIC_PRONOUNS:
            rest = word[: -len(pronoun)]
            if word.endswith(pronoun) and any(
                rest.endswith(e) and len(rest) - len(e) >= LIGHT_ROOT for e in _ARABIC_WORD_ENDINGS
            ):
                word = rest
                break
    for ending in _ARABIC_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= LIGHT_ROOT:
            return word[: -len(ending)]
    return word


def arabic_negated_forms(word: str) -> list[str]:
    """A word in the dialects' negation "ما...ش" ("ماكاينش", "مفيش") and their questions with
    a final "ش" ("عندكمش", "is there not"): it keeps the word's meaning for matching."""
    if not is_arabic(word) or word.endswith("ش"):
        return []
    return [word + "ش", "ما" + word + "ش", "م" + word + "ش"]


_ARABIC_NISBA = ("يين", "يون", "يات", "يه", "ي")


def arabic_nisba_bases(word: str) -> list[str]:
    """The nouns an Arabic adjective of relation is made from ("اليابانية" -> "يابان",
    "الألمانية" -> "المانيا"): a nationality meets its country. Empty for other words."""
    if not is_arabic(word):
        return []
    word = strip_article(word)
    for ending in _ARABIC_NISBA:
        if word.endswith(ending) and len(word) - len(ending) >= LIGHT_ROOT:
            base = word[: -len(ending)]
            # Country names often end in "يا" or "ا" where the adjective has none.
            return [base, base + "يا", base + "ا"]
    return []


@dataclass(frozen=True)
class Vocabulary:
    """One language's general words: stop words and concepts (phrases as stem tuples)."""

    language: str
    stop_words: frozenset[str]
    phrases: dict[tuple[str, ...], str]  # stems of a phrase -> concept id
    exact: dict[tuple[str, ...], str]  # words of a phrase as written -> concept id
    surface: frozenset[str]  # every normalised word of the file, for typo correction
    light: dict[tuple[str, ...], str]  # light stems of a phrase -> concept id (Arabic)
    listed: frozenset[str] = frozenset()  # words of the shared files: known, not corrected to
    # Phrases that say nothing to look up, greetings mostly: "صباح الخير" is not the morning.
    stop_phrases: frozenset[tuple[str, ...]] = frozenset()


# Vocabulary written for all six languages in one file, one row per concept
# (``concept: {en: [...], fr: [...], ...}``), by section; read after the language files, whose
# concepts win a phrase both claim.
SHARED_FILES = {"people.yaml": ("extra_phrases", "roles", "nationalities")}


# topics.yaml is large: libyaml's safe loader reads it in a tenth of the pure-Python one's time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def vocabulary_file(name: str) -> dict[str, Any]:
    """A file of ``bot/domain/vocabulary/``, parsed once (libyaml's loader when there is one:
    topics.yaml is large)."""
    text = resources.files("bot.domain").joinpath("vocabulary", name).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_LOADER) or {}
    assert isinstance(data, dict), f"{name}: not a mapping"
    return data


def shared_concepts(language: str) -> list[tuple[str, list[str]]]:
    """(concept, phrases in ``language``) of every row of the shared files."""
    rows: list[tuple[str, list[str]]] = []
    for name, sections in SHARED_FILES.items():
        data = vocabulary_file(name)
        for section in sections:
            table = data.get(section) or {}
            assert isinstance(table, dict), f"{name}: {section} is not a mapping"
            for concept, by_language in table.items():
                phrases = (by_language or {}).get(language) or []
                rows.append((str(concept), [str(p) for p in phrases]))
    return rows


@cache
def topics() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """language -> (concept, phrases) of the general topic vocabulary (``topics.yaml``): the
    subjects of talks (pacemaker, facial recognition, urban heat island...) in every language,
    so that a question in one language meets content written in another."""
    data = vocabulary_file("topics.yaml")
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {lang: [] for lang in LANGUAGES}
    for concept, by_language in (data.get("concepts") or {}).items():
        for language, entries in (by_language or {}).items():
            if language in found:
                found[language].append((str(concept), tuple(str(e) for e in entries or ())))
    return {lang: tuple(rows) for lang, rows in found.items()}


@cache
def topic_concepts() -> frozenset[str]:
    """Ids of the topics (``topics.yaml``): subjects of talks, not words of the question's
    structure."""
    return frozenset(concept for rows in topics().values() for concept, _ in rows)


def phrase_tokens(
    rows: Iterable[tuple[str, Sequence[str]]], language: str
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(concept, words of one phrase) of every row; in English the concept's id is a phrase
    too. Empty phrases and phrases longer than MAX_PHRASE words are left out."""
    for concept, entries in rows:
        for entry in [concept if language == "en" else None, *entries]:
            tokens = tuple(words_of(entry)) if entry else ()
            if tokens and len(tokens) <= MAX_PHRASE:
                yield concept, tokens
                elided = _without_elided(tokens) if language == "fr" else tokens
                if elided != tokens and elided:
                    yield concept, elided


# French articles and pronouns that elide before a vowel ("l'", "d'", "qu'"), written apart
# in a phrase ("ceremonie d ouverture") as people type them on a phone.
_ELIDED = frozenset({"c", "d", "j", "l", "m", "n", "s", "t", "qu"})


def _without_elided(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The phrase as a question that writes the apostrophe reads it: normalise drops the elided
    word ("cérémonie d'ouverture" is "ceremonie ouverture"), so "ceremonie d ouverture" must
    also be known without its "d"."""
    return tuple(
        t
        for i, t in enumerate(tokens)
        if not (t in _ELIDED and i + 1 < len(tokens) and tokens[i + 1][:1] in "aeiouyh")
    )


@cache
def vocabulary(language: str) -> Vocabulary:
    data = vocabulary_file(f"{language}.yaml")
    stop_words = frozenset(normalise(str(data.get("stop_words", ""))).split())
    phrases: dict[tuple[str, ...], str] = {}
    exact: dict[tuple[str, ...], str] = {}
    surface: set[str] = set(stop_words)
    light: dict[tuple[str, ...], str] = {}
    listed: set[str] = set()
    own = [
        (str(c), [str(e) for e in entries or ()])
        for c, entries in (data.get("concepts") or {}).items()
    ]
    for concept, tokens in phrase_tokens(own, language):
        surface.update(tokens)
        exact.setdefault(tokens, concept)
        stems = tuple(stem(t, language) for t in tokens)
        if stems == tokens:
            # A word that is its own stem ("open") keeps it: "opens" is open, not "opening".
            phrases[stems] = concept
        else:
            phrases.setdefault(stems, concept)
        if language == "ar":
            light.setdefault(tuple(light_stem(t) for t in tokens), concept)
    # Topics come after the language file's own concepts, which win a clash: the language file
    # knows the question words ("open", "free") that a topic phrase must not take over.
    for concept, tokens in phrase_tokens(topics().get(language, ()), language):
        surface.update(tokens)
        exact.setdefault(tokens, concept)
        phrases.setdefault(tuple(stem(w, language) for w in tokens), concept)
        if language == "ar":
            light.setdefault(tuple(light_stem(w) for w in tokens), concept)
    # The shared files list every form (m/f/pl) and are large: they match as written only, so
    # that their stems do not catch ordinary words ("perto" is not "perito"), and never take a
    # phrase from the language file.
    for concept, tokens in phrase_tokens(shared_concepts(language), language):
        # Known (never "corrected" into another: "ingeniero" is not "genero"), but not a
        # target of corrections either ("perto" is not "perito").
        listed.update(tokens)
        exact.setdefault(tokens, concept)
        if language == "ar":
            light.setdefault(tuple(light_stem(t) for t in tokens), concept)
    if language == "ar":
        # The clitics are written onto the first word ("والجلسة", "بالقاعة", "للكراسي"):
        # those forms are the entry as written, ahead of Snowball stems, which collide
        # ("الاجتماعية" would be "اجتماع", a meeting).
        # Entries written with the article first: "الغدا" (lunch) owns "للغدا", which the bare
        # "غدا" (tomorrow) would otherwise claim with an article it never takes.
        entries = sorted(exact.items(), key=lambda item: not item[0][0].startswith("ال"))
        for entry, concept in entries:
            for clitic_form in arabic_clitic_forms(entry[0]):
                # A stop word as written is that word: "كاين" (there is) is not "ك" + "اين"
                # (like where).
                if len(entry) == 1 and clitic_form in stop_words:
                    continue
                exact.setdefault((clitic_form, *entry[1:]), concept)
            if len(entry) == 1 and len(entry[0]) >= CLITIC_BASE:
                for negated in arabic_negated_forms(entry[0]):
                    exact.setdefault((negated,), concept)
        stop_words = stop_words | {
            form
            for word in stop_words
            if len(word) >= 2
            for form in (
                *(conjunction + word for conjunction in _ARABIC_CONJUNCTIONS),
                *arabic_negated_forms(word),
                *arabic_verb_prefixed_forms(word),
            )
        }
    stop_phrases = frozenset(
        tuple(words_of(str(phrase)))
        for phrase in data.get("stop_phrases") or ()
        if 1 < len(words_of(str(phrase))) <= MAX_PHRASE
    )
    return Vocabulary(
        language,
        stop_words,
        phrases,
        exact,
        frozenset(surface),
        light,
        listed=frozenset(listed),
        stop_phrases=stop_phrases,
    )


@cache
def broader_concepts() -> dict[str, tuple[str, ...]]:
    """concept -> the broader concepts content about it also answers ("lunch" -> "food")."""
    data = vocabulary_file("concepts.yaml")
    # The topics' ("pacemaker" -> "heart") and the shared files' ("Hochschulminister" ->
    # minister, education) too.
    tables = [
        data.get("broader") or {},
        vocabulary_file("topics.yaml").get("broader") or {},
        *(vocabulary_file(n).get("broader") or {} for n in SHARED_FILES),
    ]
    found: dict[str, tuple[str, ...]] = {}
    for table in tables:
        assert isinstance(table, dict)
        for k, vs in table.items():
            found[str(k)] = tuple(
                dict.fromkeys([*found.get(str(k), ()), *(str(v) for v in vs or [])])
            )
    return found


@cache
def person_concepts() -> frozenset[str]:
    """Concepts that name what a person is (``people`` in concepts.yaml): president, mayor..."""
    data = vocabulary_file("concepts.yaml")
    roles = vocabulary_file("people.yaml").get("roles") or {}
    assert isinstance(roles, dict)
    return frozenset(str(c) for c in [*(data.get("people") or ()), *roles])


# A word at least this frequent in a language (Zipf scale: 4 is once in 10,000 words of
# running text) is a word of that language, not a misspelling, even where an event's content
# lacks it: German "paar" is not a typo of the content's "pagar", and Portuguese "temos" is not
# "témoins". Measured on the tuning sets: 3.5 and 4 do as well; 5 misses common verbs.
COMMON_ZIPF = 4.0


@cache
def common_words(language: str) -> frozenset[str]:
    """The common words of ``language``, normalised as questions are (accents folded), from
    wordfreq's frequency lists: about 7,000 a language, read once (0.1 s for all six)."""
    least = 10.0 ** (COMMON_ZIPF - 9.0)  # Zipf is log10 of the frequency per billion words
    frequencies = get_frequency_dict(language, wordlist="small")
    return frozenset(normalise(word) for word, share in frequencies.items() if share >= least)


def is_common_word(word: str, languages: Sequence[str]) -> bool:
    """Whether ``word`` (normalised) is a common word of one of ``languages``."""
    return any(word in common_words(lang) for lang in languages if lang in LANGUAGES)


def load_frequencies() -> None:
    """Reads every language's common words now rather than in the middle of the first
    question in that language."""
    for lang in LANGUAGES:
        common_words(lang)


@cache
def cognate_endings(language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A language's word endings, each with the endings of the same words in the six
    languages (``cognates.yaml``), longest ending first."""
    found: dict[str, list[str]] = {}
    for group in vocabulary_file("cognates.yaml").get("classes") or []:
        others = [str(e) for endings in group.values() for e in endings]
        for ending in group.get(language) or []:
            slot = found.setdefault(str(ending), [])
            slot += [o for o in others if o != ending and o not in slot]
    return tuple(sorted(((e, tuple(o)) for e, o in found.items()), key=lambda p: -len(p[0])))


@cache
def number_words() -> dict[str, int]:
    """One to nine written as words in the six languages (``numbers.yaml``), folded."""
    raw = vocabulary_file("numbers.yaml")
    return {normalise(str(w)): int(n) for words in raw.values() for w, n in words.items()}


def _words_by_language(file: str, key: str) -> frozenset[str]:
    """The words of a ``key: {language: [words]}`` mapping of a vocabulary file, folded."""
    raw = vocabulary_file(file).get(key) or {}
    return frozenset(normalise(str(w)) for words in raw.values() for w in words)


@cache
def honorifics() -> frozenset[str]:
    """Titles written before a person's name in the six languages (``people.yaml``), folded."""
    return _words_by_language("people.yaml", "honorifics")


@cache
def mornings_after_weekday() -> frozenset[str]:
    """Words of "tomorrow" that mean that day's morning right after a weekday ("Sonntag
    morgen"), folded (``concepts.yaml``)."""
    return _words_by_language("concepts.yaml", "morning_after_weekday")


@cache
def clock_leads() -> frozenset[str]:
    """Words that make a bare number after them an hour ("a las 3", "الساعة 2"), folded
    (``concepts.yaml``)."""
    return _words_by_language("concepts.yaml", "clock_leads")


@cache
def all_stop_words() -> frozenset[str]:
    return frozenset().union(*(vocabulary(lang).stop_words for lang in LANGUAGES))


@cache
def concept_ids() -> frozenset[str]:
    return frozenset(c for lang in LANGUAGES for c in vocabulary(lang).phrases.values())


@cache
def all_listed() -> frozenset[str]:
    return frozenset().union(*(vocabulary(lang).listed for lang in LANGUAGES))


@cache
def all_surface() -> frozenset[str]:
    return frozenset().union(*(vocabulary(lang).surface for lang in LANGUAGES))


def detect_languages(text: str, words: list[str], default: str = "en") -> tuple[str, ...]:
    """The languages the question may be in, likeliest first: Arabic script is Arabic; Latin
    words vote with stop words, vocabulary and the letters only some languages write. When two
    are close, both are kept; with no vote at all, every Latin language (default first)."""
    if any(is_arabic(w) for w in words):
        return ("ar", default) if default != "ar" else ("ar",)
    votes = dict.fromkeys(LATIN_LANGUAGES, 0.0)
    folded = text.casefold()
    for letter, languages in _MARK_LETTERS.items():
        if letter in folded:
            for language in languages.split():
                votes[language] += 1.5
    for word in words:
        for language in LATIN_LANGUAGES:
            vocab = vocabulary(language)
            if word in vocab.stop_words:
                votes[language] += 1.0
            elif word in vocab.surface:
                votes[language] += 0.6
    best = max(votes.values())
    if best <= 0:
        return (default, *(lang for lang in LATIN_LANGUAGES if lang != default))
    ranked = sorted(LATIN_LANGUAGES, key=lambda lang: -votes[lang])
    kept = [lang for lang in ranked if votes[lang] >= best - 1.0 and votes[lang] > 0]
    if default not in kept:
        kept.append(default)
    return tuple(kept)


@dataclass(frozen=True)
class Term:
    """A word or phrase of a text as matching sees it."""

    key: str  # concept id, else the stem
    word: str  # the normalised word (first word of a phrase)
    concept: bool
    position: int
    size: int = 1  # words of the phrase


@cache
def _stop_words(languages: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(vocabulary(lang).stop_words for lang in languages))


@cache
def _stop_phrases(languages: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset().union(*(vocabulary(lang).stop_phrases for lang in languages))


def without_stop_phrases(words: list[str], languages: tuple[str, ...]) -> list[str]:
    """The words without the greetings and other stop phrases of ``languages``, before anything
    else reads them ("guten Abend" must not be corrected to "gluten")."""
    phrases = _stop_phrases(languages)
    if not phrases:
        return words
    kept: list[str] = []
    i = 0
    while i < len(words):
        size = next(
            (
                n
                for n in range(min(MAX_PHRASE, len(words) - i), 1, -1)
                if tuple(words[i : i + n]) in phrases
            ),
            0,
        )
        if size:
            i += size
            continue
        kept.append(words[i])
        i += 1
    return kept


def terms(words: list[str], languages: tuple[str, ...]) -> list[Term]:
    """Concepts of the vocabularies of ``languages`` (longest phrase first, the first language
    that knows it), else stems in the first language; stop words and stop phrases dropped."""
    stems = {lang: [stem(w, lang) for w in words] for lang in languages}
    stops = _stop_words(languages)
    # A filler of the likeliest language is not another language's concept: German "über" is
    # not an Uber, English "come" is not Spanish "eats".
    own_stops = vocabulary(languages[0]).stop_words if languages else frozenset()
    out: list[Term] = []
    stop_phrases = _stop_phrases(languages)
    i = 0
    while i < len(words):
        said = (
            next(
                (
                    size
                    for size in range(min(MAX_PHRASE, len(words) - i), 1, -1)
                    if tuple(words[i : i + size]) in stop_phrases
                ),
                0,
            )
            if stop_phrases
            else 0
        )
        if said:
            i += said
            continue
        found: tuple[int, str] | None = None
        for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            for lang in languages:
                if size == 1 and lang != languages[0] and words[i] in own_stops:
                    continue
                vocab = vocabulary(lang)
                concept = vocab.exact.get(tuple(words[i : i + size]))
                # A short word or a stop word is a concept only as written: stems of short
                # words collide across languages ("tem", "tim").
                if concept is None and (size > 1 or (len(words[i]) >= 4 and words[i] not in stops)):
                    if vocab.light:
                        concept = vocab.light.get(tuple(map(light_stem, words[i : i + size])))
                    # Snowball's Arabic stems of one word collide ("تلاوة", a recitation, and
                    # "التلات", Tuesday, are both "تلا"): the light stem only, for one word.
                    if concept is None and not (vocab.light and size == 1):
                        concept = vocab.phrases.get(tuple(stems[lang][i : i + size]))
                if concept is not None:
                    found = (size, concept)
                    break
            if found:
                break
        if found:
            out.append(Term(found[1], words[i], True, i, found[0]))
            i += found[0]
            continue
        if words[i] not in stops:
            out.append(Term(stems[languages[0]][i], words[i], False, i))
        i += 1
    return out


@dataclass(frozen=True)
class _Transliteration:
    arabic: dict[str, str]
    latin: dict[str, str]
    longest: int
    arabic_longest: int
    mark: str
    arabic_initials: str
    latin_initials: str
    latin_glides: tuple[str, ...]


@cache
def _transliteration() -> _Transliteration:
    data = vocabulary_file("transliteration.yaml")
    latin = {str(k): str(v or "") for k, v in (data.get("latin") or {}).items()}
    arabic = {str(k): str(v or "") for k, v in (data.get("arabic") or {}).items()}
    return _Transliteration(
        arabic=arabic,
        latin=latin,
        longest=max(map(len, latin), default=1),
        arabic_longest=max(map(len, arabic), default=1),
        mark=str(data.get("initial_vowel_mark") or ""),
        arabic_initials=str(data.get("arabic_initial_vowels") or ""),
        latin_initials=str(data.get("latin_initial_vowels") or ""),
        latin_glides=tuple(str(data.get("latin_initial_glides") or "").split()),
    )


def _classes(word: str, table: dict[str, str], longest: int) -> list[str]:
    """The letter classes of a word, the longest letter group of the table first."""
    classes: list[str] = []
    i = 0
    while i < len(word):
        for size in range(min(longest, len(word) - i), 0, -1):
            found = table.get(word[i : i + size])
            if found is not None:
                classes.append(found)
                i += size
                break
        else:
            i += 1
    return classes


@cache
def name_particles() -> frozenset[str]:
    """Words that begin a name and are often written apart from it ("بن", "أبو")."""
    data = vocabulary_file("transliteration.yaml")
    return frozenset(normalise(str(data.get("name_particles") or "")).split())


def strip_article(word: str) -> str:
    """An Arabic word without its article and the prefixes written with it ("بال", "لل")."""
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


@lru_cache(maxsize=50_000)
def skeleton(word: str, keep_article: bool = False) -> str:
    """The consonant skeleton of a normalised word of Arabic or Latin script, so that a name
    written in one script meets the other ("رحاشي" and "rhachi" are both ``rhs``); the letter
    classes are data (``vocabulary/transliteration.yaml``). ``keep_article`` writes an Arabic
    name's article too, as Latin spellings that join it do ("العمراني" as "Elamrani")."""
    table = _transliteration()
    classes: list[str] = []
    if is_arabic(word):
        if not keep_article:
            word = strip_article(word)
        # A final ha is the ta marbuta, a vowel: "فاطمة" is "fatma".
        if word.endswith("ه") and len(word) > 2:
            word = word[:-1]
        if word and word[0] in table.arabic_initials:
            classes.append(table.mark)
        classes += _classes(word, table.arabic, table.arabic_longest)
    else:
        # "ou" before a vowel is the consonant w ("Ouazzani" is "الوزاني"), not a vowel.
        glide = any(
            word.startswith(g) and len(word) > len(g) and word[len(g)] in table.latin_initials
            for g in table.latin_glides
        )
        if word and word[0] in table.latin_initials and not glide:
            classes.append(table.mark)
        classes += _classes(word, table.latin, table.longest)
    out: list[str] = []
    for letter in "".join(classes):
        if not out or out[-1] != letter:
            out.append(letter)
    return "".join(out)
