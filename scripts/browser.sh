#!/usr/bin/env bash
# Installs the browser the programme grid's tests drive, from Debian's packages (chromium and
# chromium-driver), when it is missing; nothing is downloaded from anywhere else. Without
# apt-get (not Debian), says so: those tests are then skipped, and the reason is printed.
set -euo pipefail
if command -v chromium > /dev/null && command -v chromedriver > /dev/null; then
    exit 0
fi
if ! command -v apt-get > /dev/null; then
    echo "chromium and chromium-driver are not installed and apt-get is missing:" \
        "the browser tests of the programme grid will be skipped" >&2
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq > /dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver > /dev/null
