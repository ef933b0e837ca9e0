#!/bin/bash
# The contracts of `memcrypt xts` and `memcrypt xts-cavp` (see docs/crypto.md).
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
CAVP=/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/XTS
fails=0
pass() { echo "PASS: xts-cli: $*"; }
fail() { echo "FAIL: xts-cli: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# IEEE 1619-2007 Annex B vector 18: 20 bytes, ciphertext stealing, seq 0x123456789a
K=fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0
printf '000102030405060708090a0b0c0d0e0f10111213' | xxd -r -p > "$tmp/pt"
ct=$($M xts --encrypt --key $K --seq 0x123456789a < "$tmp/pt" | xxd -p)
[ "$ct" = 9d84c813f719aa2c7be3f66171c7c5c2edbf9dac ] \
	&& pass "IEEE 1619 vector 18 encrypts through 'memcrypt xts --seq'" \
	|| fail "IEEE 1619 vector 18 (expected 9d84c813..., got $ct)"
back=$(printf '%s' "$ct" | xxd -r -p | $M xts --decrypt --key $K --tweak 9a785634120000000000000000000000 | xxd -p)
[ "$back" = 000102030405060708090a0b0c0d0e0f10111213 ] \
	&& pass "and decrypts back through 'memcrypt xts --tweak'" \
	|| fail "round trip (got $back)"
# Which backends this CPU can run, from the flags Linux shows (it clears
# the AVX ones when it has not enabled their state), not from memcrypt: a
# backend that says "not available" where the flags say it runs is a FAIL,
# not a SKIP.
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
fl() { local f; for f; do [[ $flags == *" $f "* ]] || return 1; done; }
can_run() {
	case $1 in
	ct64) true ;;
	aesni) fl aes pclmulqdq sse4_1 ;;
	ct256) fl avx avx2 ;;
	vaes256) fl aes pclmulqdq sse4_1 avx avx2 vaes vpclmulqdq ;;
	vaes) fl aes pclmulqdq sse4_1 avx512f avx512bw avx512vl vaes vpclmulqdq ;;
	esac
}
for be in ct64 aesni vaes vaes256 ct256; do
	out=$($M xts --encrypt --key $K --seq 0x123456789a --backend $be < "$tmp/pt" 2>"$tmp/err" | xxd -p)
	if grep -q "not available" "$tmp/err"; then
		can_run $be && fail "--backend $be: '$(cat "$tmp/err")', but /proc/cpuinfo has its flags" ||
			echo "SKIP: xts-cli: --backend $be ($(cat "$tmp/err"); /proc/cpuinfo agrees)"
	elif ! can_run $be; then fail "--backend $be ran although /proc/cpuinfo lacks its flags (got $out)"
	elif [ "$out" = "$ct" ]; then pass "--backend $be gives the same ciphertext"
	else fail "--backend $be (got $out)"; fi
done

# error paths: status 2, a message on stderr, never the key
errcase() {  # what, stdin file, args...
	local what=$1 in=$2; shift 2
	$M xts "$@" < "$in" > /dev/null 2> "$tmp/err"; local rc=$?
	if [ $rc -eq 2 ] && [ -s "$tmp/err" ] && ! grep -qi "$K\|1111111111111111\|abababab" "$tmp/err"; then
		pass "$what: status 2, '$(head -c 90 "$tmp/err" | tr -d '\n')'"
	else
		fail "$what (expected status 2 and a message without key bytes, got $rc: $(cat "$tmp/err"))"
	fi
}
W=1111111111111111111111111111111111111111111111111111111111111111
errcase "bad hex key" "$tmp/pt" --encrypt --key "zz${K:2}" --seq 1
errcase "key of 48 bytes" "$tmp/pt" --encrypt --key "$K${K:0:32}" --seq 1
errcase "Key1 == Key2 when encrypting" "$tmp/pt" --encrypt --key $W --seq 1
head -c 15 "$tmp/pt" > "$tmp/short"
errcase "input shorter than 16 bytes" "$tmp/short" --encrypt --key $K --seq 1
errcase "unknown backend" "$tmp/pt" --encrypt --key $K --seq 1 --backend turbo
errcase "bad tweak hex" "$tmp/pt" --encrypt --key $K --tweak 0011
errcase "no direction" "$tmp/pt" --key $K --seq 1
$M xts --decrypt --key $W --seq 1 < "$tmp/pt" > /dev/null 2>&1 \
	&& pass "Key1 == Key2 is accepted for decryption" || fail "Key1 == Key2 decryption refused"

