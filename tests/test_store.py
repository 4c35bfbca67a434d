from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.domain.outbox import Delivery, OutboxKind
from bot.store import Store, migrations

NOW = dt.datetime(2022, 7, 25, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


def delivery(key: str, chat: int, minutes: int = 0, **extra: object) -> Delivery:
    return Delivery(
        key=key,
        kind=OutboxKind.REMINDER,
        chat_id=chat,
        payload={"session": "x"},
        due_at=NOW + dt.timedelta(minutes=minutes),
        **extra,
    )  # type: ignore[arg-type]


async def test_store_open_applies_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = await Store.open(path)
    assert await first.schema_version() == len(migrations())
    await first.close()
    again = await Store.open(path)  # a second start must not re-run migrations
    assert await again.schema_version() == len(migrations())
    await again.close()


async def test_touch_user_records_first_and_last_seen(store: Store) -> None:
    await store.touch_user(7, "fr", NOW)
    later = NOW + dt.timedelta(hours=1)
    await store.touch_user(7, None, later)
    user = await store.user(7)
    assert user is not None
    assert (user.language, user.first_seen, user.last_seen, user.blocked) == (
        "fr",
        NOW,
        later,
        False,
    )


async def test_mark_blocked_then_user_writes_again_unblocks(store: Store) -> None:
    await store.touch_user(7, "en", NOW)
    await store.mark_blocked(7, NOW)
    assert (await store.count_users()) == (1, 1)
    assert await store.reminder_preferences() == []
    await store.touch_user(7, "en", NOW + dt.timedelta(minutes=1))
    assert (await store.count_users()) == (1, 0)


async def test_choices_add_is_idempotent_and_remove_works(store: Store) -> None:
    await store.touch_user(1, None, NOW)
    assert await store.add_choice(1, "plen-1", NOW) is True
    assert await store.add_choice(1, "plen-1", NOW) is False
    assert await store.choices_of(1) == {"plen-1"}
    assert await store.choosers_of("plen-1") == [1]
    assert await store.remove_choice(1, "plen-1") is True
    assert await store.choices_of(1) == set()


async def test_enqueue_same_key_twice_keeps_one_row(store: Store) -> None:
    assert await store.enqueue([delivery("a", 1), delivery("b", 2)], NOW) == 2
    assert await store.enqueue([delivery("a", 1)], NOW) == 0
    assert await store.outbox_counts() == {"pending": 2}


async def test_sync_planned_updates_pending_and_cancels_unplanned(store: Store) -> None:
    await store.enqueue([delivery("a", 1, 5), delivery("b", 1, 6)], NOW)
    changed, cancelled = await store.sync_planned(OutboxKind.REMINDER, [delivery("a", 1, 10)], NOW)
    assert (changed, cancelled) == (1, 1)
    rows = {r.key: r for r in await store.outbox_rows()}
    assert rows["a"].due_at == NOW + dt.timedelta(minutes=10)
    assert rows["b"].state == "cancelled"


async def test_sync_planned_never_touches_sent_rows(store: Store) -> None:
    await store.enqueue([delivery("a", 1)], NOW)
    (row,) = await store.outbox_rows()
    assert await store.claim([row.id]) == [row.id]
    await store.finish([row.id], "sent", NOW, message_id=9)
    changed, cancelled = await store.sync_planned(OutboxKind.REMINDER, [delivery("a", 1, 30)], NOW)
    assert (changed, cancelled) == (0, 0)
    (after,) = await store.outbox_rows()
    assert (after.state, after.due_at, after.message_id) == ("sent", NOW, 9)


async def test_sync_planned_for_one_user_leaves_others_alone(store: Store) -> None:
    await store.enqueue([delivery("a", 1), delivery("b", 2)], NOW)
    await store.sync_planned(OutboxKind.REMINDER, [], NOW, user_id=1)
    states = {r.key: r.state for r in await store.outbox_rows()}
    assert states == {"a": "cancelled", "b": "pending"}


async def test_claim_takes_a_row_only_once(store: Store) -> None:
    await store.enqueue([delivery("a", 1)], NOW)
    (row,) = await store.outbox_rows()
    assert await store.claim([row.id]) == [row.id]
    assert await store.claim([row.id]) == []


async def test_recover_in_flight_returns_sending_rows_to_pending(store: Store) -> None:
    await store.enqueue([delivery("a", 1), delivery("b", 2)], NOW)
    rows = await store.outbox_rows()
    await store.claim([rows[0].id])
    assert await store.recover_in_flight() == 1
    assert await store.outbox_counts() == {"pending": 2}


async def test_due_rows_orders_deadlines_before_bulk_and_respects_retry_time(
    store: Store,
) -> None:
    await store.enqueue(
        [delivery("bulk", 1, 0, priority=1), delivery("late", 2, 3), delivery("early", 3, 1)],
        NOW,
    )
    until = NOW + dt.timedelta(hours=1)
    assert [r.key for r in await store.due_rows(until, NOW, 1, 10)] == ["early", "late", "bulk"]
    early = next(r for r in await store.outbox_rows() if r.key == "early")
    await store.claim([early.id])
    await store.retry_later([early.id], NOW + dt.timedelta(minutes=5), "timeout", True)
    assert [r.key for r in await store.due_rows(until, NOW, 1, 10)] == ["late", "bulk"]


async def test_pending_buckets_counts_rows_per_due_time(store: Store) -> None:
    await store.enqueue([delivery(f"k{i}", i, i % 2) for i in range(5)], NOW)
    buckets = await store.pending_buckets(NOW + dt.timedelta(hours=1), 0)
    assert buckets == [(NOW, 3), (NOW + dt.timedelta(minutes=1), 2)]


async def test_store_open_with_a_failing_migration_closes_and_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.store.base as base

    broken = [*base.migrations(), (len(base.migrations()) + 1, "9999_broken.sql", "NOT SQL;")]
    monkeypatch.setattr(base, "migrations", lambda: broken)
    with pytest.raises(Exception, match="syntax error"):
        await Store.open(tmp_path / "db.sqlite3")
    # The failed migration left the previous version in place.
    monkeypatch.undo()
    store = await Store.open(tmp_path / "db.sqlite3")
    assert await store.schema_version() == len(migrations())
    await store.close()
