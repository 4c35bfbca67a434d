"""Imports go one way: features -> services -> domain, store, scheduler -> content.

Each check imports every module of a layer in a fresh interpreter and lists what got loaded,
so an import added anywhere below (even indirectly) is caught.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def modules_of(package: str) -> list[str]:
    path = ROOT.joinpath(*package.split("."))
    return [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]


def loaded_by(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return list(ast.literal_eval(result.stdout))


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("bot.domain", ("telegram", "bot.store", "bot.services", "bot.features", "bot.app")),
        ("bot.services", ("telegram", "bot.features", "bot.app", "bot.runtime")),
        ("scheduler", ("bot.features", "bot.app", "bot.runtime", "bot.services")),
        ("bot.store", ("telegram", "bot.features", "bot.app", "bot.services", "scheduler")),
    ],
)
def test_layer_imports_nothing_above_it(package: str, forbidden: tuple[str, ...]) -> None:
    assert loaded_by(modules_of(package), forbidden) == []


def test_check_catches_an_upward_import() -> None:
    # The check itself can fail: the features do load Telegram.
    assert "telegram" in loaded_by(modules_of("bot.features"), ("telegram",))
