"""The held-out question sets in bench/heldout/ load, and every label names something real.

These sets are written without seeing the matcher and must not be tuned on; this test only checks
that each label is a real answer in the content the set is about, so that a typo in a ref does
not silently count as a miss in bench/answers.py.
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
HELDOUT_SETS = sorted((ROOT / "bench" / "heldout").glob("*.yaml"))


def real_refs(content: Content) -> dict[Target, set[str]]:
    return {
        Target.session: set(content.sessions_by_id),
        Target.speaker: set(content.speakers_by_id),
        Target.room: set(content.rooms),
        Target.faq: set(content.faq_by_id),
        Target.venue: set(VENUE_TOPICS),
    }


def is_real(content: Content, target: Target, ref: str) -> bool:
    if target is not Target.listing:
        return ref in real_refs(content)[target]
    if ref in ("now", "next"):
        return True
    day, _, part = ref.partition(":")
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return False
    return part in PARTS


def labels(question: LabelledQuestion) -> list[tuple[Target, str]]:
    return [(question.target, question.ref), *question.also_ok]


def test_there_are_heldout_sets() -> None:
    assert HELDOUT_SETS


@pytest.mark.parametrize("path", HELDOUT_SETS, ids=lambda p: p.name)
def test_every_label_is_real(path: Path) -> None:
    header = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert header.get("language"), "a held-out set says which language it is written in"
    folder = ROOT / str(header.get("content", "content"))
    if not folder.is_dir():
        pytest.skip(f"content folder {header.get('content')} not in this checkout")
    content, _warnings = load_content_or_raise(folder)
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
