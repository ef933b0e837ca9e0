#!/bin/bash
# JUnit XML and TAP from report lines (`memcrypt results`, `memcrypt check
# --junit`, `memcrypt show-last --junit`: host/testresults.h), read back by
# parsers that are not ours: tests/junit-check (/usr/bin/python3 xml.etree and
# xmllint) and perl's `prove`.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: results: $*"; }
fail() { echo "FAIL: results: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# A log with every verdict, markup, a '#', bytes that are not UTF-8 and a
# control character XML forbids, and a log tail after the FAIL.
printf '%s\n' 'memcrypt 0.1.0 banner' \
	'PASS: qemu: boot: banner <shown> & "quoted"' \
	'FAIL: tme: enabled: not activated (IA32_TME_ACTIVATE=0x0) # not a TAP directive' \
	'    | log tail line' \
	'SKIP: pconfig: not enumerated (CPUID.7.0:EDX[18]=0)' \
	'WARN: tme: bypass: KeyID 0 is plaintext' \
	'INFO: kernel: elapsed 3 ms' \
	'PASS: no-prefix-here' \
	'SUMMARY: 5 tests, 1 failures, 1 skipped' >"$tmp/mixed.log"
printf 'PASS: odd: bytes \xff\xfe and \x01 control\n' >>"$tmp/mixed.log"
printf 'PASS: clean: one\nPASS: clean: two\n' >"$tmp/clean.log"

$M results --junit "$tmp/m.xml" --tap "$tmp/m.tap" --name mixed --time 1.5 "$tmp/mixed.log" "$tmp/clean.log" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && pass "results: status 0 for two logs" || fail "results: status $rc: $(cat "$tmp/err")"
if tests/junit-check results-junit "$tmp/m.xml" "$tmp/mixed.log" "$tmp/clean.log" >"$tmp/jc"; then
	pass "junit-check accepts the file ($(grep -c '^PASS' "$tmp/jc") properties)"
else
	fail "junit-check: $(grep '^FAIL' "$tmp/jc" | head -3)"
fi
/usr/bin/python3 - "$tmp/m.xml" <<'PY' && pass "suite names, time, failure body with the log tail, WARN in system-out, U+FFFD" || fail "XML details wrong"
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.findall("testsuite")
assert [x.get("name") for x in s] == ["mixed", "clean"], [x.get("name") for x in s]
assert s[0].get("time") == "1.500" and s[1].get("time") is None
f = s[0].find("testcase/failure")
assert f.text.endswith("    | log tail line\n"), repr(f.text)
w = [c for c in s[0].findall("testcase") if c.get("classname") == "tme" and c.get("name").startswith("bypass")][0]
assert w.find("system-out").text.startswith("WARN: "), "WARN line"
odd = [c for c in s[0].findall("testcase") if c.get("classname") == "odd"][0]
assert "\ufffd" in odd.get("name") and "\x01" not in odd.get("name")
assert "INFO: kernel: elapsed 3 ms" in s[0].find("system-out").text
PY
prove -e cat "$tmp/m.tap" >"$tmp/prove" 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'Tests: 8 Failed: 1' "$tmp/prove" && grep -q 'Failed test:  2$' "$tmp/prove"; then
	pass "prove reads the TAP: 8 tests, test 2 failed, status $rc"
else
	fail "prove on the TAP (status $rc): $(tail -5 "$tmp/prove")"
fi
grep -q '^ok 3 # SKIP pconfig: not enumerated' "$tmp/m.tap" && pass "SKIP is a TAP skip directive" || fail "no TAP SKIP line: $(cat "$tmp/m.tap")"
grep -q '^not ok 2 - tme: enabled: .* \\# not a TAP directive' "$tmp/m.tap" && pass "a '#' in a description is escaped" || fail "'#' not escaped"
$M results --junit "$tmp/c.xml" --tap "$tmp/c.tap" "$tmp/clean.log" && prove -e cat "$tmp/c.tap" >/dev/null 2>&1 &&
	pass "prove passes a TAP without failures" || fail "prove rejected a clean TAP"

# Bad input: a clear error naming the file or argument, status 2.
$M results --junit "$tmp/x.xml" "$tmp/missing.log" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "missing.log: No such file" "$tmp/err" && pass "missing log: status 2, names the file" || fail "missing log: status $rc, $(cat "$tmp/err")"
$M results "$tmp/clean.log" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "give --junit FILE" "$tmp/err" && pass "no output file: status 2" || fail "no output file: status $rc"
$M results --junit /nonexistent/dir/x.xml "$tmp/clean.log" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "/nonexistent/dir/x.xml" "$tmp/err" && pass "unwritable output: status 2, names it" || fail "unwritable output: status $rc"
$M results --time soon --junit "$tmp/x.xml" "$tmp/clean.log" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "time soon" "$tmp/err" && pass "bad --time: status 2" || fail "bad --time: status $rc"

# memcrypt check --junit: the same lines as its text output.
for prof in profiles/icelake-sp.prof profiles/sapphire-rapids-locked.prof; do
	$M check --profile "$prof" --junit "$tmp/check.xml" >"$tmp/check.log"; rc=$?
	want=$(grep -c '^FAIL:' "$tmp/check.log")
	if tests/junit-check "check-junit $(basename "$prof")" "$tmp/check.xml" "$tmp/check.log" >"$tmp/jc"; then
		pass "check --junit on $prof: $(grep -cE '^(PASS|FAIL|SKIP|WARN):' "$tmp/check.log") testcases, $want failures (status $rc)"
	else
		fail "check --junit on $prof: $(grep '^FAIL' "$tmp/jc" | head -3)"
	fi
done
$M check --junit 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q -- "--junit needs a FILE" "$tmp/err" && pass "check --junit without FILE: status 2" || fail "check --junit without FILE: status $rc"

echo "results-formats: $fails failures"
[ $fails = 0 ]
