"""Imports go one way: features -> services -> domain, store, scheduler -> content."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("telegram", "bot.features", "bot.app", "bot.runtime")


def test_services_and_domain_load_nothing_of_telegram_or_the_features() -> None:
    code = (
        "import sys\n"
        "import bot.services.broadcast, bot.services.content, bot.services.feedback\n"
        "import bot.domain.agenda, bot.domain.broadcast, bot.domain.event, bot.domain.feedback\n"
        f"print(sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_domain_loads_nothing_of_the_store() -> None:
    code = (
        "import sys\n"
        "import bot.domain.agenda, bot.domain.broadcast, bot.domain.event, bot.domain.feedback\n"
        "print(sorted(m for m in sys.modules if m.startswith('bot.store')))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
