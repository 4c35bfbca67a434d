"""Questions the bot could not answer, passed on to the organisers, in plain Python: the limits
against abuse, the question kept between the answer and the press of "Ask the organisers",
the bot's guesses as refs and their titles, similar questions grouped, and the FAQ entries
staff add from their replies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import count

import yaml
from rapidfuzz import fuzz

from bot.content import Content
from bot.content.models import FaqEntry, FaqFile
from bot.domain.ask import Answer, Target, fold

MAX_QUESTION_CHARS = 500
QUESTIONS_PER_HOUR = 3
CLAIM_TIME = dt.timedelta(minutes=15)
PENDING_TIME = dt.timedelta(minutes=10)
# Token-set similarity (0-100) from which two queued questions count as the same question.
SIMILAR = 80.0
ADDED_FAQ_PREFIX = "inbox-"


class Verdict(StrEnum):
    QUEUE = "queue"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    MUTED = "muted"  # told it was passed on; nothing is queued
    IGNORED = "ignored"  # someone who blocked the bot: nothing is said or kept


def judge_question(text: str, asked_last_hour: int, *, muted: bool, blocked: bool) -> Verdict:
    """Whether a question may be queued, in the order a person is best told why not."""
    if blocked:
        return Verdict.IGNORED
    if len(text) > MAX_QUESTION_CHARS:
        return Verdict.TOO_LONG
    if asked_last_hour >= QUESTIONS_PER_HOUR:
        return Verdict.TOO_MANY
    if muted:
        return Verdict.MUTED
    return Verdict.QUEUE


class Outcome(StrEnum):
    """What the bot did with a free-text question (the ask_log)."""

    ANSWERED = "answered"
    GUESSES = "guesses"
    NONE = "none"


def outcome_of(answer: Answer) -> Outcome:
    if answer.best is not None:
        return Outcome.ANSWERED
    return Outcome.GUESSES if answer.alternatives else Outcome.NONE


def topic_ref(answer: Answer) -> str | None:
    """The matched topic as ``<target>:<ref>`` (the best, else the first guess)."""
    match = answer.best or (answer.alternatives[0] if answer.alternatives else None)
    return f"{match.target}:{match.ref}" if match is not None else None


def guess_refs(answer: Answer) -> tuple[str, ...]:
    """The bot's best guesses for a question, as ``<target>:<ref>``."""
    matches = ([answer.best] if answer.best is not None else []) + list(answer.alternatives)
    return tuple(dict.fromkeys(f"{m.target}:{m.ref}" for m in matches))[:3]


def ref_title(content: Content, ref: str) -> str:
    """A ``<target>:<ref>`` as a reader would name it: a session's title, a FAQ entry's first
    question, a speaker's or room's name; the ref itself when it is gone."""
    target, _sep, key = ref.partition(":")
    found: object = None
    if target == Target.session and (session := content.sessions_by_id.get(key)):
        found = session.title
    elif target == Target.faq and (entry := content.faq_by_id.get(key)):
        found = entry.questions[0]
    elif target == Target.speaker and (speaker := content.speakers_by_id.get(key)):
        found = speaker.name
    elif target == Target.room and (room := content.rooms.get(key)):
        found = room.name
    elif target == Target.venue:
        found = key.replace("_", " ").capitalize()
    elif target == Target.listing:
        found = key
    return str(found) if found else ref


@dataclass(frozen=True)
class PendingQuestion:
    """A question kept between the bot's answer and the press of "Ask the organisers"."""

    id: int
    text: str
    language: str
    guesses: tuple[str, ...]
    at: dt.datetime

    def fresh(self, now: dt.datetime) -> bool:
        return dt.timedelta(0) <= now - self.at <= PENDING_TIME


class PendingQuestions:
    """Each person's last question, in memory only, for :data:`PENDING_TIME`, bounded; the
    button that passes it on names it by a short id, so its text never goes in callback data."""

    def __init__(self, limit: int = 2000) -> None:
        self.limit = limit
        self._ids = count(1)
        self._questions: dict[int, PendingQuestion] = {}

    def keep(
        self, user_id: int, text: str, language: str, guesses: Sequence[str], now: dt.datetime
    ) -> int:
        pending = PendingQuestion(next(self._ids), text, language, tuple(guesses), now)
        self._questions.pop(user_id, None)
        self._questions[user_id] = pending
        while len(self._questions) > self.limit:
            del self._questions[next(iter(self._questions))]
        return pending.id

    def has(self, user_id: int, pending_id: int, now: dt.datetime) -> bool:
        pending = self._questions.get(user_id)
        return pending is not None and pending.id == pending_id and pending.fresh(now)

    def take(self, user_id: int, pending_id: int, now: dt.datetime) -> PendingQuestion | None:
        """The person's question with that id, still fresh, removed; None otherwise."""
        pending = self._questions.get(user_id)
        if pending is None or pending.id != pending_id:
            return None
        del self._questions[user_id]
        return pending if pending.fresh(now) else None

    def forget(self, user_id: int) -> None:
        self._questions.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._questions)


@dataclass(frozen=True)
class QuestionGroup:
    """Questions asked in nearly the same words: how many, and one of them."""

    count: int
    example: str


def group_similar(texts: Iterable[str], threshold: float = SIMILAR) -> list[QuestionGroup]:
    """Questions grouped by token-set similarity to each group's first question, the largest
    groups first (then in the order first asked)."""
    groups: list[tuple[str, str, int]] = []  # (folded first, example, count)
    for text in texts:
        folded = fold(text)
        for index, (first, example, seen) in enumerate(groups):
            if fuzz.token_set_ratio(folded, first) >= threshold:
                groups[index] = (first, example, seen + 1)
                break
        else:
            groups.append((folded, text, 1))
    ordered = sorted(enumerate(groups), key=lambda item: (-item[1][2], item[0]))
    return [QuestionGroup(seen, example) for _i, (_f, example, seen) in ordered]


@dataclass(frozen=True)
class AddedFaq:
    """A staff reply made a FAQ entry, as stored."""

    id: int
    question: str
    answer: str
    language: str
    added_by_name: str | None
    added_at: dt.datetime

    @property
    def faq_id(self) -> str:
        return f"{ADDED_FAQ_PREFIX}{self.id}"


def faq_entry(added: AddedFaq) -> FaqEntry:
    """The FAQ entry of a staff reply; the answer is plain text made safe for Telegram HTML."""
    from html import escape

    return FaqEntry.model_validate(
        {
            "id": added.faq_id,
            "questions": [added.question],
            "answer": escape(added.answer, quote=False),
        }
    )


def faq_yaml(added: Sequence[AddedFaq]) -> str:
    """The added entries as faq.yaml text (checked against the FaqFile model) to paste in."""
    entries = [faq_entry(a) for a in added]
    FaqFile(faq=entries)  # the same validation as loading faq.yaml
    document = {
        "faq": [
            {"id": e.id, "questions": [str(q) for q in e.questions], "answer": str(e.answer)}
            for e in entries
        ]
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
