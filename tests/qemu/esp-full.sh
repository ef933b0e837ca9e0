#!/usr/bin/env bash
# A full ESP: the report files cannot be written. That is a WARN, the run
# goes on to the kernel, and the previous report on the stick is kept
# whole (the stage writes "<file>.new" first and replaces only on success).
SUITE=esp
source "$(dirname "$0")/lib.sh"

echo "previous report, must survive" >"$TMPDIR_QEMU/old.txt"
boot full-esp --profile "$ROOT/profiles/icelake-sp.prof" --policy "$ROOT/profiles/default.conf" \
	--add "$TMPDIR_QEMU/old.txt:memcrypt/report.txt" --esp-full --esp-out "$TMPDIR_QEMU/esp"
check "all-pass status 0: a full ESP is not a failure" status_is 0
check "WARN names report.txt and the volume-full error" has '^WARN: uefi: report: \\memcrypt\\report.txt not written: volume full; the run goes on'
check "WARN names report.json too" has '^WARN: uefi: report: \\memcrypt\\report.json not written: volume full'
check "the run went on to the kernel, which adopted the stage's results with the WARNs" handed_off
check "the previous report.txt is intact" cmp -s "$TMPDIR_QEMU/old.txt" "$TMPDIR_QEMU/esp/memcrypt/report.txt"
check "no half-written report.txt.new left behind" test ! -e "$TMPDIR_QEMU/esp/memcrypt/report.txt.new"

finish
