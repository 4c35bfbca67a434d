from __future__ import annotations

import datetime as dt

from bot.content import Content
from bot.domain.feedback import open_for_feedback
from bot.store import ReminderPreference
from scheduler.feedback import plan_feedback_prompts
from scheduler.plan import (
    diff_sessions,
    plan_change_notices,
    plan_reminders,
    reminder_key,
)
from scheduler.sender import wave_start

TZ_NOW = dt.datetime(2022, 7, 24, 8, 0, tzinfo=dt.UTC)


def keys(planned: list) -> list[str]:  # type: ignore[type-arg]
    return [d.key for d in planned]


def test_plan_reminders_uses_each_users_lead_time(bundled_timed: Content) -> None:
    prefs = [ReminderPreference(1, 15, False), ReminderPreference(2, 60, False)]
    planned = plan_reminders(bundled_timed, {1: {"wg-m"}, 2: {"wg-m"}}, prefs, TZ_NOW)
    start = bundled_timed.starts_at(bundled_timed.sessions_by_id["wg-m"])
    assert [(d.chat_id, d.due_at, d.not_after) for d in planned] == [
        (2, start - dt.timedelta(minutes=60), start),
        (1, start - dt.timedelta(minutes=15), start),
    ]


def test_plan_reminders_off_plans_nothing(bundled_timed: Content) -> None:
    prefs = [ReminderPreference(1, None, True)]
    assert plan_reminders(bundled_timed, {1: {"wg-m"}}, prefs, TZ_NOW) == []


def test_plan_reminders_for_everyone_sessions_reach_all_who_kept_them_on(
    bundled_timed: Content,
) -> None:
    prefs = [ReminderPreference(1, 15, True), ReminderPreference(2, 15, False)]
    planned = plan_reminders(bundled_timed, {}, prefs, TZ_NOW)
    assert [(d.chat_id, d.payload["session"]) for d in planned] == [(1, "plen-1")]


def test_plan_reminders_skips_started_sessions_and_unknown_ids(bundled_timed: Content) -> None:
    prefs = [ReminderPreference(1, 15, False)]
    after_wgm = bundled_timed.starts_at(bundled_timed.sessions_by_id["wg-m"]) + dt.timedelta(
        minutes=1
    )
    planned = plan_reminders(bundled_timed, {1: {"wg-m", "gov-1", "nope"}}, prefs, after_wgm)
    assert [d.payload["session"] for d in planned] == ["gov-1"]


def test_plan_reminders_is_stable_so_replanning_finds_the_same_keys(bundled_timed: Content) -> None:
    prefs = [ReminderPreference(1, 15, True)]
    first = plan_reminders(bundled_timed, {1: {"wg-m", "undesa-panel"}}, prefs, TZ_NOW)
    second = plan_reminders(bundled_timed, {1: {"undesa-panel", "wg-m"}}, prefs, TZ_NOW)
    assert keys(first) == keys(second)
    assert len(set(keys(first))) == 3


def test_reminder_key_changes_when_a_session_moves(bundled_timed: Content) -> None:
    session = bundled_timed.sessions_by_id["wg-m"]
    start = bundled_timed.starts_at(session)
    assert reminder_key(session, 1, start) != reminder_key(
        session, 1, start + dt.timedelta(hours=1)
    )


def moved(content: Content, session_id: str, **changes: object) -> Content:
    sessions = [s.model_copy(update=changes) if s.id == session_id else s for s in content.sessions]
    return Content(
        content.event, content.venue, sessions, list(content.speakers), list(content.faq)
    )


def test_diff_sessions_finds_time_room_and_removal(bundled_timed: Content) -> None:
    later = moved(bundled_timed, "wg-m", start=dt.time(15, 0), end=dt.time(16, 0))
    relocated = moved(bundled_timed, "gov-1", room="main-auditorium")
    removed = Content(
        bundled_timed.event,
        bundled_timed.venue,
        [s for s in bundled_timed.sessions if s.id != "reg-0"],
        list(bundled_timed.speakers),
        list(bundled_timed.faq),
    )
    assert [
        (c.session_id, c.moved, c.room_changed) for c in diff_sessions(bundled_timed, later)
    ] == [("wg-m", True, False)]
    assert [
        (c.session_id, c.moved, c.room_changed) for c in diff_sessions(bundled_timed, relocated)
    ] == [("gov-1", False, True)]
    assert [(c.session_id, c.cancelled) for c in diff_sessions(bundled_timed, removed)] == [
        ("reg-0", True)
    ]
    assert diff_sessions(bundled_timed, bundled_timed) == []


