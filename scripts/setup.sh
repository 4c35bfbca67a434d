#!/usr/bin/env bash
# Creates .venv and installs confbot with its development tools and the Bot API emulator
# (./emulator, from this checkout: it is not on PyPI); does nothing when neither pyproject.toml
# has changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.confbot-installed
want=$(cat pyproject.toml emulator/pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing confbot and its dependencies into .venv (log: .venv/install.log)..."
    if ! { .venv/bin/python -m pip install --quiet --upgrade pip \
           && .venv/bin/python -m pip install --quiet -e ".[dev]" -e ./emulator; } > .venv/install.log 2>&1; then
        tail -n 40 .venv/install.log
        echo "Installation failed; the whole log is in .venv/install.log" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi
