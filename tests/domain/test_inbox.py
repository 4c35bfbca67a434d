"""The inbox's pure parts: limits, the pending question, grouping, the FAQ export."""

from __future__ import annotations

import datetime as dt

import yaml

from bot.content.models import FaqFile
from bot.domain.inbox import (
    PENDING_TIME,
    AddedFaq,
    PendingQuestions,
    Verdict,
    faq_yaml,
    group_similar,
    judge_question,
)

NOW = dt.datetime(2022, 7, 25, 8, 0, tzinfo=dt.UTC)


def test_limits_in_the_order_a_person_is_told() -> None:
    assert judge_question("hi", 0, muted=False, blocked=False) is Verdict.QUEUE
    assert judge_question("x" * 501, 0, muted=False, blocked=False) is Verdict.TOO_LONG
    assert judge_question("hi", 3, muted=False, blocked=False) is Verdict.TOO_MANY
    assert judge_question("hi", 2, muted=True, blocked=False) is Verdict.MUTED
    assert judge_question("hi", 0, muted=False, blocked=True) is Verdict.IGNORED


def test_pending_question_is_taken_once_and_only_while_fresh() -> None:
    pending = PendingQuestions()
    first = pending.keep(1, "prayer room?", "en", (), NOW)
    assert pending.take(1, first + 1, NOW) is None
    taken = pending.take(1, first, NOW)
    assert taken is not None and taken.text == "prayer room?"
    assert pending.take(1, first, NOW) is None
    late = pending.keep(1, "again", "en", (), NOW)
    assert pending.take(1, late, NOW + PENDING_TIME + dt.timedelta(seconds=1)) is None


def test_similar_questions_are_grouped_largest_first() -> None:
    groups = group_similar(
        ["is there a prayer room", "can I bring my dog", "Is there a prayer room nearby?"]
    )
    assert [(g.count, g.example) for g in groups] == [
        (2, "is there a prayer room"),
        (1, "can I bring my dog"),
    ]


def test_faq_export_is_valid_faq_yaml() -> None:
    text = faq_yaml([AddedFaq(3, "prayer room?", "Room B2 <1st floor>", "en", "Sam", NOW)])
    document = yaml.safe_load(text)
    assert FaqFile.model_validate(document).faq[0].id == "inbox-3"
    assert document["faq"][0]["answer"] == "Room B2 &lt;1st floor&gt;"
