#!/usr/bin/env bash
# The kernel's results survive in the MemcryptLastRun variable: one boot
# writes it, the next (same OVMF_VARS copy) shows it and copies it to
# \memcrypt\last-run.json; `memcrypt show-last` reads the record taken
# from the variable store. After a run that ended with a reset, the next
# boot shows the record and returns to the firmware (reboot-loop rule).
SUITE=bios-lastrun
source "$(dirname "$0")/lib.sh"
P=$ROOT/profiles
M=$ROOT/build/host/memcrypt

# The MemcryptLastRun record from an OVMF_VARS image, as efivarfs would
# present it (u32 attributes, then the data): the live (State 0x3F) copy.
extract() { # VARS OUT
	python3 - "$1" "$2" <<'PY'
import struct, sys
img = open(sys.argv[1], "rb").read()
name = "MemcryptLastRun\0".encode("utf-16-le")
found = None
pos = img.find(name)
while pos >= 0:
    for hdr in (60, 32):          # authenticated / plain variable header
        h = pos - hdr
        if h >= 0 and img[h:h + 2] == b"\xaa\x55" and img[h + 2] == 0x3f:
            attrs = struct.unpack_from("<I", img, h + 4)[0]
            nsize, dsize = struct.unpack_from("<II", img, h + hdr - 24)
            found = struct.pack("<I", attrs) + img[pos + nsize:pos + nsize + dsize]
    pos = img.find(name, pos + 1)
if not found:
    sys.exit(1)
open(sys.argv[2], "wb").write(found)
PY
}

V=$TMPDIR_QEMU/vars.fd
boot write --profile "$P/icelake-sp.prof" --policy "$P/default.conf" --vars "$V"
check "status 0" status_is 0
check "first boot: no earlier record" has '^INFO: last-run: no MemcryptLastRun variable'
check "the kernel stores its results (no reset under QEMU)" has '^INFO: persist: variable: storing the results in MemcryptLastRun-b7bb194e-983f-4bfb-a4e5-bf862992506d \(the run ends without a reset\)'
check "SetVariable did not fail" bash -c "! grep -q 'SetVariable(MemcryptLastRun) failed' '$LOG'"
want=$(grep -E '^SUMMARY:' "$LOG" | tail -1 | sed -E 's/^SUMMARY: ([0-9]+) tests, ([0-9]+) failures, ([0-9]+) skipped.*/\1 tests, \2 failures, \3 skipped/')
check "the record is in the variable store" extract "$V" "$TMPDIR_QEMU/rec.var"
"$M" show-last --file "$TMPDIR_QEMU/rec.var" >"$TMPDIR_QEMU/show.txt" 2>&1
showrc=$?
check "memcrypt show-last reads it: status 0, the kernel's SUMMARY ($want)" \
	bash -c "[ $showrc = 0 ] && grep -q 'on model:profile: $want' '$TMPDIR_QEMU/show.txt'"

boot read --img --profile "$P/icelake-sp.prof" --policy "$P/default.conf" --vars "$V" --esp-out "$TMPDIR_QEMU/esp"
check "status 0" status_is 0
check "second boot prints the first boot's results" has "^INFO: last-run: memcrypt $(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile") on model:profile: $want"
check "and copies them to \\memcrypt\\last-run.json" has '^INFO: last-run: copied to \\memcrypt\\last-run.json'
check "last-run.json on the ESP parses, marked shown" \
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["platform"]=="model:profile" and not j["ended_with_reset"] else 1)' "$TMPDIR_QEMU/esp/memcrypt/last-run.json"
check "a run that ended without a reset: the run goes on to the kernel, which adopts the stage's results" handed_off

V2=$TMPDIR_QEMU/vars2.fd
printf 'mode=program\nexit=reset\n' >"$TMPDIR_QEMU/reset.conf"
boot reset-run --profile "$P/icelake-sp.prof" --policy "$TMPDIR_QEMU/reset.conf" --vars "$V2"
check "exit=reset: the record says the run ends with a reset" has '\(the run ends with a reset\)'
check "and the kernel resets" has '^memcrypt: resetting in 10 seconds'

boot after-reset --profile "$P/icelake-sp.prof" --policy "$P/default.conf" --vars "$V2"
check "status 0" status_is 0
check "shows the reset run's results" has '^INFO: last-run: memcrypt .* ended with a reset$'
check "does not run again (reboot-loop rule)" has 'Not running again \(reboot-loop rule\)'
check "never reached the kernel" bash -c "! grep -q '^memcrypt kernel' '$LOG'"
finish
