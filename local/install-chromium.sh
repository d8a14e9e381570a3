#!/usr/bin/env bash
# The browser tests' Chromium and ChromeDriver, from Debian's own packages (never a browser download).
# Idempotent and quick when both are there; `make test` calls it. CHROMIUM / CHROMEDRIVER point elsewhere.
set -euo pipefail
chromium=${CHROMIUM:-/usr/bin/chromium}
chromedriver=${CHROMEDRIVER:-/usr/bin/chromedriver}
if [ -x "$chromium" ] && [ -x "$chromedriver" ]; then
    exit 0
fi
packages="chromium chromium-driver"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "error: the browser tests need $chromium and $chromedriver." >&2
    echo "On Debian/Ubuntu, as root: apt-get install -y --no-install-recommends $packages" >&2
    echo "Elsewhere, set CHROMIUM and CHROMEDRIVER to a Chromium and its matching ChromeDriver." >&2
    exit 1
fi
echo "installing $packages from Debian (first run of the browser tests) ..."
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run rather than fail on its lock.
apt_get() { apt-get -q -o DPkg::Lock::Timeout=600 "$@"; }
if ! apt_get install -y --no-install-recommends $packages; then
    apt_get update
    apt_get install -y --no-install-recommends $packages
fi
"$chromium" --version 2>/dev/null
