"""The inbox's queries: queueing, one claim at a time, replies through the outbox, spam."""

from __future__ import annotations

import datetime as dt

from bot.domain.outbox import Delivery, OutboxKind
from bot.store import Store
from tests.store.conftest import NOW

CLAIM = NOW + dt.timedelta(minutes=15)


async def test_claim_is_taken_by_one_staff_member_only(store: Store) -> None:
    question = await store.queue_question(1, "Amina", "fr", "prayer room?", ("faq:wifi",), NOW)

    first = await store.claim_question(question, 10, "Sam", CLAIM, NOW)
    second = await store.claim_question(question, 11, "Olu", CLAIM, NOW)

    assert (first, second) == (True, False)
    held = await store.inbox_question(question)
    assert held is not None and (held.claimed_name, held.guesses) == ("Sam", ("faq:wifi",))


async def test_expired_claim_can_be_taken_over(store: Store) -> None:
    question = await store.queue_question(1, "Amina", "fr", "prayer room?", (), NOW)
    await store.claim_question(question, 10, "Sam", CLAIM, NOW)
    later = CLAIM + dt.timedelta(seconds=1)

    assert await store.claim_question(question, 11, "Olu", later + dt.timedelta(minutes=15), later)
    assert await store.claim_of(10, later) is None


async def test_reply_needs_the_live_claim_and_queues_one_delivery(store: Store) -> None:
    question = await store.queue_question(1, "Amina", "fr", "prayer room?", (), NOW)
    delivery = Delivery(f"inbox-reply:{question}", OutboxKind.INBOX_REPLY, 1, {}, NOW)
    await store.claim_question(question, 10, "Sam", CLAIM, NOW)

    assert not await store.answer_question(question, 11, "Olu", "no", delivery, NOW)
    assert await store.answer_question(question, 10, "Sam", "Room B2", delivery, NOW)
    assert not await store.answer_question(question, 10, "Sam", "again", delivery, NOW)
    assert [r.key for r in await store.outbox_rows(OutboxKind.INBOX_REPLY)] == [delivery.key]
    assert await store.next_open_question(NOW) is None


async def test_spam_mutes_and_faq_is_added_once(store: Store) -> None:
    spam = await store.queue_question(2, "Bot", "en", "cheap watches", (), NOW)
    assert await store.close_question(spam, "spam", NOW)
    assert await store.is_muted(2)
    question = await store.queue_question(1, "Amina", "fr", "prayer room?", (), NOW)
    await store.claim_question(question, 10, "Sam", CLAIM, NOW)
    delivery = Delivery(f"inbox-reply:{question}", OutboxKind.INBOX_REPLY, 1, {}, NOW)
    await store.answer_question(question, 10, "Sam", "Room B2", delivery, NOW)

    first = await store.add_faq_from(question, 10, "Sam", NOW)
    again = await store.add_faq_from(question, 10, "Sam", NOW)

    assert first == again and first is not None
    assert [(a.question, a.answer) for a in await store.added_faq()] == [
        ("prayer room?", "Room B2")
    ]
    assert await store.questions_asked_since(1, NOW) == 1
