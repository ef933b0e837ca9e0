#!/bin/bash
# CLI tests of `memcrypt model` (host/cmd_model.c): one line per property.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: model-cli: $1"; }
fail() { echo "FAIL: model-cli: $1"; fails=$((fails + 1)); }
check() {   # check "what" expected actual
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1 (expected '$2', got '$3')"; fi
}
IL="--profile profiles/icelake-sp.prof"

out=$($M model $IL 'cpuid 7' 'rdmsr 982' 'wrmsr 982 0005000600000003' 'rdmsr 982' 'wrmsr 982 3' 2>&1)
check "cpuid/rdmsr/wrmsr: one line per operation, 0x-padded values, #GP on a locked write" \
"eax=0x00000000 ebx=0xf3bfbfbf ecx=0x40417f5e edx=0xbc040412
0x0000000000000000
ok
0x0005000600000003
#GP" "$out"

out=$($M model $IL 'wrmsr 982 0005000600000003' \
	'pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=000102030405060708090a0b0c0d0e0f key2=101112131415161718191a1b1c1d1e1f' \
	'pconfig keyid=0 cmd=direct alg=aes-xts-128' 'pconfig keyid=1 cmd=9 alg=1' 'pconfig keyid=1 cmd=clear alg=3' \
	'pconfig keyid=1 cmd=random alg=aes-xts-256 align=64' 'pconfig keyid=1 cmd=random alg=4 rsvd=1' \
	'pconfig keyid=1 cmd=random alg=4 ctrl_rsvd=1' 'pconfig keyid=2 cmd=no-encrypt alg=aes-xts-256' 2>&1)
check "pconfig: status=N for statuses, #GP for alignment and reserved fields" \
"ok
status=0
status=3
status=1
status=4
#GP
#GP
#GP
status=0" "$out"

out=$($M model --profile profiles/no-memory-encryption.prof 'pconfig keyid=1 cmd=direct alg=1' 'rdmsr 981' 2>&1)
check "no-memory-encryption: PCONFIG #UD, TME MSRs #GP" "#UD
#GP" "$out"

# Memory through a DIRECT key, checked with the xts command when present.
k1=000102030405060708090a0b0c0d0e0f; k2=101112131415161718191a1b1c1d1e1f
data=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
out=$($M model $IL 'wrmsr 982 0005000600000003' "pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=$k1 key2=$k2" \
	"write 400000003000 $data" 'raw 3000 64' 'clflush 400000003000' 'raw 3000 64' 'read 400000003000 64' 2>&1)
raw_before=$(sed -n 4p <<<"$out"); raw_after=$(sed -n 6p <<<"$out"); readback=$(sed -n 7p <<<"$out")
zeros=$(printf '0%.0s' $(seq 128))
check "memory: before clflush the DRAM line is still zero (write-back cache)" "$zeros" "$raw_before"
check "memory: a KeyID 1 read returns what was written" "$data" "$readback"
if command -v xxd >/dev/null; then
	exp=$(xxd -r -p <<<"$data" | $M xts --encrypt --key "$k1$k2" --tweak 00300000000000000000000000000000 2>/dev/null | xxd -p -c 256)
	check "memory: after clflush DRAM = 'memcrypt xts' AES-XTS(key1||key2, tweak LE(0x3000)) of the line" "$exp" "$raw_after"
else
	echo "SKIP: model-cli: cross-check with 'memcrypt xts' (xxd not installed)"
fi

out=$(printf '# comment\ncpuid 0\n\nsmi\nrdmsr 982\n' | $M model $IL 2>&1)
check "operations from stdin, comments and blank lines skipped; smi locks" \
"eax=0x0000001b ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
ok
0x0000000000000001" "$out"

