#!/bin/bash
# `memcrypt report --html`: each input the issue names (check --json output,
# a profile; report.json and last-run.json from a real boot are
# tests/qemu/lab.sh's), and bad input with a clear error and status 2.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: report: $*"; }
fail() { echo "FAIL: report: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

$M check --profile profiles/icelake-sp.prof --json >"$tmp/check.json"
if $M report --html "$tmp/a.html" "$tmp/check.json" >/dev/null 2>"$tmp/err"; then
	grep -q 'id="verdict-table"' "$tmp/a.html" && grep -q 'IA32_TME_ACTIVATE (MSR 982H)' "$tmp/a.html" &&
		pass "from check --json output: verdicts and registers" || fail "check --json report lacks verdicts or registers"
else
	fail "from check --json: $(cat "$tmp/err")"
fi
$M check --profile profiles/epyc-milan-sme.prof --json | $M report --html "$tmp/b.html" - >/dev/null 2>"$tmp/err" &&
	grep -q 'SYSCFG (MSR C0010010H)' "$tmp/b.html" && grep -q 'C-bit' "$tmp/b.html" &&
	pass "from stdin (-): an EPYC's SYSCFG and C-bit" || fail "stdin input: $(cat "$tmp/err")"
$M report --html "$tmp/c.html" --profile profiles/sapphire-rapids-tdx.prof >/dev/null 2>"$tmp/err" &&
	grep -q 'id="percpu-grid"' "$tmp/c.html" && pass "from --profile: with the per-CPU grid" || fail "--profile: $(cat "$tmp/err")"

bad() { # name regex args...
	local name=$1 re=$2; shift 2
	$M report "$@" >"$tmp/out" 2>&1; local rc=$?
	[ $rc = 2 ] && grep -qE -- "$re" "$tmp/out" && pass "$name: status 2, /$re/" || fail "$name: status $rc, $(head -c 300 "$tmp/out")"
}
printf '{"checks": [\n  {"id": "x",\n   "verdict" "PASS"}]}\n' >"$tmp/bad.json"
bad "malformed JSON" "bad.json: not JSON: line 3, column 14: expected ':'" --html "$tmp/x.html" "$tmp/bad.json"
echo '{"vendor": "intel"}' >"$tmp/other.json"
bad "JSON that is not a memcrypt report" 'other.json: not a memcrypt report' --html "$tmp/x.html" "$tmp/other.json"
bad "missing input file" 'nope.json: No such file' --html "$tmp/x.html" "$tmp/nope.json"
bad "missing profile" 'nope.prof' --html "$tmp/x.html" --profile "$tmp/nope.prof"
bad "no --html" '--html OUT.html is required' "$tmp/check.json"
bad "both an input and --profile" 'give one INPUT.json or --profile FILE' --html "$tmp/x.html" "$tmp/check.json" --profile profiles/icelake-sp.prof
bad "unwritable output" '/nonexistent/x.html' --html /nonexistent/x.html "$tmp/check.json"
bad "unknown argument" "unknown argument '--pdf'" --pdf x
echo "report-html: $fails failures"
[ $fails = 0 ]
