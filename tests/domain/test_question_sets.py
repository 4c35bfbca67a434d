"""Every question set (bench/heldout/ and bench/tuning/) loads, and every label names something
real in the content the set is about.

The held-out sets are written without seeing the matcher and must not be tuned on; this test
only checks that each label is a real answer in that content, so that a typo in a ref does not
silently count as a miss in bench/answers.py, and that a tuning set never repeats a held-out
question of the same event and language.
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
TUNING_SETS = sorted((ROOT / "bench" / "tuning").rglob("*.yaml"))
LANGUAGES = ("ar", "de", "en", "es", "fr", "pt")


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
    # Listings by filter: sessions online, in a language, of a track.
    if ref == "online":
        return any(s.mode.value != "in-person" for s in content.sessions)
    kind, _, value = ref.partition(":")
    if kind == "language":
        return any(value in session_languages(s) for s in content.sessions)
    if kind == "track":
        return value in content.tracks
    day, _, part = ref.partition(":")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return False
    return part in PARTS and content.event.start_date <= date <= content.event.end_date


def session_languages(session: object) -> list[str]:
    value = getattr(session, "language", None)
    if not value:
        return []
    return [
        str(code).split("-")[0] for code in (value if isinstance(value, (list, tuple)) else [value])
    ]


def labels(question: LabelledQuestion) -> list[tuple[Target, str]]:
    return [(question.target, question.ref), *question.also_ok]


def texts(path: Path) -> set[str]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return {str(row["q"]).strip().lower() for row in rows}


def test_every_event_has_heldout_sets_in_every_language() -> None:
    events = {p.name.split(".")[0] for p in HELDOUT_SETS}
    assert events >= {"bundled", "lisbon", "camp2019", "hackathon"}
    for event in events:
        found = sorted(p.name.split(".")[1] for p in HELDOUT_SETS if p.name.startswith(event))
        assert found == list(LANGUAGES), event


@pytest.mark.parametrize(
    "path", HELDOUT_SETS + TUNING_SETS, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_set_loads_and_every_label_is_real(path: Path) -> None:
    header = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert header.get("language") == path.name.split(".")[1]
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
    assert len(texts(path)) == len(questions), "a question appears twice"


@pytest.mark.parametrize(
    "path", TUNING_SETS, ids=lambda p: str(p.relative_to(ROOT / "bench" / "tuning"))
)
def test_tuning_set_repeats_no_heldout_question(path: Path) -> None:
    heldout = ROOT / "bench" / "heldout" / path.name
    if heldout.exists():
        assert not texts(path) & texts(heldout)
