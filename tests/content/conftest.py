"""Fixtures for the content tests: a private copy of the bundled ``content/`` folder to break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

BUNDLED = Path(__file__).resolve().parents[2] / "content"

Edit = Callable[[str, str, str], None]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(BUNDLED, copy)
    return copy


@pytest.fixture
def edit(folder: Path) -> Edit:
    """Replace one exact piece of a file's text, failing loudly if it is not there."""

    def replace(name: str, old: str, new: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not exactly once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return replace
