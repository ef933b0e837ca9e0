#!/bin/bash
# Every XTS backend against an implementation not ours: libcrypto's EVP
# aes-128-xts/aes-256-xts (and, with AES-NI masked, its vpaes path) on
# every length 16..300 and 512/4096/65536 bytes, both directions, through
# tests/bench/xts-vs-evp.c as scripts/bench-xts-evp builds it (one round,
# one timing sample: the timing is the benchmark's business, the agreement
# is this test's).
cd "$(dirname "$0")/../.." || exit 1
fails=0
pass() { echo "PASS: xts-evp: $*"; }
fail() { echo "FAIL: xts-evp: $*"; fails=$((fails + 1)); }
out=$(scripts/bench-xts-evp 1 1 2>&1)
rc=$?
[ $rc = 0 ] && pass "bench-xts-evp built the harness and exited 0" || fail "bench-xts-evp exited $rc: $(tail -n 3 <<< "$out")"
grep -q '^round.*FAIL' <<< "$out" && fail "$(grep -m1 'FAIL' <<< "$out")"
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
for be in aesni vaes vaes256 ct256 ct64; do
	n=$(grep -cE "^round 1 \((aes|noaes)\): aes(128|256) (en|de)crypt +[0-9]+ $be " <<< "$out")
	if [ "$n" = 12 ]; then
		pass "$be: AES-128 and AES-256 agree with EVP on lengths 16..300 and the 3 timed units, both directions (12 rows timed after)"
	elif grep -q "^round 1 ([a-z]*): $be: UNAVAILABLE" <<< "$out"; then
		# Only where the CPU lacks it: ct64 always runs, aesni wherever Linux shows aes.
		if [ $be = ct64 ] || { [ $be = aesni ] && [[ $flags == *" aes "* ]]; }; then
			fail "$be: UNAVAILABLE on a CPU that runs it"
		else
			echo "SKIP: xts-evp: $be: not on this CPU ($(grep -m1 "$be: UNAVAILABLE" <<< "$out" | sed 's/.*UNAVAILABLE //'))"
		fi
	else
		fail "$be: $n rows instead of 12 and no UNAVAILABLE line"
	fi
done
echo "xts-evp: $fails failures"
[ $fails = 0 ]
