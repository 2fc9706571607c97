#!/bin/sh
# The CI gate outputs of the built binary, end to end:
#   a clean and a failing run write SARIF and JUnit beside the text log;
#   SARIF validates against the SARIF 2.1.0 schema, JUnit against junit.xsd;
#   a baseline of the failing run makes the same run pass, and only a new
#   finding fails it again; suppressions hide what they cover.
# usage: gate_outputs.sh BTCLINT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
btclint=$1 src=$2 shared=$3 work=$4
schema_sarif=$shared/schemas/sarif-schema-2.1.0.json
schema_junit=$shared/schemas/junit.xsd
samples=$src/samples/exports
fail=0

rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
cp "$samples"/*.xml . || exit 1

not_ok() { echo "FAIL: $*"; fail=1; }
expect_exit() { # WANT GOT WHAT
	[ "$1" = "$2" ] || not_ok "$3: exit $2, expected $1"
}

# 1. A clean run and a failing run (with an unreadable input), each writing
#    text to stdout and SARIF and JUnit to files.
"$btclint" check --format text --format sarif --output clean.sarif --format junit --output clean.xml \
	BTS01-good.xml BTS02-good.xml >clean.log 2>clean.err
expect_exit 0 $? "clean run"
"$btclint" check --format text --format sarif --output failing.sarif --format junit --output failing.xml \
	--format github --output failing.github --format azure --output failing.azure \
	BTS01-good.xml mistake-localhost.xml mistake-local-groups.xml missing.xml >failing.log 2>failing.err
expect_exit 3 $? "failing run with a missing input"
"$btclint" check --format text --format sarif --output findings.sarif --format junit --output findings.xml \
	BTS01-good.xml mistake-localhost.xml >findings.log 2>&1
expect_exit 1 $? "failing run"
grep -q "error SQL002" findings.log || not_ok "the text log lacks SQL002"
[ -s failing.err ] || not_ok "the missing input is not reported on stderr"

/usr/bin/python3 "$src/tests/validate_sarif.py" "$schema_sarif" clean.sarif failing.sarif findings.sarif ||
	not_ok "SARIF does not validate"
for f in clean.xml failing.xml findings.xml; do
	xmllint --noout --schema "$schema_junit" "$f" 2>"$f.err" || { cat "$f.err"; not_ok "$f does not validate"; }
done

# The facts a dashboard relies on.
/usr/bin/python3 - clean.sarif failing.sarif findings.sarif <<'PY' || not_ok "SARIF content"
import json, sys
clean, failing, findings = (json.load(open(p)) for p in sys.argv[1:])
for doc in (clean, failing, findings):
    run = doc["runs"][0]
    assert "results" in run
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        for loc in res.get("locations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert "\\" not in uri and not uri.startswith("/"), uri
            assert loc["physicalLocation"].get("region", {"startLine": 1})["startLine"] >= 1
        assert "btclint/v1" in res["partialFingerprints"]
assert clean["runs"][0]["results"] == [] or all(r["level"] == "note" for r in clean["runs"][0]["results"])
inv = failing["runs"][0]["invocations"][0]
assert inv["executionSuccessful"] is False
assert any("missing.xml" in n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
           for n in inv["toolExecutionNotifications"])
assert findings["runs"][0]["invocations"][0]["executionSuccessful"] is True
assert any(r["ruleId"] == "SQL002" and r["level"] == "error" for r in findings["runs"][0]["results"])
PY

grep -q '<error ' failing.xml || not_ok "JUnit: the missing input is not an error"
grep -q '<failure ' findings.xml || not_ok "JUnit: no failure for the findings"
grep -q '^::error file=mistake-localhost.xml,line=[0-9]*,title=SQL002::' failing.github || not_ok "GitHub annotations"
grep -q '^##vso\[task.logissue type=error;sourcepath=mistake-localhost.xml;linenumber=[0-9]*;code=SQL002\]' \
	failing.azure || not_ok "Azure logging commands"

# 2. Baselines: adopt, pass, then only a new finding fails.
"$btclint" check --write-baseline baseline.json BTS01-good.xml mistake-localhost.xml >/dev/null 2>&1
expect_exit 0 $? "--write-baseline"
"$btclint" check --baseline baseline.json --format text --format sarif --output baselined.sarif \
	BTS01-good.xml mistake-localhost.xml >baselined.log 2>&1
expect_exit 0 $? "the same run with its baseline"
grep -q "baselined" baselined.log || not_ok "the summary does not count baselined findings"
/usr/bin/python3 "$src/tests/validate_sarif.py" "$schema_sarif" baselined.sarif >/dev/null || not_ok "baselined SARIF"
# Lines move: still baselined.
sed 's|<Configuration>|<Configuration>\n\n\n|' mistake-localhost.xml >moved.tmp && mv moved.tmp mistake-localhost.xml
"$btclint" check --baseline baseline.json BTS01-good.xml mistake-localhost.xml >/dev/null 2>&1
expect_exit 0 $? "moved lines with the baseline"
# A database renamed: a new finding, the gate fails.
sed '0,/<Database>BizTalkMgmtDb</s//<Database>BizTalkMgmtDb2</' mistake-localhost.xml >renamed.tmp &&
	mv renamed.tmp mistake-localhost.xml
"$btclint" check --baseline baseline.json BTS01-good.xml mistake-localhost.xml >renamed.log 2>&1
expect_exit 1 $? "a renamed subject with the baseline"
[ "$(grep -c 'error SQL002' renamed.log)" = 1 ] || not_ok "the renamed subject is not the only finding shown"
"$btclint" check --baseline nonexistent.json BTS01-good.xml >/dev/null 2>&1
expect_exit 3 $? "a missing baseline"
echo '{"version": 1}' >bad.json
"$btclint" check --baseline bad.json BTS01-good.xml >/dev/null 2>&1
expect_exit 3 $? "an invalid baseline"

# 3. Suppressions: one per element with a reason passes; --no-inline-suppressions audits.
cp "$samples/mistake-localhost.xml" suppressed.xml
sed 's|^\( *\)<SQL |\1<!-- btclint-disable SQL002: lab copy, never deployed -->\n\1<SQL |' suppressed.xml >s.tmp &&
	sed 's|^\( *\)<Name ID="{8B3212A1|\1<!-- btclint-disable SQL002: lab copy, never deployed -->\n\1<Name ID="{8B3212A1|' \
		s.tmp >suppressed.xml
"$btclint" check --format text --format sarif --output suppressed.sarif --format junit --output suppressed.xml.junit \
	suppressed.xml >suppressed.log 2>&1
expect_exit 0 $? "every SQL002 suppressed"
grep -q "suppressed" suppressed.log || not_ok "the summary does not count suppressed findings"
grep -q "error SQL002" suppressed.log && not_ok "a suppressed finding is shown in text"
/usr/bin/python3 "$src/tests/validate_sarif.py" "$schema_sarif" suppressed.sarif >/dev/null || not_ok "suppressed SARIF"
grep -q '"inSource"' suppressed.sarif || not_ok "SARIF lacks the inSource suppression"
xmllint --noout --schema "$schema_junit" suppressed.xml.junit 2>/dev/null || not_ok "suppressed JUnit"
grep -q '<skipped ' suppressed.xml.junit || not_ok "JUnit lacks skipped testcases"
"$btclint" check --no-inline-suppressions suppressed.xml >/dev/null 2>&1
expect_exit 1 $? "--no-inline-suppressions"

[ $fail = 0 ] && echo "gate outputs: all checks passed"
exit $fail
