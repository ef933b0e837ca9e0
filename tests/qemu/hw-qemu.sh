#!/usr/bin/env bash
# The hardware path on the patched emulator (docs/qemu-tme.md), Intel side:
# no profile, so the stage's WRMSRs, MK_TME_CORE_ACTIVATE through MP
# services, the kernel's PCONFIGs, its KeyID-tagged page tables and CR3,
# the raw view through a NO_ENCRYPT alias and the tweak search all run the
# real instructions against TME/MKTME the emulator implements; then Table
# 4-3's failure rows from the emulator's RNG and key storage; and plain
# -cpu max on the patched emulator stays as it was; and with bypass on, where
# plaintext KeyID 0 is what the seed requires. 6 boots.
SUITE=hw-qemu
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/hw-qemu.lib"
POL=$ROOT/profiles/default.conf

boot program-smp4 --hw-qemu --smp 4 --policy "$POL"
# The emulator stores KeyID 0 in plaintext (the firmware ran before
# activation): the checks must say so. memmap.cpu_crypto: Debian's OVMF
# marks no memory EFI_MEMORY_CPU_CRYPTO.
check "status 1: failures, no crash" status_is 1
check "exactly the expected FAILs: encrypt.keyid0, encrypt.clear_key (TME key not applied), memmap.cpu_crypto (OVMF)" \
	fails_are "encrypt: keyid0" "encrypt: clear_key" "memmap: cpu_crypto"
check "encrypt.keyid0 FAILs: the check catches a platform that claims TME and stores KeyID 0 in plaintext" \
	has '^FAIL: encrypt: keyid0: KeyID 0 at 0x[0-9a-f]+ stored as ciphertext under the platform TME key'
