#!/usr/bin/env bash
# From a fresh Debian 12 machine: install, build, and run btclint on samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
for f in samples/exports/*.xml; do
  echo "\$ btclint check $f"
  build/btclint check "$f" || true
  echo
done
for inv in samples/farms/*/site.ini; do
  [ -e "$inv" ] || continue
  echo "\$ btclint check --inventory $inv"
  build/btclint check --inventory "$inv" || true
  echo
done
