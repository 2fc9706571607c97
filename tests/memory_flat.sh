#!/usr/bin/env bash
# Memory of one farm does not grow with its number of exports (issue 6): the
# farm rules keep what later exports are compared with, never the exports.
# Peak heap (valgrind massif: exact and repeatable, unlike RSS) of one farm
# of 250 and of 1000 clean exports (tests/bench/gen_corpus.py), whole and
# without the creator's export (then every export that joins is remembered
# until the farm ends, in case the creator comes last). Each added export may
# cost its input record and, without the creator, its waiting findings: at
# most 512 bytes (47 and 200 measured). Keeping a compact copy per export,
# as before, cost about 2 900.
#
#   tests/memory_flat.sh BTCLINT SOURCE_DIR
set -u
btclint=$(realpath "$1")
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
limit=512

peak() { # dir order -> peak heap bytes
	local files
	files=$(cd "$1" && ls ./*.xml)
	[ "$2" = "without the creator" ] && files=$(printf '%s\n' "$files" | tail -n +2)
	# shellcheck disable=SC2086 # one argument per file
	(cd "$1" && valgrind --tool=massif --massif-out-file="$work/massif" "$btclint" check --jobs 1 $files >/dev/null 2>&1)
	/usr/bin/python3 -c '
import re, sys
text = open(sys.argv[1]).read()
print(max(int(a) + int(b) for a, b in re.findall(r"mem_heap_B=(\d+)\nmem_heap_extra_B=(\d+)", text)))' \
		"$work/massif"
}

status=0
for n in 250 1000; do
	/usr/bin/python3 "$src/tests/bench/gen_corpus.py" --seed 3 --farm-size $n --mistakes 0 "$work/farm-$n" $n ||
		exit 2
done
for order in whole "without the creator"; do
	small=$(peak "$work/farm-250" "$order") && big=$(peak "$work/farm-1000" "$order") || exit 2
	per=$(((big - small) / 750)) # the creator-less run has one export less in each: same difference
	echo "one farm, $order: peak heap $small bytes at 250 exports, $big at 1000: $per bytes per export"
	if [ "$per" -gt "$limit" ]; then
		echo "FAIL: memory grows by $per bytes per export (at most $limit)"
		status=1
	fi
done
exit $status