# The top of RAM from the firmware's map (mc_mem_ram_top, one rule for
# the stage and the kernel): the same value twice, inside QEMU's -m 512.
check "stage and kernel read one top of RAM from the memory map, within the guest's 512 MiB (above 480 MiB)" \
	bash -c "tops=\$(sed -n 's/^PASS: tme: ram_addressable: RAM top \\(0x[0-9a-f]*\\) .*/\\1/p' '$LOG' | sort -u)
		[ \$(grep -c '^PASS: tme: ram_addressable: RAM top' '$LOG') = 2 ] && [ \$(wc -w <<< \"\$tops\") = 1 ] &&
		(( tops > 480 << 20 && tops <= 512 << 20 ))"
check "QEMU's 4 CPUs through MP services" has '^INFO: uefi: mp: 4 CPUs through EFI_MP_SERVICES_PROTOCOL'
check "the emulator enumerates TME and reports the capability the properties set" \
	has '^PASS: tme: capability: IA32_TME_CAPABILITY=0x000003f680000005: AES-XTS-128 yes, AES-XTS-256 yes, bypass yes, MK_TME_MAX_KEYID_BITS 6, MK_TME_MAX_KEYS 63'
check "the stage's real WRMSR activates and locks (xx011b)" \
	has '^PASS: bios: activate: IA32_TME_ACTIVATE=0x5000600000023: TME enabled with a new key and locked, xx011b'
check "MK_TME_CORE_ACTIVATE written and read back on CPUs 0-3 through MP services" \
	has '^PASS: bios: core_activate: MK_TME_CORE_ACTIVATE written and read back on CPUs 0-3'
check "every core's MSR equals the package's (check library, 4 CPUs)" \
	has '^PASS: mktme: core_activate: MK_TME_CORE_ACTIVATE=0x0000000600000000 \(keyid bits 6\) on all 4 CPUs'
check "CPUID 0x1B names MKTME" has '^PASS: pconfig: leaf_1b: '
check "every command x algorithm on every usable KeyID from the instruction itself" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: (direct|random|clear|no_encrypt)_xts(128|256): .* on all 6[23] KeyIDs \(1..6[23]\)' '$LOG') = 8 ]"
check "every PCONFIG error path: status codes and #GPs from the instruction" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: err_' '$LOG') = 12 ]"
check "the kernel brings up all 4 CPUs on the emulator" has '^PASS: smp: bringup: 4 of 4 CPUs up'
check "concurrent PCONFIGs on 4 vCPUs (multi-threaded TCG) meet the shared KEY_TABLE_LOCK: DEVICE_BUSY, retried, nothing else" \
	has '^PASS: pconfig: concurrency: package 0 \(CPUs 0,1,2,3\): .* [1-9][0-9]* DEVICE_BUSY retried'
check "KeyID position: MAX_PA 40 minus 6 bits" has '^PASS: paging: tag_position: KeyID in PA bits 39:34: MAX_PA 40'
check "paging.hw_switch: the kernel ran on tables with KeyID 5 at every level and in CR3" \
	has '^PASS: paging: hw_switch: ran on a rebuilt 4-level identity map, KeyID 5 at every level, CR3=0x14[0-9a-f]+, [0-9]+ tables audited'
check "KeyID k's DRAM bytes differ from the pattern and read back (AES-XTS-128 and -256)" \
	bash -c "grep -q '^PASS: encrypt: direct_xts128: .*stored as ciphertext' '$LOG' && grep -q '^PASS: encrypt: direct_xts256: .*stored as ciphertext' '$LOG'"
check "DRAM bytes equal software AES-XTS and the tweak search names the emulator's rule (128 and 256)" \
	bash -c "[ \$(grep -cE '^INFO: encrypt: xts_xts(128|256): AES-XTS-(128|256): DRAM bytes reproduced by software [a-z0-9]+ under: 64-byte unit, tweak = line PA' '$LOG') = 2 ]"
check "KeyIDs, address tweak, wrong KeyID, NO_ENCRYPT (Table 6-5)" \
	bash -c "for c in keyids_differ address_tweak wrong_keyid no_encrypt; do grep -q \"^PASS: encrypt: \$c:\" '$LOG' || exit 1; done"
check "life cycle on the emulator: swap, move, no leak" \
	bash -c "for c in swap move no_leak; do grep -q \"^PASS: lifecycle: \$c:\" '$LOG' || exit 1; done"
check "no unexpected exception" bash -c "! grep -q 'unexpected exception' '$LOG'"

# A BIOS locked the platform before OVMF (tme-bios-activate): the stage
# validates, never writes, and the kernel's suites run on what it found.
MEMCRYPT_HW_CPU_EXTRA=tme-bios-activate=0x0005000600000023 boot locked --hw-qemu --smp 2 --policy "$POL"
check "status 1: failures, no crash" status_is 1
check "the same expected FAILs only" fails_are "encrypt: keyid0" "encrypt: clear_key" "memmap: cpu_crypto"
check "the stage finds it locked by the BIOS and validates" \
	has '^PASS: bios: locked: IA32_TME_ACTIVATE locked by BIOS \(=0x5000600000023\); validating, not writing'
check "zero WRMSRs" has '^INFO: bios: outcome: validating what the BIOS locked \(0 WRMSRs'
check "the first SMI synchronised both cores' MK_TME_CORE_ACTIVATE" \
	has '^PASS: mktme: core_activate: MK_TME_CORE_ACTIVATE=0x0000000600000000 \(keyid bits 6\) on all 2 CPUs'
check "PCONFIG programs keys on the BIOS-locked platform" has '^PASS: pconfig: direct_xts128: '
check "paging.hw_switch on the BIOS-locked platform" has '^PASS: paging: hw_switch: ran on a rebuilt 4-level identity map, KeyID 5'

# Table 4-3 from the emulator: the RNG fails (tme-rng-fail), and a restore
# finds no saved key (nothing was saved in this QEMU process).
no_crash() { ! grep -qE 'unexpected exception|qemu-run: (timeout|no SUMMARY)' "$LOG"; }
MEMCRYPT_HW_CPU_EXTRA=tme-rng-fail=on boot rng-fail --hw-qemu --policy "$POL"
check "status 1" status_is 1
check "RNG failure from the real WRMSR's read-back (xx000b, write not committed)" \
	has '^FAIL: bios: activate: RNG failure: IA32_TME_ACTIVATE reads back 0x0 \(xx000b\)'
check "MK_TME_CORE_ACTIVATE not written after it" has '^SKIP: bios: core_activate: MK_TME_CORE_ACTIVATE not written'
check "no crash" no_crash
printf 'mode=program\nkey=restore\n' >"$TMPDIR_QEMU/restore.conf"
boot restore-fail --hw-qemu --policy "$TMPDIR_QEMU/restore.conf"
check "status 1" status_is 1
check "zero key restored (xx100b)" has '^FAIL: bios: activate: key restore failed: IA32_TME_ACTIVATE reads back 0x4 \(xx100b\)'
check "no crash" no_crash

# TME bypass (ACTIVATE[31], CAPABILITY[31] set by tme-bypass): KeyID 0 and
# CLEAR_KEY'd KeyIDs must be plaintext, which is what the emulator stores,
# so the encryption checks PASS; the exclusion MSRs are programmed first.
printf 'mode=program\nbypass=on\nexclude=0x10000000:256M\nalgorithm=aes-xts-128\n' >"$TMPDIR_QEMU/bypass.conf"
boot bypass --hw-qemu --policy "$TMPDIR_QEMU/bypass.conf"
check "status 1: only memmap.cpu_crypto FAILs" fails_are "memmap: cpu_crypto"
check "exclusion MSRs written before ACTIVATE and read back" \
	has '^PASS: bios: exclusion: exclusion range base 0x10000000 size 0x10000000 written before IA32_TME_ACTIVATE and read back \(BASE=0x10000000 MASK=0xfff0000800\)'
check "ACTIVATE with bypass and AES-XTS-128 policy (xx011b)" has '^PASS: bios: activate: IA32_TME_ACTIVATE=0x5000680000003: .*xx011b'
check "encrypt.bypass: KeyID 0 stored as plaintext" has '^PASS: encrypt: bypass: TME bypass on'
check "encrypt.clear_key: CLEAR_KEY gives KeyID 0's plaintext behaviour" has '^PASS: encrypt: clear_key: .*TME bypass.*DRAM holds the plaintext'

# The features are opt-in: "-cpu max" alone on the patched emulator.
boot plain-max --hw-qemu --cpu max,migratable=on --policy "$POL"
check "status 0" status_is 0
check "TME not enumerated" has '^SKIP: tme: supported: not enumerated \(CPUID.7.0:ECX\[13\]=0'
check "PCONFIG still #UD" has '^PASS: pconfig: ud: PCONFIG raised #UD \(vector 6\)'
finish
