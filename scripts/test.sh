#!/usr/bin/env bash
# Sets up the environment (and the browser the grid's tests drive), then runs the linters, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
echo "== ruff"
.venv/bin/ruff check bot scheduler tests bench emulator
.venv/bin/ruff format --check bot scheduler tests bench emulator
echo "== mypy"
.venv/bin/mypy bot scheduler emulator/botapi_emulator
echo "== pytest"
.venv/bin/python -m pytest "$@"
