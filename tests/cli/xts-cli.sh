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
for be in ct64 aesni vaes vaes256 ct256; do
	out=$($M xts --encrypt --key $K --seq 0x123456789a --backend $be < "$tmp/pt" 2>"$tmp/err" | xxd -p)
	if grep -q "not available" "$tmp/err"; then
		echo "SKIP: xts-cli: --backend $be ($(cat "$tmp/err"))"
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
	f=$CAVP/tweak-dataunitseqno/XTSGenAES256.rsp
	last=$($M xts-cavp "$f" | tail -1); rc=$?
	[[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] \
		&& pass "xts-cavp XTSGenAES256.rsp (dataunitseqno): '$last'" \
		|| fail "xts-cavp on $f (expected 'N passed, 0 failed', got '$last')"
	# flip one hex digit of the first 5 CT lines
	awk 'BEGIN{n=0} /^CT = / && n<5 {n++; c=substr($3,1,1); sub(/^./, (c=="0"?"1":"0"), $3)} {print}' \
		"$CAVP/tweak-128hexstr/XTSGenAES128.rsp" > "$tmp/bad.rsp"
	$M xts-cavp "$tmp/bad.rsp" > "$tmp/out"; rc=$?
	last=$(tail -1 "$tmp/out")
	[ $rc -eq 1 ] && [[ "$last" =~ ^[0-9]+\ passed,\ 5\ failed$ ]] \
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

# bench-xts line format
line=$($M bench-xts --backend ct64 --unit 4096 --seconds 0.05)
[[ "$line" =~ ^xts-aes128\ ct64\ encrypt\ unit=4096:\ [0-9.]+\ MB/s\ [0-9.]+\ c/B$ ]] \
	&& pass "bench-xts prints '$line'" || fail "bench-xts line format (got '$line')"
line=$($M bench-xts --backend aesni --key-bits 256 --unit 512 --seconds 0.05 --decrypt)
[[ "$line" =~ ^xts-aes256\ aesni\ decrypt\ unit=512:\ ([0-9.]+\ MB/s\ [0-9.]+\ c/B|UNAVAILABLE\ \(.+\))$ ]] \
	&& pass "bench-xts --decrypt prints '$line'" || fail "bench-xts --decrypt line format (got '$line')"
exit $((fails > 0))