# xts-cavp on the real CAVP files, and on a corrupted copy
if [ ! -d "$CAVP" ]; then
	fail "CAVP vectors missing at $CAVP (install python3-cryptography-vectors)"
else
	# "N passed" must be the file's own count of whole-byte vectors and the
	# skipped ones the rest (DataUnitLen lines, counted here): "0 passed,
	# 0 failed" or a file read halfway is not a pass.
	whole() { awk '/^DataUnitLen = / { n += ($3 % 8 == 0) } END { print n + 0 }' "$1"; }
	bits() { awk '/^DataUnitLen = / { n += ($3 % 8 != 0) } END { print n + 0 }' "$1"; }
	f=$CAVP/tweak-dataunitseqno/XTSGenAES256.rsp
	nvec=$(whole "$f") nbits=$(bits "$f")
	$M xts-cavp "$f" > "$tmp/out"; rc=$?
	last=$(tail -1 "$tmp/out")
	[ "$nvec" -gt 0 ] && [ $rc = 0 ] && [ "$last" = "$nvec passed, 0 failed" ] && grep -qx "$nbits skipped (data unit not a whole number of bytes)" "$tmp/out" \
		&& pass "xts-cavp XTSGenAES256.rsp (dataunitseqno): '$last': each of its $nvec whole-byte vectors, the $nbits bit-length ones skipped" \
		|| fail "xts-cavp on $f (expected status 0, '$nvec passed, 0 failed' and $nbits skipped, got $rc '$last')"
	# flip one hex digit of the first 5 CT lines
	awk 'BEGIN{n=0} /^CT = / && n<5 {n++; c=substr($3,1,1); sub(/^./, (c=="0"?"1":"0"), $3)} {print}' \
		"$CAVP/tweak-128hexstr/XTSGenAES128.rsp" > "$tmp/bad.rsp"
	$M xts-cavp "$tmp/bad.rsp" > "$tmp/out"; rc=$?
	last=$(tail -1 "$tmp/out")
	nvec=$(whole "$tmp/bad.rsp")
	[ $rc -eq 1 ] && [ "$last" = "$((nvec - 5)) passed, 5 failed" ] \
		&& pass "a corrupted CAVP copy reports its 5 failures with status 1 ('$last')" \
		|| fail "corrupted CAVP copy (expected status 1 and '... 5 failed', got $rc '$last')"
	printf 'COUNT = 1\nDataUnitLen = 128\nKey = 00\n' > "$tmp/malformed.rsp"
	$M xts-cavp "$tmp/malformed.rsp" > /dev/null 2> "$tmp/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "malformed.rsp:3:" "$tmp/err" \
		&& pass "a malformed file: status 2 and file:line ($(cat "$tmp/err"))" \
		|| fail "malformed file (expected status 2 naming malformed.rsp:3, got $rc: $(cat "$tmp/err"))"
	$M xts-cavp "$tmp/nonexistent.rsp" > /dev/null 2> "$tmp/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "nonexistent.rsp" "$tmp/err" \
		&& pass "an unreadable file: status 2, named" || fail "unreadable file (got $rc)"
fi

# bench-xts: the line names what was asked for and measured something
# (a rate above 0); UNAVAILABLE only where /proc/cpuinfo lacks the flags.
rate() { [[ $1 =~ :\ ([0-9.]+)\ MB/s\ ([0-9.]+)\ c/B$ ]] && awk -v r="${BASH_REMATCH[1]}" -v c="${BASH_REMATCH[2]}" 'BEGIN { exit !(r > 0 && c > 0) }'; }
line=$($M bench-xts --backend ct64 --unit 4096 --seconds 0.05)
[[ "$line" == "xts-aes128 ct64 encrypt unit=4096: "* ]] && rate "$line" \
	&& pass "bench-xts measures the asked-for ct64 encrypt of 4096-byte units: '$line'" || fail "bench-xts line (got '$line')"
line=$($M bench-xts --backend aesni --key-bits 256 --unit 512 --seconds 0.05 --decrypt)
if can_run aesni; then
	[[ "$line" == "xts-aes256 aesni decrypt unit=512: "* ]] && rate "$line" \
		&& pass "bench-xts --decrypt measures aesni AES-256 decrypt of 512-byte units: '$line'" || fail "bench-xts --decrypt (got '$line')"
else
	[[ "$line" =~ ^xts-aes256\ aesni\ decrypt\ unit=512:\ UNAVAILABLE\ \(.+\)$ ]] \
		&& pass "bench-xts --decrypt says aesni is UNAVAILABLE, as /proc/cpuinfo's flags do: '$line'" || fail "bench-xts --decrypt on a CPU without AES-NI (got '$line')"
fi
exit $((fails > 0))
