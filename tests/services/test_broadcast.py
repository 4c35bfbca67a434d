"""Who a broadcast goes to, from a real store. No Telegram."""

from __future__ import annotations

from bot.config import Settings
from bot.domain.broadcast import Audience, AudienceKind
from bot.services.broadcast import recipients_of
from bot.services.feedback import FeedbackService
from bot.store import Store
from tests.services.conftest import NOW, ORGANISER, STAFF

PEOPLE = (11, 12, 13)


def team(settings: Settings) -> frozenset[int]:
    """Everyone on the team, as the team service gives it with no role granted in the chat."""
    return settings.staff | settings.organisers


async def people(store: Store) -> None:
    for user in PEOPLE:
        await store.touch_user(user, "pt-BR" if user == 13 else "en", NOW)


async def test_everyone_leaves_out_people_who_blocked_the_bot(
    store: Store, settings: Settings
) -> None:
    await people(store)
    await store.mark_blocked(12, NOW)
    everyone = await recipients_of(store, settings, Audience(AudienceKind.EVERYONE), team(settings))
    assert everyone == [11, 13]


async def test_session_language_and_follow_up_audiences(store: Store, settings: Settings) -> None:
    await people(store)
    await store.add_choice(12, "plen-1", NOW)
    await store.set_follow_up(11, True, NOW)
    await store.set_follow_up(13, False, NOW)

    choosers = await recipients_of(
        store, settings, Audience(AudienceKind.SESSION, "plen-1"), team(settings)
    )
    portuguese = await recipients_of(
        store, settings, Audience(AudienceKind.LANGUAGE, "pt"), team(settings)
    )
    follow_up = await recipients_of(
        store, settings, Audience(AudienceKind.FOLLOW_UP), team(settings)
    )

    assert (choosers, portuguese, follow_up) == ([12], [13], [11])


async def test_group_audience_goes_through_respondent_keys(
    store: Store, settings: Settings
) -> None:
    await people(store)
    feedback = FeedbackService(store, settings)
    await feedback.set_group(11, "cso", NOW)
    await feedback.set_group(12, "gov", NOW)
    await feedback.set_group(13, "cso", NOW)

    cso = await recipients_of(store, settings, Audience(AudienceKind.GROUP, "cso"), team(settings))
    nobody = await recipients_of(
        store, settings, Audience(AudienceKind.GROUP, "none"), team(settings)
    )

    assert (cso, nobody) == ([11, 13], [])


async def test_staff_test_send_goes_to_staff_and_organisers_only(
    store: Store, settings: Settings
) -> None:
    await people(store)
    staff = await recipients_of(store, settings, Audience(AudienceKind.STAFF), team(settings))
    assert staff == sorted({STAFF, ORGANISER})
