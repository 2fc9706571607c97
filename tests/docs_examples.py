#!/usr/bin/env python3
"""Every rule page whose example is a standalone export (with, where the rule
needs one, its inventory) is run through the built btclint, and the finding
line the page shows must be what btclint prints. Keeps docs/rules true to the
code. Pages whose example needs several exports or a live server are listed
as skipped.

usage: docs_examples.py BTCLINT DOCS_RULES_DIR"""

import json
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
FINDING = re.compile(r"^(\S+?):(\d+): (error|warning|note) ([A-Z]{3}\d{3}): ")


def example_blocks(page):
    start = page.find("## Example")
    if start < 0:
        return []
    end = page.find("\n## ", start + 1)
    section = page[start:end if end > 0 else len(page)]
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(section)]


def main():
    btclint, rules_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
    checked, skipped, failed = 0, [], []
    listing = subprocess.run([btclint, "rules", "--format", "json"], capture_output=True, text=True, check=True)
    data = {r["id"]: r["data"] for r in json.loads(listing.stdout)}
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".md"):
            continue
        rule = name[:-3]
        blocks = example_blocks(open(os.path.join(rules_dir, name), encoding="utf-8").read())
        xml = [b for lang, b in blocks if lang == "xml" and "<Configuration" in b]
        ini = [b for lang, b in blocks if lang == "ini"]
        expected = [line for lang, b in blocks if lang == "" for line in b.splitlines()
                    if (m := FINDING.match(line)) and m.group(4) == rule]
        if "P" in data.get(rule, "") or "L" in data.get(rule, ""):
            skipped.append(f"{rule} (needs a live server: tests/probe_cli.sh, directory_cli)")
            continue
        if len(xml) != 1 or len(ini) > 1 or not expected:
            skipped.append(f"{rule} (example is not one export{' and one inventory' if ini else ''})")
            continue
        path = FINDING.match(expected[0]).group(1)
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(xml[0])
            args = [btclint, "check", "--fail-on", "never"]
            if ini:
                with open(os.path.join(tmp, "site.ini"), "w", encoding="utf-8") as f:
                    f.write(ini[0])
                args += ["--inventory", "site.ini"]
            else:
                args.append(path)
            run = subprocess.run(args, cwd=tmp, capture_output=True, text=True)
        got = run.stdout.splitlines()
        missing = [line for line in expected if line not in got]
        checked += 1
        if run.returncode != 0 or missing:
            failed.append(rule)
            print(f"FAIL {rule}: exit {run.returncode}")
            for line in missing:
                print(f"  page shows: {line}")
            for line in got:
                if f" {rule}: " in line:
                    print(f"  btclint:    {line}")
            if run.stderr:
                print(f"  stderr: {run.stderr.strip()}")
    for s in skipped:
        print(f"skip {s}")
    print(f"docs examples: {checked - len(failed)} passed, {len(failed)} failed, {len(skipped)} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
