from __future__ import annotations

from pathlib import Path

from bot.config import WEBHOOK_SECRET_CHARS
from bot.store import Store


async def test_webhook_secret_is_generated_once_and_kept_across_restarts(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    first = await store.webhook_secret()
    again = await store.webhook_secret()
    await store.close()
    reopened = await Store.open(tmp_path / "bot.sqlite3")
    try:
        after_restart = await reopened.webhook_secret()
    finally:
        await reopened.close()

    assert first == again == after_restart
    assert len(first) >= 32 and set(first) <= WEBHOOK_SECRET_CHARS


async def test_ping_answers_and_an_empty_outbox_has_no_census(store: Store) -> None:
    assert await store.ping() is True
    assert await store.outbox_census() == {}
    assert await store.broadcasts_in_progress() == 0
