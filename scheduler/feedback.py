"""Feedback prompts: planned purely from the programme and who chose or opened each session; they
are applied to the outbox like reminders (:func:`scheduler.service.replan_feedback`).

A prompt's key is ``feedback:<session>:<user>`` with no time in it, so a person is asked about a
session once, even if the session moves after the prompt went out. Planning again after a choice,
a door-QR visit, a reload or a restart keeps pending prompts in line: a session that is removed
(cancelled) or has ``feedback: false`` is no longer planned, and its pending prompts are cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from bot.content import Content
from bot.domain.feedback import prompt_deadline, prompt_due
from bot.domain.outbox import Delivery, OutboxKind


def feedback_key(session_id: str, user_id: int) -> str:
    return f"{OutboxKind.FEEDBACK}:{session_id}:{user_id}"


def plan_feedback_prompts(
    content: Content, audience: Mapping[int, Collection[str]], now: dt.datetime
) -> list[Delivery]:
    """One prompt per person and session they chose or opened at the door, due when the session
    has ended (plus the delay); none once the prompt would come too late to be useful."""
    planned: list[Delivery] = []
    for user_id, session_ids in audience.items():
        for session_id in session_ids:
            session = content.sessions_by_id.get(session_id)
            if session is None or session.cancelled or not session.feedback:
                continue
            deadline = prompt_deadline(content, session)
            due_at = prompt_due(content, session)
            # A session whose time is to be announced has no prompt until a reload times it.
            if deadline is None or due_at is None or now >= deadline:
                continue
            planned.append(
                Delivery(
                    key=feedback_key(session.id, user_id),
                    kind=OutboxKind.FEEDBACK,
                    chat_id=user_id,
                    payload={"session": session.id},
                    due_at=due_at,
                    not_after=deadline,
                    priority=0,
                )
            )
    planned.sort(key=lambda d: (d.due_at, d.chat_id, d.key))
    return planned
