#!/bin/bash
# `memcrypt check` and `memcrypt dump-profile` on this machine. Whatever the
# machine, the outcome must be honest: either status 2 with a clear message
# (no msr driver, not root), or verdicts that agree with what Linux itself
# read from CPUID (/proc/cpuinfo), with no PASS claiming TME or SME support
# the CPU does not enumerate.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: check-live: $*"; }
fail() { echo "FAIL: check-live: $*"; fails=$((fails + 1)); }
skip() { echo "SKIP: check-live: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

if [ ! -r /proc/cpuinfo ] || ! grep -q '^flags' /proc/cpuinfo; then
	skip "no x86 /proc/cpuinfo to compare with"; exit 0
fi
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { case "$flags" in *" $1 "*) echo 1 ;; *) echo 0 ;; esac; }

$M check --json > "$tmp/live.json" 2> "$tmp/err"; rc=$?
if [ $rc = 2 ]; then
	if grep -q '/dev/cpu/[0-9]*/msr' "$tmp/err" && grep -q 'modprobe msr\|root' "$tmp/err" && [ ! -s "$tmp/live.json" ]; then
		pass "MSRs unreadable here: status 2, '$(head -c 150 "$tmp/err" | tr -d '\n')', no verdicts"
	else
		fail "status 2 without a clear message ($(cat "$tmp/err"))"
	fi
	exit $((fails > 0))
fi
# Valid JSON is a precondition of what follows, not a property of its own:
# a FAIL where it is not, no PASS where it is.
python3 -m json.tool "$tmp/live.json" > /dev/null 2>&1 || { fail "live JSON is not valid (status $rc, $(head -c 200 "$tmp/err"))"; exit 1; }

q() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/live.json" "$1"; }
# The status is the verdicts': 1 exactly when a check FAILed (counted here
# from the checks list, not from the summary the command wrote).
nfail=$(q 'sum(1 for c in j["checks"] if c["verdict"]=="FAIL")')
[ "$rc" = "$((nfail > 0))" ] && pass "live run: status $rc for $nfail FAIL verdicts" || fail "live run: status $rc for $nfail FAIL verdicts ($(cat "$tmp/err"))"
tme=$(q 'int(j["tme"]["supported"])'); sme=$(q 'int(j["sme"]["supported"])'); hv=$(q 'int(j["hypervisor"])')
[ "$tme" = "$(has tme)" ] && pass "tme.supported=$tme agrees with /proc/cpuinfo" || fail "tme.supported=$tme, /proc/cpuinfo tme flag $(has tme)"
[ "$sme" = "$(has sme)" ] && pass "sme.supported=$sme agrees with /proc/cpuinfo" || fail "sme.supported=$sme, /proc/cpuinfo sme flag $(has sme)"
[ "$hv" = "$(has hypervisor)" ] && pass "hypervisor=$hv agrees with /proc/cpuinfo" || fail "hypervisor=$hv, /proc/cpuinfo $(has hypervisor)"
pb=$(grep -m1 '^address sizes' /proc/cpuinfo | sed 's/.*: \([0-9]*\) bits physical.*/\1/')
if [ -z "$pb" ]; then
	skip "phys_bits not compared: /proc/cpuinfo has no 'address sizes' line"
else
	[ "$pb" = "$(q 'j["phys_bits"]')" ] && pass "phys_bits $(q 'j["phys_bits"]') agrees with /proc/cpuinfo ($pb)" \
		|| fail "phys_bits $(q 'j["phys_bits"]'), /proc/cpuinfo $pb"
fi

if [ "$tme" = 0 ]; then
	n=$(q 'sum(1 for c in j["checks"] if c["verdict"]=="PASS" and c["id"].split(".")[0] in ("tme","mktme","pconfig"))')
	r=$(q '[c["verdict"]+": "+c["detail"] for c in j["checks"] if c["id"]=="tme.supported"][0]')
	[ "$n" = 0 ] && [[ "$r" == SKIP:*"ECX[13]=0"* ]] && pass "no TME here: '$r', no TME PASS" || fail "TME not enumerated but: $r ($n TME PASS)"
fi
if [ "$sme" = 0 ]; then
	n=$(q 'sum(1 for c in j["checks"] if c["verdict"]=="PASS" and c["id"].split(".")[0] in ("sme","sev"))')
	r=$(q '[c["verdict"]+": "+c["detail"] for c in j["checks"] if c["id"]=="sme.supported"][0]')
	[ "$n" = 0 ] && [[ "$r" == SKIP:* ]] && pass "no SME here: '$r', no SME PASS" || fail "SME not enumerated but: $r ($n SME PASS)"
fi

# dump-profile: a profile the model replays to the same enumeration.
$M dump-profile "$tmp/live.prof" 2> "$tmp/err"; rc=$?
if [ $rc = 2 ] && grep -q '/dev/cpu' "$tmp/err"; then
	pass "dump-profile: status 2 with '$(head -c 120 "$tmp/err" | tr -d '\n')'"
elif [ $rc = 0 ] && [ -s "$tmp/live.prof" ]; then
	# Line counts alone match any profile: the CPU count it records must
	# be the processors /proc/cpuinfo lists, and CPUID leaf 0 must be there.
	ncpu=$(grep -c '^processor' /proc/cpuinfo)
	[ "$(sed -n 's/^cpus //p' "$tmp/live.prof")" = "$ncpu" ] && grep -qE '^cpuid (0x)?0+ ' "$tmp/live.prof" \
		&& pass "dump-profile records the $ncpu CPUs /proc/cpuinfo lists and CPUID leaf 0 ($(grep -c '^cpuid ' "$tmp/live.prof") cpuid, $(grep -c '^msr ' "$tmp/live.prof") msr lines)" \
		|| fail "dump-profile: 'cpus $(sed -n 's/^cpus //p' "$tmp/live.prof")' for $ncpu processors in /proc/cpuinfo, or no CPUID leaf 0"
	$M check --profile "$tmp/live.prof" --json > "$tmp/replay.json" 2> "$tmp/err"; rrc=$?
	same=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); k=lambda j:(j["vendor"],j["phys_bits"],j["usable_phys_bits"],j["tme"]["supported"],j["sme"]["supported"],j["hypervisor"]); print(k(a)==k(b), k(a), k(b))' "$tmp/live.json" "$tmp/replay.json" 2>&1)
	[[ "$same" == True* ]] && pass "the dumped profile replays on the model to the same facts ($same)" \
		|| fail "replay differs (status $rrc: $same $(cat "$tmp/err"))"
	$M dump-profile > "$tmp/stdout.prof" 2>/dev/null && cmp -s "$tmp/stdout.prof" "$tmp/live.prof" \
		&& pass "dump-profile without FILE writes the same to stdout" || fail "dump-profile to stdout differs"
else
	fail "dump-profile: status $rc ($(cat "$tmp/err"))"
fi
$M dump-profile a b > /dev/null 2>&1; [ $? = 2 ] && pass "dump-profile with two files: status 2" || fail "dump-profile a b not refused"

exit $((fails > 0))
