#!/bin/bash
# Key hygiene of the commands that take or make keys (issue 13 item 4):
# `memcrypt xts --key`, `xts-cavp` (keys in the file), `model` (pconfig
# key1=/key2=, and the keys its seeded DRBG makes), `program` (the TME key
# the model makes under the command's fixed seed). Every stdout, stderr
# and written profile - success and error paths - is scanned by
# tests/keyscan for 8 consecutive bytes of any of those keys, raw or as
# hex in either byte order. The scanner is shown to find each form first.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
S=tests/keyscan
CAVP=/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/XTS
fails=0
pass() { echo "PASS: key-hygiene: $*"; }
fail() { echo "FAIL: key-hygiene: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -x $M ] || { fail "no $M (make)"; exit 1; }

K=c3a1f00dbabe5eed0badcafe12345678fedcba98765432100f1e2d3c4b5a6978a5a55a5a3c3cc3c3deadbeef01234567c0ffee00aabbccdd9988776655443322
K1=5a17ed5eed0fa11bad0c0ffee1234567
K2=9e3779b97f4a7c15f39cc0605cedc834
MSEED=0x4b4559534b455953          # --seed of the model runs below
PSEED=0x62696f732d6d6f64          # host/cmd_program.c MODEL_SEED
DSEED=0x6d656d6372797074          # host/cmd_model.c DEFAULT_SEED

# scan WHAT FILE... : PASS if no key byte of K, K1, K2 or the seeds' DRBG.
scan() {
	local what=$1; shift
	if $S --key $K --key $K1 --key $K2 --seed $MSEED --seed $PSEED --seed $DSEED --words 4096 "$@" >"$tmp/scan" 2>&1; then
		pass "$what: no key bytes ($(tail -1 "$tmp/scan" | sed 's/^keyscan: //'))"
	else
		fail "$what: key bytes in the output: $(grep -v ': clean$' "$tmp/scan" | head -3 | tr '\n' ';')"
	fi
}

# ---- the scanner can fail: each form of a key is found ---------------------
printf 'x%sx' "${K:16:16}" >"$tmp/hex"
printf 'x%sx' "$(echo "${K1:0:16}" | sed 's/../&\n/g' | tac | tr -d '\n')" >"$tmp/rev"
printf '%s' "${K2:0:16}" | xxd -r -p >"$tmp/raw"
printf 'x%016x' "$(python3 -c "
M=(1<<64)-1; z=($MSEED+3*0x9E3779B97F4A7C15)&M; z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
z=((z^(z>>27))*0x94D049BB133111EB)&M; print(z^(z>>31))")" >"$tmp/drbg"
for f in hex rev raw drbg; do
	$S --key $K --key $K1 --key $K2 --seed $MSEED "$tmp/$f" >/dev/null && fail "scanner misses a planted key ($f)" || found="$found $f"
done
[ "$found" = " hex rev raw drbg" ] && pass "the scanner finds a planted key as hex, as u64 hex, raw, and a DRBG output as %016llx"
# its DRBG is the model's: memcrypt model --seed's rng outputs are among its words
$M model --profile profiles/icelake-sp.prof --seed $MSEED rng rng >"$tmp/rng" 2>&1
if [ -s "$tmp/rng" ] && ! $S --seed $MSEED --words 64 "$tmp/rng" >/dev/null; then
	pass "the scanner's DRBG is the model's (memcrypt model --seed $MSEED rng: $(tr '\n' ' ' <"$tmp/rng"))"
else
	fail "the scanner's DRBG does not reproduce memcrypt model's rng output ($(cat "$tmp/rng"))"
fi

# ---- memcrypt xts -----------------------------------------------------------
head -c 4096 /dev/zero >"$tmp/pt"
$M xts --encrypt --key $K --seq 7 <"$tmp/pt" >"$tmp/ct" 2>"$tmp/xe"; rc1=$?
$M xts --decrypt --key $K --seq 7 <"$tmp/ct" >"$tmp/back" 2>>"$tmp/xe"; rc2=$?
cmp -s "$tmp/pt" "$tmp/back" && [ $rc1 = 0 ] && [ $rc2 = 0 ] || fail "xts round trip did not work ($rc1 $rc2)"
scan "xts --encrypt/--decrypt --key (4 KiB of zeros: ciphertext, plaintext, stderr)" "$tmp/ct" "$tmp/back" "$tmp/xe"
: >"$tmp/xerr"
$M xts --encrypt --key $K --tweak 00zz <"$tmp/pt" >>"$tmp/xerr" 2>&1
head -c 5 "$tmp/pt" | $M xts --encrypt --key $K --seq 1 >>"$tmp/xerr" 2>&1
$M xts --encrypt --key "${K}00" --seq 1 <"$tmp/pt" >>"$tmp/xerr" 2>&1
$M xts --encrypt --key "${K:0:64}${K:0:64}" --seq 1 <"$tmp/pt" >>"$tmp/xerr" 2>&1
$M xts --encrypt --key $K --seq 1 --backend turbo <"$tmp/pt" >>"$tmp/xerr" 2>&1
$M xts --key $K --seq 1 <"$tmp/pt" >>"$tmp/xerr" 2>&1
[ -s "$tmp/xerr" ] || fail "xts error paths printed nothing"
scan "xts error paths (bad tweak, short input, 65-byte key, Key1 = Key2, bad backend, no direction)" "$tmp/xerr"

# ---- memcrypt xts-cavp: a file whose vectors fail report without the key -----
if [ -f "$CAVP/tweak-128hexstr/XTSGenAES128.rsp" ]; then
	tr -d '\r' <"$CAVP/tweak-128hexstr/XTSGenAES128.rsp" | awk '/^COUNT = 4$/ {exit} {print}' |
		awk '/^CT = / {c=substr($3,1,1); sub(/^./, (c=="0"?"1":"0"), $3)} {print}' >"$tmp/bad.rsp"
	$M xts-cavp "$tmp/bad.rsp" >"$tmp/cavp" 2>&1
	keys=$(sed -n 's/^Key = //p' "$tmp/bad.rsp" | tr -d '\r' | sed 's/^/--key /')
	if grep -q '^0 passed, 3 failed$' "$tmp/cavp" && $S $keys "$tmp/cavp" >"$tmp/scan"; then
		pass "xts-cavp: 3 failing vectors reported without their keys ($(tail -1 "$tmp/scan" | sed 's/^keyscan: //'))"
	else
		fail "xts-cavp failing vectors: $(tail -1 "$tmp/cavp"); $(head -2 "$tmp/scan" | tr '\n' ';')"
	fi
else
	fail "CAVP vectors missing at $CAVP (install python3-cryptography-vectors)"
fi

# ---- memcrypt model: DIRECT keys given, RANDOM keys from the seeded DRBG ----
IL="--profile profiles/icelake-sp.prof --seed $MSEED"
$M model $IL 'wrmsr 982 0005000600000003' \
	"pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=$K1 key2=$K2" \
	'pconfig keyid=2 cmd=random alg=aes-xts-256' "pconfig keyid=3 cmd=random alg=aes-xts-128 key1=$K1 key2=$K2" \
	'write 400000003000 00000000000000000000000000000000' 'read 400000003000 16' 'raw 3000 16' rng \
	>"$tmp/model" 2>&1
grep -q '^status=0$' "$tmp/model" || fail "model: the pconfig runs did not succeed: $(tr '\n' ' ' <"$tmp/model")"
# rng prints a DRBG word by design: scan everything but that line.
grep -v '^0x[0-9a-f]\{16\}$' "$tmp/model" >"$tmp/model.nr"
scan "model: pconfig DIRECT key1=/key2=, RANDOM, memory through KeyID 1, raw DRAM (stdout, stderr)" "$tmp/model.nr"
: >"$tmp/merr"
$M model $IL "pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=$K1 key2=$K2 bogus=1" >>"$tmp/merr" 2>&1
$M model $IL "pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=$K1 key2=$K2" 'frob' >>"$tmp/merr" 2>&1
$M model $IL "pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=$K1 key2=$K2 cpu=9" >>"$tmp/merr" 2>&1
$M model $IL "pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=${K1}0 key2=$K2" >>"$tmp/merr" 2>&1
printf 'pconfig keyid=1 cmd=direct alg=aes-xts-128 key1=%s key2=%s\nwrite 1\n' $K1 $K2 | $M model $IL >>"$tmp/merr" 2>&1
grep -q 'operation' "$tmp/merr" || fail "model error paths printed no 'operation N' message: $(head -c 200 "$tmp/merr")"
scan "model error paths that name the operation (unknown argument, bad next op, cpu beyond the profile, odd hex, stdin)" "$tmp/merr"

# ---- memcrypt program: the written profile and the report ------------------
for pol in "" "key=restore save-key=on" "tme=off"; do
	$M program --profile profiles/icelake-sp.prof --policy profiles/default.conf $pol --out "$tmp/out.prof" \
		>"$tmp/prog" 2>&1
	[ -s "$tmp/out.prof" ] || fail "program ${pol:-default}: no profile written ($(tail -1 "$tmp/prog"))"
	scan "program ${pol:-(default policy)}: written profile, report (the model's TME key under the command's seed)" \
		"$tmp/out.prof" "$tmp/prog"
	rm -f "$tmp/out.prof"
done
$M program --profile profiles/icelake-sp.prof --policy profiles/default.conf --out "$tmp/p1.prof" >/dev/null 2>&1
$M check --profile "$tmp/p1.prof" --json >"$tmp/check.json" 2>&1
$M check --profile "$tmp/p1.prof" >"$tmp/check.txt" 2>&1
scan "check on the programmed profile (text and JSON)" "$tmp/check.json" "$tmp/check.txt"
exit $((fails > 0))
