#!/bin/bash
# Scale (issue 14 item 7): the 2 x 128-CPU, 15-KeyID-bit profiles through
# `memcrypt check`, `program` and `model`: they load, the numbers are the
# box's (256 CPUs, 32767 KeyIDs, 1 TiB map), programming reaches every
# core, the 1 TiB map stores and reads back at its top, and the limits'
# messages follow the constants.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
fails=0
pass() { echo "PASS: scale: $*"; }
fail() { echo "FAIL: scale: $*"; fails=$((fails + 1)); }
check() {   # check "what" expected actual
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1 (expected '$2', got '$3')"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
B15=profiles/scale-2s-256-15bit.prof
B1T=profiles/scale-2s-256-1t.prof
# json FILE EXPR: print EXPR over j, the parsed object
json() { $PY -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>&1; }

# check --json on the 1 TiB box, locked by its BIOS with 12 of 15 bits.
$M check --json --profile $B1T > "$tmp/1t.json"; rc=$?
check "check $B1T: status 0" 0 $rc
check "check $B1T: 256 CPUs in 2 packages, MAXPHYADDR 52, 40 usable bits (KeyID in 51:40)" "256 2 52 40 40" \
	"$(json "$tmp/1t.json" '" ".join(str(x) for x in (j["cpus"], j["packages"], j["phys_bits"], j["usable_phys_bits"], j["tme"]["keyid_shift"]))')"
check "check $B1T: capability 15 bits / 32767 keys, 12 bits active / 4095 KeyIDs" "15 32767 12 4095" \
	"$(json "$tmp/1t.json" '" ".join(str(j["tme"][k]) for k in ("max_keyid_bits", "max_keys", "keyid_bits", "keyids"))')"
check "check $B1T: tme.consistent and mktme.core_activate cover all 256 CPUs" 2 \
	"$(grep -cE 'on all 256 CPUs' < <($M check --profile $B1T))"

# program: the unlocked 15-bit box with the default policy, then check the result.
$M program --profile $B15 --policy profiles/default.conf --out "$tmp/15.prof" > "$tmp/15.txt"; rc=$?
check "program $B15 --policy default.conf: status 0, no FAIL" "0 0" "$rc $(grep -c '^FAIL' "$tmp/15.txt")"
check "program $B15: ACTIVATE written on both packages with 15 KeyID bits" 2 \
	"$(grep -cE '^PASS: bios: activate: .*IA32_TME_ACTIVATE=0x5000f00000023' "$tmp/15.txt")"
check "program $B15: MK_TME_CORE_ACTIVATE on CPUs 0-255" 1 \
	"$(grep -cE '^PASS: bios: core_activate: .* on CPUs 0-255' "$tmp/15.txt")"
$M check --json --profile "$tmp/15.prof" > "$tmp/15.json"; rc=$?
check "check of the programmed profile: status 0, 15 bits, 32767 KeyIDs, 37 usable bits" "0 15 32767 37" \
	"$rc $(json "$tmp/15.json" '" ".join(str(x) for x in (j["tme"]["keyid_bits"], j["tme"]["keyids"], j["usable_phys_bits"]))')"
check "the programmed profile keeps the 128 GiB map" 1 "$(grep -cE '^memory (128G|134217728K|137438953472|0x2000000000)$' "$tmp/15.prof")"

# model: the 1 TiB map at its top, through the top KeyID, on package 1's last CPU.
d=$(printf '5a%.0s' $(seq 64))
top=fffffffc0                                        # 1 TiB - 64: the last line of package 1
pa=$(printf '%x' $(( (4095 << 40) | 0xffffffffc0 )))  # KeyID 4095 at PA bits 51:40
out=$($M model --profile $B1T "pconfig keyid=4095 cmd=random alg=aes-xts-256 cpu=255" "write $pa $d" \
	"raw ffffffffc0 64" "wbinvd" "raw ffffffffc0 64" "read $pa 64" "raw 8000000000 64" 2>&1)
check "model $B1T: PCONFIG RANDOM on KeyID 4095 from CPU 255" "status=0" "$(sed -n 1p <<<"$out")"
check "model $B1T: the write at 1 TiB - 64 through KeyID 4095 is accepted" ok "$(sed -n 2p <<<"$out")"
zeros=$(printf '0%.0s' $(seq 128))
check "model $B1T: DRAM there is zero until WBINVD writes the line back" "$zeros" "$(sed -n 3p <<<"$out")"
after=$(sed -n 5p <<<"$out")
[ "$after" != "$zeros" ] && [ "$after" != "$d" ] && [ ${#after} = 128 ] &&
	pass "model $B1T: after WBINVD DRAM at 1 TiB - 64 holds ciphertext (neither zeros nor the data)" ||
	fail "model $B1T: after WBINVD DRAM at 1 TiB - 64 holds ciphertext (got '$after')"
check "model $B1T: read back through KeyID 4095 is the data" "$d" "$(sed -n 6p <<<"$out")"
check "model $B1T: a page never written (512 GiB, package 1's first) reads as zeros" "$zeros" "$(sed -n 7p <<<"$out")"
check "model $B1T: a read running past the map, and one above MAXPHYADDR, are refused" "invalid argument
invalid argument" "$($M model --profile $B1T 'raw ffffffffc0 128' 'raw 10000000000000 64' 2>&1)"

# Limits and their messages.
printf 'cpus 513\n' > "$tmp/513.prof"
check "cpus 513: the message names MC_PROFILE_MAX_CPUS" "$tmp/513.prof:1: cpus: expected 1..512" \
	"$($M check --profile "$tmp/513.prof" 2>&1 >/dev/null | grep -o "$tmp/513.prof:1: cpus: expected 1\.\.[0-9]*")"
sed 's/^memory 1T/memory 17T/' $B1T > "$tmp/17t.prof"
check "memory 17T: refused naming 64K..16T" 1 \
	"$($M check --profile "$tmp/17t.prof" 2>&1 | grep -c 'memory: must be a multiple of 4K between 64K and 16T')"
# Intel seed 5.1: the KeyID bits take PA bits from MAXPHYADDR down. 1 TiB
# (2^40) with all 15 bits still to activate: the box boots (the model takes
# it), and `program` takes 12 bits, not 15, so that RAM stays addressable.
sed 's/^msr 982 .*/msr 982 0/; s/^msr 9ff .*/msr 9ff 0/' $B1T > "$tmp/1t-15.prof"
$M check --profile "$tmp/1t-15.prof" >"$tmp/1t-15.chk" 2>&1; rc=$?
check "1 TiB with 15 KeyID bits unactivated: check judges it (status 1: TME not yet activated, no model error)" \
	"1 FAIL: tme: enabled: not activated" "$rc $(grep -o '^FAIL: tme: enabled: not activated' "$tmp/1t-15.chk")"
out=$($M program --profile "$tmp/1t-15.prof" mode=program --out "$tmp/1t-15.out" 2>&1); rc=$?
check "program keyid-bits=max on it: status 0" 0 "$rc"
check "the plan says the cap: 12, not 15, with the RAM top" 1 \
	"$(grep -c '^INFO: bios: keyid_bits: keyid-bits=max: 12, not MK_TME_MAX_KEYID_BITS 15: RAM ends at 0x10000000000, which needs 40 of MAXPHYADDR 52' <<<"$out")"
check "the locked IA32_TME_ACTIVATE holds 12 KeyID bits (35:32 = 0xc)" 1 \
	"$(grep -Ec '^msr 982 [0-9a-f]{6}0c[0-9a-f]{8}( |$)' "$tmp/1t-15.out")"
check "and the sequence's own check passes RAM addressable" 1 \
	"$(grep -c '^PASS: tme: ram_addressable: RAM top 0x10000000000 (1 TiB) <= 2^40' <<<"$out")"

echo "scale: $fails failure(s)"
exit $((fails > 0))
