#!/usr/bin/env bash
# Fault profiles and bad policies: the right FAIL, status 1, no crash; a bad
# policy programs nothing and never reaches the kernel.
SUITE=bios-faults
source "$(dirname "$0")/lib.sh"
P=$ROOT/profiles
printf 'mode=program\nkey=restore\n' >"$TMPDIR_QEMU/restore.conf"

no_crash() { ! grep -qE 'unexpected exception|qemu-run: (timeout|no SUMMARY)' "$LOG"; }

boot rng-fail --profile "$P/icelake-rng-fail.prof" --policy "$P/default.conf"
check "status 1" status_is 1
check "RNG failure reported from the read-back (xx000b), not success" has '^FAIL: bios: activate: RNG failure: IA32_TME_ACTIVATE reads back 0x0 \(xx000b\)'
check "MK_TME_CORE_ACTIVATE not written after it" has '^SKIP: bios: core_activate: MK_TME_CORE_ACTIVATE not written'
check "no crash" no_crash

boot restore-fail --profile "$P/icelake-restore-fail.prof" --policy "$TMPDIR_QEMU/restore.conf"
check "status 1" status_is 1
check "restore failure reported (xx100b)" has '^FAIL: bios: activate: key restore failed: IA32_TME_ACTIVATE reads back 0x4 \(xx100b\)'
check "no crash" no_crash

boot core-mismatch --profile "$P/icelake-core-mismatch.prof" --policy "$P/default.conf"
check "status 1" status_is 1
check "the FAIL names CPU 2" has '^FAIL: bios: core_activate: CPU 2: MK_TME_CORE_ACTIVATE=0x0 reads back KeyID bits 0, package 0 has 6'
check "no crash" no_crash

printf '# too many KeyID bits for Ice Lake (6)\nmode=program\nkeyid-bits=7\n' >"$TMPDIR_QEMU/bits.conf"
boot bad-keyid-bits --profile "$P/icelake-sp.prof" --policy "$TMPDIR_QEMU/bits.conf"
check "status 1" status_is 1
check "names the file, line and the capability" has '^FAIL: bios: policy: \\memcrypt\\policy.conf:3: keyid-bits=7: above MK_TME_MAX_KEYID_BITS 6 .*nothing programmed'
check "nothing programmed" bash -c "! grep -qE '^(PASS|FAIL): bios: (activate|exclusion|core_activate)' '$LOG'"
check "never reached the kernel" bash -c "! grep -q '^memcrypt kernel' '$LOG'"

printf 'mode=program\nexclude=0x1000:8K\n' >"$TMPDIR_QEMU/excl.conf"
boot bad-exclusion --profile "$P/icelake-sp.prof" --policy "$TMPDIR_QEMU/excl.conf"
check "status 1" status_is 1
check "names the file, line and the alignment rule" has '^FAIL: uefi: policy: \\memcrypt\\policy.conf:2: exclude=0x1000:8K: base must be aligned to the size'
check "nothing programmed" bash -c "! grep -qE '^(PASS|FAIL): bios: (activate|exclusion|core_activate)' '$LOG'"
finish
