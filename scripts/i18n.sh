#!/usr/bin/env bash
# The interface's gettext catalogues, with Babel (pybabel). Run from anywhere:
#   bash scripts/i18n.sh extract        # bot/locales/confbot.pot from the code (_, N_, ngettext)
#   bash scripts/i18n.sh update         # merge the template into every bot/locales/*/confbot.po
#   bash scripts/i18n.sh init LANG      # start a catalogue for a new language
# tests/test_i18n.py fails when a catalogue lacks a message of the code or breaks a placeholder.
# There is no compile step: bot/i18n.py compiles each .po in memory with Babel when first used.
set -euo pipefail
cd "$(dirname "$0")/.."
# --quiet is a global option of pybabel (before the command), not one of each command.
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
POT=bot/locales/confbot.pot
extract() {
    mkdir -p "$(dirname "$1")"
    "$PYBABEL" --quiet extract --no-location --sort-output --project=confbot \
        -k _ -k N_ -k ngettext:1,2 -o "$1" bot scheduler
}
case "${1:-}" in
    extract) extract "$POT" ;;
    update) extract "$POT" && "$PYBABEL" --quiet update --no-fuzzy-matching -D confbot -i "$POT" -d bot/locales ;;
    init) extract "$POT" && "$PYBABEL" --quiet init -D confbot -i "$POT" -d bot/locales -l "${2:?language code}" ;;
    *) echo "usage: bash scripts/i18n.sh extract|update|init LANG" >&2; exit 2 ;;
esac
