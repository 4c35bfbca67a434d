"""Users and their choices (bot/store/users.py)."""

from __future__ import annotations

import datetime as dt

from bot.store import Store
from tests.store.conftest import NOW


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


async def test_touch_user_new_only_once(store: Store) -> None:
    assert await store.touch_user(7, "en", NOW) is True
    assert await store.touch_user(7, "en", NOW + dt.timedelta(minutes=1)) is False


async def test_touch_user_does_not_clear_a_block(store: Store) -> None:
    await store.touch_user(7, "en", NOW)
    assert await store.mark_blocked(7, NOW) is True
    assert (await store.count_users()) == (1, 1)
    assert await store.reminder_preferences() == []
    assert await store.touch_user(7, "en", NOW + dt.timedelta(minutes=1)) is False
    assert (await store.count_users()) == (1, 1)


async def test_mark_unblocked_only_a_blocked_known_user(store: Store) -> None:
    await store.touch_user(7, "en", NOW)
    assert await store.mark_unblocked(7) is False
    assert await store.mark_blocked(7, NOW) is True
    assert await store.mark_blocked(7, NOW) is False
    assert await store.mark_unblocked(7) is True
    assert (await store.count_users()) == (1, 0)
    assert await store.mark_blocked(8, NOW) is False  # never seen: nothing to mark
    assert await store.mark_unblocked(8) is False


async def test_choices_add_is_idempotent_and_remove_works(store: Store) -> None:
    await store.touch_user(1, None, NOW)
    assert await store.add_choice(1, "plen-1", NOW) is True
    assert await store.add_choice(1, "plen-1", NOW) is False
    assert await store.choices_of(1) == {"plen-1"}
    assert await store.choosers_of("plen-1") == [1]
    assert await store.remove_choice(1, "plen-1") is True
    assert await store.choices_of(1) == set()


async def test_chosen_language_is_stored_read_in_bulk_and_forgotten(store: Store) -> None:
    await store.touch_user(1, "en", NOW)
    await store.touch_user(2, "ar", NOW)
    assert await store.chosen_language(1) is None
    await store.set_chosen_language(1, "fr")
    assert await store.chosen_language(1) == "fr"
    user = await store.user(1)
    assert user is not None and (user.language, user.chosen_language) == ("en", "fr")
    assert await store.languages_of([1, 2, 3]) == {1: ("fr", "en"), 2: (None, "ar")}
    await store.forget_person(1, "respondent")
    assert await store.chosen_language(1) is None
    assert await store.languages_of([1]) == {}
