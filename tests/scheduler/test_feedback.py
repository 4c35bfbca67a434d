"""Feedback prompts: pure planning, and applying the plan to the outbox of a real store."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content import Content
from bot.domain.outbox import OutboxKind
from bot.store import Store
from scheduler.feedback import feedback_key, plan_feedback_prompts
from scheduler.service import replan_feedback

CASABLANCA = dt.timezone(dt.timedelta(hours=1))
MORNING = dt.datetime(2022, 7, 25, 9, 0, tzinfo=CASABLANCA)


def without(content: Content, session_id: str) -> Content:
    return Content(
        content.event,
        content.venue,
        [s for s in content.sessions if s.id != session_id],
        list(content.speakers),
        list(content.faq),
    )


def test_plan_one_prompt_per_person_and_session_after_the_end(bundled_timed: Content) -> None:
    planned = plan_feedback_prompts(
        bundled_timed, {7: {"plen-1", "undesa-workshop"}, 8: {"plen-1"}}, MORNING
    )
    assert [(d.key, d.due_at.astimezone(CASABLANCA).strftime("%d %H:%M")) for d in planned] == [
        ("feedback:plen-1:7", "25 11:35"),
        ("feedback:plen-1:8", "25 11:35"),
        ("feedback:undesa-workshop:7", "26 12:35"),
    ]
    assert {(d.kind, d.priority) for d in planned} == {(OutboxKind.FEEDBACK, 0)}
    assert planned[0].payload == {"session": "plen-1"}
    assert planned[0].not_after == dt.datetime(2022, 7, 27, 0, 0, tzinfo=CASABLANCA)


def test_plan_skips_sessions_without_feedback_unknown_ones_and_late_ones(
    bundled_timed: Content,
) -> None:
    audience = {7: {"reg-1", "gone", "plen-1"}}
    assert plan_feedback_prompts(bundled_timed, audience, MORNING)[0].key == "feedback:plen-1:7"
    assert (
        len(plan_feedback_prompts(bundled_timed, audience, MORNING)) == 1
    )  # reg-1: feedback false
    two_days_later = dt.datetime(2022, 7, 27, 0, 0, tzinfo=CASABLANCA)
    assert plan_feedback_prompts(bundled_timed, audience, two_days_later) == []


def test_feedback_key_has_no_time_so_a_moved_session_is_not_asked_twice() -> None:
    assert feedback_key("plen-1", 7) == "feedback:plen-1:7"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "store.sqlite3")
    yield opened
    await opened.close()


async def test_replan_feedback_from_choices_and_door_openers(
    store: Store, bundled_timed: Content
) -> None:
    await store.touch_user(7, "en", MORNING)
    await store.touch_user(8, "en", MORNING)
    await store.add_choice(7, "plen-1", MORNING)
    await store.record_door_open(8, "plen-1", MORNING)
    await store.record_door_open(8, "undesa-panel", MORNING)
    await replan_feedback(store, bundled_timed, MORNING)
    rows = await store.outbox_rows(OutboxKind.FEEDBACK)
    assert sorted((r.key, r.state) for r in rows) == [
        ("feedback:plen-1:7", "pending"),
        ("feedback:plen-1:8", "pending"),
        ("feedback:undesa-panel:8", "pending"),
    ]


async def test_replan_feedback_cancels_a_removed_session_and_a_blocked_user(
    store: Store, bundled_timed: Content
) -> None:
    for user in (7, 8):
        await store.touch_user(user, "en", MORNING)
        await store.add_choice(user, "plen-1", MORNING)
        await store.add_choice(user, "undesa-panel", MORNING)
    await replan_feedback(store, bundled_timed, MORNING)
    await store.mark_blocked(8, MORNING)
    await replan_feedback(store, without(bundled_timed, "undesa-panel"), MORNING)
    states = {r.key: r.state for r in await store.outbox_rows(OutboxKind.FEEDBACK)}
    assert states == {
        "feedback:plen-1:7": "pending",
        "feedback:undesa-panel:7": "cancelled",
        "feedback:plen-1:8": "cancelled",
        "feedback:undesa-panel:8": "cancelled",
    }


async def test_replan_feedback_for_one_user_leaves_the_others(
    store: Store, bundled_timed: Content
) -> None:
    for user in (7, 8):
        await store.touch_user(user, "en", MORNING)
        await store.add_choice(user, "plen-1", MORNING)
    await replan_feedback(store, bundled_timed, MORNING)
    await store.remove_choice(7, "plen-1")
    await replan_feedback(store, bundled_timed, MORNING, user_id=7)
    states = {r.key: r.state for r in await store.outbox_rows(OutboxKind.FEEDBACK)}
    assert states == {"feedback:plen-1:7": "cancelled", "feedback:plen-1:8": "pending"}


async def test_store_keeps_one_answer_per_person_and_a_pending_comment_once(
    store: Store,
) -> None:
    await store.save_rating("plen-1", "p1", 2, MORNING)
    await store.save_rating("plen-1", "p1", 5, MORNING)
    await store.save_comment("plen-1", "p1", "👍 <b>ok</b>", MORNING)
    await store.save_not_attended("plen-1", "p2", MORNING)
    answers = await store.all_feedback_answers()
    assert [(a.respondent, a.rating, a.attended, a.comment) for a in answers] == [
        ("p1", 5, True, "👍 <b>ok</b>"),
        ("p2", None, False, None),
    ]
    assert not await store.save_question_answer("plen-1", "p2", "q", 3, MORNING)
    await store.set_pending_comment(7, "plen-1", MORNING + dt.timedelta(minutes=10), MORNING)
    assert await store.take_pending_comment(7, MORNING) == "plen-1"
    assert await store.take_pending_comment(7, MORNING) is None
    await store.set_pending_comment(7, "plen-1", MORNING + dt.timedelta(minutes=10), MORNING)
    assert await store.take_pending_comment(7, MORNING + dt.timedelta(minutes=11)) is None


async def test_store_keeps_a_generated_secret_across_reopening(tmp_path: Path) -> None:
    first = await Store.open(tmp_path / "s.sqlite3")
    secret = await first.feedback_secret(None)
    assert await first.feedback_secret("configured") == b"configured"
    await first.close()
    again = await Store.open(tmp_path / "s.sqlite3")
    assert await again.feedback_secret(None) == secret and len(secret) == 64
    await again.close()


def test_plan_skips_cancelled_sessions(bundled_timed: Content) -> None:
    sessions = [
        s.model_copy(update={"status": "cancelled"}) if s.id == "plen-1" else s
        for s in bundled_timed.sessions
    ]
    cancelled = Content(
        bundled_timed.event,
        bundled_timed.venue,
        sessions,
        list(bundled_timed.speakers),
        list(bundled_timed.faq),
    )

    planned = plan_feedback_prompts(cancelled, {7: {"plen-1", "undesa-workshop"}}, MORNING)

    assert [d.key for d in planned] == ["feedback:undesa-workshop:7"]
