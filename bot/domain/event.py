"""The event in use: one generation of content and the indexes built on it."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content import Content, FaqEntry
from bot.domain.agenda import Agenda
from bot.domain.ask import Answerer


@dataclass(frozen=True)
class EventState:
    """One consistent generation of content and the indexes built on it; swapped whole on reload.

    ``added_faq`` are the FAQ entries staff added from the inbox (kept in the database): they
    are part of ``content`` after the YAML's own, and a reload builds them in again."""

    content: Content
    agenda: Agenda
    answerer: Answerer
    added_faq: tuple[FaqEntry, ...] = ()
    base: Content | None = None  # the content as the YAML says it, when entries were added

    @classmethod
    def build(cls, content: Content, added_faq: Sequence[FaqEntry] = ()) -> EventState:
        added = tuple(e for e in added_faq if e.id not in content.faq_by_id)
        base = content
        if added:
            content = with_faq(content, added)
        state = cls(
            content=content,
            agenda=Agenda(content),
            answerer=Answerer(content),
            added_faq=added,
            base=base if added else None,
        )
        settle_memory()
        return state

    def with_added_faq(self, added_faq: Sequence[FaqEntry]) -> EventState:
        """The same YAML content with these entries added from the inbox (all of them)."""
        return EventState.build(self.base or self.content, added_faq)


def settle_memory() -> None:
    """Moves what exists now (the vocabularies, the event's indexes: a few hundred thousand
    long-lived objects) out of the cyclic garbage collector's sight. Otherwise every full
    collection walks them all, in the middle of answering someone: on a 1,000-session event
    that made the answerer's p99 4.6 ms instead of 0.5 ms (bench/answers.py). Objects of a
    generation replaced later are still freed by reference counting; only cycles among them
    would stay."""
    gc.collect()
    gc.freeze()


def with_faq(content: Content, extra: Sequence[FaqEntry]) -> Content:
    """The same content with FAQ entries added after its own."""
    return Content(
        event=content.event,
        venue=content.venue,
        sessions=list(content.sessions),
        speakers=list(content.speakers),
        faq=[*content.faq, *extra],
        tracks=list(content.tracks.values()),
        rooms=list(content.rooms.values()),
    )
