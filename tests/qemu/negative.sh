#!/usr/bin/env bash
# Bad input and deliberate faults end the run with a clear message and the
# right status, never a hang or a reboot loop.
SUITE=negative
source "$(dirname "$0")/lib.sh"

k=$ROOT/build/esp/memcrypt/kernel.elf
head -c 3000 "$k" >"$TMPDIR_QEMU/truncated.elf"
cp "$k" "$TMPDIR_QEMU/corrupt.elf"
printf '\x03\x00' | dd of="$TMPDIR_QEMU/corrupt.elf" bs=1 seek=18 conv=notrunc status=none  # e_machine = 3 (i386)
printf 'garbage' >"$TMPDIR_QEMU/notelf.elf"

# The stage checks kernel.elf's SHA-256 first (efi/kernel_digest.c): a
# kernel changed after the build is refused before it is parsed.
cp "$k" "$TMPDIR_QEMU/changed.elf"
printf '\x90' | dd of="$TMPDIR_QEMU/changed.elf" bs=1 seek=$(($(stat -c %s "$k") / 2)) conv=notrunc status=none
boot changed-kernel --kernel "$TMPDIR_QEMU/changed.elf"
check "failure status 1" status_is 1
check "says the kernel changed after the build, with both digests" \
	has 'FAIL: uefi: kernel_sha256: \\memcrypt\\kernel.elf: SHA-256 [0-9a-f]{16}\.\.\. differs from [0-9a-f]{16}\.\.\. embedded in BOOTX64.EFI at build time: the kernel was changed after the build; not loading it'
check "never reached the kernel" bash -c "! grep -q '^memcrypt kernel' '$LOG'"

# The ELF checks behind it, reached with a stage that expects each bad
# file (scripts/embed-kernel-hash on a copy of BOOTX64.EFI).
expecting() { # FILE -> a copy of the stage whose embedded digest is FILE's
	cp "$ROOT/build/esp/EFI/BOOT/BOOTX64.EFI" "$1.efi"
	"$ROOT/scripts/embed-kernel-hash" "$1.efi" "$1" >/dev/null
	echo "$1.efi:EFI/BOOT/BOOTX64.EFI"
}
boot truncated-kernel --kernel "$TMPDIR_QEMU/truncated.elf" --add "$(expecting "$TMPDIR_QEMU/truncated.elf")"
check "failure status 1" status_is 1
check "names the file and says it is truncated" has 'FAIL: uefi: kernel: \\memcrypt\\kernel.elf: invalid kernel ELF: .*truncated'
check "never reached the kernel" bash -c "! grep -q '^memcrypt kernel' '$LOG'"

boot corrupt-kernel --kernel "$TMPDIR_QEMU/corrupt.elf" --add "$(expecting "$TMPDIR_QEMU/corrupt.elf")"
check "failure status 1" status_is 1
check "names the file and the wrong machine" has 'kernel.elf: invalid kernel ELF: machine 3, expected 62'

boot not-an-elf --kernel "$TMPDIR_QEMU/notelf.elf" --add "$(expecting "$TMPDIR_QEMU/notelf.elf")"
check "failure status 1" status_is 1
check "says it is not an ELF file" has 'kernel.elf: invalid kernel ELF: truncated: 7 bytes'

for fault in pf gp ud; do
	printf 'kernel-test=%s\n' "$fault" >"$TMPDIR_QEMU/$fault.conf"
	boot "kernel-test-$fault" --policy "$TMPDIR_QEMU/$fault.conf"
	check "crash status 2" status_is 2
	want=$(case $fault in pf) echo '#PF.*vector 14' ;; gp) echo '#GP.*vector 13' ;; ud) echo '#UD.*vector 6' ;; esac)
	check "exception report names $want with RIP" has "FAIL: kernel: exception: unexpected exception $want.*RIP=0x"
	check "register dump with CR2" has '^  CR2=0x'
	check "the crash counts in the SUMMARY" has '^SUMMARY: .* [1-9][0-9]* failures'
done

printf 'no-such-key=1\n' >"$TMPDIR_QEMU/bad.conf"
boot bad-policy --policy "$TMPDIR_QEMU/bad.conf"
check "failure status 1" status_is 1
check "names the policy file, line and key" has 'FAIL: uefi: policy: \\memcrypt\\policy.conf:1: no-such-key=1: unknown key'

finish
