#!/usr/bin/env bash
# The progress line: drawn on a terminal when more than 50 exports are read,
# erased before the report; never written when stderr is not a terminal.
# A terminal comes from script(1) (util-linux).
set -u
btclint=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$src/tests/bench/gen_corpus.py" "$dir" 60 --seed 7 || exit 2
mapfile -t files < <(ls "$dir"/*.xml)
pass=0 fail=0
result() { # name ok why
  if [ "$2" = 1 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1: $3"; fi
}
on_tty() { # files...: btclint's stdout and stderr as a terminal shows them, stdout to /dev/null
  script -qec "$(printf '%q ' "$btclint" check --fail-on never "$@") >/dev/null" /dev/null </dev/null
}

out=$(on_tty "${files[@]}" | tr '\r' '\n')
ok=1 why=""
grep -q "^btclint: reading exports 1/60 (1%)" <<<"$out" || { ok=0; why="no first step"; }
grep -q "^btclint: reading exports 60/60 (100%)" <<<"$out" || { ok=0; why="$why; no last step"; }
steps=$(grep -c "reading exports" <<<"$out")
[ "$steps" -le 60 ] || { ok=0; why="$why; $steps redraws for 60 files"; }
# The line is erased: the last thing written is blanks, then column 0.
last=$(printf '%s' "$out" | tail -n 1)
[ -z "${last// /}" ] || { ok=0; why="$why; the line is not erased: '$last'"; }
result "terminal, 60 files: drawn and erased" $ok "$why"

out=$(on_tty "${files[@]:0:50}")
if grep -q "reading exports" <<<"$out"; then result "terminal, 50 files: nothing" 0 "drawn"; else result "terminal, 50 files: nothing" 1; fi

"$btclint" check --fail-on never "${files[@]}" >/dev/null 2>"$dir/err"
if [ -s "$dir/err" ]; then result "stderr to a file: nothing" 0 "$(head -c 200 "$dir/err")"; else result "stderr to a file: nothing" 1; fi

echo "progress: $pass passed, $fail failed"
[ $fail = 0 ]
