#!/usr/bin/env bash
# `check --jobs N` reads exports ahead on N threads (src/cli/reader.c) but
# must report exactly what one thread reports: the same stdout in every
# format, the same stderr lines in the same order, the same exit status.
# Inputs: generated exports (UTF-8, UTF-16, CRLF) with some not well-formed,
# a document type declaration, an empty, a missing and a 2 MiB file, beside the
# sample farms' inventories, one inventory of 40 of those exports and an
# invalid one (each farm's exports are planned one farm ahead). Run by
# ctest in every build, and under ThreadSanitizer by scripts/test.sh.
set -u
btclint=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$src/tests/bench/gen_corpus.py" "$dir/x" 80 --seed 11 --broken 0.1 || exit 2
printf '<?xml version="1.0"?>\n<!DOCTYPE Configuration [<!ENTITY a "b">]>\n<Configuration/>\n' >"$dir/x/doctype.xml"
: >"$dir/x/empty.xml"
# Larger than what is read ahead (cli/reader.c): parsed only when it is next.
/usr/bin/python3 -c 'import sys; open(sys.argv[1], "w").write("<Configuration>\n<!-- " + "x" * (2 << 20) + " -->\n</Configuration>\n")' \
	"$dir/x/large.xml"
mapfile -t files < <(ls "$dir"/x/*.xml)
files+=("$dir/x/missing.xml")
# A farm of 40 of them too: the threads go on from one farm to the next.
{
	echo "[farm]"
	echo "name = forty"
	for f in "${files[@]:0:40}"; do
		name=$(basename "$f" .xml)
		printf '[server %s]\nexport = %s\n' "${name//-/X}" "$f"
	done
} >"$dir/forty.ini"
printf '[farm]\nname = broken\n[server BTS01\nexport = x.xml\n' >"$dir/broken.ini"
inventories=(--inventory "$dir/forty.ini" --inventory "$dir/broken.ini")
for ini in "$src"/samples/farms/*/*.ini; do inventories+=(--inventory "$ini"); done

run() { # jobs -> $dir/out-JOBS.{txt,json,sarif,err,rc}
	local o=$dir/out-$1
	"$btclint" check --jobs "$1" --fail-on warning "${inventories[@]}" --format text --format json \
		--output "$o.json" --format sarif --output "$o.sarif" "${files[@]}" >"$o.txt" 2>"$o.err"
	echo $? >"$o.rc"
}

fail=0
run 1
grep -q "error" "$dir/out-1.err" || { echo "FAIL: the inputs hold no bad file (stderr is empty)"; fail=1; }
for jobs in 2 3 8; do
	run $jobs
	for ext in txt json sarif err rc; do
		if ! cmp -s "$dir/out-1.$ext" "$dir/out-$jobs.$ext"; then
			echo "FAIL: --jobs $jobs: .$ext differs from --jobs 1"
			diff "$dir/out-1.$ext" "$dir/out-$jobs.$ext" | head -5
			fail=1
		fi
	done
done
[ $fail = 0 ] && echo "ok   --jobs 2, 3 and 8 report what --jobs 1 reports ($(wc -l <"$dir/out-1.err") input errors, exit $(cat "$dir/out-1.rc"))"
exit $fail
