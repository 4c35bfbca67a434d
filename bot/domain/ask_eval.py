"""Accuracy of the answerer on a labelled set of questions, shared by the tests and
bench/answers.py; the bot itself does not use it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.domain.ask import Answer, Answerer, Target


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    now: dt.datetime
    target: Target
    ref: str
    also_ok: tuple[tuple[Target, str], ...] = ()

    def accepts(self, target: Target, ref: str) -> bool:
        return (target, ref) == (self.target, self.ref) or (target, ref) in self.also_ok


def parse_ref(text: str, default: Target) -> tuple[Target, str]:
    """``"venue:wifi"`` names its target; a bare ref (even ``"2022-07-26:day"``) keeps it."""
    head, sep, tail = text.partition(":")
    if sep and head in Target.__members__:
        return Target(head), tail
    return default, text


def load_questions(path: Path, tz: ZoneInfo) -> list[LabelledQuestion]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    default_now = str(data.get("default_now", "2022-07-25T09:00:00"))
    questions = []
    for row in data["questions"]:
        target = Target(row["target"])
        now = dt.datetime.fromisoformat(str(row.get("now", default_now)))
        if now.tzinfo is None:
            now = now.replace(tzinfo=tz)
        questions.append(
            LabelledQuestion(
                text=str(row["q"]),
                now=now,
                target=target,
                ref=str(row["ref"]),
                also_ok=tuple(parse_ref(str(r), target) for r in row.get("also_ok", ())),
            )
        )
    return questions


def is_top1(question: LabelledQuestion, answer: Answer) -> bool:
    return answer.best is not None and question.accepts(answer.best.target, answer.best.ref)


def is_top3(question: LabelledQuestion, answer: Answer) -> bool:
    shown = ([answer.best] if answer.best is not None else []) + list(answer.alternatives)
    return any(question.accepts(m.target, m.ref) for m in shown[:3])


def accuracy(answerer: Answerer, questions: list[LabelledQuestion]) -> tuple[float, float]:
    """Share of questions whose expected answer is the best match, and among the first three."""
    if not questions:
        return 0.0, 0.0
    top1 = top3 = 0
    for question in questions:
        answer = answerer.answer(question.text, question.now)
        top1 += is_top1(question, answer)
        top3 += is_top3(question, answer)
    return top1 / len(questions), top3 / len(questions)
