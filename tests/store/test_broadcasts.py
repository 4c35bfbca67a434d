"""Broadcast rows in the store: a finished delivery to a stakeholder group keeps no user id."""

from __future__ import annotations

from bot.domain.outbox import DeliveryState, OutboxKind
from bot.store import Store
from tests.store.conftest import NOW

USERS = (11, 12, 13)


async def broadcast_to(store: Store, audience: str) -> int:
    made = await store.create_broadcast(
        created_by=1,
        audience=audience,
        audience_label=audience,
        content_kind="text",
        body="Hello",
        file_id=None,
        paid=False,
        recipients=USERS,
        due_at=NOW,
        now=NOW,
    )
    return made.id


def user_ids_in(rows: list[object]) -> set[int]:
    return {row.chat_id for row in rows} - {0}  # type: ignore[attr-defined]


async def test_finished_group_broadcast_rows_keep_no_user_id(store: Store) -> None:
    group = await broadcast_to(store, "g:cso")
    rows = await store.outbox_rows(OutboxKind.BROADCAST)
    ids = [row.id for row in rows]
    await store.claim(ids[:2])
    await store.finish(ids[:1], DeliveryState.SENT, NOW, message_id=5)
    await store.finish(ids[1:2], DeliveryState.BLOCKED, NOW)
    rows = await store.outbox_rows(OutboxKind.BROADCAST)
    # The one still pending needs its chat; the finished ones name nobody.
    assert user_ids_in(rows) == {USERS[2]}
    assert all(str(u) not in row.key for row in rows[:2] for u in USERS)
    assert rows[0].message_id is None
    await store.cancel_broadcast(group, NOW)
    await store.finish_broadcast(group, NOW)
    rows = await store.outbox_rows(OutboxKind.BROADCAST)
    assert user_ids_in(rows) == set()
    assert await store.broadcast_counts(group) == {
        DeliveryState.SENT: 1,
        DeliveryState.BLOCKED: 1,
        DeliveryState.CANCELLED: 1,
    }


async def test_other_broadcasts_keep_their_rows(store: Store) -> None:
    everyone = await broadcast_to(store, "all")
    ids = [row.id for row in await store.outbox_rows(OutboxKind.BROADCAST)]
    await store.claim(ids)
    await store.finish(ids, DeliveryState.SENT, NOW)
    await store.finish_broadcast(everyone, NOW)
    assert user_ids_in(await store.outbox_rows(OutboxKind.BROADCAST)) == set(USERS)


async def test_unlink_at_open_catches_rows_left_linked(store: Store) -> None:
    await broadcast_to(store, "g:gov")
    await store._write("UPDATE outbox SET state = 'sent'")  # as an older version left them
    assert await store.unlink_group_broadcasts() == len(USERS)
    assert user_ids_in(await store.outbox_rows(OutboxKind.BROADCAST)) == set()


async def test_language_audience_follows_the_chosen_language_over_telegram(store: Store) -> None:
    await store.touch_user(1, "fr", NOW)  # app in French, no choice
    await store.touch_user(2, "en-GB", NOW)  # app in English, chose French
    await store.set_chosen_language(2, "fr")
    await store.touch_user(3, "fr-CA", NOW)  # app in French, chose Arabic
    await store.set_chosen_language(3, "ar")
    await store.touch_user(4, None, NOW)  # no language at all

    assert await store.audience_language("fr") == [1, 2]
    assert await store.audience_language("ar") == [3]
    assert await store.audience_language("en") == []
    assert sorted(await store.language_rows(), key=str) == [("ar", 1), ("fr", 2), (None, 1)]
