#!/usr/bin/env bash
# The UEFI stage's own unexpected exceptions (efi/fault.c): each vector the
# stage takes (all but #VE and #VC, which stay the firmware's) raised by
# stage-test=vector-N ends in one FAIL with the register dump, the crash
# status and a return to the firmware, never reaching the kernel
# (tests/qemu/exceptions.lib). Natural causes where the firmware's state
# allows; the others by INT n.
SUITE=exceptions
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exceptions.lib"

for v in 0 1 3 6 8 13 14 17 18 30; do
	vector_boot stage "$v"
done

for v in 20 29; do
	printf 'stage-test=vector-%d\n' "$v" >"$TMPDIR_QEMU/refused-$v.conf"
	boot "stage-vector-$v-refused" --policy "$TMPDIR_QEMU/refused-$v.conf"
	check "failure status 1, not a crash" status_is 1
	check "the policy line is refused: #VE and #VC stay the firmware's" \
		has "^FAIL: uefi: policy: \\\\memcrypt\\\\policy.conf:1: stage-test=vector-$v: expected vector-0..vector-31 but vector-20 and vector-29"
done
finish
