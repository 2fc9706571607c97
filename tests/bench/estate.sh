#!/usr/bin/env bash
# An estate audit: the benchmark corpus (tests/bench/gen_corpus.py names each
# export FARM-NN.xml) as one site inventory per farm, declaring the SQL names
# each farm uses, all checked in one run with --inventory repeated. Prints
# time and peak RSS at N and 4N exports: farms are checked and freed one by
# one, so memory grows only with the findings kept for the report.
#
#   tests/bench/estate.sh [N] [BTCLINT]     N defaults to 1000
set -euo pipefail
n=${1:-1000}
btclint=$(realpath "${2:-build/btclint}")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for size in "$n" $((4 * n)); do
  dir=$work/estate-$size
  /usr/bin/python3 "$here/gen_corpus.py" --seed 1 "$dir/exports" "$size" >/dev/null
  /usr/bin/python3 - "$dir" <<'PY'
import collections, os, re, sys
d = sys.argv[1]
farms = collections.defaultdict(list)
for name in sorted(os.listdir(os.path.join(d, "exports"))):
    farms[name.rsplit("-", 1)[0]].append(name)
for farm, files in farms.items():
    hosts = {}
    for f in files:
        raw = open(os.path.join(d, "exports", f), "rb").read()
        text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
        for s in re.findall(r"<Server>\s*([^<]*?)\s*</Server>", text):
            host, _, inst = s.partition("\\")
            if re.fullmatch(r"[A-Za-z][\w.-]*", host) and host.lower() not in ("localhost",) and "{" not in s:
                hosts.setdefault(host.lower(), (host, inst.split(",")[0]))
    with open(os.path.join(d, farm + ".ini"), "w") as ini:
        ini.write(f"[farm]\nname = {farm}\n")
        for host, inst in hosts.values():
            label = host.split(".")[0]
            if inst:
                ini.write(f"[sql {host}]\ninstance = {inst}\nnodes = {label}n1, {label}n2\n")
            else:
                ini.write(f"[listener {host}]\nreplicas = {label}r1, {label}r2\n")
        for f in files:
            ini.write(f"[server {f[:-4].replace('-', 'X')}]\nexport = exports/{f}\n")
PY
  args=()
  for ini in "$dir"/*.ini; do args+=(--inventory "$(basename "$ini")"); done
  # Timed with the text report; the JSON report is only read for the count.
  (cd "$dir" && /usr/bin/time -f "%e %M" "$btclint" check --fail-on never "${args[@]}" >/dev/null) \
    2> "$work/time-$size"
  read -r secs kib < <(tail -1 "$work/time-$size")
  (cd "$dir" && "$btclint" check --fail-on never --format json --output report.json "${args[@]}" >/dev/null)
  findings=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' \
    "$dir/report.json")
  awk -v n="$size" -v f="${#args[@]}" -v s="$secs" -v k="$kib" -v x="$findings" \
    'BEGIN { printf "%6d exports in %5d farms: %6.2f s, peak RSS %6.1f MiB, %d findings\n", n, f / 2, s, k / 1024, x }'
done
