#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml and emulator/pyproject.toml, with hashes, from
# PyPI only (not this machine's pip configuration or local wheels). Run from anywhere:
#   bash requirements/lock.sh            # same versions where they still fit, new ones where not
#   bash requirements/lock.sh --upgrade  # the newest versions the bounds allow
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install --quiet "pip-tools>=7.4"
compile() {
    PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND="bash requirements/lock.sh" \
        .venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple "$@"
}
# production: the bot's dependencies and what builds it; no emulator, no test tools
compile "${@}" -o requirements/production.txt pyproject.toml requirements/build.in
# development: the same versions, plus the dev tools, the emulator and its test extra
compile "${@}" --all-extras -c requirements/production.txt -o requirements/development.txt \
    pyproject.toml emulator/pyproject.toml requirements/build.in
