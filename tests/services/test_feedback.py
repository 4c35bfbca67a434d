"""The feedback service on a real store: respondent keys, the summaries staff read, and what each
press on a feedback card stores and asks next. No Telegram."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import ConfigError, Settings
from bot.content import Content
from bot.domain.feedback import COMMENT_WINDOW, NO_GROUP, pseudonym
from bot.domain.outbox import Delivery, OutboxKind
from bot.services.feedback import (
    CommentOutcome,
    FeedbackAction,
    FeedbackPress,
    FeedbackService,
    Toast,
)
from bot.store import Store
from scheduler.feedback import feedback_key
from tests.services.conftest import NOW

USER = 1001
OTHER = 1002
# The UNDESA workshop (26 July 09:00-12:30 in Casablanca) asks the event's two questions.
WORKSHOP_OVER = dt.datetime(2022, 7, 26, 11, 45, tzinfo=dt.UTC)


def service(store: Store, settings: Settings) -> FeedbackService:
    return FeedbackService(store, settings)


def pressed(action: FeedbackAction, session_id: str = "plen-1", number: int = 0) -> FeedbackPress:
    return FeedbackPress(action, session_id, number)


# --- respondent keys ---------------------------------------------------------------------------


async def test_respondent_is_the_pseudonym_under_the_configured_secret(
    store: Store, settings: Settings
) -> None:
    feedback = service(store, settings)
    assert await feedback.respondent(USER) == pseudonym(b"test-secret", USER)
    assert await feedback.respondents([OTHER, USER, OTHER]) == {
        OTHER: pseudonym(b"test-secret", OTHER),
        USER: pseudonym(b"test-secret", USER),
    }


async def test_respondent_without_configured_secret_is_stable_per_store(store: Store) -> None:
    unset = Settings(feedback_secret=None)
    first = await service(store, unset).respondent(USER)
    assert first == await service(store, unset).respondent(USER)
    assert first == pseudonym(await store.feedback_secret(None), USER)
    assert first != pseudonym(b"test-secret", USER)


# --- summaries -----------------------------------------------------------------------------------


async def test_summaries_count_prompted_people_by_respondent_key(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    deliveries = [
        Delivery(
            key=feedback_key("plen-1", user),
            kind=OutboxKind.FEEDBACK,
            chat_id=user,
            payload={"session": "plen-1"},
            due_at=NOW,
        )
        for user in (USER, OTHER)
    ]
    await store.enqueue(deliveries, NOW)
    ids = [row.id for row in await store.outbox_rows(OutboxKind.FEEDBACK)]
    await store.claim(ids)
    await store.finish(ids, "sent", NOW)
    await store.save_rating("plen-1", await feedback.respondent(USER), 4, NOW)

    summaries = {s.session_id: s for s in await feedback.summaries(bundled_timed, NOW)}

    plen = summaries["plen-1"]
    assert (plen.prompted, plen.responded_prompted, plen.ratings, plen.mean) == (2, 1, 1, 4.0)
    assert plen.response_rate == 0.5


# --- the feedback card: refusals -----------------------------------------------------------------


async def test_press_on_a_session_no_longer_there_is_refused(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    outcome = await service(store, settings).press(
        bundled_timed, USER, pressed(FeedbackAction.RATE, "gone", 4), NOW
    )
    assert outcome.toast is Toast.GONE and outcome.session is None
    assert await store.all_feedback_answers() == []


async def test_press_on_a_session_without_feedback_or_not_started_is_refused(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    no_feedback = await feedback.press(
        bundled_timed, USER, pressed(FeedbackAction.RATE, "reg-1", 4), NOW
    )
    not_started = await feedback.press(
        bundled_timed, USER, pressed(FeedbackAction.RATE, "undesa-workshop", 4), NOW
    )
    assert no_feedback.toast is Toast.NO_FEEDBACK
    assert not_started.toast is Toast.NOT_STARTED
    assert await store.all_feedback_answers() == []


async def test_comment_skip_remove_or_question_before_a_rating_is_refused(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    for action in (FeedbackAction.COMMENT, FeedbackAction.SKIP, FeedbackAction.UNCOMMENT):
        outcome = await feedback.press(bundled_timed, USER, pressed(action), NOW)
        assert outcome.toast is Toast.RATE_FIRST, action
    question = FeedbackPress(FeedbackAction.QUESTION, "undesa-workshop", 0, 2)
    outcome = await feedback.press(bundled_timed, USER, question, WORKSHOP_OVER)
    assert outcome.toast is Toast.RATE_FIRST


async def test_question_no_longer_asked_or_forged_option_is_refused(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    workshop = "undesa-workshop"
    await feedback.press(
        bundled_timed, USER, pressed(FeedbackAction.RATE, workshop, 5), WORKSHOP_OVER
    )
    gone = FeedbackPress(FeedbackAction.QUESTION, workshop, 2, 0)
    forged = FeedbackPress(FeedbackAction.QUESTION, workshop, 0, 9)
    assert (await feedback.press(bundled_timed, USER, gone, WORKSHOP_OVER)).toast is Toast.GONE
    assert (await feedback.press(bundled_timed, USER, forged, WORKSHOP_OVER)).toast is Toast.STALE
    stored = await feedback.answer(workshop, USER)
    assert stored is not None and dict(stored.answers) == {}


# --- the feedback card: the flow -----------------------------------------------------------------


async def test_rating_without_questions_asks_for_a_comment_for_a_while(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    outcome = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=4), NOW)
    assert outcome.toast is Toast.RATED
    assert outcome.session is not None and outcome.session.id == "plen-1"
    assert outcome.questions == ()
    assert outcome.answer is not None and outcome.answer.rating == 4
    assert (outcome.asking_comment, outcome.ask_group) == (True, False)
    later = NOW + COMMENT_WINDOW + dt.timedelta(seconds=1)
    assert await store.take_pending_comment(USER, later) is None


async def test_rating_then_questions_then_comment(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    workshop = "undesa-workshop"
    rated = await feedback.press(
        bundled_timed, USER, pressed(FeedbackAction.RATE, workshop, 3), WORKSHOP_OVER
    )
    assert [q.id for q in rated.questions] == ["partnerships", "practices"]
    assert rated.asking_comment is False  # the questions come first

    first = FeedbackPress(FeedbackAction.QUESTION, workshop, 0, 4)  # the fifth option: 5
    answered = await feedback.press(bundled_timed, USER, first, WORKSHOP_OVER)
    assert answered.toast is Toast.SAVED and answered.asking_comment is False
    skipped = FeedbackPress(FeedbackAction.QUESTION, workshop, 1, None)
    last = await feedback.press(bundled_timed, USER, skipped, WORKSHOP_OVER)

    assert last.toast is Toast.SAVED and last.asking_comment is True
    assert last.answer is not None
    assert dict(last.answer.answers) == {"partnerships": 5, "practices": None}
    assert await store.take_pending_comment(USER, WORKSHOP_OVER) == workshop


async def test_skipping_the_comment_asks_the_group_once(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=5), NOW)
    first = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.SKIP), NOW)
    again = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.SKIP), NOW)
    assert (first.toast, first.asking_comment, first.ask_group) == (Toast.NONE, False, True)
    assert again.ask_group is False
    assert await store.take_pending_comment(USER, NOW) is None


async def test_absent_clears_the_pending_comment_and_never_asks_the_group(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=2), NOW)
    absent = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.ABSENT), NOW)
    skipped = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.SKIP), NOW)
    assert absent.toast is Toast.ABSENT
    assert absent.answer is not None and absent.answer.attended is False
    assert absent.asking_comment is False
    assert skipped.ask_group is False
    assert await store.take_pending_comment(USER, NOW) is None


async def test_comment_button_asks_again_and_remove_clears_it(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=5), NOW)
    taken = await feedback.take_comment(bundled_timed, USER, "Inspiring", NOW)
    asked = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.COMMENT), NOW)
    assert asked.toast is Toast.NONE and asked.asking_comment is True
    removed = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.UNCOMMENT), NOW)
    opened = await feedback.press(bundled_timed, USER, pressed(FeedbackAction.OPEN), NOW)

    assert taken is not None and taken.session_id == "plen-1"
    assert removed.toast is Toast.COMMENT_REMOVED
    assert removed.answer is not None and removed.answer.comment is None
    assert (opened.toast, opened.asking_comment) == (Toast.NONE, False)


async def test_take_comment_saves_the_text_and_asks_the_group_once(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=4), NOW)

    taken = await feedback.take_comment(bundled_timed, USER, "Too long", NOW)

    assert taken == CommentOutcome("plen-1", bundled_timed.sessions_by_id["plen-1"], ask_group=True)
    stored = await feedback.answer("plen-1", USER)
    assert stored is not None and stored.comment == "Too long"
    # Nothing pending any more: the next text is not a comment.
    assert await feedback.take_comment(bundled_timed, USER, "where is lunch?", NOW) is None


async def test_take_comment_without_a_pending_one_is_none(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    assert await service(store, settings).take_comment(bundled_timed, OTHER, "hello", NOW) is None


# --- the person's group and the follow-up --------------------------------------------------------


async def test_group_is_stored_under_the_respondent_key(store: Store, settings: Settings) -> None:
    feedback = service(store, settings)
    assert await feedback.open_group_question(USER, NOW) is None
    await feedback.set_group(USER, "cso", NOW)
    assert await feedback.open_group_question(USER, NOW) == "cso"
    assert await store.respondent_groups() == {await feedback.respondent(USER): "cso"}
    await feedback.set_group(USER, NO_GROUP, NOW)
    assert await store.respondent_groups() == {}


async def test_opening_the_group_question_counts_as_asked(store: Store, settings: Settings) -> None:
    feedback = service(store, settings)
    await feedback.open_group_question(USER, NOW)
    assert await store.mark_group_asked(await feedback.respondent(USER), NOW) is False


async def test_answered_sessions_of_a_user(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.ABSENT), NOW)
    assert await feedback.answered_sessions(USER) == {"plen-1"}
    assert await feedback.answered_sessions(OTHER) == set()


# --- anonymity: closing, pending comments, the secret's check -----------------------------------

STRONG = "k3Xf9Qa7Lm2Vt8Rz1Wc6Yh4Jp0Bn5Ds_"  # 33 characters, about 190 bits by the estimate
OTHER_STRONG = "Zq8Wn3Lk5Xr1Vb7Mt2Yc9Ph4Jd6Fs0Ga-"


async def test_press_after_feedback_closed_is_refused_so_exports_stay_final(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    closed = dt.datetime(2022, 7, 27, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=4), NOW)
    for action in (FeedbackAction.RATE, FeedbackAction.ABSENT, FeedbackAction.UNCOMMENT):
        outcome = await feedback.press(bundled_timed, USER, pressed(action, number=2), closed)
        assert outcome.toast is Toast.CLOSED and outcome.session is None, action
    late = await feedback.press(
        bundled_timed, OTHER, pressed(FeedbackAction.RATE, number=1), closed
    )
    assert late.toast is Toast.CLOSED
    assert [(a.rating, a.attended) for a in await store.all_feedback_answers()] == [(4, True)]


async def test_comment_arriving_after_feedback_closed_is_not_taken(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    just_before = dt.datetime(2022, 7, 26, 22, 55, tzinfo=dt.UTC)  # 23:55 in Casablanca
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=4), just_before)
    after = just_before + dt.timedelta(minutes=6)
    assert await feedback.take_comment(bundled_timed, USER, "late words", after) is None
    stored = await feedback.answer("plen-1", USER)
    assert stored is not None and stored.comment is None


async def test_pending_comment_rows_are_gone_after_their_window(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=4), NOW)
    assert await store.purge_expired_pending_comments(NOW + COMMENT_WINDOW / 2) == 0
    assert await store.purge_expired_pending_comments(NOW + COMMENT_WINDOW) == 1
    assert await store._rows("SELECT * FROM feedback_pending_comments") == []
    assert await feedback.take_comment(bundled_timed, USER, "too late", NOW) is None


async def test_a_new_pending_comment_purges_the_expired_ones_of_others(
    store: Store, settings: Settings, bundled_timed: Content
) -> None:
    feedback = service(store, settings)
    await feedback.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=4), NOW)
    later = NOW + COMMENT_WINDOW + dt.timedelta(seconds=1)
    await feedback.press(bundled_timed, OTHER, pressed(FeedbackAction.RATE, number=2), later)
    rows = await store._rows("SELECT user_id FROM feedback_pending_comments")
    assert [row[0] for row in rows] == [OTHER]


async def test_verify_secret_records_the_check_and_accepts_the_same_secret(
    store: Store, settings: Settings
) -> None:
    strong = Settings(feedback_secret=STRONG)
    await service(store, strong).verify_secret()
    await service(store, strong).verify_secret()  # a restart with the same secret
    generated, check, _ = await store.feedback_secret_state()
    assert generated is None and check is not None and STRONG not in check


async def test_verify_secret_refuses_a_changed_secret_with_the_fix(store: Store) -> None:
    await service(store, Settings(feedback_secret=STRONG)).verify_secret()
    await service(store, Settings(feedback_secret=STRONG)).respondent(USER)
    with pytest.raises(ConfigError, match="not the secret this database") as refused:
        await service(store, Settings(feedback_secret=OTHER_STRONG)).verify_secret()
    assert "Set the variable back" in str(refused.value)
    assert "reset-feedback" in str(refused.value)
    with pytest.raises(ConfigError, match="is not set"):
        await service(store, Settings(feedback_secret=None)).verify_secret()


async def test_verify_secret_refuses_a_weak_secret(store: Store) -> None:
    for weak in ("test-secret", "a" * 40, "ab" * 20):
        with pytest.raises(ConfigError, match="too weak"):
            await service(store, Settings(feedback_secret=weak)).verify_secret()
    assert await store.feedback_secret_state() == (None, None, False)


async def test_configured_secret_replaces_an_unused_generated_one(store: Store) -> None:
    await service(store, Settings(feedback_secret=None)).verify_secret()
    generated, _, _ = await store.feedback_secret_state()
    assert generated is not None
    configured = service(store, Settings(feedback_secret=STRONG))
    await configured.verify_secret()
    assert (await store.feedback_secret_state())[0] is None  # the generated one is gone
    assert await configured.respondent(USER) == pseudonym(STRONG.encode(), USER)


async def test_configured_secret_is_refused_over_answers_under_a_generated_one(
    store: Store, bundled_timed: Content
) -> None:
    unset = service(store, Settings(feedback_secret=None))
    await unset.verify_secret()
    await unset.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=5), NOW)
    with pytest.raises(ConfigError, match="generated"):
        await service(store, Settings(feedback_secret=STRONG)).verify_secret()
    assert (await store.feedback_secret_state())[0] is not None  # nothing was changed
    await unset.verify_secret()  # going on with the generated secret still works


async def test_reset_feedback_lets_a_new_secret_start(store: Store, bundled_timed: Content) -> None:
    first = service(store, Settings(feedback_secret=STRONG))
    await first.verify_secret()
    await first.press(bundled_timed, USER, pressed(FeedbackAction.RATE, number=5), NOW)
    assert await store.reset_feedback() == 1
    await service(store, Settings(feedback_secret=OTHER_STRONG)).verify_secret()
    assert await store.all_feedback_answers() == []
