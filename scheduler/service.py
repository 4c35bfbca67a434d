"""Applies the pure plans to the outbox: the glue between planning, the store and the sender."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection

from bot.content import Content
from bot.domain.outbox import Delivery, OutboxKind
from bot.store import Store
from scheduler.feedback import plan_feedback_prompts
from scheduler.plan import (
    SessionChange,
    diff_sessions,
    plan_change_notices,
    plan_reminders,
)

log = logging.getLogger(__name__)


async def replan_reminders(
    store: Store, content: Content, now: dt.datetime, user_id: int | None = None
) -> tuple[int, int]:
    """Bring the pending reminders (of one user, or everyone) in line with the current plan."""
    preferences = await store.reminder_preferences(user_id)
    if user_id is None:
        choices = await store.all_choices()
    else:
        choices = {user_id: await store.choices_of(user_id)}
    planned = plan_reminders(content, choices, preferences, now)
    return await _apply_plan(store, OutboxKind.REMINDER, planned, now, user_id)


async def replan_feedback(
    store: Store, content: Content, now: dt.datetime, user_id: int | None = None
) -> tuple[int, int]:
    """Bring the pending feedback prompts (of one user, or everyone) in line with the plan."""
    audience = await store.feedback_audience(user_id)
    if user_id is not None:
        audience.setdefault(user_id, set())
    planned = plan_feedback_prompts(content, audience, now)
    return await _apply_plan(store, OutboxKind.FEEDBACK, planned, now, user_id)


async def _apply_plan(
    store: Store, kind: OutboxKind, planned: list[Delivery], now: dt.datetime, user_id: int | None
) -> tuple[int, int]:
    """Make the pending rows of ``kind`` (of one user, or everyone) those planned: new and moved
    ones written, unplanned ones cancelled. Returns (new or moved, cancelled)."""
    changed, cancelled = await store.sync_planned(kind, planned, now, user_id)
    if user_id is None:
        log.info(
            "%s planned: %d due, %d new or moved, %d cancelled",
            kind,
            len(planned),
            changed,
            cancelled,
        )
    return changed, cancelled


async def replan_deliveries(
    store: Store, content: Content, now: dt.datetime, user_id: int | None = None
) -> None:
    """Re-plan everything the bot sends on a schedule (reminders and feedback prompts), for one
    user or everyone: after a start, a reload, a changed choice or setting, a block."""
    await replan_reminders(store, content, now, user_id)
    await replan_feedback(store, content, now, user_id)


async def announce_changes(
    store: Store, old: Content, new: Content, now: dt.datetime
) -> list[SessionChange]:
    """Queue one notice per person who chose a session that moved, changed room or vanished."""
    changes = diff_sessions(old, new)
    if not changes:
        return []
    choosers: dict[str, Collection[int]] = {
        change.session_id: await store.choosers_of(change.session_id) for change in changes
    }
    notices = plan_change_notices(changes, choosers, now)
    added = await store.enqueue(notices, now)
    log.info("%d sessions changed; %d notices queued", len(changes), added)
    return changes


__all__ = [
    "announce_changes",
    "replan_deliveries",
    "replan_feedback",
    "replan_reminders",
]
