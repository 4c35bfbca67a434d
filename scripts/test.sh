#!/usr/bin/env bash
# Sets up the environment, then runs the linters, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"
.venv/bin/ruff check bot scheduler tests bench
.venv/bin/ruff format --check bot scheduler tests bench
echo "== mypy"
.venv/bin/mypy bot scheduler
echo "== pytest"
.venv/bin/python -m pytest "$@"
