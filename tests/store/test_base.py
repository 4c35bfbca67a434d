"""Schema migrations (bot/store/base.py), applied by Store.open."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import Store, migrations


async def test_store_open_applies_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = await Store.open(path)
    assert await first.schema_version() == len(migrations())
    await first.close()
    again = await Store.open(path)  # a second start must not re-run migrations
    assert await again.schema_version() == len(migrations())
    await again.close()


async def test_store_open_with_a_failing_migration_closes_and_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.store.base as base

    broken = [*base.migrations(), (len(base.migrations()) + 1, "9999_broken.sql", "NOT SQL;")]
    monkeypatch.setattr(base, "migrations", lambda: broken)
    with pytest.raises(Exception, match="syntax error"):
        await Store.open(tmp_path / "db.sqlite3")
    # The failed migration left the previous version in place.
    monkeypatch.undo()
    store = await Store.open(tmp_path / "db.sqlite3")
    assert await store.schema_version() == len(migrations())
    await store.close()
