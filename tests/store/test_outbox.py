"""The outbox (bot/store/outbox.py): planning, claiming, retrying and recovering deliveries."""

from __future__ import annotations

import datetime as dt

from bot.domain.outbox import Delivery, OutboxKind
from bot.store import Store
from tests.store.conftest import NOW


def delivery(key: str, chat: int, minutes: int = 0, **extra: object) -> Delivery:
    return Delivery(
        key=key,
        kind=OutboxKind.REMINDER,
        chat_id=chat,
        payload={"session": "x"},
        due_at=NOW + dt.timedelta(minutes=minutes),
        **extra,
    )  # type: ignore[arg-type]


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


async def test_sync_planned_revives_a_cancelled_row_planned_again(store: Store) -> None:
    await store.enqueue([delivery("a", 1, 5)], NOW)
    await store.sync_planned(OutboxKind.REMINDER, [], NOW, user_id=1)
    changed, cancelled = await store.sync_planned(
        OutboxKind.REMINDER, [delivery("a", 1, 5)], NOW, user_id=1
    )
    assert (changed, cancelled) == (1, 0)
    (row,) = await store.outbox_rows()
    assert (row.state, row.finished_at, row.due_at) == (
        "pending",
        None,
        NOW + dt.timedelta(minutes=5),
    )


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
