"""Helpers of the answerer's tests: the bundled event's clock, the best answer as a pair, and
the example events loaded once."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.content.loader import load_content_or_raise
from bot.content.models import Content
from bot.domain.ask import Answer, Answerer, Target

RABAT = ZoneInfo("Africa/Casablanca")
MONDAY_9 = dt.datetime(2022, 7, 25, 9, 0, tzinfo=RABAT)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def best_of(answer: Answer) -> tuple[Target, str] | None:
    return None if answer.best is None else (answer.best.target, answer.best.ref)


@cache
def example(name: str) -> Content:
    """The content of ``examples/<name>``, loaded once for the whole test run."""
    content, _warnings = load_content_or_raise(EXAMPLES / name)
    return content


@cache
def example_answerer(name: str) -> Answerer:
    return Answerer(example(name))


def example_at(name: str, when: str) -> tuple[Answerer, dt.datetime]:
    """The answerer of ``examples/<name>`` and the local time ``when`` of that event."""
    return example_answerer(name), dt.datetime.fromisoformat(when).replace(tzinfo=example(name).tz)
