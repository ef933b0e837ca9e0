#!/usr/bin/env bash
# Key hygiene of a whole run (issue 13 item 4): two boots of a profile
# whose PCONFIG programs keys on every KeyID of 2 packages (and one boot
# where the stage programs TME itself), with the
# model's DRBG seeded from the profile (`seed`, docs/profile-format.md), so
# every key the run makes - the TME platform key, PCONFIG RANDOM keys, the
# kernel suites' DIRECT keys (rng()) - is a DRBG output the test computes.
# Then every output is scanned by tests/keyscan for any of the first
# 65536 outputs (512 KiB of key stream), and for the XOR of an output with
# one of the 24 before it among the first 16384 (a RANDOM key mixes the
# DRBG with entropy the kernel drew from it), raw or as hex in either byte
# order: both serial logs, report.txt, report.json and last-run.json from
# the ESP, and the whole OVMF variable store holding MemcryptLastRun.
SUITE=key-hygiene
source "$(dirname "$0")/lib.sh"
SEED=0x6b65792d68796769
WORDS=65536              # DRBG outputs looked for: 512 KiB of key stream
XOR_D=24 XOR_N=16384     # RANDOM keys: output XOR one of the 24 before it (the kernel's entropy)
prof=$TMPDIR_QEMU/seeded.prof
{ cat "$ROOT/profiles/sapphire-rapids-locked.prof"; echo "seed $SEED"; } >"$prof"
V=$TMPDIR_QEMU/vars.fd

boot first --profile "$prof" --policy "$ROOT/profiles/default.conf" --vars "$V" --esp-out "$TMPDIR_QEMU/esp1"
cp "$LOG" "$TMPDIR_QEMU/serial1.log"
check "status 0" status_is 0
check "the stage seeds the model from the profile" has '^INFO: uefi: platform: model from .*DRBG seed from the profile'
check "keys were programmed: DIRECT and RANDOM on all 63 KeyIDs of 2 packages" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: (direct|random)_xts(128|256): .* on all 63 KeyIDs' '$LOG') = 4 ]"
check "the kernel stored MemcryptLastRun" has '^INFO: persist: variable: storing the results in MemcryptLastRun'

boot second --profile "$prof" --policy "$ROOT/profiles/default.conf" --vars "$V" --esp-out "$TMPDIR_QEMU/esp2"
cp "$LOG" "$TMPDIR_QEMU/serial2.log"
check "status 0" status_is 0
check "the second boot showed the first one's record" has '^INFO: last-run: memcrypt .* on model:profile'

# The stage programs TME itself (mode=program key=new on an unlocked Ice
# Lake-SP): the platform key comes from the seeded DRBG through the BIOS
# sequence, then the suites key 63 KeyIDs of one package.
{ cat "$ROOT/profiles/icelake-sp.prof"; echo "seed $SEED"; } >"$TMPDIR_QEMU/icelake.prof"
boot program --profile "$TMPDIR_QEMU/icelake.prof" --policy "$ROOT/profiles/default.conf" --esp-out "$TMPDIR_QEMU/esp3"
cp "$LOG" "$TMPDIR_QEMU/serial3.log"
check "status 0" status_is 0
check "the stage activated TME with a new key and the suites programmed KeyIDs" \
	bash -c "grep -qE '^PASS: bios: activate: .*TME enabled with a new key and locked' '$LOG' && grep -qE '^PASS: pconfig: direct_xts128: ' '$LOG'"

E1=$TMPDIR_QEMU/esp1/memcrypt E2=$TMPDIR_QEMU/esp2/memcrypt E3=$TMPDIR_QEMU/esp3/memcrypt
outputs=("$TMPDIR_QEMU/serial1.log" "$TMPDIR_QEMU/serial2.log" "$E1/report.txt" "$E1/report.json"
	"$E2/report.txt" "$E2/report.json" "$E2/last-run.json" "$V"
	"$TMPDIR_QEMU/serial3.log" "$E3/report.txt" "$E3/report.json")
missing=()
for f in "${outputs[@]}"; do [ -s "$f" ] || missing+=("$(basename "$f")"); done
LAST_BOOT=outputs
check "every output to scan exists (${#outputs[@]} files)" bash -c "[ -z '${missing[*]}' ] || { echo 'missing: ${missing[*]}'; false; }"
check "the variable store holds MemcryptLastRun (UTF-16 name)" \
	python3 -c "import sys; sys.exit(0 if 'MemcryptLastRun'.encode('utf-16-le') in open('$V','rb').read() else 1)"
# The scan can fail here: a copy of the first log with DRBG output 1000 of
# the run's seed appended as the kernel would print a u64 is flagged.
LAST_BOOT=outputs
planted=$TMPDIR_QEMU/planted.log
{ cat "$TMPDIR_QEMU/serial1.log"; python3 -c "
M=(1<<64)-1; z=($SEED+1000*0x9E3779B97F4A7C15)&M; z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
z=((z^(z>>27))*0x94D049BB133111EB)&M; print('INFO: x: key 0x%016x' % (z^(z>>31)))"; } >"$planted"
check "the scan flags a DRBG output planted in a copy of serial1.log" \
	bash -c "! '$ROOT/tests/keyscan' --seed $SEED --words $WORDS '$planted' | grep -q ': clean\$'"
present=()
for f in "${outputs[@]}"; do [ -s "$f" ] && present+=("$f"); done
"$ROOT/tests/keyscan" --seed $SEED --words $WORDS --xor $XOR_D $XOR_N "${present[@]}" >"$TMPDIR_QEMU/scan" 2>&1
for f in "${present[@]}"; do
	name=${f#$TMPDIR_QEMU/}
	if grep -qxF "keyscan: $f: clean" "$TMPDIR_QEMU/scan"; then
		echo "PASS: $SUITE: $name: no key byte of $WORDS DRBG outputs or $XOR_N x $XOR_D XOR pairs"
	else
		echo "FAIL: $SUITE: $name: $(grep -F "keyscan: $f:" "$TMPDIR_QEMU/scan" | head -3 | sed "s|$TMPDIR_QEMU/||" | tr '\n' ';')"
		FAILED=1
	fi
done
finish