def test_plan_change_notices_only_for_choosers_and_keyed_by_change(bundled_timed: Content) -> None:
    later = moved(bundled_timed, "wg-m", start=dt.time(15, 0), end=dt.time(16, 0))
    changes = diff_sessions(bundled_timed, later)
    notices = plan_change_notices(changes, {"wg-m": [5, 6], "gov-1": [7]}, TZ_NOW)
    assert sorted(d.chat_id for d in notices) == [5, 6]
    again = plan_change_notices(diff_sessions(bundled_timed, later), {"wg-m": [5, 6]}, TZ_NOW)
    assert keys(notices) == keys(again)


def test_wave_start_leaves_time_for_the_whole_wave() -> None:
    due = dt.datetime(2022, 7, 25, 10, 0, tzinfo=dt.UTC)
    assert wave_start([(due, 300)], rate=30) == due - dt.timedelta(seconds=10)
    # An earlier bucket must also finish before the later one has to start.
    early = due - dt.timedelta(seconds=5)
    assert wave_start([(early, 30), (due, 300)], rate=30) == due - dt.timedelta(seconds=11)
    assert wave_start([], rate=30) is None


def test_plan_reminders_skips_cancelled_sessions(bundled_timed: Content) -> None:
    prefs = [ReminderPreference(1, 15, True)]
    cancelled = moved(bundled_timed, "wg-m", status="cancelled")

    planned = plan_reminders(cancelled, {1: {"wg-m"}}, prefs, TZ_NOW)

    assert [d.payload["session"] for d in planned] == ["plen-1"]


def test_plan_reminders_past_midnight_due_before_the_evening_start(bundled_timed: Content) -> None:
    late = moved(bundled_timed, "wg-m", start=dt.time(23, 0), end=dt.time(0, 30))
    prefs = [ReminderPreference(1, 15, False)]

    planned = plan_reminders(late, {1: {"wg-m"}}, prefs, TZ_NOW)

    start = dt.datetime(2022, 7, 24, 23, 0, tzinfo=bundled_timed.tz)
    assert [(d.due_at, d.not_after) for d in planned] == [(start - dt.timedelta(minutes=15), start)]


def test_diff_sessions_status_cancelled_is_a_cancellation_announced_once(
    bundled_timed: Content,
) -> None:
    cancelled = moved(bundled_timed, "wg-m", status="cancelled")

    changes = diff_sessions(bundled_timed, cancelled)

    assert [(c.session_id, c.cancelled) for c in changes] == [("wg-m", True)]
    assert keys(plan_change_notices(changes, {"wg-m": [5]}, TZ_NOW)) == keys(
        plan_change_notices(diff_sessions(bundled_timed, cancelled), {"wg-m": [5]}, TZ_NOW)
    )
    # The next reload still has it cancelled: nothing new to say.
    assert diff_sessions(cancelled, cancelled) == []
    assert diff_sessions(cancelled, without_session(cancelled, "wg-m")) == []


def test_diff_sessions_cancelled_session_back_at_same_time_is_announced_as_restored(
    bundled_timed: Content,
) -> None:
    cancelled = moved(bundled_timed, "wg-m", status="cancelled")

    changes = diff_sessions(cancelled, bundled_timed)

    assert [(c.session_id, c.restored, c.moved, c.room_changed) for c in changes] == [
        ("wg-m", True, False, False)
    ]
    (notice,) = plan_change_notices(changes, {"wg-m": [5]}, TZ_NOW)
    assert notice.payload["restored"] is True
    assert "restored-" in notice.key


def without_session(content: Content, session_id: str) -> Content:
    return Content(
        content.event,
        content.venue,
        [s for s in content.sessions if s.id != session_id],
        list(content.speakers),
        list(content.faq),
    )


# --- sessions whose time is to be announced (the bundled workshop and panel) ------------------

TBA = ("undesa-workshop", "undesa-panel")


def test_plan_reminders_skips_sessions_without_a_time(bundled: Content) -> None:
    prefs = [ReminderPreference(1, 15, True)]
    planned = plan_reminders(bundled, {1: {*TBA, "wg-m"}}, prefs, TZ_NOW)
    assert [d for d in keys(planned) if any(i in d for i in TBA)] == []
    assert any("wg-m" in d for d in keys(planned))


def test_feedback_prompts_and_rating_skip_sessions_without_a_time(bundled: Content) -> None:
    late = dt.datetime(2022, 7, 29, 20, 0, tzinfo=dt.UTC)
    assert plan_feedback_prompts(bundled, {1: set(TBA)}, TZ_NOW) == []
    assert not {s.id for s in open_for_feedback(bundled, late)} & set(TBA)


def test_diff_sessions_a_time_given_is_announced_as_scheduled(
    bundled: Content, bundled_timed: Content
) -> None:
    changes = {c.session_id: c for c in diff_sessions(bundled, bundled_timed)}
    assert set(changes) == set(TBA)
    assert all(c.scheduled and not c.cancelled for c in changes.values())
