#!/usr/bin/env bash
# Sets up the environment, then chats with the bot in this terminal through the local
# Telegram Bot API emulator (bundled content, SQLite). Extra arguments go to `python -m bot preview`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m bot preview "$@"
