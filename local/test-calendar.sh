#!/usr/bin/env bash
# `make test-calendar`: the tiers whose outcome could depend on the date, run under libfaketime (Debian's faketime)
# at the instants where a calendar bug shows: the 1st just after midnight, early, mid and late month, the last minutes
# of a 31-day month (the run crosses into the next month and year), and February in a common and a leap year.
# Every test decides its own time; this checks that none still reads the machine's date. INSTANTS=... picks others,
# TIERS=... other Maven flags (default: every tier).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        echo "error: make test-calendar needs libfaketime; on Debian/Ubuntu, as root: apt-get install -y faketime" >&2
        exit 1
    fi
    echo "installing faketime from Debian (first run of make test-calendar) ..."
    apt-get -q -o DPkg::Lock::Timeout=600 install -y --no-install-recommends faketime \
        || { apt-get -q update && apt-get -q -o DPkg::Lock::Timeout=600 install -y --no-install-recommends faketime; }
fi
default_instants=("2026-12-01 00:30:00" "2026-12-02 09:00:00" "2026-12-07 12:00:00" "2026-12-15 12:00:00"
    "2026-12-28 12:00:00" "2026-12-31 23:50:00" "2027-02-28 12:00:00" "2028-02-29 12:00:00")
if [ -n "${INSTANTS:-}" ]; then IFS=',' read -r -a instants <<<"$INSTANTS"; else instants=("${default_instants[@]}"); fi
failed=()
mkdir -p target
for instant in "${instants[@]}"; do
    echo "[test-calendar] $instant UTC: $* ${TIERS:-}"
    # The wall clock starts at the instant and runs at its real pace. The monotonic clock is shifted with it: left
    # real (FAKETIME_DONT_FAKE_MONOTONIC=1), every timed wait of the JVM went through a slow path and the suite ran
    # about ten times slower; shifted, sleeps and timeouts keep their length (nanoTime has no fixed origin).
    # FAKETIME_DONT_RESET=1: a process started later (a test JVM, the stack, Chromium) goes on from its parent's time
    # instead of starting again at the instant, so that every process of the run reads one clock.
    if ! TZ=UTC FAKETIME_DONT_RESET=1 faketime -f "@$instant" "$@" ${TIERS:-} >"target/calendar-${instant//[ :]/-}.log" 2>&1; then
        failed+=("$instant")
        echo "[test-calendar] $instant: FAILED (target/calendar-${instant//[ :]/-}.log)"
        grep -E 'Tests run:.*(Failures|Errors): [1-9]|FAIL' "target/calendar-${instant//[ :]/-}.log" | head -20 || true
    else
        echo "[test-calendar] $instant: passed"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "[test-calendar] failed at: ${failed[*]}" >&2
    exit 1
fi
echo "[test-calendar] every instant passed"
