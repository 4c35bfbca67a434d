"""Who a broadcast goes to, from the store: the audience's candidates, then
:func:`bot.domain.broadcast.select_recipients`."""

from __future__ import annotations

from bot.config import Settings
from bot.domain.broadcast import Audience, AudienceKind, group_members, select_recipients
from bot.services.feedback import FeedbackService
from bot.store import Store


async def recipients_of(
    store: Store, settings: Settings, audience: Audience, team: frozenset[int]
) -> list[int]:
    """The chats a broadcast to ``audience`` goes to, each once, in a stable order (``team``:
    everyone on the team, who get a test send)."""
    candidates: list[int] = []
    match audience.kind:
        case AudienceKind.EVERYONE:
            candidates = await store.audience_everyone()
        case AudienceKind.SESSION:
            candidates = await store.choosers_of(audience.value)
        case AudienceKind.LANGUAGE:
            candidates = await store.audience_language(audience.value)
        case AudienceKind.GROUP:
            respondents = await FeedbackService(store, settings).respondents(
                await store.audience_everyone()
            )
            candidates = group_members(respondents, await store.respondent_groups(), audience.value)
        case AudienceKind.FOLLOW_UP:
            candidates = await store.audience_follow_up()
    return select_recipients(audience, candidates, team)
