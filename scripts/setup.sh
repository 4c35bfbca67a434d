#!/usr/bin/env bash
# Creates .venv and installs confbot with its development tools and the Bot API emulator
# (./emulator, from this checkout: it is not on PyPI). Every dependency comes from the lock
# file requirements/development.txt, checked against its hashes; the two projects themselves
# are installed editable on top, without dependencies (an editable install cannot carry a
# hash). Does nothing when neither pyproject.toml nor a lock file has changed since the last
# successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.confbot-installed
want=$(cat pyproject.toml emulator/pyproject.toml requirements/*.txt requirements/*.in \
    | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing confbot and its dependencies into .venv (log: .venv/install.log)..."
    if ! { .venv/bin/python -m pip install --quiet --require-hashes \
               -r requirements/development.txt \
           && .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation \
               -e . -e ./emulator; } > .venv/install.log 2>&1; then
        tail -n 40 .venv/install.log
        echo "Installation failed; the whole log is in .venv/install.log" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi
