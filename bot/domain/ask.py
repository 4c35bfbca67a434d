"""Answers the free-text questions attendees type: sessions, FAQ, speakers, rooms, venue, times.

How a question is answered:

1. The text is normalised (case, accents, punctuation), cut to a sane length and split in words.
2. Unknown words are corrected against the event's own vocabulary with rapidfuzz (typos on a
   phone keyboard), or completed when they are a prefix of a known word.
3. Words are mapped to a canonical form (synonyms, a little French, plurals), then sorted into
   roles: question words give the *aspect* (when/where/who/what), day and time words give a time
   window, generic words ("session", "programme") only hint, the rest is what the question is
   about.
4. A question with nothing left to look up but a time ("what's on tomorrow afternoon") becomes a
   listing, and so does one that names only a language ("sessions in Portuguese", "em português"),
   a track ("security track") or asks what is online ("online sessions"): refs ``language:<code>``,
   ``track:<id>`` and ``online``. Otherwise every indexed item (session, FAQ entry, speaker,
   room, venue topic) is scored by the IDF-weighted share of the question's words it contains,
   field weights applied, plus a small bonus when one of its phrasings reads like the whole
   question (rapidfuzz ratio) and when its kind fits the aspect.

Everything that depends only on the content is computed once in :class:`Answerer`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from rapidfuzz import fuzz, process

from bot.content.models import Content, Session
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


# --- vocabulary ---------------------------------------------------------------------------------

# Longer input is never a real question; cutting it bounds the work per message.
MAX_CHARS = 300
MAX_TOKENS = 24
LABEL_CHARS = 40
# Below this a guess is worse than saying "I don't know" and offering the menu.
MIN_SCORE = 50.0
MIN_ALTERNATIVE_SCORE = 40.0
# Only the best candidates by word coverage get the (costlier) whole-phrase comparison.
RERANK = 48

# Canonical form: the words that mean it here (synonyms, French, common misspellings, plurals).
# Both the content and the questions go through this map, so a synonym on either side meets the
# same word.
SYNONYM_GROUPS: dict[str, str] = {
    "session": "talk presentation lecture seance sessions talks item speech",
    "workshop": "atelier ateliers training seminar workhop",
    "panel": "discussion debate roundtable",
    "plenary": "ceremony ceremonie pleniere plenaire",
    "opening": "ouverture inauguration open",
    "closing": "cloture",
    "meeting": "reunion",
    "auditorium": "hall amphi amphitheatre amphitheater theatre",
    "room": "salle",
    "address": "adresse",
    "venue": "lieu location building campus",
    "prof": "professor pr",
    "dr": "docteur doc",
    "lunch": "food meal meals eat eating repas dejeuner manger dinner snack snacks",
    "coffee": "cafe tea",
    "wifi": "internet wireless wlan reseau network",
    "organiser": (
        "organizer organizers organisers organize organise organizes organises organised "
        "organized organising organizing organisateur organisateurs"
    ),
    "registration": "register inscription checkin accreditation",
    "badge": "badges",
    "emergency": "urgence urgences sos",
    "doctor": "medecin hopital hospital",
    "certificate": "attestation certificat",
    "language": "langue languages",
    "translation": "traduction",
    "interpretation": "interpreter interpreting",
    "french": "francais",
    "stream": "livestream streaming streamed",
    "online": "virtual remote remotely",
    "toilet": "restroom restrooms bathroom wc toilettes",
    "lift": "elevator ascenseur",
    "transport": "transportation",
    "tram": "tramway",
    "taxi": "cab",
    "slides": "presentations deck recording",
    "objective": "goals goal aims objectifs",
    "theme": "topic topics sujet",
    "sdg": "sdgs odd",
    "covid": "covid19 coronavirus pandemic",
    "programme": "program schedule agenda timetable planning programs programmes",
    "tomorrow": "demain tmrw tomorow tommorow tommorrow tmr",
    "today": "aujourdhui",
    "tonight": "tonite",
    "morning": "matin",
    "evening": "soir soiree",
    "afternoon": "apres aprem",
    "now": "maintenant currently current",
    "next": "prochain prochaine suivant suivante upcoming later soon",
    "yesterday": "hier",
    "monday": "lundi mon",
    "tuesday": "mardi tue tues",
    "wednesday": "mercredi wed",
    "thursday": "jeudi thu thur thurs",
    "friday": "vendredi fri",
    "saturday": "samedi sat",
    "sunday": "dimanche",
    "when": "quand",
    "time": "heure horaire hour hours",
    "where": "ou",
    "who": "qui",
    "what": "quoi whats",
    "chair": (
        "chairs chaired chairing chairperson moderator moderates moderating host hosts hosting "
        "preside presides presiding presided"
    ),
    "speaker": (
        "speakers speaks speak speaking panelist panelists panellist panellists intervenant "
        "intervenants orateur presents presenting presenter presenters"
    ),
    "start": "starts starting begin begins",
    "end": "ends finish finishes close closes closed",
}
SYNONYMS: dict[str, str] = {
    word: canonical_form
    for canonical_form, words in SYNONYM_GROUPS.items()
    for word in words.split()
}

STOP_WORDS = frozenset(
    """
    a an the of on in at to for by with and or from into about is are was be been am it its this
    that these those there here i me my we our us you your do does did can could would should will
    shall may might please pls plz tell show give get find know need want any some much many
    which how why whats what s t d l le la les de du des et en au aux est il y a une pour dans
    sur avec par ce cette ces mon ma mes quel quelle quels quelles go going have has had hi hello
    bonjour salut thanks thank merci ok okay just also again still more info information
    """.split()
)

WHEN_WORDS = frozenset({"when", "time", "start", "end", "date", "long"})
WHERE_WORDS = frozenset({"where", "room", "directions", "find"})
WHO_WORDS = frozenset({"who", "chair", "speaker", "whom", "whose"})
WHAT_WORDS = frozenset({"what", "about", "describe", "explain", "quoi"})
ROLE_WORDS = frozenset({"chair", "speaker"})
GENERIC_SESSION_WORDS = frozenset({"session"})
LISTING_WORDS = frozenset(
    {"programme", "happening", "anything", "scheduled", "planned", "event", "events", "day"}
)
DAY_WORDS = frozenset({"today", "tomorrow", "tonight", "yesterday"})
PART_WORDS = frozenset({"morning", "afternoon", "evening", "midi"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1,
    "january": 1,
    "janvier": 1,
    "feb": 2,
    "february": 2,
    "fevrier": 2,
    "mar": 3,
    "march": 3,
    "mars": 3,
    "apr": 4,
    "april": 4,
    "avril": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "june": 6,
    "juin": 6,
    "jul": 7,
    "july": 7,
    "juillet": 7,
    "aug": 8,
    "august": 8,
    "aout": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "septembre": 9,
    "oct": 10,
    "october": 10,
    "octobre": 10,
    "nov": 11,
    "november": 11,
    "novembre": 11,
    "dec": 12,
    "december": 12,
    "decembre": 12,
}
# What may surround a language, a track or "online" in a question that asks for that listing
# ("which sessions are in portuguese", "em português", "anything online"); any other word
# means the question is about something else ("is there interpretation into French").
FILTER_HINTS = LISTING_WORDS | GENERIC_SESSION_WORDS | {"programme", "sessoes", "palestras"}
FILTER_FILLER = (
    STOP_WORDS
    | FILTER_HINTS
    | {"em", "na", "no", "nos", "only", "language", "held", "given", "spoken", "list", "all"}
)
# A typed language name this close to a known one (rapidfuzz ratio) is that name: "portugese".
LANGUAGE_TYPO_CUTOFF = 85.0
QUESTION_WORDS = STOP_WORDS | WHEN_WORDS | WHERE_WORDS | WHO_WORDS | WHAT_WORDS
TIME_WORDS = DAY_WORDS | PART_WORDS | frozenset(WEEKDAYS) | {"now", "next"}
PARTS: dict[str, tuple[dt.time, dt.time | None]] = {
    "morning": (dt.time(0, 0), dt.time(12, 0)),
    "afternoon": (dt.time(12, 0), dt.time(18, 0)),
    "evening": (dt.time(18, 0), None),
    "day": (dt.time(0, 0), None),
}
# Words in aspect/role/time sets are meaningful even though no content item contains them, so
# the typo corrector must know them too.
EXTRA_VOCABULARY = (
    set(SYNONYMS)
    | set(SYNONYMS.values())
    | STOP_WORDS
    | WHEN_WORDS
    | WHERE_WORDS
    | WHO_WORDS
    | WHAT_WORDS
    | LISTING_WORDS
    | TIME_WORDS
    | set(MONTHS)
)

VENUE_TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    # topic: (label, phrasings attendees use)
    "address": (
        "Address",
        (
            "address",
            "venue",
            "where is the venue",
            "where is the conference",
            "how to find the venue",
            "street address",
            "university",
            "faculty",
            "campus",
        ),
    ),
    "map": ("Map", ("map", "venue map", "google maps", "pin", "gps", "carte", "plan")),
    "wifi": ("Wi-Fi", ("wifi", "wifi password", "internet", "wireless network")),
    "transport": (
        "Getting there",
        ("transport", "how do i get there", "taxi", "tram", "bus", "parking", "train", "airport"),
    ),
    "emergency": (
        "Emergency numbers",
        ("emergency", "police", "ambulance", "fire", "doctor", "first aid", "emergency number"),
    ),
    "help-desk": (
        "Help desk",
        (
            "help desk",
            "info desk",
            "information desk",
            "help",
            "contact",
            "lost and found",
            "staff",
            "reception",
            "accueil",
        ),
    ),
    "accessibility": (
        "Accessibility",
        ("accessibility", "wheelchair", "lift", "accessible toilet", "step free"),
    ),
}

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words: accents dropped, anything else a space."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].casefold())
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    # "what's" and "d'ouverture": an apostrophe inside a word joins, the French elision splits.
    ascii_text = re.sub(r"\b(d|l|qu|j|n|s)'(?=[a-z])", " ", ascii_text)
    ascii_text = ascii_text.replace("'", "")
    return _NON_WORD.sub(" ", ascii_text).strip()


def canonical(word: str) -> str:
    """The form a word is indexed and looked up under: synonyms first, then a crude singular."""
    mapped = SYNONYMS.get(word)
    if mapped is not None:
        return mapped
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        singular = word[:-1]
        return SYNONYMS.get(singular, singular)
    return word


def is_fragment(word: str) -> bool:
    """A bit of a split word ("un", "wi", "m"), not a number or a word of its own."""
    return len(word) <= 2 and not word.isdigit() and word not in STOP_WORDS


def canonical_text(text: str) -> str:
    """The phrase in canonical words, stop words kept: what whole-question similarity reads."""
    return " ".join(canonical(w) for w in fold(text).split())


def truncate(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Item:
    target: Target
    ref: str
    label: str
    phrases: tuple[str, ...]  # folded phrasings compared with the whole question
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
    words: tuple[str, ...]  # canonical content words, order kept
    aspect: Aspect | None
    time_words: frozenset[str]
    weekday: int | None
    explicit_day: dt.date | None
    listing_hint: bool
    session_hint: bool
    role_hint: bool
    canon: str


class Answerer:
    """Answers one event's questions; build once per content version, then call :meth:`answer`."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.agenda = Agenda(content)
        self.tz = content.tz
        self._items: list[_Item] = []
        # word -> {item index: best field weight}
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        surface: set[str] = set(EXTRA_VOCABULARY)

        def add(
            target: Target,
            ref: str,
            label: str,
            fields: Iterable[tuple[str | None, float]],
            phrases: Iterable[str],
            prior: float = 0.0,
        ) -> None:
            index = len(self._items)
            self._items.append(
                _Item(
                    target,
                    ref,
                    truncate(label),
                    tuple(canonical_text(p) for p in phrases if p),
                    prior,
                )
            )
            for text, weight in fields:
                if not text:
                    continue
                raw = fold(text).split()
                surface.update(raw)
                words = [canonical(w) for w in raw]
                # Joined neighbours let "undesa", "wgm" and "livestream" meet "UN DESA", "WG-M"...
                joined = [
                    a + b
                    for a, b in itertools.pairwise(raw)
                    if len(a + b) <= 12 and a not in QUESTION_WORDS and b not in QUESTION_WORDS
                ]
                surface.update(joined)
                for word in (*words, *(canonical(j) for j in joined)):
                    if word in STOP_WORDS:
                        continue
                    slot = postings[word]
                    if slot.get(index, 0.0) < weight:
                        slot[index] = weight

        speakers = content.speakers_by_id
        for session in content.sessions:
            room = content.rooms.get(session.room or "")
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
                    (" ".join(session.tags), 0.85),
                    (" ".join(people), 0.75),
                    (room.name if room else None, 0.5),
                    (session.description, 0.45),
                    (" ".join(session.running_order), 0.4),
                ],
                [session.title, session.code or "", session.kind.value],
            )
        faq_topics: set[str] = set()
        for entry in content.faq:
            faq_topics.add(entry.id)
            faq_topics.update(t.casefold() for t in entry.tags)
            add(
                Target.faq,
                entry.id,
                entry.questions[0].capitalize(),
                [
                    *((q, 1.0) for q in entry.questions),
                    (" ".join(entry.tags), 0.9),
                    (entry.id.replace("-", " "), 0.9),
                    (entry.answer, 0.35),
                ],
                [*entry.questions, *entry.tags, entry.id.replace("-", " ")],
            )
        for speaker in content.speakers:
            name_words = fold(speaker.name).split()
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
                    (speaker.bio, 0.4),
                ],
                [speaker.name, name_words[-1] if name_words else ""],
            )
        for room in content.venue.rooms:
            add(
                Target.room,
                room.id,
                room.name,
                [(room.name, 1.0), (room.floor, 0.5), (room.directions, 0.4)],
                [room.name],
            )
        venue = content.venue
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
            if topic == "address":
                fields += [(venue.name, 0.6), (venue.address, 0.6), (venue.city, 0.5)]
            # The organisers' FAQ answer on the same topic is the better reply; the venue card
            # stays as an alternative.
            prior = -10.0 if topic in faq_topics else 0.0
            add(Target.venue, topic, label, fields, phrasings, prior)

        self._filters = self._filter_names(content)
        self._online = tuple(online_sessions(content))

        count = max(len(self._items), 1)
        self._postings: dict[str, tuple[tuple[int, float], ...]] = {
            word: tuple(slot.items()) for word, slot in postings.items()
        }
        self._idf: dict[str, float] = {
            word: math.log(1.0 + count / len(slot)) for word, slot in postings.items()
        }
        # An unknown word lowers every item's share, but less than a rare known word would: it
        # is as often a filler verb ("shared") as the real subject ("peru").
        self._unknown_idf = 0.6 * math.log(1.0 + count)
        self._surface: set[str] = surface
        self._surface_list: list[str] = sorted(surface)
        self._corrections: dict[str, str | None] = {}
        self._event_days = [
            content.event.start_date + dt.timedelta(days=i)
            for i in range((content.event.end_date - content.event.start_date).days + 1)
        ]

    # --- public -----------------------------------------------------------------------------

    def answer(self, text: str, now: dt.datetime) -> Answer:
        require_aware(now)
        now = now.astimezone(self.tz)
        filtered = self._filter_answer(fold(text).split()[:MAX_TOKENS])
        if filtered is not None:
            return filtered
        query = self._parse(text)
        has_time = bool(query.time_words) or query.explicit_day is not None
        if not query.words:
            if has_time or query.listing_hint or query.session_hint:
                return self._listing_answer(query, now)
            return Answer(best=None, alternatives=(), aspect=query.aspect)
        matches = self._search(query, now)
        best = matches[0] if matches and matches[0].score >= MIN_SCORE else None
        rest = matches[1:] if best is not None else matches
        alternatives = tuple(m for m in rest if m.score >= MIN_ALTERNATIVE_SCORE)[:3]
        return Answer(best=best, alternatives=alternatives, aspect=query.aspect)

    # --- listings by language, track, online ------------------------------------------------

    @staticmethod
    def _filter_names(content: Content) -> tuple[_Filter, ...]:
        filters: list[_Filter] = []
        languages = session_languages(content)
        # With one language there is nothing to choose: "sessions in English" is every session,
        # and the question is more likely about interpretation (the FAQ).
        for code in languages if len(languages) >= 2 else ():
            sessions = tuple(sessions_in_language(content, code))
            for name in language_names(code):
                words = tuple(fold(name).split())
                if words and not all(w in STOP_WORDS for w in words):
                    label = f"In {language_name(code)}"
                    filters.append(_Filter(words, f"language:{code}", label, sessions, False))
        for track in content.tracks.values():
            words = tuple(fold(track.name).split())
            sessions = tuple(sessions_in_track(content, track.id))
            if words:
                filters.append(_Filter(words, f"track:{track.id}", track.name, sessions, True))
        # Longest names first: "portuguese brazil" before "portuguese".
        filters.sort(key=lambda f: (-len(f.words), -len(" ".join(f.words))))
        return tuple(filters)

    @staticmethod
    def _find(words: list[str], name: tuple[str, ...]) -> int | None:
        """Where the name's words are in the question's, in order, typos of long words allowed."""
        for at in range(len(words) - len(name) + 1):
            if all(
                typed == known
                or (
                    len(known) >= 6
                    and fuzz.ratio(typed, known, score_cutoff=LANGUAGE_TYPO_CUTOFF) > 0
                )
                for typed, known in zip(words[at : at + len(name)], name, strict=True)
            ):
                return at
        return None

    def _filter_answer(self, words: list[str]) -> Answer | None:
        """The listing a question asks for by language, track or "online"; None otherwise."""
        if not words:
            return None

        def only_filler(rest: list[str], extra: frozenset[str] = frozenset()) -> bool:
            return all(w in FILTER_FILLER or canonical(w) in FILTER_FILLER | extra for w in rest)

        def hinted(rest: list[str]) -> bool:
            return any(w in FILTER_HINTS or canonical(w) in FILTER_HINTS for w in rest)

        for found in self._filters:
            at = self._find(words, found.words)
            if at is None:
                continue
            rest = words[:at] + words[at + len(found.words) :]
            extra = frozenset({"track"}) if found.ref.startswith("track:") else frozenset()
            if not only_filler(rest, extra):
                continue
            if found.needs_hint and not (hinted(rest) or "track" in rest):
                continue
            best = Match(Target.listing, found.ref, 100.0, truncate(found.label))
            return Answer(best, (), "what", found.sessions)
        if self._online:
            forms = [canonical(w) for w in words]
            if "online" in forms:
                rest = [w for w, form in zip(words, forms, strict=True) if form != "online"]
                # "online" alone is the FAQ's question (can I follow online?); with "sessions" or
                # "anything" it asks for the list.
                if only_filler(rest) and hinted(rest):
                    best = Match(Target.listing, "online", 100.0, "Online sessions")
                    return Answer(best, (), "what", self._online)
        return None

    # --- parsing ----------------------------------------------------------------------------

    def _correct(self, word: str) -> str | None:
        """A known word for an unknown one: a typo fixed, or a prefix completed; None if neither."""
        if word in self._corrections:
            return self._corrections[word]
        fixed: str | None = None
        if len(word) >= 4 and not word.isdigit():
            cutoff = 75.0 if len(word) <= 5 else 80.0
            found = process.extractOne(
                word, self._surface_list, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if found is not None:
                fixed = found[0]
            else:
                at = bisect.bisect_left(self._surface_list, word)
                if at < len(self._surface_list) and self._surface_list[at].startswith(word):
                    fixed = self._surface_list[at]
        if len(self._corrections) < 50_000:
            self._corrections[word] = fixed
        return fixed

    def _parse(self, text: str) -> _Query:
        folded = fold(text)
        raw = folded.split()[:MAX_TOKENS]
        # Rejoin what a phone splits: "wi fi", "un desa", "wg m", "live stream".
        merged: list[str] = []
        i = 0
        while i < len(raw):
            if (
                i + 1 < len(raw)
                and raw[i] + raw[i + 1] in self._surface
                and any(w not in self._surface or is_fragment(w) for w in raw[i : i + 2])
            ):
                merged.append(raw[i] + raw[i + 1])
                i += 2
                continue
            merged.append(raw[i])
            i += 1
        words: list[str] = []
        canon_words: list[str] = []
        time_words: set[str] = set()
        aspect: Aspect | None = None
        seen_aspects: set[str] = set()
        listing_hint = session_hint = role_hint = False
        explicit_day: dt.date | None = None
        weekday: int | None = None
        for position, word in enumerate(merged):
            if word.isdigit() and len(word) <= 2:
                month = self._month_near(merged, position)
                if month is not None:
                    explicit_day = self._date_for(int(word), month)
                    continue
            if word in MONTHS and self._day_number_near(merged, position):
                continue
            known = word if word in self._surface else self._correct(word)
            canon_words.append(canonical(known or word))
            if known is None:
                if word in STOP_WORDS or len(word) < 2:
                    continue
                words.append(word)  # unknown: still counts, so nonsense does not match
                continue
            form = canonical(known)
            if form in WHEN_WORDS:
                seen_aspects.add("when")
            if form in WHERE_WORDS:
                seen_aspects.add("where")
            if form in WHO_WORDS:
                seen_aspects.add("who")
            if form in WHAT_WORDS:
                seen_aspects.add("what")
            if form in ROLE_WORDS:
                role_hint = True
                continue
            if form in TIME_WORDS:
                time_words.add(form)
                if form in WEEKDAYS:
                    weekday = WEEKDAYS.index(form)
                continue
            if form in LISTING_WORDS:
                listing_hint = True
                continue
            if form in GENERIC_SESSION_WORDS:
                session_hint = True
                continue
            if form != "room" and form in QUESTION_WORDS:
                continue
            words.append(form)
        candidates: tuple[Aspect, ...] = ("when", "where", "who", "what")
        for candidate in candidates:
            if candidate in seen_aspects:
                aspect = candidate
                break
        if aspect == "what" and "time" in merged:
            aspect = "when"
        # "on" carries meaning only in "what's on"; stop words are gone by now, so look back.
        if "on" in raw and ("what" in raw or "whats" in raw) and not words:
            listing_hint = True
        # "room" is usually "which room": only a content word when nothing else is asked.
        if "room" in words and len(words) > 1:
            words.remove("room")
        return _Query(
            words=tuple(dict.fromkeys(words)),
            aspect=aspect,
            time_words=frozenset(time_words),
            weekday=weekday,
            explicit_day=explicit_day,
            listing_hint=listing_hint,
            session_hint=session_hint,
            role_hint=role_hint,
            canon=" ".join(canon_words)[:120],
        )

    @staticmethod
    def _month_near(words: list[str], position: int) -> int | None:
        for other in (position + 1, position - 1):
            if 0 <= other < len(words) and words[other] in MONTHS:
                return MONTHS[words[other]]
        return None

    @staticmethod
    def _day_number_near(words: list[str], position: int) -> bool:
        for other in (position + 1, position - 1):
            if 0 <= other < len(words) and words[other].isdigit() and len(words[other]) <= 2:
                return True
        return False

    def _date_for(self, day: int, month: int) -> dt.date | None:
        year = self.content.event.start_date.year
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None

    # --- listings ---------------------------------------------------------------------------

    def _resolve_day(self, query: _Query, today: dt.date) -> dt.date:
        if query.explicit_day is not None:
            return query.explicit_day
        if "tomorrow" in query.time_words:
            return today + dt.timedelta(days=1)
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
        has_day = bool(words & (DAY_WORDS | set(WEEKDAYS))) or query.explicit_day is not None
        if "now" in words and not has_day:
            running, upcoming = self.agenda.now_and_next(now)
            best = Match(Target.listing, "now", 100.0, "On now")
            alternatives = (Match(Target.listing, "next", 60.0, "Coming up next"),)
            return Answer(best, alternatives, aspect, tuple(running), (now, now))
        if "next" in words and not has_day and not words & PART_WORDS:
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
        weights = [self._idf.get(w, self._unknown_idf) for w in query.words]
        total = sum(weights) or 1.0
        coverage: dict[int, float] = defaultdict(float)
        for word, weight in zip(query.words, weights, strict=True):
            for index, field_weight in self._postings.get(word, ()):
                coverage[index] += weight * field_weight
        if not coverage:
            return []
        top = heapq.nlargest(RERANK, coverage.items(), key=lambda kv: kv[1])
        window = self._time_window(query, now)
        scored: list[tuple[float, int]] = []
        for index, covered in top:
            item = self._items[index]
            score = 88.0 * covered / total + item.prior
            if item.phrases:
                similar = max(fuzz.ratio(query.canon, p) for p in item.phrases)
                score += 12.0 * max(0.0, (similar - 60.0) / 40.0) ** 2
            score += self._aspect_bonus(query, item, window)
            scored.append((min(100.0, max(0.0, score)), index))
        scored.sort(key=lambda si: (-si[0], si[1]))
        matches: list[Match] = []
        seen: set[tuple[Target, str]] = set()
        for score, index in scored:
            item = self._items[index]
            key = (item.target, item.ref)
            if key in seen:
                continue
            seen.add(key)
            matches.append(Match(item.target, item.ref, round(score, 1), item.label))
        return matches

    def _time_window(
        self, query: _Query, now: dt.datetime
    ) -> tuple[dt.datetime, dt.datetime] | None:
        if not query.time_words and query.explicit_day is None:
            return None
        if query.time_words & {"now", "next"} and not query.time_words & (DAY_WORDS | PART_WORDS):
            return now, now + dt.timedelta(days=366)
        day = self._resolve_day(query, now.date())
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return start, start + dt.timedelta(days=1)

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
            if query.aspect == "who":
                bonus += 4.0
            elif query.aspect in ("when", "where"):
                bonus -= 6.0  # a person has no time or place of their own; their session has
        elif target in (Target.room, Target.venue) and query.aspect == "where":
            bonus += 3.0
        return bonus
