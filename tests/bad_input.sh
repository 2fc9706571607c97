#!/usr/bin/env bash
# Hostile and broken inputs through the real command line: each must end
# quickly with exit 3 and exactly one message naming the file, while a good
# export given in the same run is still checked and reported.
set -u
btclint=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
good=$src/samples/exports/mistake-localhost.xml
gen=$src/tests/bench/exportgen.py

: > "$dir/empty.xml"
head -c 4096 /bin/sh > "$dir/binary.xml"
head -c 3000 "$good" > "$dir/truncated.xml"
printf '<Configuration><Feature Name="a & b"/></Configuration>\n' > "$dir/ampersand.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE Configuration [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Configuration>&x;</Configuration>\n' > "$dir/doctype-external.xml"
{
  printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '<!ENTITY lol%s "' $i; for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' $prev; done; printf '">\n'
    prev=lol$i
  done
  printf ']>\n<Configuration><Feature Name="&lol9;"/></Configuration>\n'
} > "$dir/entity-bomb.xml"
python3 -c 'import sys; sys.stdout.write("<Configuration>" + "<a>" * 100000 + "</a>" * 100000 + "</Configuration>")' > "$dir/deep.xml"
printf '<Configuration>\xc3\x28 bad utf-8</Configuration>\n' > "$dir/invalid-utf8.xml"
python3 - "$dir/big.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("<Configuration>\n")
    line = "  <InstalledFeature>" + "x" * 100 + "</InstalledFeature>\n"
    f.write(line * (60 * 1024 * 1024 // len(line)))
    f.write("</Configuration>\n")
PY
mkdir "$dir/a-directory.xml"

pass=0 fail=0
check() { # name file
  local name=$1 file=$2 out err rc start end
  out=$(mktemp) err=$(mktemp)
  start=$(date +%s%N)
  timeout 20 "$btclint" check "$file" "$good" >"$out" 2>"$err"
  rc=$?
  end=$(date +%s%N)
  local ms=$(( (end - start) / 1000000 )) ok=1 why=""
  [ $rc = 3 ] || { ok=0; why="exit $rc"; }
  [ "$(wc -l < "$err")" = 1 ] || { ok=0; why="$why; stderr has $(wc -l < "$err") lines"; }
  grep -qF "btclint: $file" "$err" || { ok=0; why="$why; message does not name the file"; }
  grep -q "mistake-localhost.xml:39: error SQL002" "$out" || { ok=0; why="$why; the good file was not reported"; }
  [ $ms -lt 10000 ] || { ok=0; why="$why; took ${ms} ms"; }
  if [ $ok = 1 ]; then
    pass=$((pass + 1)); echo "ok   $name (${ms} ms): $(cat "$err")" | cut -c1-200
  else
    fail=$((fail + 1)); echo "FAIL $name: $why"; cat "$err"
  fi
  rm -f "$out" "$err"
}
check empty "$dir/empty.xml"
check binary "$dir/binary.xml"
check truncated "$dir/truncated.xml"
check bare-ampersand "$dir/ampersand.xml"
check doctype-external-entity "$dir/doctype-external.xml"
check entity-bomb "$dir/entity-bomb.xml"
check deep-100000 "$dir/deep.xml"
check invalid-utf8 "$dir/invalid-utf8.xml"
check 60MB "$dir/big.xml"
check missing "$dir/missing.xml"
check directory "$dir/a-directory.xml"

# Windows encodings must parse: UTF-16LE with BOM and CRLF, UTF-8 with BOM.
python3 - "$gen" "$dir" <<'PY'
import sys, importlib.util
spec = importlib.util.spec_from_file_location("g", sys.argv[1]); g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)
text = g.export(sql="localhost", newline="\r\n")
open(sys.argv[2] + "/utf16le.xml", "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
open(sys.argv[2] + "/utf16be.xml", "wb").write(b"\xfe\xff" + text.encode("utf-16-be"))
open(sys.argv[2] + "/utf8bom.xml", "wb").write(b"\xef\xbb\xbf" + text.encode("utf-8"))
PY
for enc in utf16le utf16be utf8bom; do
  out=$("$btclint" check "$dir/$enc.xml" 2>&1); rc=$?
  if [ $rc = 1 ] && grep -q "$enc.xml:38: error SQL002" <<<"$out"; then
    pass=$((pass + 1)); echo "ok   $enc parses"
  else
    fail=$((fail + 1)); echo "FAIL $enc: exit $rc"; echo "$out" | head -5
  fi
done
# Inputs that once crashed btclint (tests/data/regress/README.md): whatever
# they are, btclint ends normally, and an input it refuses gets one message.
for file in "$src"/tests/data/regress/export/*; do
  [ -f "$file" ] || continue
  name=regress/$(basename "$file")
  out=$(mktemp) err=$(mktemp)
  timeout 20 "$btclint" check "$file" >"$out" 2>"$err"; rc=$?
  ok=1 why=""
  case $rc in 0 | 1 | 3) ;; *) ok=0; why="exit $rc" ;; esac
  if [ $rc = 3 ]; then
    [ "$(wc -l < "$err")" = 1 ] || { ok=0; why="$why; stderr has $(wc -l < "$err") lines"; }
    grep -qF "btclint: $file" "$err" || { ok=0; why="$why; message does not name the file"; }
  fi
  if [ $ok = 1 ]; then
    pass=$((pass + 1)); echo "ok   $name: exit $rc" | cut -c1-200
  else
    fail=$((fail + 1)); echo "FAIL $name: $why"; head -20 "$err"
  fi
  rm -f "$out" "$err"
done
# A file name that is not UTF-8 must not cost the JSON report.
odd="$dir/$(printf 'odd\xffname.xml')"
cp "$good" "$odd"
if "$btclint" check --format json "$odd" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["findings"] and "\ufffd" in d["inputs"][0]["path"]'; then
  pass=$((pass + 1)); echo "ok   non-UTF-8 file name in JSON"
else
  fail=$((fail + 1)); echo "FAIL non-UTF-8 file name in JSON"
fi
echo "bad input: $pass passed, $fail failed"
[ $fail = 0 ]