a=$($M model $IL rng rng | tr '\n' ' '); b=$($M model $IL rng rng | tr '\n' ' '); c=$($M model $IL --seed 5 rng rng | tr '\n' ' ')
[ "$a" == "$b" ] && [ "$a" != "$c" ] && pass "rng: reproducible by default, --seed changes it" || fail "rng: reproducible ($a / $b / $c)"
out=$($M model --profile profiles/icelake-rng-fail.prof rng 'wrmsr 982 3' 'rdmsr 982' 2>&1)
check "icelake-rng-fail.prof: rng() fails, activation is not an error, reads back xx000b" "unavailable
ok
0x0000000000000000" "$out"
out=$($M model --profile profiles/icelake-restore-fail.prof 'wrmsr 982 7' 'rdmsr 982' 2>&1 | tail -1)
check "icelake-restore-fail.prof: activation with Key Select = 1 reads back xx100b" "0x0000000000000004" "$out"
out=$($M model --profile profiles/icelake-entropy-error.prof 'wrmsr 982 0005000600000003' 'pconfig keyid=1 cmd=random alg=1' 2>&1 | tail -1)
check "icelake-entropy-error.prof: PCONFIG RANDOM -> ENTROPY_ERROR" "status=2" "$out"
out=$($M model --profile profiles/icelake-pconfig-busy.prof 'wrmsr 982 0005000600000003' 'pconfig keyid=1 cmd=random alg=1' \
	'pconfig keyid=1 cmd=random alg=1' 'pconfig keyid=1 cmd=random alg=1' 'pconfig keyid=1 cmd=random alg=1' 2>&1 | tail -4 | tr '\n' ' ')
check "icelake-pconfig-busy.prof: three DEVICE_BUSY, then success" "status=5 status=5 status=5 status=0 " "$out"
out=$($M model --profile profiles/epyc-sme-off.prof 'rdmsr c0010010' 'write 0008000000004000 00' 2>&1 | tr '\n' ' ')
check "epyc-sme-off.prof: SYSCFG[23] clear, the C-bit is not interpreted (EINVAL)" "0x0000000000740000 invalid argument " "$out"
out=$($M model --profile profiles/sev-snp-guest.prof 'rdmsr c0010131' 'rdmsr c0010010' 'cpuid 40000000' 2>&1 | tr '\n' ' ')
check "sev-snp-guest.prof: SEV_STATUS 7, SYSCFG #GP, hypervisor leaf" "0x0000000000000007 #GP eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d " "$out"
out=$($M model --profile profiles/icelake-core-mismatch.prof 'wrmsr 982 0005000600000003' smi 'rdmsr 9ff cpu=1' 'rdmsr 9ff cpu=2' 2>&1 | tail -2 | tr '\n' ' ')
check "icelake-core-mismatch.prof: CPU 2 keeps 0 after the SMI sync" "0x0000000600000000 0x0000000000000000 " "$out"
out=$($M model --profile profiles/sapphire-rapids-locked.prof 'rdmsr 982' 'wrmsr 982 3' 'pconfig keyid=5 cmd=random alg=4' 'pconfig keyid=5 cmd=random alg=4 cpu=2' 2>&1 | tr '\n' ' ')
check "sapphire-rapids-locked.prof: locked by BIOS, PCONFIG works on both packages" "0x0005000600000023 #GP status=0 status=0 " "$out"
out=$($M model --profile profiles/epyc-milan-sme.prof 'write 0008000000004000 00112233445566778899aabbccddeeff' wbinvd 'raw 4000 16' 'read 0008000000004000 16' 2>&1 | tail -1)
check "epyc-milan-sme.prof: a C=1 (bit 51) write reads back" "00112233445566778899aabbccddeeff" "$out"

# Bad input: exit 2, the operation named, nothing run.
out=$($M model $IL 'rdmsr 982' 'wrmsr 982 zz' 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "operation 2 'wrmsr 982 zz'" <<<"$out" && ! grep -q '^0x' <<<"$out" \
	&& pass "bad operation: exit 2, names operation 2, runs nothing" || fail "bad operation (rc $rc: $out)"
out=$($M model $IL 'frob' 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "unknown operation" <<<"$out" && pass "unknown operation: exit 2" || fail "unknown operation (rc $rc: $out)"
out=$($M model $IL 'rdmsr 982 cpu=9' 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "cpu 9" <<<"$out" && pass "cpu beyond the profile: exit 2" || fail "cpu beyond profile (rc $rc: $out)"
tmp=$(mktemp); printf 'cpus 2\n\nbogus line\n' > "$tmp"
out=$($M model --profile "$tmp" 'cpuid 0' 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "$tmp:3: unknown directive" <<<"$out" && pass "bad profile: exit 2 with file:line" || fail "bad profile (rc $rc: $out)"
rm -f "$tmp"
out=$($M model --profile /nonexistent.prof 'cpuid 0' 2>&1); rc=$?
[ $rc -eq 2 ] && pass "missing profile: exit 2" || fail "missing profile (rc $rc)"

[ $fails -eq 0 ]
