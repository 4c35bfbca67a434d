"""Attendees' rights through the service: feedback found by pseudonym, the JSON export, and the
retention purge by the clock (bot/services/privacy.py, bot/domain/privacy.py)."""

from __future__ import annotations

import datetime as dt
import json

from bot.config import Settings
from bot.content import Content
from bot.domain.feedback import pseudonym
from bot.domain.privacy import retention_ends
from bot.services.privacy import PrivacyService
from bot.store import Store
from tests.services.conftest import NOW

USER = 731_900_417


async def test_personal_data_finds_feedback_under_the_users_pseudonym(
    store: Store, settings: Settings
) -> None:
    await store.touch_user(USER, "es", NOW)
    await store.save_rating("plen-1", pseudonym(b"test-secret", USER), 5, NOW)
    await store.save_rating("plen-1", pseudonym(b"test-secret", USER + 1), 1, NOW)

    data = await PrivacyService(store, settings).personal_data(USER)

    assert data.respondent == pseudonym(b"test-secret", USER)
    assert [(a["session_id"], a["rating"]) for a in data.tables["feedback_answers"]] == [
        ("plen-1", 5)
    ]


async def test_export_json_holds_every_table_and_the_rows(store: Store, settings: Settings) -> None:
    await store.touch_user(USER, "es", NOW)
    await store.add_choice(USER, "plen-1", NOW)
    data = await PrivacyService(store, settings).personal_data(USER)

    document = json.loads(data.as_json(NOW))

    assert document["user_id"] == USER
    assert document["feedback_pseudonym"] == data.respondent
    assert set(document["tables"]) == set(data.tables)
    assert document["tables"]["choices"] == [
        {"user_id": USER, "session_id": "plen-1", "added_at": "2022-07-25T10:40:00+00:00"}
    ]


async def test_forget_deletes_the_feedback_found_by_pseudonym(
    store: Store, settings: Settings
) -> None:
    privacy = PrivacyService(store, settings)
    await store.touch_user(USER, "es", NOW)
    await store.save_rating("plen-1", pseudonym(b"test-secret", USER), 5, NOW)

    counts = await privacy.forget(USER)

    assert (counts["users"], counts["feedback_answers"]) == (1, 1)
    assert set((await privacy.personal_data(USER)).counts().values()) == {0}


def test_retention_ends_that_many_days_after_the_last_day_in_event_time(
    bundled: Content,
) -> None:
    event = bundled.event  # ends on Friday 29 July 2022, keeps data 90 days
    ends = retention_ends(event)
    assert ends == dt.datetime(2022, 10, 27, 0, 0, tzinfo=event.tz)


async def test_purge_waits_for_the_end_of_retention_then_deletes_once(
    store: Store, settings: Settings, bundled: Content
) -> None:
    privacy = PrivacyService(store, settings)
    await store.touch_user(USER, "es", NOW)
    ends = retention_ends(bundled.event)

    before = await privacy.purge_if_over(bundled.event, ends - dt.timedelta(seconds=1))
    assert before is None and await store.user(USER) is not None

    first = await privacy.purge_if_over(bundled.event, ends)
    again = await privacy.purge_if_over(bundled.event, ends + dt.timedelta(days=1))
    assert first is not None and first["users"] == 1
    assert again is not None and set(again.values()) == {0}
    assert await store.user(USER) is None


async def test_purge_follows_retention_days_from_the_content(
    store: Store, settings: Settings, bundled: Content
) -> None:
    short = bundled.event.model_copy(update={"retention_days": 1})
    await store.touch_user(USER, "es", NOW)

    purged = await PrivacyService(store, settings).purge_if_over(
        short, dt.datetime(2022, 7, 31, 0, 0, tzinfo=short.tz)
    )

    assert purged is not None and purged["users"] == 1
