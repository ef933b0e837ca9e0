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

# Headings and table ids are printed for any input; what is checked is
# the input's own content in the page: its verdict rows, its register
# values (from the JSON's raw members / the profile's msr lines) and one
# grid row per CPU of the profile.
jq_() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
hex16() { printf '0x%016x' "$1"; }
$M check --profile profiles/icelake-sp.prof --json >"$tmp/check.json"
if $M report --html "$tmp/a.html" "$tmp/check.json" >/dev/null 2>"$tmp/err"; then
	act=$(hex16 "$(jq_ "$tmp/check.json" 'j["raw"]["IA32_TME_ACTIVATE"]')")
	nrows=$(sed -n '/id="verdict-table"/,/<\/table>/p' "$tmp/a.html" | grep -o '<td class="v">\(PASS\|FAIL\|WARN\|SKIP\|INFO\)</td>' | wc -l)
	nchecks=$(jq_ "$tmp/check.json" 'len(j["checks"])')
	[ "$nrows" = "$nchecks" ] && grep -qF "IA32_TME_ACTIVATE (MSR 982H) = $act" "$tmp/a.html" &&
		pass "from check --json output: its $nchecks verdicts as $nrows rows, IA32_TME_ACTIVATE = $act as in its raw member" ||
		fail "check --json report: $nrows verdict rows for $nchecks checks, or no 'IA32_TME_ACTIVATE (MSR 982H) = $act'"
else
	fail "from check --json: $(cat "$tmp/err")"
fi
$M check --profile profiles/epyc-milan-sme.prof --json >"$tmp/e.json"
sys=$(hex16 "$(jq_ "$tmp/e.json" 'j["raw"]["SYSCFG"]')") cbit=$(jq_ "$tmp/e.json" 'j["sme"]["c_bit"]')
$M report --html "$tmp/b.html" - <"$tmp/e.json" >/dev/null 2>"$tmp/err" &&
	grep -qF "SYSCFG (MSR C0010010H) = $sys" "$tmp/b.html" && grep -qF "bits $cbit:$cbit<br>C-bit" "$tmp/b.html" &&
	pass "from stdin (-): an EPYC's SYSCFG = $sys and the C-bit at bit $cbit, as in the JSON" || fail "stdin input: no SYSCFG = $sys or C-bit $cbit ($(cat "$tmp/err"))"
P=profiles/sapphire-rapids-tdx.prof
ncpu=$(sed -n 's/^cpus //p' $P) act=0x$(sed -n 's/^msr 982 //p' $P)
if $M report --html "$tmp/c.html" --profile $P >/dev/null 2>"$tmp/err"; then
	rows=$(sed -n '/id="percpu-grid"/,/<\/table>/p' "$tmp/c.html" | grep -c "^<tr><th>[0-9]*</th>.*<td class=\"mono\">$act</td>")
	[ "$rows" = "$ncpu" ] && pass "from --profile: the per-CPU grid has a row for each of the profile's $ncpu CPUs, each with its IA32_TME_ACTIVATE $act" ||
		fail "--profile: $rows grid rows with IA32_TME_ACTIVATE $act for the profile's $ncpu CPUs"
else
	fail "--profile: $(cat "$tmp/err")"
fi

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
