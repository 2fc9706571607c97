#!/usr/bin/env bash
# Times `btclint check` against `xmllint --noout` (a bare libxml2 DOM parse)
# on the same generated corpus, at N and 4N files.
#
#   tests/bench/run.sh [N] [BTCLINT]     N defaults to 1000, BTCLINT to build/btclint
#   RUNS=5 (runs per tool and size), BENCH_DIR=... (keep the corpora there)
#
# Fairness: both tools get the same files, in the same order, as arguments of
# one process (btclint treats them as one farm, as CI would), from inside the
# corpus folder so that 4N short names stay far below ARG_MAX; runs alternate
# between the tools and the one going first alternates too, so that a burst
# of load from elsewhere hits both. Medians are printed: wall time, CPU time
# (user+sys, steadier than wall on a shared machine) and peak RSS.
# btclint runs single-threaded (--jobs 1), as the target says, and once more
# with --jobs set to the number of CPUs (its default), reading ahead.
# Builds nothing: build btclint first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-1000}
btclint=${2:-$root/build/btclint}
runs=${RUNS:-5}
case $btclint in /*) ;; *) btclint=$PWD/$btclint ;; esac
[ -x "$btclint" ] || { echo "run.sh: $btclint: no btclint binary (build first, or pass its path)" >&2; exit 2; }
command -v xmllint >/dev/null || { echo "run.sh: xmllint missing (Debian package libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time missing (Debian package time)" >&2; exit 2; }

work=${BENCH_DIR:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# One measured run: prints "wall_seconds cpu_seconds peak_rss_kib".
measure() { # dir tool args...
  local dir=$1 out start end
  shift
  out=$(mktemp)
  start=$(date +%s%N)
  (cd "$dir" && /usr/bin/time -f '%U %S %M' -o "$out" "$@" >/dev/null 2>&1) || true
  end=$(date +%s%N)
  awk -v w=$(( (end - start) / 1000 )) '{printf "%.4f %.2f %d\n", w / 1e6, $1 + $2, $3}' "$out"
  rm -f "$out"
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

declare -A wall cpu rss
cpus=$(nproc)
bench() { # size
  local size=$1 dir=$work/corpus-$1 files i b x
  [ -d "$dir" ] || python3 "$here/gen_corpus.py" "$dir" "$size" --seed 1
  mapfile -t files < <(cd "$dir" && ls -1 -- *.xml)
  [ ${#files[@]} = "$size" ] || { echo "run.sh: $dir holds ${#files[@]} files, want $size" >&2; exit 2; }
  local bytes
  bytes=$(cd "$dir" && cat -- "${files[@]}" | wc -c)
  echo "corpus: $size files, $((bytes / 1024)) KiB, in $dir" >&2
  # Warm the page cache for both.
  measure "$dir" xmllint --noout "${files[@]}" >/dev/null
  : >"$work/b.$size" ; : >"$work/p.$size" ; : >"$work/x.$size"
  for ((i = 0; i < runs; i++)); do
    if ((i % 2 == 0)); then
      measure "$dir" "$btclint" check --jobs 1 --fail-on never "${files[@]}" >>"$work/b.$size"
      measure "$dir" "$btclint" check --jobs "$cpus" --fail-on never "${files[@]}" >>"$work/p.$size"
      measure "$dir" xmllint --noout "${files[@]}" >>"$work/x.$size"
    else
      measure "$dir" xmllint --noout "${files[@]}" >>"$work/x.$size"
      measure "$dir" "$btclint" check --jobs "$cpus" --fail-on never "${files[@]}" >>"$work/p.$size"
      measure "$dir" "$btclint" check --jobs 1 --fail-on never "${files[@]}" >>"$work/b.$size"
    fi
  done
  for t in b p x; do
    wall[$t$size]=$(cut -d' ' -f1 "$work/$t.$size" | median)
    cpu[$t$size]=$(cut -d' ' -f2 "$work/$t.$size" | median)
    rss[$t$size]=$(cut -d' ' -f3 "$work/$t.$size" | median)
  done
  echo "  btclint runs (wall cpu rss): $(tr '\n' ';' <"$work/b.$size")" >&2
  echo "  btclint --jobs $cpus runs (wall cpu rss): $(tr '\n' ';' <"$work/p.$size")" >&2
  echo "  xmllint runs (wall cpu rss): $(tr '\n' ';' <"$work/x.$size")" >&2
}

bench "$n"
bench $((4 * n))
n4=$((4 * n))
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: $runs per tool and size, medians"
printf '%-8s %-11s %10s %10s %12s\n' files tool wall_s cpu_s peak_rss_MiB
for size in "$n" "$n4"; do
  for t in b p x; do
    name=btclint; [ $t = p ] && name=btclint-j$cpus; [ $t = x ] && name=xmllint
    printf '%-8s %-11s %10s %10s %12s\n' "$size" "$name" "${wall[$t$size]}" "${cpu[$t$size]}" \
      "$(awk -v k="${rss[$t$size]}" 'BEGIN {printf "%.1f", k / 1024}')"
  done
done
echo "ratio btclint/xmllint, wall: $(ratio "${wall[b$n]}" "${wall[x$n]}") at $n files, $(ratio "${wall[b$n4]}" "${wall[x$n4]}") at $n4"
echo "ratio btclint/xmllint, cpu:  $(ratio "${cpu[b$n]}" "${cpu[x$n]}") at $n files, $(ratio "${cpu[b$n4]}" "${cpu[x$n4]}") at $n4"
echo "ratio btclint --jobs $cpus/xmllint, wall: $(ratio "${wall[p$n]}" "${wall[x$n]}") at $n files, $(ratio "${wall[p$n4]}" "${wall[x$n4]}") at $n4"
echo "growth $n -> $n4 files (linear = 4.00), wall: btclint $(ratio "${wall[b$n4]}" "${wall[b$n]}"), xmllint $(ratio "${wall[x$n4]}" "${wall[x$n]}")"
echo "growth of peak RSS $n -> $n4 files: btclint $(ratio "${rss[b$n4]}" "${rss[b$n]}"), xmllint $(ratio "${rss[x$n4]}" "${rss[x$n]}")"
