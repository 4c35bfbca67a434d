"""The hackathon example's question sets (held out and tuning) load, and every label is real.

bench/heldout/hackathon.*.yaml and bench/tuning/hackathon.*.yaml were written without seeing the
matcher. This test only checks that each file loads with ``load_questions`` and that every label
(the expected answer and each ``also_ok``) names something in examples/hackathon, so that a typo
in a ref does not silently count as a miss.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.content.loader import load_content_or_raise
from bot.content.models import Content
from bot.domain.ask import PARTS, VENUE_TOPICS, Target
from bot.domain.ask_eval import LabelledQuestion, load_questions

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "examples" / "hackathon"
LANGUAGES = ("en", "de", "fr", "ar", "pt", "es")
HELDOUT = sorted((ROOT / "bench" / "heldout").glob("hackathon.*.yaml"))
TUNING = sorted((ROOT / "bench" / "tuning").glob("hackathon.*.yaml"))


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, _warnings = load_content_or_raise(CONTENT)
    return loaded


def is_real(content: Content, target: Target, ref: str) -> bool:
    ids = {
        Target.session: set(content.sessions_by_id),
        Target.speaker: set(content.speakers_by_id),
        Target.room: set(content.rooms),
        Target.faq: set(content.faq_by_id),
        Target.venue: set(VENUE_TOPICS),
    }
    if target is not Target.listing:
        return ref in ids[target]
    if ref in ("now", "next"):
        return True
    day, _, part = ref.partition(":")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return False
    return part in PARTS and content.event.start_date <= date <= content.event.end_date


def labels(question: LabelledQuestion) -> list[tuple[Target, str]]:
    return [(question.target, question.ref), *question.also_ok]


def test_every_language_has_both_sets() -> None:
    for folder in (HELDOUT, TUNING):
        assert sorted(p.name.split(".")[1] for p in folder) == sorted(LANGUAGES)


@pytest.mark.parametrize("path", HELDOUT + TUNING, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_set_loads_and_every_label_is_real(path: Path, content: Content) -> None:
    header = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert header["content"] == "examples/hackathon"
    assert header["language"] == path.name.split(".")[1]
    questions = load_questions(path, content.tz)
    assert questions
    wrong = [
        f"{q.text!r} -> {target}:{ref}"
        for q in questions
        for target, ref in labels(q)
        if not is_real(content, target, ref)
    ]
    assert not wrong, "labels naming nothing in the content:\n" + "\n".join(wrong)
    texts = [q.text for q in questions]
    assert len(set(texts)) == len(texts), "a question appears twice"
    first, last = content.event.start_date, content.event.end_date + dt.timedelta(days=1)
    assert all(first <= q.now.date() <= last for q in questions), "asked outside the event"


def test_tuning_and_heldout_ask_different_questions() -> None:
    def texts(paths: list[Path]) -> set[str]:
        return {
            str(row["q"]).strip().lower()
            for p in paths
            for row in yaml.safe_load(p.read_text(encoding="utf-8"))["questions"]
        }

    assert not texts(HELDOUT) & texts(TUNING)
