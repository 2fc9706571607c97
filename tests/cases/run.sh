#!/usr/bin/env bash
# Data-driven CLI cases. Each tests/cases/NAME.case holds lines:
#   args: ARGS                  btclint's arguments (shell words; $SHARED = ../shared)
#   exit: N                     expected exit status
#   stdout-contains: TEXT       (repeatable) a line of stdout contains TEXT
#   stdout-lacks: TEXT          (repeatable) no line of stdout contains TEXT
#   stderr-contains: TEXT       (repeatable)
#   stderr-lacks: TEXT          (repeatable) no line of stderr contains TEXT
#   stderr-lines: N             stderr has exactly N lines
#   stdout-json: yes            stdout parses as JSON
#   stdout-file: FILE           stdout equals FILE (beside the case) exactly
#   env: NAME=VALUE             (repeatable) set for the run
#   requires: PART              skip unless this build has PART (probe, directory)
# Cases run from the source root so that paths in reports are stable.
set -u
btclint=$1 cases=$2 src=$3 shared=$4
export SHARED=$shared
cd "$src" || exit 2
pass=0 fail=0 skip=0
for case in "$cases"/*.case; do
  name=$(basename "$case" .case)
  args="" want_exit="" envs=() requires=""
  while IFS= read -r line; do
    case "$line" in
      requires:*) requires=${line#requires: } ;;
      args:*) args=${line#args:}; args=${args# } ;;
      exit:*) want_exit=${line#exit: } ;;
      env:*) envs+=("${line#env: }") ;;
    esac
  done < "$case"
  if [ -n "$requires" ] && ! "$btclint" --version | grep -q "$requires: yes"; then
    skip=$((skip + 1))
    continue
  fi
  out=$(mktemp) err=$(mktemp)
  eval "set -- $args"
  env "${envs[@]}" "$btclint" "$@" >"$out" 2>"$err" </dev/null
  got=$?
  ok=1 why=""
  [ "$got" = "$want_exit" ] || { ok=0; why="exit $got, want $want_exit"; }
  while IFS= read -r line; do
    case "$line" in
      stdout-contains:*) t=${line#stdout-contains: }; grep -qF -- "$t" "$out" || { ok=0; why="$why; stdout lacks: $t"; } ;;
      stdout-lacks:*) t=${line#stdout-lacks: }; ! grep -qF -- "$t" "$out" || { ok=0; why="$why; stdout has: $t"; } ;;
      stderr-contains:*) t=${line#stderr-contains: }; grep -qF -- "$t" "$err" || { ok=0; why="$why; stderr lacks: $t"; } ;;
      stderr-lacks:*) t=${line#stderr-lacks: }; ! grep -qF -- "$t" "$err" || { ok=0; why="$why; stderr has: $t"; } ;;
      stderr-lines:*) n=${line#stderr-lines: }; [ "$(wc -l < "$err")" -eq "$n" ] || { ok=0; why="$why; stderr has $(wc -l < "$err") lines, want $n"; } ;;
      stdout-json:*) /usr/bin/python3 -m json.tool "$out" >/dev/null 2>&1 || { ok=0; why="$why; stdout is not JSON"; } ;;
      stdout-file:*) f=${line#stdout-file: }; diff -u "$cases/$f" "$out" >/dev/null || { ok=0; why="$why; stdout differs from $f: $(diff -u "$cases/$f" "$out" | head -20)"; } ;;
    esac
  done < "$case"
  if [ $ok = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: $why"
    echo "--- stdout"; head -30 "$out"; echo "--- stderr"; head -10 "$err"
  fi
  rm -f "$out" "$err"
done
echo "cli cases: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
