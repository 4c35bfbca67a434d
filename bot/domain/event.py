"""The event in use: one generation of content and the indexes built on it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Content
from bot.domain.agenda import Agenda
from bot.domain.ask import Answerer


@dataclass(frozen=True)
class EventState:
    """One consistent generation of content and the indexes built on it; swapped whole on reload."""

    content: Content
    agenda: Agenda
    answerer: Answerer

    @classmethod
    def build(cls, content: Content) -> EventState:
        return cls(content=content, agenda=Agenda(content), answerer=Answerer(content))
