"""EventState: one generation of content and its indexes."""

from __future__ import annotations

import gc

from bot.content.models import Content
from bot.domain.event import EventState


def test_build_moves_the_indexes_out_of_the_collectors_sight(content: Content) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    EventState.build(content)
    # The answerer's indexes are frozen: full collections no longer walk them mid-answer.
    assert gc.get_freeze_count() > 0
