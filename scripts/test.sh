#!/usr/bin/env bash
# From a fresh Debian 12 machine: install, build, and pass the whole test
# suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

# The build packagers may make without FreeTDS and libldap: its options
# and CLI cases (those that need a probe say so and are skipped).
cmake -S . -B build-minimal -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBTC_PROBE=OFF -DBTC_DIRECTORY=OFF >/dev/null
cmake --build build-minimal -j"$jobs"
(cd build-minimal && ctest --output-on-failure -j"$jobs" -LE memcheck)

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBTC_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j"$jobs")

# The probe's threads and the export reader's (--jobs) under ThreadSanitizer
# (TSan and ASan cannot share a build): only what those tests need. Every
# process writes its reports to a log file, so that a report from the TDS
# test server, whose exit status no test looks at, fails the run too.
# tests/tsan.supp names glibc frames only, and says why.
tsan_logs=$(mktemp -d)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DBTC_TSAN=ON >/dev/null
cmake --build build-tsan -j"$jobs" --target btclint btc_tds_server test_probe test_probe_rules
tsan_rc=0
(cd build-tsan && TSAN_OPTIONS="suppressions=$PWD/../tests/tsan.supp:log_path=$tsan_logs/tsan:second_deadlock_stack=1" \
  ctest --output-on-failure -R '^(probe|probe_cli|unit_probe_rules|jobs)$') || tsan_rc=$?
if [ -n "$(ls -A "$tsan_logs")" ]; then
  cat "$tsan_logs"/* >&2
  echo "ThreadSanitizer reported the above" >&2
  tsan_rc=1
fi
rm -rf "$tsan_logs"
[ "$tsan_rc" = 0 ] || exit "$tsan_rc"

# Every fuzzing harness for a short fixed time (tests/fuzz/run.sh; a finding
# fails the run). Longer sessions: tests/fuzz/run.sh 600.
tests/fuzz/run.sh 20
