#!/bin/bash
# `memcrypt program`: the BIOS-stage sequence on the model, its statuses
# (0 programmed or locked-and-valid, 1 failed, 2 bad policy/profile, nothing
# written) and the output profile that `memcrypt check --profile` judges.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: program: $*"; }
fail() { echo "FAIL: program: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# run NAME WANT-STATUS ARGS...: $out, $err, $rc
run() {
	local name=$1 want=$2; shift 2
	$M program "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
	[ "$rc" = "$want" ] && pass "$name: status $rc" || fail "$name: status (expected $want, got $rc: $(head -c 300 "$tmp/err"))"
}
expect() { # what grep-pattern text
	if grep -qE -- "$2" <<<"$3"; then pass "$1"; else fail "$1 (expected /$2/, got: $(head -c 300 <<<"$3"))"; fi
}

run "icelake-sp programmed" 0 --profile profiles/icelake-sp.prof --policy profiles/default.conf --out "$tmp/ice.prof"
expect "activation read back xx011b" '^PASS: bios: activate: IA32_TME_ACTIVATE=0x5000600000023: .*xx011b' "$out"
expect "core activate on CPUs 0-3" '^PASS: bios: core_activate: MK_TME_CORE_ACTIVATE written and read back on CPUs 0-3' "$out"
expect "the output profile holds the locked ACTIVATE" '^msr 982 0005000600000023' "$(cat "$tmp/ice.prof")"
expect "the output profile holds every core's KeyID bits" '^msr 9ff 0000000600000000' "$(cat "$tmp/ice.prof")"
$M check --profile "$tmp/ice.prof" >"$tmp/chk" 2>&1; rc=$?
[ $rc = 0 ] && pass "memcrypt check judges the programmed profile: status 0" || fail "check on the programmed profile: status $rc"
expect "check: locked by the programmed value" '^PASS: tme: locked: .*0x0005000600000023' "$(cat "$tmp/chk")"
# The output profile starts locked: programming it again validates, writes nothing.
run "re-programming the output profile" 0 --profile "$tmp/ice.prof" mode=program --out "$tmp/ice2.prof"
expect "it is validated, not written" '^PASS: bios: locked: IA32_TME_ACTIVATE locked by BIOS \(=0x5000600000023\); validating, not writing' "$out"
expect "mode=program on it says no write" '^INFO: bios: mode: mode=program, but .* no write attempted' "$out"

run "exclusion range" 0 --profile profiles/icelake-sp.prof mode=program exclude=0x40000000:1G keyid-bits=3 --out "$tmp/ex.prof"
expect "exclusion written before ACTIVATE" '^PASS: bios: exclusion: exclusion range base 0x40000000 size 0x40000000 written before IA32_TME_ACTIVATE' "$out"
expect "output profile: EXCLUDE_MASK bits 51:30 + enable" '^msr 983 000fffffc0000800' "$(cat "$tmp/ex.prof")"
expect "output profile: 3 KeyID bits" '^msr 982 0005000300000023' "$(cat "$tmp/ex.prof")"

run "locked sapphire rapids validated" 0 --profile profiles/sapphire-rapids-locked.prof --policy profiles/default.conf --out "$tmp/spr.prof"
expect "both packages locked by BIOS" 'package 1: IA32_TME_ACTIVATE locked by BIOS' "$out"

run "validate mode on an unlocked platform" 1 --profile profiles/icelake-sp.prof --out "$tmp/v.prof"
expect "nothing written, and said so" '^INFO: bios: mode: IA32_TME_ACTIVATE unlocked .* mode=validate: nothing written' "$out"
expect "the check library FAILs the unlocked state" '^FAIL: tme: ' "$out"

run "rng-fail" 1 --profile profiles/icelake-rng-fail.prof mode=program --out "$tmp/rng.prof"
expect "RNG failure reported as xx000b" '^FAIL: bios: activate: RNG failure: .*xx000b' "$out"
expect "never claims success" '^SUMMARY: .* [1-9][0-9]* failures' "$out"
run "restore-fail" 1 --profile profiles/icelake-restore-fail.prof mode=program key=restore --out "$tmp/rst.prof"
expect "restore failure reported as xx100b" '^FAIL: bios: activate: key restore failed: .*xx100b' "$out"
run "core-mismatch" 1 --profile profiles/icelake-core-mismatch.prof mode=program --out "$tmp/cm.prof"
expect "names CPU 2" '^FAIL: bios: core_activate: CPU 2: ' "$out"
expect "output keeps the fault and notes the differing core" '# cpu 2: MK_TME_CORE_ACTIVATE=0000000000000000 differs' "$(cat "$tmp/cm.prof")"

run "AMD SME off -> on" 0 --profile profiles/epyc-sme-off.prof mode=program --out "$tmp/amd.prof"
expect "SYSCFG[23] set on CPUs 0-3" '^PASS: bios: sme: SYSCFG\[23\] MemEncryptionModEn set and read back on CPUs 0-3' "$out"
expect "output profile: SYSCFG with bit 23" '^msr c0010010 0000000000f40000' "$(cat "$tmp/amd.prof")"

# Intel seed 5.1: KeyID bits take the top of MAXPHYADDR (52 here), so RAM must
# end at or below 2^(52 - bits). The 15-bit scale profile with 256 GiB of RAM
# (2^38): keyid-bits=max (15) would leave 37 bits, so the plan takes 14.
sed 's/^memory 128G$/memory 256G/' profiles/scale-2s-256-15bit.prof >"$tmp/big.prof"
grep -q '^memory 256G$' "$tmp/big.prof" && pass "setup: a 256 GiB copy of the 15-bit scale profile" || fail "setup: no memory line replaced"
run "keyid-bits=max on 256 GiB" 0 --profile "$tmp/big.prof" mode=program --out "$tmp/big-out.prof"
expect "the cap is said with the RAM top" '^INFO: bios: keyid_bits: keyid-bits=max: 14, not MK_TME_MAX_KEYID_BITS 15: RAM ends at 0x4000000000, which needs 38 of MAXPHYADDR 52' "$out"
expect "output profile: 14 KeyID bits" '^msr 982 [0-9a-f]{6}0e[0-9a-f]{8}( |$)' "$(cat "$tmp/big-out.prof")"
expect "the sequence's own check: RAM addressable" '^PASS: tme: ram_addressable: RAM top 0x4000000000 \(256 GiB\) <= 2\^38 \(256 GiB\) = MAXPHYADDR 52 - 14 KeyID bits' "$out"
run "all 15 bits fit 128 GiB" 0 --profile profiles/scale-2s-256-15bit.prof mode=program keyid-bits=15 --out "$tmp/s15.prof"
expect "128 GiB = 2^37: 15 bits, no cap" '^msr 982 [0-9a-f]{6}0f[0-9a-f]{8}( |$)' "$(cat "$tmp/s15.prof")"
# The same locked 15 bits on a box with 256 GiB: what a BIOS that ignored
# its RAM would leave; memcrypt check FAILs it (status 1).
sed 's/^memory 134217728K$/memory 256G/' "$tmp/s15.prof" >"$tmp/s15-big.prof"
$M check --profile "$tmp/s15-big.prof" >"$tmp/chk" 2>&1; rc=$?
[ $rc = 1 ] && pass "check of 15 locked KeyID bits over 256 GiB: status 1" || fail "check of 15 locked bits over 256 GiB: status $rc (expected 1)"
expect "the FAIL names the RAM top, the limit and the bits" '^FAIL: tme: ram_addressable: RAM top 0x4000000000 \(256 GiB\) > 2\^37 \(128 GiB\) = MAXPHYADDR 52 - 15 KeyID bits: RAM above is unreachable' "$(cat "$tmp/chk")"

# Bad policy: status 2, named, nothing written.
bad() { # name want-in-stderr args...
	local name=$1 want=$2; shift 2
	rm -f "$tmp/bad.prof"
	run "$name" 2 "$@" --out "$tmp/bad.prof"
	expect "$name: error names it" "$want" "$err"
	[ ! -e "$tmp/bad.prof" ] && pass "$name: no output profile written" || fail "$name: an output profile was written"
}
bad "keyid-bits above capability" 'argument 2: keyid-bits=7: above MK_TME_MAX_KEYID_BITS 6.*nothing programmed' \
	--profile profiles/icelake-sp.prof mode=program keyid-bits=7
bad "exclusion past MAXPHYADDR" 'argument 2: exclude=0x10000000000000:0x1000: .*past MAXPHYADDR 52' \
	--profile profiles/icelake-sp.prof mode=program exclude=0x10000000000000:4K
bad "unaligned exclusion" 'argument 1: exclude=0x1000:8K: base must be aligned' --profile profiles/icelake-sp.prof exclude=0x1000:8K
printf 'mode=program\nalgorithm=aes-xts-512\n' >"$tmp/p.conf"
bad "policy file error names file:line" "$tmp/p.conf:2: algorithm=aes-xts-512: expected aes-xts-128 or aes-xts-256" \
	--profile profiles/icelake-sp.prof --policy "$tmp/p.conf"
bad "keyid-bits that strands RAM" 'argument 2: keyid-bits=15: leaves 37 of MAXPHYADDR 52.s address bits, but RAM ends at 0x4000000000 and needs 38: at most 14 KeyID bits .*nothing programmed' \
	--profile "$tmp/big.prof" mode=program keyid-bits=15
bad "unknown key" 'argument 1: colour=blue: unknown key' --profile profiles/icelake-sp.prof colour=blue
bad "bad profile" 'tests/profiles/checks/bad-line.prof:[0-9]+' --profile tests/profiles/checks/bad-line.prof
run "missing --out" 2 --profile profiles/icelake-sp.prof mode=program
expect "missing --out: error says it is required" '--profile and --out are required' "$err"
exit $((fails > 0))
