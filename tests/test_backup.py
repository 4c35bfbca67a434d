"""python -m bot backup: a consistent copy of the live database while the bot writes to it."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.store import Store
from bot.store.backup import backup_database_async

NOW = dt.datetime(2022, 7, 25, 8, 0, tzinfo=dt.UTC)


def _assert_one_plain_file(target: Path) -> None:
    """The copy is one self-contained file: no write-ahead log or temporary copy beside it."""
    assert sorted(p.name for p in target.parent.iterdir() if target.stem in p.name) == [target.name]
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)


async def _user_ids(path: Path) -> set[int]:
    store = await Store.open(path)
    try:
        rows = await store._rows("SELECT user_id FROM users")
        (check,) = await store._rows("PRAGMA integrity_check")
        assert check[0] == "ok"
        return {int(row[0]) for row in rows}
    finally:
        await store.close()


async def test_backup_while_a_task_writes_holds_every_row_committed_before_it(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3"
    store = await Store.open(source)
    written = 0
    goal, reached, stop = 2000, asyncio.Event(), asyncio.Event()

    async def write() -> None:
        nonlocal written
        while not stop.is_set():
            await store.touch_user(written + 1, "en", NOW)
            written += 1
            if written >= goal:
                reached.set()

    writer = asyncio.create_task(write())
    try:
        await reached.wait()  # a database with something in it, and the writer going
        before = written
        result = await backup_database_async(source, target)
        after = written
        goal = after + 50
        reached.clear()
        await asyncio.wait_for(reached.wait(), 10)  # the copy left the writer free
    finally:
        stop.set()
        await writer
        await store.close()

    _assert_one_plain_file(target)
    copied = await _user_ids(target)
    assert before <= len(copied) <= after + 1  # +1: the insert in flight when it began
    assert copied == set(range(1, len(copied) + 1))  # a prefix of the commits, no gap
    assert result.target == target
    assert result.schema_version > 0


async def test_backup_command_writes_a_copy_and_says_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    store = await Store.open(source)
    for user_id in (1, 2, 3):
        await store.touch_user(user_id, "en", NOW)
    # The bot's connection stays open (WAL, rows possibly still in the log) during the copy.
    try:
        code = await asyncio.to_thread(main, ["backup", str(target), "--db", str(source)])
    finally:
        await store.close()
    assert code == 0
    assert await _user_ids(target) == {1, 2, 3}
    out = capsys.readouterr().out
    assert out.startswith(f"Backed up {source} to {target}: ")
    assert "integrity check ok" in out


def test_backup_refuses_to_overwrite_a_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.close()
    target.write_bytes(b"an older backup")

    assert main(["backup", str(target), "--db", str(source)]) == 2

    assert target.read_bytes() == b"an older backup"
    assert "already exists" in capsys.readouterr().err
    assert main(["backup", str(target), "--db", str(source), "--force"]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


def test_backup_of_a_missing_database_is_a_clear_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing, target = tmp_path / "nope.sqlite3", tmp_path / "copy.sqlite3"

    assert main(["backup", str(target), "--db", str(missing)]) == 2

    assert f"There is no database at {missing}" in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == []


def test_backup_of_a_file_that_is_not_a_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "notes.txt", tmp_path / "copy.sqlite3"
    source.write_text("not a database at all, but long enough to have a header" * 20)

    assert main(["backup", str(target), "--db", str(source)]) == 2

    assert "is not a readable SQLite database" in capsys.readouterr().err
    assert not target.exists()
