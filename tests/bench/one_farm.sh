#!/usr/bin/env bash
# Memory within one farm: N and 4N exports of a single BizTalk group (the
# first server creates SSO and the group, every other joins it: one SQL
# Server, one domain, one set of groups), all on one command line, with the
# usual one export in ten carrying a mistake, and with none. Each export is
# fed to the farm rules and freed as soon as it is read, so peak memory
# grows only with what the report must hold: one input record per file and
# the findings.
#
#   tests/bench/one_farm.sh [N] [BTCLINT]     N defaults to 1000
set -euo pipefail
n=${1:-1000}
btclint=$(realpath "${2:-build/btclint}")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "one_farm.sh: /usr/bin/time missing (Debian package time)" >&2; exit 2; }

for mistakes in 0.10 0; do
  for size in "$n" $((4 * n)); do
    dir=$work/farm-$mistakes-$size
    /usr/bin/python3 "$here/gen_corpus.py" --seed 1 --farm-size "$size" --mistakes "$mistakes" "$dir" "$size"
    # Sorted names are the configuration order: the creator is -0001.
    (cd "$dir" && /usr/bin/time -f "%e %M" "$btclint" check --fail-on never ./*.xml >/dev/null) 2>"$work/time"
    read -r secs kib < <(tail -1 "$work/time")
    findings=$(cd "$dir" && "$btclint" check --fail-on never --format json ./*.xml |
      /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
    echo "$mistakes $size $secs $kib $findings"
  done
done | awk '
  { printf "one farm, %3d%% with mistakes: %6d exports: %5.2f s, peak RSS %5.1f MiB, %5d findings\n",
      $1 * 100, $2, $3, $4 / 1024, $5
    if (NR % 2 == 1) { n = $2; kib = $4 }
    else printf "  growth: %.0f bytes per added export\n", ($4 - kib) * 1024 / ($2 - n) }'
