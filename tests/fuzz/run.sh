#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with clang (ASan + UBSan) and
# runs each for SECONDS, after replaying every regression input.
#
#   tests/fuzz/run.sh SECONDS [JOBS]
#   FUZZ_DIR=build-fuzz   where objects, binaries, corpora and crashes go
#
# The harnesses are compiled against the library sources directly (not the
# CMake build) so that every file is instrumented for coverage. The working
# corpus of each harness is kept in FUZZ_DIR/corpus/NAME, so a later run
# starts where the last one stopped; it is seeded from samples/, the real
# corpus in ../shared and tests/data. A crash, leak or sanitizer report fails
# the run and leaves its input in FUZZ_DIR/artifacts/: copy it to
# tests/data/regress/ (see the README there) before fixing it.
set -euo pipefail
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [JOBS]}
jobs=${2:-$(nproc)}
cd "$(dirname "$0")/../.."
root=$PWD
out=${FUZZ_DIR:-$root/build-fuzz}
mkdir -p "$out/obj" "$out/gen" "$out/artifacts"
cc=${CLANG:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found (Debian packages clang, libclang-rt-14-dev)" >&2; exit 2; }

san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
read -r -a deps_cflags <<<"$(pkg-config --cflags libxml-2.0 jansson inih)"
read -r -a deps_libs <<<"$(pkg-config --libs libxml-2.0 jansson inih)"
cflags=(-std=c11 -g -O1 -D_DEFAULT_SOURCE -Wall -Wextra -Werror "${san[@]}" -fsanitize=fuzzer-no-link
	-Iinclude -Isrc -I"$out/gen" "${deps_cflags[@]}")

# The generated files the CMake build makes.
version=$(sed -n 's/^project(btclint VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
sed "s/@PROJECT_VERSION@/$version/" src/version.h.in >"$out/gen/version.h.tmp"
cmp -s "$out/gen/version.h.tmp" "$out/gen/version.h" || mv "$out/gen/version.h.tmp" "$out/gen/version.h"
cmake -DDOCS_DIR="$root/docs/rules" -DOUT="$out/gen/rule_docs.c" -P cmake/embed_docs.cmake

# The library: the same folders as btclint_core in CMakeLists.txt.
sources=(src/util/*.c src/export/*.c src/farm/*.c src/rules/*.c src/report/*.c "$out/gen/rule_docs.c")
objects=()
for s in "${sources[@]}"; do
	objects+=("$out/obj/$(echo "${s#"$out"/}" | tr / _).o")
done
compile() { # source object
	if [ ! -e "$2" ] || [ "$1" -nt "$2" ] || [ -n "$(find src "$out/gen" -name '*.h' -newer "$2" -print -quit)" ]; then
		"$cc" "${cflags[@]}" -c "$1" -o "$2"
	fi
}
pids=()
for i in "${!sources[@]}"; do
	compile "${sources[$i]}" "${objects[$i]}" &
	pids+=($!)
	if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done

harnesses=(export)
[ -e src/farm/inventory.h ] && harnesses+=(inventory)

# Seeds: every real and sample export, the test inputs, and inventories
# taken from the specification's examples.
seed=$out/seeds
rm -rf "$seed"
mkdir -p "$seed/export" "$seed/inventory"
for f in samples/exports/*.xml ../shared/corpus/real/*.xml; do
	[ -f "$f" ] && cp "$f" "$seed/export/$(basename "$f")"
done
if [ -d tests/data ]; then
	find tests/data -type f -name '*.xml' -exec cp -t "$seed/export" {} +
	find tests/data -type f -name '*.ini' -exec cp -t "$seed/inventory" {} +
fi
if [ -f ../shared/spec/inventory.md ]; then
	awk '/^```ini/ {on = 1; n++; next} /^```/ {on = 0} on {print > (dir "/spec-" n ".ini")}' \
		dir="$seed/inventory" ../shared/spec/inventory.md
fi
printf '[farm]\nname = f\ndomain = CONTOSO\ncomplete = yes\n\n[sql SQL01]\nnodes = N1, N2\n\n[server BTS01]\nexport = a.xml\n\n[server BTS02]\nexport = b.xml\norder = 1\n' \
	>"$seed/inventory/servers.ini"

status=0
for h in "${harnesses[@]}"; do
	bin=$out/fuzz_$h
	"$cc" "${cflags[@]}" -fsanitize=fuzzer "tests/fuzz/fuzz_$h.c" "${objects[@]}" "${deps_libs[@]}" -o "$bin"
	corpus=$out/corpus/$h
	mkdir -p "$corpus"
	log=$out/fuzz_$h.log
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	# Every input that once crashed must stay fixed, whatever the fuzzer finds.
	regress=()
	[ -d "tests/data/regress/$h" ] && mapfile -t regress < <(find "tests/data/regress/$h" -type f ! -name '*.md' | sort)
	if [ ${#regress[@]} -gt 0 ] && ! "$bin" -runs=1 "${regress[@]}" >"$log.regress" 2>&1; then
		echo "fuzz_$h: a regression input fails again:" >&2
		tail -30 "$log.regress" >&2
		status=1
		continue
	fi
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-dict="tests/fuzz/$h.dict" -artifact_prefix="$out/artifacts/$h-" -print_final_stats=1 \
		"$corpus" "$seed/$h" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
		echo "fuzz_$h: ${seconds}s, $execs runs, $cov, corpus $(find "$corpus" -type f | wc -l) files, no crash (${#regress[@]} regression inputs pass)"
	else
		echo "fuzz_$h: FAILED, see $log; the input is in $out/artifacts/" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" >&2 || tail -30 "$log" >&2
		status=1
	fi
done
exit $status
